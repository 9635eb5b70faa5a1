/**
 * The users API's schemas: they validate requests and document the API.
 *
 * @module
 */

import { z } from "@hono/zod-openapi";
import { plainText } from "@thoughts/shared/http";
import { hasCombiningMark, restrictedName } from "./username.ts";

/**
 * A new account. Names: trimmed, in NFKC, 1–50 letters, digits, `.`, `_` or
 * `-`, held to UTS #39's "highly restrictive" level with no combining
 * marks; unique whatever their case. The rules apply to new names only:
 * an account made before them logs in as it always did.
 */
export const CreateUserBody = z.object({
  username: z.string()
    .refine(
      (typed) => !hasCombiningMark(typed),
      "Combining marks are not allowed: type the accented letter itself",
    )
    .trim().normalize("NFKC").min(1).max(50)
    .regex(
      /^[\p{L}\p{M}\p{N}._-]+$/u,
      "Only letters, digits, '.', '_' and '-' are allowed",
    )
    .refine(
      restrictedName,
      "Characters from different scripts, or combining marks, are not allowed (look-alike names)",
    )
    .openapi({ example: "ada" }),
  password: z.string().min(8).max(1024).openapi({
    example: "correct horse battery",
  }),
}).openapi("CreateUser");

/** Login credentials. */
export const LoginBody = z.object({
  username: plainText().trim().normalize("NFKC").min(1).max(50).openapi({
    example: "ada",
  }),
  password: z.string().min(1).max(1024).openapi({
    example: "correct horse battery",
  }),
}).openapi("Login");

/** An account as the API shows it. */
export const UserSchema = z.object({
  id: z.number().int().openapi({ example: 1 }),
  username: z.string().openapi({ example: "ada" }),
  creation: z.string().openapi({
    format: "date-time",
    example: "2026-11-25T12:00:00.000Z",
  }),
}).openapi("User");

/** A successful login. */
export const LoginResponse = z.object({
  Authorized: z.string().regex(/^Bearer /).openapi({
    example: "Bearer eyJhbGciOiJSUzI1NiIs…",
  }),
  device_token: z.string().openapi({
    description:
      "Proves this client logged in to the account: send it as X-Device-Token on later logins",
    example: "eyJhbGciOiJSUzI1NiIsInR5cCI6ImRldmljZStqd3Qi…",
  }),
}).openapi("LoginResponse");

/** The public keys as a JWK Set. */
export const JwksSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.literal("RSA"),
      kid: z.string(),
      n: z.string(),
      e: z.string(),
    }).passthrough(),
  ),
}).openapi("Jwks");
