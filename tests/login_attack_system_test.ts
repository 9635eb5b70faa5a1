// Attacks on login against the real services: the owner's browser and a
// trusted script get in while strangers guess from many sources or flood
// the hasher with made-up names.
import { launchChromium } from "@thoughts/testing/browser";
import {
  assertEquals,
  assertOk,
  missing,
  serviceDatabase,
  startBackends,
  startFrontend,
  startService,
  TEST_ADMIN_TOKEN,
} from "@thoughts/testing";

// A login straight to users, from a source of the caller's choosing (users
// trusts one proxy hop, as behind the Ingress).
async function login(
  url: string,
  username: string,
  password: string,
  source: string,
  device?: string,
) {
  const started = performance.now();
  const res = await fetch(`${url}/api/login/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Forwarded-For": source,
      ...(device && { "X-Device-Token": device }),
    },
    body: JSON.stringify({ username, password }),
  });
  const body = await res.json();
  return {
    status: res.status,
    ms: performance.now() - started,
    device: body.device_token as string | undefined,
  };
}

const randomSource = () =>
  `10.${Array.from(crypto.getRandomValues(new Uint8Array(3))).join(".")}`;

// Workers that log in with `guess()` from random sources until stopped.
function attack(
  url: string,
  connections: number,
  guess: (n: number) => { username: string; password: string },
) {
  const statuses: number[] = [];
  let running = true;
  const workers = Array.from({ length: connections }, async () => {
    while (running) {
      const { username, password } = guess(statuses.length);
      const res = await login(url, username, password, randomSource())
        .catch(() => ({ status: 0 }));
      statuses.push(res.status);
    }
  });
  return {
    statuses,
    async stop() {
      running = false;
      await Promise.all(workers);
      const counts: Record<number, number> = {};
      for (const status of statuses) counts[status] = (counts[status] ?? 0) + 1;
      return counts;
    },
  };
}

Deno.test({
  name:
    "strangers failing logins for ada from many sources never stop her trusted browser, while an untrusted client is refused",
  ignore: missing("chromium"),
}, async () => {
  await using backends = await startBackends({
    users: { TRUSTED_PROXY_HOPS: "1" },
  });
  const { users } = backends;
  await using frontend = await startFrontend(backends);
  await backends.createUser("ada", "correct horse");
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const logIn = async () => {
      await page.goto(`${frontend.url}/login/`);
      await page.fill("#username", "ada");
      await page.fill("#password", "correct horse");
      await page.click('form[action="/login/"] button[type=submit]');
      await page.waitForLoadState();
      return new URL(page.url()).pathname;
    };
    const logOut = async () => {
      await page.goto(`${frontend.url}/logout/`);
      await page.click('form[action="/logout/"] button[type=submit]');
      await page.waitForURL("**/login/");
    };
    assertEquals(await logIn(), "/thoughts/");
    const device = (await page.context().cookies()).find((c) =>
      c.name === "device"
    );
    assertEquals(
      [device?.httpOnly, device?.sameSite, device?.path],
      [true, "Strict", "/login"],
    );
    await logOut();

    const attacker = attack(users.url, 8, (n) => ({
      username: "ada",
      password: `guess ${n}`,
    }));
    try {
      // Strangers lock the account within moments …
      for (let i = 0; i < 100 && !attacker.statuses.includes(429); i++) {
        await new Promise((r) => setTimeout(r, 50));
      }
      const untrusted = await login(
        users.url,
        "ada",
        "correct horse",
        "198.51.100.7",
      );
      assertEquals(untrusted.status, 429, "an untrusted client is refused");
      // … and the owner's browser logs in again and again meanwhile.
      for (let i = 0; i < 5; i++) {
        assertEquals(await logIn(), "/thoughts/", `login ${i + 1}`);
        await logOut();
      }
    } finally {
      const counts = await attacker.stop();
      console.log(`attacker: ${JSON.stringify(counts)}`);
      assertEquals(counts[200], undefined, "no guess got in");
    }
  } finally {
    await browser.close();
  }
});

Deno.test("a flood of made-up names from spoofed sources neither evicts a lock nor keeps a trusted client out", async () => {
  await using db = await serviceDatabase();
  await using users = await startService("users/main.ts", {
    APP_ENV: "test",
    ...db.env,
    TRUSTED_PROXY_HOPS: "1",
    // Few rows kept for unknown names and sources: the flood overflows them.
    LOGIN_THROTTLE_MAX_ROWS: "100",
  });
  const res = await fetch(`${users.url}/admin/users/`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Admin-Token": TEST_ADMIN_TOKEN,
    },
    body: JSON.stringify({ username: "ada", password: "correct horse" }),
  });
  assertEquals(res.status, 201);
  const { device } = await login(
    users.url,
    "ada",
    "correct horse",
    "198.51.100.7",
  );
  for (let i = 0; i < 5; i++) {
    await login(users.url, "ada", "wrong", "203.0.113.9");
  }
  assertEquals(
    (await login(users.url, "ada", "correct horse", "198.51.100.8")).status,
    429,
  );
  const flood = attack(users.url, 48, () => ({
    username: `made-up-${crypto.randomUUID()}`,
    password: "x",
  }));
  const trusted: { status: number; ms: number }[] = [];
  const until = Date.now() + 12_000;
  try {
    while (Date.now() < until) {
      trusted.push(
        await login(users.url, "ada", "correct horse", "198.51.100.7", device),
      );
    }
  } finally {
    const counts = await flood.stop();
    const ok = trusted.filter((r) => r.status === 200).length;
    const times = trusted.map((r) => r.ms).sort((a, b) => a - b);
    const p99 = times[Math.ceil(times.length * 0.99) - 1]!;
    console.log(
      `flood: ${
        JSON.stringify(counts)
      }; trusted: ${ok} of ${trusted.length} in, p99 ${p99.toFixed(0)} ms`,
    );
    assertOk(ok >= 0.9 * trusted.length, `${ok} of ${trusted.length} in`);
    assertOk(p99 < 2000, `p99 ${p99.toFixed(0)} ms`);
  }
  assertEquals(
    (await login(users.url, "ada", "correct horse", "198.51.100.8")).status,
    429,
    "ada's lock for strangers held",
  );
});
