/**
 * What runs now: each service's `/admin/version/`, asked at a URL several
 * times over fresh connections (a Service or an Ingress picks a replica per
 * connection), or, in `k8s:local`, asked of every pod at its own address.
 * Any answer missing makes the service's version unknown.
 *
 * @module
 */

import {
  askReplicas,
  parseVersionAnswer,
  SAMPLES,
  type VersionAnswer,
} from "@thoughts/shared/version";
import { SERVICES } from "../build/services.ts";
import { localPodNames, podAddress } from "../stand_ins/k8s_local/_podman.ts";
import type { LiveService } from "./_plan.ts";

async function ask(
  url: string,
  client: Deno.HttpClient,
  fallback: string,
): Promise<VersionAnswer> {
  const response = await fetch(`${url}/admin/version/`, {
    client,
    signal: AbortSignal.timeout(3000),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`'${url}/admin/version/' answered ${response.status}`);
  }
  return parseVersionAnswer(await response.json(), fallback);
}

async function collect(
  service: string,
  where: string,
  asks: (() => Promise<VersionAnswer>)[],
): Promise<LiveService> {
  const { versions, errors } = await askReplicas(asks);
  return {
    service,
    where,
    versions,
    ...(errors.length > 0 && {
      error: `${errors.length} of ${asks.length} answers failed: ${errors[0]}`,
    }),
    ...(asks.length === 0 && { error: "no replica to ask" }),
  };
}

/** Asks each service at its URL, {@linkcode SAMPLES} times. */
export async function liveAtUrls(
  urls: [name: string, url: string][],
): Promise<LiveService[]> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    return await Promise.all(
      ordered(urls).map(([service, url]) =>
        collect(
          service,
          url,
          Array.from(
            { length: SAMPLES },
            () => () => ask(url, client, new URL(url).host),
          ),
        )
      ),
    );
  } finally {
    client.close();
  }
}

/** Asks every pod of `k8s:local` at its own address. */
export async function liveInK8sLocal(): Promise<LiveService[]> {
  const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    return await Promise.all(SERVICES.map(async ({ name }) => {
      const pods = await localPodNames(name);
      return collect(
        name,
        "k8s:local",
        pods.map((pod) => async () =>
          ask(`http://${await podAddress(pod)}:8000`, client, pod)
        ),
      );
    }));
  } finally {
    client.close();
  }
}

// The services in safe deployment order, then any other name.
function ordered(
  urls: [string, string][],
): [string, string][] {
  const rank = (name: string) => {
    const i = SERVICES.findIndex((s) => s.name === name);
    return i < 0 ? SERVICES.length : i;
  };
  return [...urls].sort((a, b) => rank(a[0]) - rank(b[0]));
}

/** One line per service: each version and its replicas, or why unknown. */
export function describeLive(live: LiveService[]): string[] {
  return live.map((s) =>
    `  ${s.service.padEnd(9)} ${versionsText(s)}${
      s.error ? `  (${s.error})` : ""
    }`
  );
}

/** What one service runs, in words. */
export function versionsText(service: LiveService): string {
  return service.versions.map((v) =>
    `${v.version} on ${v.instances.length} ${
      v.instances.length === 1 ? "replica" : "replicas"
    }`
  ).join(", ") || "—";
}
