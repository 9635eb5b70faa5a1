// The bench compares equal work: the Fastify peer and the floor answer the
// pages the thoughts service answers, body and Link header alike.
import { assertEquals, assertOk } from "@thoughts/testing";
import { Teardown } from "../teardown.ts";
import { database, peer, seed, services, startFloor } from "./_setup.ts";

Deno.test("the peer and the floor answer list, one and mine as the thoughts service does", async () => {
  const teardown = new Teardown();
  try {
    const db = await database(teardown);
    const { users, thoughts } = await services(teardown, "deno", db);
    const { authorized } = await seed(teardown, users.url, thoughts.url, 1);
    const fastify = await peer(teardown, db);
    const floor = await startFloor(teardown, db);
    const get = async (url: string) => {
      const res = await fetch(url, { headers: { Authorization: authorized } });
      return { link: res.headers.get("link"), body: await res.json() };
    };
    for (
      const [path, floorPath] of [
        ["/api/thoughts/?limit=20", "/list"],
        ["/api/thoughts/1/", "/one"],
        ["/api/me/thoughts/?limit=20", "/mine"],
      ]
    ) {
      const ours = await get(thoughts.url + path);
      assertEquals(await get(fastify.url + path), ours, path);
      const bare = await get(floor.url + floorPath);
      assertEquals(bare.body, ours.body, floorPath);
      assertEquals(
        bare.link?.replace(/^<[^?]*\?/, "<"),
        ours.link?.replace(/^<[^?]*\?limit=20&/, "<"),
        floorPath,
      );
    }
    const list = await get(`${thoughts.url}/api/thoughts/?limit=20`);
    assertOk(list.link?.includes('rel="next"'), String(list.link));
    assertEquals(list.body.length, 20);
  } finally {
    await teardown.run();
  }
});
