import {
  assertEquals,
  assertOk,
  startBackends,
  testRuntime,
} from "@thoughts/testing";

Deno.test(`users and thoughts as real processes on ${testRuntime()}: create, log in, post, list`, async () => {
  await using backends = await startBackends();
  const { users, thoughts } = backends;
  for (const service of [users, thoughts]) {
    const { runtime } = await (await fetch(`${service.url}/admin/version/`))
      .json();
    assertOk(runtime.startsWith(`${testRuntime()} `), runtime);
  }
  await backends.createUser("ada", "correct horse");
  const login = await fetch(`${users.url}/api/login/`, {
    method: "POST",
    body: new URLSearchParams({ username: "ada", password: "correct horse" }),
  });
  const { Authorized } = await login.json();
  assertOk(Authorized.startsWith("Bearer "));

  const posted = await fetch(`${thoughts.url}/api/me/thoughts/`, {
    method: "POST",
    headers: { Authorization: Authorized, "Content-Type": "application/json" },
    body: JSON.stringify({ text: "First thought" }),
  });
  assertEquals(posted.status, 201);
  assertEquals((await posted.json()).username, "ada");
  const mine = await (await fetch(`${thoughts.url}/api/me/thoughts/`, {
    headers: { Authorization: Authorized },
  })).json();
  assertEquals(mine.map((t: { text: string }) => t.text), ["First thought"]);
  const all = await (await fetch(`${thoughts.url}/api/thoughts/?search=FIRST`))
    .json();
  assertEquals(all.length, 1);

  const [usersExit, thoughtsExit] = await Promise.all([
    users.stop(),
    thoughts.stop(),
  ]);
  assertEquals([usersExit.code, thoughtsExit.code], [0, 0]);
  assertOk(!users.output().includes("correct horse"));
  assertOk(!users.output().includes(Authorized.slice(7)));
});
