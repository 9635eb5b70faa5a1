/**
 * The built-in test key pair. It is public (it is in git), so it signs
 * tokens only in tests and development: a service with `APP_ENV=production`
 * refuses to start on it.
 *
 * @module
 */

/** The test signing key, PKCS#8 PEM. Never valid in production. */
export const TEST_PRIVATE_KEY_PEM: string = `
-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC3qTQ3mU2OcKav
teQTSvbbdjOsiK7xFsCkbvDGLwFqceguYBnmFCl8QiLJbwAYFXlEXRsB1H+2Z8SX
4QodN5SwnCclHw217c/QptqZiQmPoNYfskucWljS6cU1TdGCpVWiJ+pZF95audUh
YHwSdUgr9H4Iydo0SQFCqZY7Sl7Mx+xBPUCjCa4cnJ9ltU8SX/yKDzjrPdFMbeIx
qnfYsm8ZVW14VOKASdXd4zZa/i6wO4FuNFd8OZ1aGwULiV+h4q2YNgOIbkT3N/KP
gvi52nLmP+Cwi81aw/Zrv7PGPjRKpon/Zdndv/y3brHBpnYwnX3RV3e8qtNKyExi
lKtdcmZPAgMBAAECggEACMap57ZzHsliQhxnxI1Zh905XB5HPjQS2NNPLtLyTIoa
wb7E2LaeQmwNf2Dxo7T5pPeVT/U9ybbT/1jOXMB9qQWsSPXCTXYnC2hrBnV7u4f5
PELWE/z0Giv31yx/RHfZRGoyMrdVUflLZmYPt7HbG/RdRg/muWpRMu83tUQjxd36
tEIyxygt+1vnIxEUhYd0W543sZYpE/cFFxyRy6k5YulS8jlwRTVklhJdg8BkwW8Q
Fp1DwIWNFTbQpoUtbwL33prkJq2riMewJTfH+uyHeehBvKBFyFpGcEjWzzbXTAm6
LFUxNsXhjHvszUlW7gLY5ZoP/3BatczJwiWUNYgjtQKBgQDwhoW77IZXeri2yKhL
3yorRi07NY4lvi6WLnzuvDKiaTqmwsBgz1Yb6NHHNdO0W1DwSb2uGqT59jq5tiyR
6uLEl5RP5cZQnfezZMgoT8T60LbQtrLkzG0iU3kXWLZpbr7OB2CcZFU7x0dY9ZJb
uIc1I3P8ia1qIH+0RIKhUEAD8wKBgQDDeh4O2safgI9907n1mAZDdbqLmi+KdxBf
x6hRdFuG+U0MdVKdRyT2x64DerLzDxivIjfp3YL6FFJn9C8R4rFAgI22NruXvOMR
/b46DRiHdTAKrTDESCi9fvfir2IxQKblZ7dTqrrfC7Dj4bBmVDWQcG1d5Ir/hrnb
7EJJTj5XNQKBgQCqRtHOZHgG3j5+SDe83tQ/poLG8/caCTV55JdVe65tBAodnKoM
3zuarow0d4rUmAEI22uJIhvBSevxJWMQOjUn8BdzKLvovqxpN+Prhe1xkuiZgX3M
NFzefDGxsYARy/EQcnCWxwEAPOfptpBSlqRBnkOyeNVn2HIP8KB6CxIGuQKBgD8e
rZoKVtymPK9asM92+X7LAyOU9Aj4DVeANv+mXO+mjJSbRcP3dx4guDXzZtlJZKUY
nYlst6Bc84cRuClEVAwJ9riBz+1dVs02bDh+hg8nbg3kgry+uDkISK7wBvr0b2/g
H7hqhtEDC2lqNPW1913ej9IjvCZqsJUtIvJcy5CJAoGABVAdLdGChwGFYAig310h
Yww7FoQaDxZWKvMTk0tK/KaNnve62AyCHHw+mzVILxvpbxA8oSYDCPIXySduLNOI
MtJhmHXLsE55L6pjVD5nhP4GjAjuVteovDIDAdoBQjUqIX5yzWkYliLvUxnMyMbL
nDftdmUcj8f6pCBkeG10X84=
-----END PRIVATE KEY-----
`.trim();

/** The public half of the test key, SPKI PEM. */
export const TEST_PUBLIC_KEY_PEM: string = `
-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAt6k0N5lNjnCmr7XkE0r2
23YzrIiu8RbApG7wxi8BanHoLmAZ5hQpfEIiyW8AGBV5RF0bAdR/tmfEl+EKHTeU
sJwnJR8Nte3P0KbamYkJj6DWH7JLnFpY0unFNU3RgqVVoifqWRfeWrnVIWB8EnVI
K/R+CMnaNEkBQqmWO0pezMfsQT1AowmuHJyfZbVPEl/8ig846z3RTG3iMap32LJv
GVVteFTigEnV3eM2Wv4usDuBbjRXfDmdWhsFC4lfoeKtmDYDiG5E9zfyj4L4udpy
5j/gsIvNWsP2a7+zxj40SqaJ/2XZ3b/8t26xwaZ2MJ190Vd3vKrTSshMYpSrXXJm
TwIDAQAB
-----END PUBLIC KEY-----
`.trim();
