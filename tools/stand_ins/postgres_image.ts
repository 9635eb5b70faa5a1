/**
 * `deno task build:postgres`: PostgreSQL 15 for `deno task k8s:local`, built
 * offline from Debian 12's `postgresql-15` on the assembled distroless base,
 * tagged `localhost/thoughts-postgres:15`. It starts as the official image
 * does for what `k8s/postgres` uses: `POSTGRES_USER`, `POSTGRES_PASSWORD`,
 * `POSTGRES_DB`, `PGDATA` and the `*.sql` files in
 * `/docker-entrypoint-initdb.d`, as user `postgres` (999). It carries `dash`
 * (its package links `/bin/sh` to it), which `initdb` and `pg_ctl` start
 * the server through.
 *
 * Delete when a registry is reachable: pull the official `postgres:15`.
 *
 * @module
 */

import { BuildError } from "../build/build_error.ts";
import type { ImageTool } from "../build/image.ts";
import { GROUP, LOCAL_BASE, PASSWD } from "./base_image.ts";
import { buildDebImage } from "../build/_debs.ts";
import { parseCli } from "../cli.ts";
import { ROOT } from "../root.ts";

/** The tag of the local PostgreSQL image. */
export const LOCAL_POSTGRES = "localhost/thoughts-postgres:15";

/**
 * The server, its client and the libraries they load (read off `ldd`),
 * less what the base already has.
 */
export const POSTGRES_PACKAGES = [
  "postgresql-15",
  "postgresql-client-15",
  "libpq5",
  "dash",
  ...[
    "libaudit1 libcap-ng0 libcap2 libcom-err2 libffi8 libgcrypt20 libgmp10",
    "libgnutls30 libgpg-error0 libgssapi-krb5-2 libhogweed6 libicu72",
    "libidn2-0 libk5crypto3 libkeyutils1 libkrb5-3 libkrb5support0",
    "libldap-2.5-0 liblz4-1 liblzma5 libnettle8 libp11-kit0 libpam0g",
    "libreadline8 libsasl2-2 libsystemd0 libtasn1-6 libtinfo6 libunistring2",
    "libxml2 libzstd1 zlib1g",
  ].join(" ").split(" "),
] as const;

const BIN = "/usr/lib/postgresql/15/bin";

// The official image's first start, in POSIX sh (dash has no mktemp or rm:
// the password file is written and emptied with redirections). A first start
// that stopped half way is refused rather than served as if complete.
const ENTRYPOINT = `#!/bin/sh
set -eu
: "\${POSTGRES_PASSWORD:?POSTGRES_PASSWORD is required}"
user=\${POSTGRES_USER:-postgres}
db=\${POSTGRES_DB:-$user}
export PGDATA=\${PGDATA:-/var/lib/postgresql/data}
export PATH=${BIN}:$PATH
done="$PGDATA/first-start-done"
if [ -s "$PGDATA/PG_VERSION" ] && [ ! -e "$done" ]; then
  echo "An earlier first start of $PGDATA stopped before it finished: delete the volume and start again" >&2
  exit 1
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  umask 077
  printf '%s\\n' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb -D "$PGDATA" -U "$user" --pwfile=/tmp/pwfile --encoding=UTF8 \\
    --locale=C --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  : > /tmp/pwfile
  printf 'host all all all scram-sha-256\\n' >> "$PGDATA/pg_hba.conf"
  pg_ctl -D "$PGDATA" -w -o "-c listen_addresses=''" start
  psql -v ON_ERROR_STOP=1 -q -U "$user" -d postgres -v db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db')\\gexec
SQL
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] || continue
    echo "running $f"
    psql -v ON_ERROR_STOP=1 -q -U "$user" -d "$db" -f "$f"
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  : > "$done"
  echo "initialized $PGDATA"
fi
exec postgres -c listen_addresses='*'
`;

