import { launchChromium } from "@thoughts/testing/browser";
import {
  assertEquals,
  assertOk,
  assertStringIncludes,
  missing,
  postThought,
  startBackends,
  startFrontend,
} from "@thoughts/testing";

Deno.test({
  name:
    "a browser logs in, posts, sees, walks two pages, searches and logs out against the three real services",
  ignore: missing("chromium"),
}, async () => {
  await using backends = await startBackends();
  const { users, thoughts } = backends;
  await using frontend = await startFrontend(backends);
  await backends.createUser("ada", "correct horse");

  const dir = await Deno.makeTempDir({ prefix: "thoughts_browser_" });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(`${frontend.url}/`);
    assertEquals(new URL(page.url()).pathname, "/login/");

    await page.fill("#username", "ada");
    await page.fill("#password", "correct horse");
    await Promise.all([
      page.waitForURL("**/thoughts/"),
      page.click('form[action="/login/"] button[type=submit]'),
    ]);
    const cookie = (await page.context().cookies()).find((c) =>
      c.name === "session"
    );
    assertEquals([cookie?.httpOnly, cookie?.sameSite], [true, "Lax"]);

    const text = `Browsers are <b>people</b> too ${
      crypto.randomUUID().slice(0, 8)
    }`;
    await page.fill("#text", text);
    await Promise.all([
      page.waitForURL("**/thoughts/"),
      page.click('form[action="/thoughts/new"] button[type=submit]'),
    ]);
    assertEquals(
      await page.locator("ul.thoughts li .text").first().textContent(),
      text,
    );
    assertEquals(
      await page.locator("ul.thoughts li b").count(),
      0,
      "markup is shown as text",
    );
    const screenshot = `${dir}/thoughts.png`;
    await page.screenshot({ path: screenshot, fullPage: true });
    assertOk((await Deno.stat(screenshot)).size > 5000);

    await page.goto(`${frontend.url}/search`);
    await page.fill("input[name=search]", "PEOPLE");
    await Promise.all([
      page.waitForURL("**/search?search=PEOPLE"),
      page.click('form[action="/search"] button[type=submit]'),
    ]);
    assertEquals(await page.locator("ul.thoughts li .text").allTextContents(), [
      text,
    ]);

    // Twenty more make two pages: the first thought moves to the older one.
    const authorized = await backends.login("ada", "correct horse");
    for (let i = 1; i <= 20; i++) {
      await postThought(thoughts.url, authorized, `later ${i}`);
    }
    await page.goto(`${frontend.url}/thoughts/`);
    const texts = () => page.locator("ul.thoughts li .text").allTextContents();
    assertEquals((await texts()).length, 20);
    assertEquals((await texts())[0], "later 20");
    await Promise.all([
      page.waitForURL("**/thoughts/?before=*"),
      page.click("nav.pager a[rel=next]"),
    ]);
    assertEquals(await texts(), [text]);
    assertStringIncludes(
      await page.locator("nav.pager").textContent() ?? "",
      "End of the list",
    );
    await Promise.all([
      page.waitForURL("**/thoughts/?after=*"),
      page.click("nav.pager a[rel=prev]"),
    ]);
    assertEquals((await texts())[0], "later 20");

    // One page view with a request ID: it must show in all three services' logs.
    const trace = `trace-${crypto.randomUUID()}`;
    await page.setExtraHTTPHeaders({ "X-Request-ID": trace });
    await page.goto(`${frontend.url}/admin/versions/`);
    await page.setExtraHTTPHeaders({});
    for (const service of [frontend, users, thoughts]) {
      // Log lines are written in batches every 20 ms; wait for them, bounded.
      const traced = () =>
        service.output().split("\n").filter((l) => l.includes(trace));
      for (let i = 0; i < 100 && traced().length === 0; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const lines = traced();
      assertOk(lines.length > 0, `request ID missing from ${service.url}`);
      assertOk(
        lines.every((l) => JSON.parse(l).requestId === trace),
        "JSON log lines with the ID",
      );
    }
    const versions = await page.locator("table").first().textContent() ?? "";
    for (const part of ["thoughts_backend", "users_backend", "v1.6", "v2.3"]) {
      assertStringIncludes(versions, part);
    }
    // Every requirement holds: the frontend's two and thoughts' own.
    const edges = await page.locator("table.edges tbody tr").allTextContents();
    assertEquals(edges.length, 3, edges.join("\n"));
    assertOk(edges.every((e) => e.includes("holds on 1 of 1")), edges.join());
    assertEquals(await page.locator("ul.warnings").count(), 0);

    const docs = await browser.newPage();
    const requested: string[] = [];
    docs.on("request", (request) => requested.push(request.url()));
    await docs.goto(`${users.url}/docs/`);
    await docs.waitForSelector(".swagger-ui .info .title");
    assertStringIncludes(
      await docs.locator(".swagger-ui .info .title").textContent() ?? "",
      "Users Backend API",
    );
    assertEquals(
      requested.filter((u) =>
        !u.startsWith(users.url) && !u.startsWith("data:")
      ),
      [],
      "nothing from outside",
    );

    await page.click("text=Log out");
    await page.waitForURL("**/login/");
    assertEquals(
      (await page.context().cookies()).some((c) => c.name === "session"),
      false,
    );
    await page.goto(`${frontend.url}/thoughts/`);
    assertEquals(new URL(page.url()).pathname, "/login/");
  } finally {
    await browser.close();
  }
  console.log(`Screenshot: ${dir}/thoughts.png`);
});
