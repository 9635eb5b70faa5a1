/**
 * What a candidate (`thoughts@v1.7`, `thoughts@localhost/thoughts_server:v1.7`)
 * requires: a version is read from its release tag's `deno.json` in git,
 * or else from the labels of the local image `<image>:<version>`; an image
 * from its labels (`deno task build` stamps them).
 *
 * @module
 */

import {
  parseRequires,
  parseVersion,
  type Requires,
} from "@thoughts/shared/version";
import { SERVICES } from "../build/services.ts";
import { REQUIRES_LABEL } from "../build/stamp.ts";
import { podman } from "../stand_ins/k8s_local/_podman.ts";
import type { Candidate } from "./_plan.ts";

/** A candidate that cannot be read; the message says what to do. */
export class CandidateError extends Error {
  /** Always `bad_candidate`. */
  readonly code = "bad_candidate";
  /** @param message What is wrong, quoting the candidate. */
  constructor(message: string) {
    super(message);
    this.name = "CandidateError";
  }
}

async function git(repo: string, ...args: string[]): Promise<string | null> {
  const out = await new Deno.Command("git", {
    args: ["-C", repo, ...args],
    stdout: "piped",
    stderr: "null",
  }).output();
  return out.success ? new TextDecoder().decode(out.stdout) : null;
}

async function labels(image: string): Promise<Record<string, string> | null> {
  try {
    return JSON.parse(
      await podman(["image", "inspect", "--format", "{{json .Labels}}", image]),
    ) ?? {};
  } catch {
    return null;
  }
}

function fromLabels(
  service: string,
  image: string,
  found: Record<string, string>,
): { version: string; requires: Requires } {
  const version = found["org.opencontainers.image.version"];
  const title = found["org.opencontainers.image.title"];
  const requires = found[REQUIRES_LABEL];
  if (!version || requires === undefined) {
    throw new CandidateError(
      `Image '${image}' has no version labels: build it with 'deno task build ${service} --image'`,
    );
  }
  if (title && title !== service) {
    throw new CandidateError(`Image '${image}' is ${title}, not ${service}`);
  }
  return { version, requires: parseRequires(JSON.parse(requires), image) };
}

/**
 * Reads one candidate.
 *
 * @throws {CandidateError} When it is malformed or its requirements cannot be found.
 */
export async function readCandidate(
  text: string,
  repo: string,
): Promise<Candidate> {
  const [service, ref] = text.split(/@(.*)/s);
  const spec = SERVICES.find((s) => s.name === service);
  if (!spec || !ref) {
    throw new CandidateError(
      `Candidate '${text}' is not <service>@<version|image> with a service of ${
        SERVICES.map((s) => s.name).join(", ")
      }`,
    );
  }
  if (!isVersion(ref)) return await fromImage(spec.name, ref);
  const image = `${spec.image}:${ref}`;
  const tag = `${service}/${ref}`;
  const manifest = await git(repo, "show", `${tag}:${service}/deno.json`);
  if (manifest !== null) {
    const declared = JSON.parse(manifest);
    return {
      service: spec.name,
      version: ref,
      image,
      requires: parseRequires(declared.requires, `${tag}:${service}/deno.json`),
      source: `tag ${tag}`,
    };
  }
  const found = await labels(image);
  if (found) {
    return {
      service: spec.name,
      version: ref,
      image,
      requires: fromLabels(spec.name, image, found).requires,
      source: `image ${image}`,
    };
  }
  throw new CandidateError(
    `Cannot tell what ${service} ${ref} requires: no tag '${tag}' in '${repo}' and no image '${image}' here`,
  );
}

function isVersion(ref: string): boolean {
  try {
    parseVersion(ref);
    return true;
  } catch {
    return false;
  }
}

// A candidate named by its image: version and requirements from its labels.
async function fromImage(service: string, image: string): Promise<Candidate> {
  const found = await labels(image);
  if (!found) {
    throw new CandidateError(
      `No image '${image}' here: build it, or pull it with podman first`,
    );
  }
  const { version, requires } = fromLabels(service, image, found);
  return { service, version, image, requires, source: `image ${image}` };
}