const CONTAINERFILE = (base: string) =>
  `FROM ${base}
ADD rootfs.tar /
USER 999:999
WORKDIR /var/lib/postgresql
ENV PGDATA=/var/lib/postgresql/data
EXPOSE 5432
# As the official image: a fast shutdown, not a wait for every session.
STOPSIGNAL SIGINT
ENTRYPOINT ["/usr/local/bin/docker-entrypoint"]
`;

// Manuals and the cluster wrappers of postgresql-common's layout are not used.
const PRUNE = ["usr/share/man", "usr/share/doc", "usr/share/lintian"];

/**
 * Unpacks the packages over the base's users, adds `postgres` (999), the
 * folders and the entry point, and builds the image.
 *
 * @param outDir Where `rootfs.tar`, `Containerfile` and `packages.txt` go.
 * @param options The base image (the assembled distroless base by default) and builder.
 * @returns The image ID and the package versions.
 * @throws {BuildError} When a tool is missing or a step fails.
 * @example Usage
 * ```ts
 * import { missing } from "@thoughts/testing";
 * import { buildPostgresImage } from "./postgres_image.ts";
 *
 * // With podman and apt (CI installs podman); about 20 s.
 * if (!missing("podman")) {
 *   const { id } = await buildPostgresImage("dist/postgres");
 *   id.length > 0; // true
 * }
 * ```
 */
export async function buildPostgresImage(
  outDir: string,
  options: { base?: string; tool?: ImageTool } = {},
): Promise<{ id: string; packages: string[] }> {
  return await buildDebImage(
    {
      task: "build:postgres",
      tag: LOCAL_POSTGRES,
      packages: POSTGRES_PACKAGES,
      prune: PRUNE,
      finish: finishRoot,
      containerfile: CONTAINERFILE(options.base ?? LOCAL_BASE),
    },
    outDir,
    options.tool,
  );
}

// The user postgres (999), its folders and the entry point.
async function finishRoot(root: string): Promise<void> {
  await Deno.mkdir(`${root}/etc`, { recursive: true });
  await Deno.writeTextFile(
    `${root}/etc/passwd`,
    `${PASSWD}postgres:x:999:999:PostgreSQL:/var/lib/postgresql:/bin/sh\n`,
  );
  await Deno.writeTextFile(`${root}/etc/group`, `${GROUP}postgres:x:999:\n`);
  await Deno.mkdir(`${root}/usr/local/bin`, { recursive: true });
  await Deno.writeTextFile(
    `${root}/usr/local/bin/docker-entrypoint`,
    ENTRYPOINT,
  );
  await Deno.chmod(`${root}/usr/local/bin/docker-entrypoint`, 0o755);
  for (
    const dir of [
      "var/lib/postgresql/data",
      "var/run/postgresql",
      "docker-entrypoint-initdb.d",
    ]
  ) {
    await Deno.mkdir(`${root}/${dir}`, { recursive: true });
    await Deno.chown(`${root}/${dir}`, 999, 999);
  }
  await Deno.chmod(`${root}/var/lib/postgresql/data`, 0o700);
}

if (import.meta.main) {
  const { values } = parseCli({
    task: "build:postgres",
    synopsis: "[--base IMAGE]",
    summary:
      `Builds ${LOCAL_POSTGRES} offline from Debian 12's postgresql-15, for\ndeno task k8s:local; run as root, after deno task build:base.`,
    options: [["--base IMAGE", `the base (default: ${LOCAL_BASE})`]],
    example: "deno task build:postgres",
  }, {
    args: Deno.args,
    options: { base: { type: "string", default: LOCAL_BASE } },
  });
  const root = `${ROOT}/`;
  try {
    const { id, packages } = await buildPostgresImage(`${root}dist/postgres`, {
      base: values.base,
    });
    console.log(
      `${LOCAL_POSTGRES} ${id.slice(0, 12)} from ${packages.length} packages`,
    );
  } catch (error) {
    if (!(error instanceof BuildError)) throw error;
    console.error(`build:postgres: ${error.message}`);
    Deno.exit(1);
  }
}
