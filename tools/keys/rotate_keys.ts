/**
 * `deno task rotate-keys <status|publish|switch|retire>`: rotates the token
 * signing key step by step, checking each step against the live
 * `/admin/version/` of every service, and printing (or with `--apply`,
 * running) the `kubectl` command of each step.
 *
 * Options: `--secrets DIR` (the current Secret's files, `.secrets`),
 * `--service NAME=URL` (repeatable; the three Ingress hosts by default),
 * `--wait SECONDS` (how long to wait for a step to take effect, 120),
 * `--token-lifetime SECONDS` (172800), `--apply`, `--force`.
 *
 * @module
 */

import { parseCli, type Usage, usageError } from "../cli.ts";
import { generateKeyPairPem } from "@thoughts/shared/auth";
import { keyId } from "@thoughts/shared/auth";
import {
  isDone,
  type Phase,
  readyFor,
  secretFiles,
  type ServiceKeys,
} from "./_rotation_plan.ts";
import { kubectlArgs } from "./secrets.ts";
import { serviceUrls } from "../service_urls.ts";
import { ROOT as root } from "../root.ts";

async function fetchKeys(service: string, url: string): Promise<ServiceKeys> {
  try {
    const res = await fetch(`${url}/admin/version/`, {
      signal: AbortSignal.timeout(3000),
    });
    const body = await res.json();
    return { service, url, kids: body.kids ?? [], signingKid: body.signingKid };
  } catch (error) {
    return { service, url, error: (error as Error).message };
  }
}

const exists = (path: string) => Deno.stat(path).then(() => true, () => false);

const USAGE: Usage = {
  task: "rotate-keys",
  synopsis:
    "[status|publish|switch|retire] [--secrets DIR] [--service NAME=URL]... [--wait S] [--apply] [--force]",
  summary:
    "Rotates the signing key in three checked steps with no restart: publish the next\npublic key, switch signing to it, retire the old one. 'status' (the default) shows\nwhich keys each service accepts.",
  options: [
    ["--secrets DIR", "the secrets folder (default: .secrets)"],
    [
      "--service NAME=URL",
      "a service's address, repeatable (default: the Ingress hosts)",
    ],
    ["--wait S", "seconds to wait for every service to agree (default: 120)"],
    [
      "--token-lifetime S",
      "tokens' lifetime, before retiring (default: 172800)",
    ],
    ["--apply", "update the Secret with kubectl"],
    ["--force", "retire before the old tokens have expired"],
  ],
  example: "deno task rotate-keys publish --apply",
};

type Files = Parameters<typeof secretFiles>[1];
type NextFiles = Parameters<typeof secretFiles>[2];

/**
 * Runs one rotation command.
 *
 * @param args The command-line arguments.
 * @returns The exit code: 0 done, 1 refused or timed out.
 */
