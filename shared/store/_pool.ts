/**
 * Pooling over single-connection postgres.js clients. Why: with postgres.js
 * 4.2.0's own pool a read cost 25-43 % more CPU in `deno task bench`
 * (docs/benchmarks.md#the-postgresql-pool).
 *
 * @module
 */

/**
 * Runs each call on the client with the fewest calls in flight, the first
 * among equals, so light traffic keeps to one connection and a
 * transaction's client is passed over while others are free.
 *
 * @param clients The clients, one connection each.
 * @returns A function that runs a call on the least busy client.
 */
export function leastBusy<C>(
  clients: readonly C[],
): <T>(fn: (client: C) => Promise<T>) => Promise<T> {
  const busy = clients.map(() => 0);
  return async (fn) => {
    let pick = 0;
    for (let i = 1; i < clients.length; i++) {
      if (busy[i]! < busy[pick]!) pick = i;
    }
    busy[pick]!++;
    try {
      return await fn(clients[pick]!);
    } finally {
      busy[pick]!--;
    }
  };
}
