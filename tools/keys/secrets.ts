/**
 * `deno task secrets [--out DIR] [--apply] [--force]`: generates a fresh RSA
 * key pair, an admin token and a random database password into an ignored
 * folder, and
 * prints (or with `--apply`, runs) the `kubectl create secret` command. The
 * command names files, never values, so nothing secret reaches the console.
 *
 * @module
 */

import { resolve } from "node:path";
import { parseCli, type Usage } from "../cli.ts";
import { ADMIN_TOKEN_FILE, PRIVATE_KEY_FILE } from "@thoughts/shared/auth";
import { generateAdminToken, generateKeyPairPem } from "@thoughts/shared/auth";
import { ROOT as root } from "../root.ts";

/** The Secret's keys and the file each is written to. */
export const SECRET_FILES: Readonly<Record<string, string>> = {
  "postgres-password": "postgres-password",
  [PRIVATE_KEY_FILE]: PRIVATE_KEY_FILE,
  "public_key.pub": "public_key.pub",
  "admin-token": ADMIN_TOKEN_FILE,
};

/**
 * The command that creates Secret `thoughts-secrets` from files.
 *
 * @param files Secret keys to file paths.
 * @returns The `kubectl` arguments.
 * @example Usage
 * ```ts
 * import { kubectlArgs } from "./secrets.ts";
 *
 * kubectlArgs({ "public_key.pub": ".secrets/public_key.pub" })[0]; // "create"
 * ```
 */
export function kubectlArgs(files: Record<string, string>): string[] {
  return [
    "create",
    "secret",
    "generic",
    "thoughts-secrets",
    "--namespace",
    "example",
    ...Object.entries(files).map(([key, path]) => `--from-file=${key}=${path}`),
  ];
}

const USAGE: Usage = {
  task: "secrets",
  synopsis: "[--out DIR] [--apply] [--force]",
  summary:
    "Generates a fresh RSA key pair, an admin token and a database password into an\nignored folder, and prints the 'kubectl create secret' command (names, never values).",
  options: [
    ["--out DIR", "where the files go (default: .secrets)"],
    ["--apply", "run the kubectl command instead of printing it"],
    ["--force", "replace secrets already in the folder"],
  ],
  example: "deno task secrets --out .secrets",
};

/**
 * Generates the files and prints or runs the command.
 *
 * @param args The command-line arguments.
 * @returns The exit code.
 */
async function secrets(args: string[]): Promise<number> {
  const { values } = parseCli(USAGE, {
    args,
    options: {
      out: { type: "string", default: `${root}/.secrets` },
      apply: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
  const dir = resolve(values.out);
  if (`${dir}/`.startsWith(`${root}/k8s/`)) {
    console.error(
      "secrets: refusing to write secret files under k8s/, which is in git",
    );
    return 1;
  }
  const exists = await Deno.stat(`${dir}/${PRIVATE_KEY_FILE}`).then(
    () => true,
    () => false,
  );
  if (exists && !values.force) {
    console.error(
      `secrets: '${dir}' already holds secrets; the database may already use that password. ` +
        "Pass --force to replace them, or --out for another folder",
    );
    return 1;
  }
  await writeSecrets(dir);
  const command = kubectlArgs(
    Object.fromEntries(
      Object.entries(SECRET_FILES).map((
        [key, file],
      ) => [key, `${dir}/${file}`]),
    ),
  );
  console.log(
    `Generated ${Object.values(SECRET_FILES).join(", ")} in ${dir}`,
  );
  if (!values.apply) {
    const head = command.slice(0, 6).join(" ");
    const files = command.slice(6).join(" \\\n    ");
    console.log(
      `Create the Secret with:\n\n  kubectl ${head} \\\n    ${files}\n`,
    );
    return 0;
  }
  try {
    const result = await new Deno.Command("kubectl", { args: command })
      .output();
    return result.success ? 0 : 1;
  } catch {
    console.error(
      "secrets: kubectl not found; run the printed command where kubectl is set up",
    );
    return 1;
  }
}

// A new key pair, database password and admin token, readable by the owner only.
async function writeSecrets(dir: string): Promise<void> {
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const { privatePem, publicPem } = await generateKeyPairPem();
  const password = crypto.getRandomValues(new Uint8Array(24)).toBase64()
    .replace(/[+/=]/g, "");
  const write = (name: string, text: string) =>
    Deno.writeTextFile(`${dir}/${name}`, text, { mode: 0o600 });
  await write("postgres-password", password);
  await write(PRIVATE_KEY_FILE, privatePem);
  await write("public_key.pub", publicPem);
  await write(ADMIN_TOKEN_FILE, generateAdminToken());
}

if (import.meta.main) Deno.exit(await secrets(Deno.args));