async function rotateKeys(args: string[]): Promise<number> {
  const { values, command, dir, current, next } = options(args);
  if (!(await exists(current.publicKey))) {
    return refuse(
      `no current keys in '${dir}' (create them with 'deno task secrets')`,
    );
  }
  if (command === "publish") await generateNext(dir, next);
  const oldKid = await keyId(await Deno.readTextFile(current.publicKey));
  const nextKid = (await exists(next.publicKey))
    ? await keyId(await Deno.readTextFile(next.publicKey))
    : undefined;
  const services = serviceUrls("rotate-keys", values.service);
  const look = () =>
    Promise.all(services.map(([name, url]) => fetchKeys(name, url)));
  console.log(
    `Current key: ${oldKid}${nextKid ? `\nNext key:    ${nextKid}` : ""}`,
  );
  if (command === "status" || !nextKid) {
    report(await look());
    if (command === "status") return 0;
    return refuse("no next key; run 'rotate-keys publish' first");
  }
  const phase = command as Phase;
  const state = await look();
  report(state);
  const readiness = readyFor(phase, state, nextKid);
  if (!readiness.ready) {
    return refuse(
      `not ready to ${phase}:\n  - ${readiness.reasons.join("\n  - ")}`,
    );
  }
  const early = phase === "retire" && !values.force &&
    await tokensStillValid(dir, Number(values["token-lifetime"]));
  if (early) return refuse(early);
  if (!(await updateSecret(phase, current, next, values.apply))) return 1;
  console.log(`Waiting up to ${values.wait} s for every service to show it…`);
  const deadline = Date.now() + Number(values.wait) * 1000;
  let latest = state;
  while (!isDone(phase, latest, nextKid, oldKid)) {
    if (Date.now() > deadline) {
      report(latest);
      return refuse(
        `step '${phase}' has not taken effect everywhere yet; run it again to keep waiting`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
    latest = await look();
  }
  report(latest);
  await finish(phase, dir, current, next, values["token-lifetime"]);
  return 0;
}

function options(args: string[]) {
  const { values, positionals } = parseCli(USAGE, {
    args,
    allowPositionals: true,
    options: {
      secrets: { type: "string", default: `${root}/.secrets` },
      service: { type: "string", multiple: true },
      wait: { type: "string", default: "120" },
      "token-lifetime": { type: "string", default: "172800" },
      apply: { type: "boolean", default: false },
      force: { type: "boolean", default: false },
    },
  });
  const command = positionals[0] ?? "status";
  if (!["status", "publish", "switch", "retire"].includes(command)) {
    usageError(
      "rotate-keys",
      `Unknown step '${command}' (expected status, publish, switch or retire)`,
    );
  }
  const dir = values.secrets;
  const current = {
    password: `${dir}/postgres-password`,
    privateKey: `${dir}/private_key.pem`,
    publicKey: `${dir}/public_key.pub`,
  };
  const next = {
    privateKey: `${dir}/next/private_key.pem`,
    publicKey: `${dir}/next/public_key.pub`,
  };
  return { values, command, dir, current, next };
}

function refuse(message: string): number {
  console.error(`rotate-keys: ${message}`);
  return 1;
}

function report(state: ServiceKeys[]): void {
  for (const s of state) {
    const signer = s.signingKid ? `, signs with ${s.signingKid}` : "";
    const keys = s.kids
      ? `accepts ${s.kids.join(", ")}${signer}`
      : `unreachable: ${s.error}`;
    console.log(`  ${s.service.padEnd(9)} ${keys}`);
  }
}

// The next pair, once: a second publish keeps the key it published.
async function generateNext(dir: string, next: NextFiles): Promise<void> {
  if (await exists(next.privateKey)) return;
  const pair = await generateKeyPairPem();
  await Deno.mkdir(`${dir}/next`, { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(next.privateKey, pair.privatePem, { mode: 0o600 });
  await Deno.writeTextFile(next.publicKey, pair.publicPem, { mode: 0o600 });
  console.log(`Generated the next key pair in ${dir}/next`);
}

// Why retiring now would reject live tokens, or "" when it would not.
async function tokensStillValid(
  dir: string,
  lifetimeSeconds: number,
): Promise<string> {
  const switched = await Deno.readTextFile(`${dir}/next/switched_at`).catch(
    () => undefined,
  );
  const waitUntil = switched
    ? Date.parse(switched) + lifetimeSeconds * 1000
    : Infinity;
  if (Date.now() >= waitUntil) return "";
  return `tokens signed with the old key may still be valid until ${
    Number.isFinite(waitUntil)
      ? new Date(waitUntil).toISOString()
      : "the token lifetime has passed since the switch"
  }; retire then, or pass --force`;
}

// Prints the step's kubectl command and, with --apply, runs it.
async function updateSecret(
  phase: Phase,
  current: Files,
  next: NextFiles,
  apply: boolean,
): Promise<boolean> {
  const kubectl = kubectlArgs(secretFiles(phase, current, next));
  const line = `kubectl ${
    kubectl.join(" ")
  } --dry-run=client -o yaml | kubectl apply -f -`;
  console.log(`\nStep '${phase}': update the Secret with\n\n  ${line}\n`);
  if (!apply) return true;
  const result = await new Deno.Command("sh", { args: ["-c", line] }).output()
    .catch(() => undefined);
  if (result?.success) return true;
  refuse("kubectl failed; run the command above where kubectl is set up");
  return false;
}

// What the step leaves behind once every service shows it, and what is next.
async function finish(
  phase: Phase,
  dir: string,
  current: Files,
  next: NextFiles,
  lifetime: string,
): Promise<void> {
  if (phase === "switch") {
    await Deno.writeTextFile(
      `${dir}/next/switched_at`,
      new Date().toISOString(),
    );
  }
  if (phase === "retire") {
    await Deno.rename(next.privateKey, current.privateKey);
    await Deno.rename(next.publicKey, current.publicKey);
    await Deno.remove(`${dir}/next`, { recursive: true });
    console.log(`The rotation is complete; ${dir} holds the new key.`);
  }
  const after: Record<Phase, string> = {
    publish:
      "Next: 'rotate-keys switch' once you are ready to sign with the new key.",
    switch:
      `Next: wait the token lifetime (${lifetime} s), then 'rotate-keys retire'.`,
    retire: "",
  };
  console.log(`Step '${phase}' done. ${after[phase]}`);
}

if (import.meta.main) Deno.exit(await rotateKeys(Deno.args));
