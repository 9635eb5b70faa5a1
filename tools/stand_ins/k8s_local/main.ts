/**
 * `deno task k8s:local up|down|roll`: the command line of `_lifecycle.ts`.
 *
 * Delete when a cluster and a registry are reachable: kind or k3d play the
 * manifests as they are.
 *
 * @module
 */

import { parseCli, usageError } from "../../cli.ts";
import { down, roll, up } from "./_lifecycle.ts";
import { progress } from "../../progress.ts";
import { onStop } from "../../teardown.ts";
import { ROOT as root } from "../../root.ts";

if (import.meta.main) {
  const { values, positionals } = parseCli({
    task: "k8s:local",
    synopsis:
      "up|down|roll WORKLOAD [--port N] [--secrets DIR] [--image NAME=TAG]",
    summary:
      "Runs the manifests of k8s/ with podman: each replica a pod, Services as network\naliases, Secret volumes from the files of 'deno task secrets'. 'up' waits until\nevery pod is ready and prints the frontend's URL; 'roll' replaces a workload's\npods one at a time; 'down' removes everything it made.",
    options: [
      ["--port N", "the frontend's port on 127.0.0.1 (default: 8080)"],
      ["--secrets DIR", "the files of 'deno task secrets' (default: .secrets)"],
      ["--image A=B", "run image B where the manifests name A (repeatable)"],
    ],
    example: "deno task k8s:local up",
  }, {
    args: Deno.args,
    allowPositionals: true,
    options: {
      port: { type: "string", default: "8080" },
      secrets: { type: "string", default: `${root}/.secrets` },
      image: { type: "string", multiple: true, default: [] },
    },
  });
  const [command, workload, ...rest] = positionals;
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    usageError("k8s:local", `Port '${values.port}' is not a port number`);
  }
  const images: Record<string, string> = {};
  for (const pair of values.image) {
    const [from, to] = pair.split("=");
    if (!from || !to) {
      usageError("k8s:local", `Image '${pair}' is not NAME=TAG`);
    }
    images[from] = to;
  }
  // Stopped on a signal or its parent's death: 'up' removes what it started.
  const stop = new AbortController();
  let code = 1;
  onStop((why) => {
    code = why.code;
    stop.abort(why.why);
  });
  const settings = {
    secretsDir: values.secrets,
    port,
    images,
    signal: stop.signal,
  };
  try {
    if (command === "up" && !workload) {
      console.log(await up(settings));
    } else if (command === "down" && !workload) {
      for (const line of await down()) {
        progress("k8s:local", `removed ${line}`);
      }
    } else if (command === "roll" && workload && rest.length === 0) {
      await roll(settings, workload);
    } else {
      usageError("k8s:local", `Unknown command '${positionals.join(" ")}'`);
    }
  } catch (error) {
    // A message for what a user can fix; a bug keeps its stack trace.
    if (
      !(error instanceof Error) || error instanceof TypeError ||
      error instanceof ReferenceError
    ) throw error;
    console.error(`k8s:local: ${error.message}`);
    Deno.exit(code);
  }
}
