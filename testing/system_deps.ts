/**
 * Tests that need programs from the system (Chromium, a PostgreSQL server,
 * podman):
 * CI installs them and always runs those tests; on a machine with only Node
 * and npm they are skipped with the reason, so the README's test command
 * works there too.
 *
 * @module
 */

/** A program some tests need. */
export type Program = "chromium" | "postgresql" | "podman";

// How to tell each program is here, and how to get it.
const PROGRAMS: Record<Program, { present: () => boolean; install: string }> = {
  chromium: {
    present: () => exists("/usr/bin/chromium"),
    install: "apt-get install chromium",
  },
  postgresql: {
    present: () => hasPostgres(),
    install: "apt-get install postgresql",
  },
  podman: {
    present: () => exists("/usr/bin/podman") && exists("/usr/bin/runc"),
    install: "apt-get install podman runc",
  },
};

function exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

function hasPostgres(): boolean {
  try {
    return [...Deno.readDirSync("/usr/lib/postgresql")].some((v) =>
      exists(`/usr/lib/postgresql/${v.name}/bin/initdb`)
    );
  } catch {
    return false;
  }
}

/**
 * Whether to skip a test for want of a program: never in CI (`CI=true`),
 * where a missing program must fail the run.
 *
 * @param program The program the test needs.
 * @returns `true` to skip; the reason is printed.
 * @example Usage
 * ```ts
 * import { missing } from "./system_deps.ts";
 *
 * Deno.test({ name: "a browser test", ignore: missing("chromium"), fn: async () => {} });
 * ```
 */
export function missing(program: Program): boolean {
  if (Deno.env.get("CI") === "true") return false;
  const { present, install } = PROGRAMS[program];
  if (present()) return false;
  console.error(
    `Skipping a test that needs ${program} (${install}); CI runs it.`,
  );
  return true;
}
