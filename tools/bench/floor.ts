/**
 * The floor of the benchmark: a bare `Deno.serve` handler running the
 * services' own store functions (the same SQL through the same driver) and
 * the same token code, with no framework, validation or middleware.
 *
 * @module
 */

import {
  bearerToken,
  signToken,
  startKeyRing,
  verifyToken,
} from "@thoughts/shared/auth";
import {
  databaseConfig,
  dirSecretReader,
  loadConfig,
} from "@thoughts/shared/config";
import { openDatabase } from "@thoughts/shared/store";
import { thoughtsVariables } from "@thoughts/thoughts/config";
import { createThoughtsStore, pageLinks } from "@thoughts/thoughts/testing";
import { createUsersStore, pbkdf2Hasher } from "@thoughts/users/testing";

// A JSON string body, as Hono sends it, so the floor is not slowed by
// `Response.json()` (docs/benchmarks.md).
// A page carries the same Link header as the service's.
const json = (value: unknown, link?: string) =>
  new Response(JSON.stringify(value), {
    headers: link
      ? { "content-type": "application/json", link }
      : { "content-type": "application/json" },
  });

if (import.meta.main) {
  const env = Deno.env.toObject();
  const config = loadConfig(thoughtsVariables, env);
  const thoughtsDb = await openDatabase(databaseConfig(config));
  const usersDb = await openDatabase(
    databaseConfig(
      loadConfig(thoughtsVariables, { ...env, POSTGRES_DB: env.USERS_DB }),
    ),
  );
  const thoughts = await createThoughtsStore(thoughtsDb);
  const users = await createUsersStore(usersDb);
  const hasher = pbkdf2Hasher();
  const ring = await startKeyRing({
    reader: dirSecretReader(config.SECRETS_DIR),
    appEnv: "test",
    signs: true,
    logger: () => {},
  });
  // Exits cleanly on SIGTERM, so `--cpu-prof` can write its profile.
  Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
  Deno.serve({
    hostname: "127.0.0.1",
    port: config.PORT,
    onListen: () => console.log("floor ready"),
  }, async (req) => {
    const url = new URL(req.url);
    if (url.pathname === "/readyz") return new Response("ok");
    if (url.pathname === "/list") {
      const page = await thoughts.list({ order: "desc", limit: 20, offset: 0 });
      return json(page.thoughts, pageLinks(req.url, page, "desc"));
    }
    if (url.pathname === "/one") {
      return json(await thoughts.get(1));
    }
    if (url.pathname === "/mine") {
      const { username } = await verifyToken(
        ring.current(),
        bearerToken(req.headers.get("Authorization")),
        new Date(),
      );
      const page = await thoughts.list({
        username,
        order: "desc",
        limit: 20,
        offset: 0,
      });
      return json(page.thoughts, pageLinks(req.url, page, "desc"));
    }
    if (url.pathname === "/login") {
      const { username, password } = await req.json();
      const user = await users.findByUsername(username);
      if (!user || !(await hasher.verify(password, user.passwordHash))) {
        return new Response(null, { status: 401 });
      }
      return json({
        Authorized: `Bearer ${await signToken(ring.current(), username, {
          lifetime: 3600,
          now: new Date(),
        })}`,
      });
    }
    return new Response(null, { status: 404 });
  });
}
