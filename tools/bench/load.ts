/**
 * A load generator run as its own process: `deno run -A load.ts URL
 * CONNECTIONS SECONDS [METHOD] [BODY] [HEADERS_JSON]`. BODY holds one body
 * per line, sent in turn. Prints one JSON line: requests, errors,
 * requests/s, p50 and p99 latency in ms.
 *
 * @module
 */

if (import.meta.main) {
  const [
    url,
    connections = "50",
    seconds = "5",
    method = "GET",
    body = "",
    headers = "{}",
  ] = Deno.args;
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + Number(seconds) * 1000;
  const bodies = body.split("\n");
  let sent = 0;
  const init = () => ({
    method,
    headers: JSON.parse(headers),
    ...(body && { body: bodies[sent++ % bodies.length] }),
  });
  await Promise.all(Array.from({ length: Number(connections) }, async () => {
    while (performance.now() < deadline) {
      const started = performance.now();
      try {
        const res = await fetch(url!, init());
        await res.arrayBuffer();
        if (res.ok) latencies.push(performance.now() - started);
        else errors++;
      } catch {
        errors++;
      }
    }
  }));
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[
      Math.min(latencies.length - 1, Math.floor(q * latencies.length))
    ] ?? NaN;
  console.log(JSON.stringify({
    requests: latencies.length,
    errors,
    rps: latencies.length / Number(seconds),
    p50: at(0.5),
    p99: at(0.99),
  }));
}
