/**
 * Load from wrk (Debian's `wrk`), a C load generator that takes far less of
 * the machine than a generator in Deno would, leaving the cores to the
 * servers being measured.
 *
 * @module
 */

/** One load run's outcome. */
export interface LoadResult {
  /** Requests answered in the run. */
  requests: number;
  rps: number;
  /** Median latency, ms. */
  p50: number;
  /** 99th-percentile latency, ms. */
  p99: number;
  /** Non-2xx/3xx responses and socket errors. */
  errors: number;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000 };

function ms(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(text ?? "");
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : NaN;
}

/**
 * Reads `wrk --latency` output.
 *
 * @throws {Error} When the output has no `Requests/sec` line.
 */
export function parseWrk(output: string): LoadResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(output)?.[1];
  if (rps === undefined) throw new Error(`Cannot read wrk output:\n${output}`);
  const socket =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(
      output,
    );
  const non2xx = Number(
    /Non-2xx or 3xx responses: (\d+)/.exec(output)?.[1] ?? 0,
  );
  return {
    requests: Number(/(\d+) requests in /.exec(output)?.[1] ?? NaN),
    rps: Number(rps),
    p50: ms(/^\s+50%\s+(\S+)/m.exec(output)?.[1]),
    p99: ms(/^\s+99%\s+(\S+)/m.exec(output)?.[1]),
    errors: non2xx +
      (socket ? socket.slice(1).reduce((n, x) => n + Number(x), 0) : 0),
  };
}

/** Whether wrk is installed. */
export async function hasWrk(): Promise<boolean> {
  try {
    await new Deno.Command("wrk", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return true;
  } catch {
    return false;
  }
}

/** Loads a URL with wrk (one thread, `connections` connections). */
export async function runWrk(
  url: string,
  options: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    cycle?: { header: string; file: string };
    connections: number;
    seconds: number;
  },
): Promise<LoadResult> {
  const script = await Deno.makeTempFile({ suffix: ".lua" });
  const lua = wrkScript(options);
  await Deno.writeTextFile(script, lua);
  try {
    const out = await new Deno.Command("wrk", {
      args: [
        "-t1",
        `-c${options.connections}`,
        `-d${options.seconds}s`,
        "--timeout",
        "30s",
        "--latency",
        "-s",
        script,
        url,
      ],
      stdout: "piped",
    }).output();
    return parseWrk(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(script);
  }
}

type WrkOptions = Parameters<typeof runWrk>[1];

// The Lua script that sets the method, body and headers of each request.
function wrkScript(options: WrkOptions): string {
  // Several bodies, one per line, go in turn (logins as different users).
  const bodies = options.body ? options.body.split("\n") : [];
  return [
    `wrk.method = ${JSON.stringify(options.method ?? "GET")}`,
    ...(bodies.length === 1 ? [`wrk.body = ${JSON.stringify(bodies[0])}`] : []),
    ...(bodies.length > 1
      ? [
        `local bodies = {${bodies.map((b) => JSON.stringify(b)).join(", ")}}`,
        "local n = 0",
        "request = function() n = n % #bodies + 1; return wrk.format(nil, nil, nil, bodies[n]) end",
      ]
      : []),
    ...Object.entries(options.headers ?? {}).map(([k, v]) =>
      `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`
    ),
    ...(options.cycle
      ? [
        "local values = {}",
        `for line in io.lines(${
          JSON.stringify(options.cycle.file)
        }) do values[#values + 1] = line end`,
        "local i = 0",
        `request = function() i = i % #values + 1; wrk.headers[${
          JSON.stringify(options.cycle.header)
        }] = values[i]; return wrk.format() end`,
      ]
      : []),
  ].join("\n");
}
