// The deployment path end to end, as a user runs it: the offline base and
// PostgreSQL images, the three services as images of the tests' runtime, the
// manifests played with `k8s:local`, an account used through the frontend,
// a rolling update of thoughts under load, and `down`. Part of `deno task
// test:system`; CI runs it again with TEST_RUNTIME=node for Node images. It
// takes minutes and leaves images behind.
import {
  assertEquals,
  assertMatch,
  assertOk,
  assertStringIncludes,
  checkScenario,
  cleanEnv,
  createTempRepo,
  freePort,
  runDeno,
  tagScenario,
  testRuntime,
} from "@thoughts/testing";
import { launchChromium } from "@thoughts/testing/browser";
import { localPodNames, podAddress, podman } from "./_podman.ts";
import { ROOT } from "../../root.ts";

const root = `${ROOT}/`;
const BASE = "localhost/distroless-cc-debian12:nonroot";

async function task(...args: string[]): Promise<string> {
  const run = await runDeno(["task", ...args]);
  assertEquals(run.code, 0, `deno task ${args.join(" ")}:\n${run.stderr}`);
  console.error(`  deno task ${args.join(" ")}: ${run.seconds.toFixed(1)} s`);
  return run.stdout + run.stderr;
}

async function git(...args: string[]): Promise<string> {
  const out = await new Deno.Command("git", { args, cwd: root }).output();
  return new TextDecoder().decode(out.stdout).trim();
}

// A browser's part: cookies kept, forms posted from the page's origin.
function browser(base: string) {
  let cookie = "";
  return async (path: string, form?: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, {
      method: form ? "POST" : "GET",
      redirect: "manual",
      headers: {
        Cookie: cookie,
        ...(form && {
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: base,
        }),
      },
      body: form ? new URLSearchParams(form) : undefined,
    });
    const set = response.headers.get("set-cookie");
    if (set) cookie = set.split(";")[0]!;
    return { status: response.status, text: await response.text(), cookie };
  };
}

// The images' payload: the tests' runtime (TEST_RUNTIME=node plays Node
// images), Deno's bundle by default.
const PAYLOAD = testRuntime();

Deno.test(`k8s:local runs the manifests end to end, from ${PAYLOAD} images`, async (t) => {
  const secrets = await Deno.makeTempDir({ prefix: "thoughts_e2e_secrets_" });
  const port = freePort();
  const local = ["k8s:local", "--port", String(port), "--secrets", secrets];
  const frontend = `http://127.0.0.1:${port}`;
  const commit = await git("rev-parse", "HEAD");
  try {
    await t.step("images and secrets", async () => {
      // A run cut short (a killed job) leaves pods that 'up' refuses to join.
      await task("k8s:local", "down");
      await task("build:base");
      await task("build:postgres");
      await task(
        "build",
        "--test",
        "--runtime",
        PAYLOAD,
        "--base",
        BASE,
        "--image",
      );
      await task("secrets", "--out", secrets, "--force");
    });

    await t.step("SIGTERM mid-up removes what up started", async () => {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          `${root}tools/stand_ins/k8s_local/main.ts`,
          "up",
          ...local.slice(1),
        ],
        clearEnv: true,
        env: cleanEnv({ NO_COLOR: "1" }),
        stdout: "null",
        stderr: "piped",
      }).spawn();
      let said = "";
      for await (
        const text of child.stderr.pipeThrough(new TextDecoderStream())
      ) {
        said += text;
        // The database is up and users is starting.
        if (said.includes("[2/7]")) child.kill("SIGTERM");
      }
      const status = await child.status;
      assertEquals(status.code, 143, said);
      assertOk(said.includes("stopping on SIGTERM"), said);
      await assertNothingLeft();
    });

    await t.step("up: every pod ready, the frontend on 127.0.0.1", async () => {
      const out = await task(...local.slice(0, 1), "up", ...local.slice(1));
      assertOk(out.includes(`${frontend}/`), out);
      for (
        const line of out.split("\n").filter((l) => l.includes(" ready at "))
      ) {
        console.error(`  ${line}`);
      }
      const stats = await podman([
        "stats",
        "--no-stream",
        "--format",
        "{{.Name}} {{.MemUsage}}",
      ]);
      for (
        const line of stats.split("\n").filter((l) =>
          l && !l.includes("-infra ")
        )
      ) {
        console.error(`  memory: ${line}`);
      }
    });

    const user = browser(frontend);
    await t.step(
      "an account, a login and a post through the frontend",
      async () => {
        // The operator's way in (docs/deployment.md): the users pod with the
        // admin token, as through `kubectl port-forward`.
        const [usersPod] = await localPodNames("users");
        const usersIp = await podAddress(usersPod!);
        const { runtime } =
          await (await fetch(`http://${usersIp}:8000/admin/version/`)).json();
        assertOk(runtime.startsWith(`${PAYLOAD} `), runtime);
        const created = await fetch(`http://${usersIp}:8000/admin/users/`, {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            "X-Admin-Token": await Deno.readTextFile(`${secrets}/admin_token`),
          },
          body: JSON.stringify({ username: "ada", password: "correct horse" }),
        });
        assertEquals(created.status, 201, await created.text());
        const login = await user("/login/", {
          username: "ada",
          password: "correct horse",
        });
        assertEquals(login.status, 303, login.text);
        const posted = await user("/thoughts/new", {
          text: "Played on podman",
        });
        assertEquals(posted.status, 303, posted.text);
        const mine = await user("/thoughts/");
        assertOk(mine.text.includes("Played on podman"), mine.text);
      },
    );

    await t.step("the frontend works in a browser", async () => {
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`${frontend}/`);
        await page.fill("#username", "ada");
        await page.fill("#password", "correct horse");
        await Promise.all([
          page.waitForURL("**/thoughts/"),
          page.click('form[action="/login/"] button[type=submit]'),
        ]);
        assertOk((await page.content()).includes("Played on podman"));
        await page.fill("#text", "Typed in Chromium");
        await Promise.all([
          page.waitForURL("**/thoughts/"),
          page.click('form[action="/thoughts/new"] button[type=submit]'),
        ]);
        assertOk((await page.content()).includes("Typed in Chromium"));
      } finally {
        await browser.close();
      }
    });

    await t.step(
      "the post read back through the other frontend replica",
      async () => {
        const pods = await localPodNames("frontend");
        assertEquals(pods.length, 2);
        const other = browser(`http://${await podAddress(pods[1]!)}:8000`);
        const login = await other("/login/", {
          username: "ada",
          password: "correct horse",
        });
        assertEquals(login.status, 303, login.text);
        const mine = await other("/thoughts/");
        assertOk(mine.text.includes("Played on podman"), mine.text);
      },
    );

    await t.step(
      "/admin/versions/ shows the images' stamps, commits to the admin only",
      async () => {
        const adminToken = await Deno.readTextFile(`${secrets}/admin_token`);
        const page = async (headers: Record<string, string>) =>
          await (await fetch(`${frontend}/admin/versions/`, { headers }))
            .text();
        const anonymous = await page({});
        for (const version of ["v2.3", "v1.6", "v3.7"]) {
          assertOk(anonymous.includes(`<code>${version}</code>`), anonymous);
        }
        assertOk(!anonymous.includes(commit), anonymous);
        const admin = await page({ "X-Admin-Token": adminToken.trim() });
        assertOk(admin.includes(commit), admin);
      },
    );

    await t.step(
      "release against k8s:local: users before a thoughts that needs it, a breaking revert refused",
      async () => {
        await using repo = await createTempRepo();
        await tagScenario(repo);
        await checkScenario(
          (...args) =>
            runDeno([
              "task",
              "-q",
              "release",
              ...args,
              "--k8s-local",
              "--repo",
              repo.dir,
            ]),
          "deno task k8s:local roll users --image users_server:v2.3=users_server:v2.4",
          "thoughts  v1.6 on 2 replicas",
        );
      },
    );

    await t.step(
      "release --apply rolls thoughts: every request answered, both versions on the dashboard mid-rollout",
      async () => {
        const next = `v1.6-1-g${commit.slice(0, 7)}`;
        await task(
          "build",
          "thoughts",
          "--version",
          next,
          "--runtime",
          PAYLOAD,
          "--base",
          BASE,
          "--image",
        );
        const release = [
          "release",
          "plan",
          `thoughts@thoughts_server:${next}`,
          "--k8s-local",
          ...local.slice(1),
        ];
        const plan = await task(...release);
        assertStringIncludes(plan, `1. thoughts v1.6 → ${next}`);
        assertStringIncludes(
          plan,
          `deno task k8s:local roll thoughts --image thoughts_server:v1.6=thoughts_server:${next}`,
        );
        let stop = false;
        const failures: string[] = [];
        let answered = 0;
        const load = (async () => {
          while (!stop) {
            const page = await user("/thoughts/").catch((e) => ({
              status: 0,
              text: String(e),
            }));
            if (
              page.status === 200 && page.text.includes("Played on podman")
            ) answered++;
            else failures.push(`${page.status} ${page.text.slice(0, 200)}`);
          }
        })();
        // The dashboard in Chromium, reloaded until it shows thoughts in two
        // versions at once.
        const chromium = await launchChromium();
        let mixed: string[] = [];
        const watch = (async () => {
          const page = await chromium.newPage();
          // The admin sees the commits beside the versions.
          await page.setExtraHTTPHeaders({
            "X-Admin-Token": (await Deno.readTextFile(`${secrets}/admin_token`))
              .trim(),
          });
          while (!stop && mixed.length === 0) {
            await page.goto(`${frontend}/admin/versions/`);
            const rows = await page.locator(
              'tbody[data-service="thoughts_backend"] tr',
            ).allTextContents();
            if (rows.length === 2) mixed = rows;
          }
        })();
        try {
          await task(...release, "--apply");
        } finally {
          stop = true;
          await Promise.all([load, watch]);
          await chromium.close();
        }
        console.error(
          `  ${answered} requests answered across the update, ${failures.length} failed`,
        );
        console.error(`  dashboard mid-rollout: ${mixed.join(" | ")}`);
        assertEquals(failures, []);
        assertOk(answered > 0);
        assertEquals(mixed.length, 2, "two versions seen mid-rollout");
        // Each version on the replicas it has at that moment: a new pod is
        // ready before an old one goes, so the page may first catch 2 old
        // and 1 new, 1 and 1, or 1 old (draining) and 2 new.
        assertMatch(mixed[0]!, /v1\.6[0-9a-f]{7}[12] replicas?$/);
        assertMatch(
          mixed[1]!,
          new RegExp(`^${next}[0-9a-f]{7}[12] replicas?$`),
        );
        const after = await (await fetch(`${frontend}/admin/versions/`, {
          headers: { Accept: "application/json" },
        })).json();
        const thoughts = after.services.find((
          s: { service: string },
        ) => s.service === "thoughts_backend");
        assertEquals(
          thoughts.versions.map((
            v: { version: string; replicas: number },
          ) => [v.version, v.replicas]),
          [[next, 2]],
        );
        assertEquals(after.warnings, []);
      },
    );
  } finally {
    await task(...local.slice(0, 1), "down");
    await Deno.remove(secrets, { recursive: true });
  }

  await t.step("down leaves nothing behind", assertNothingLeft);
});

// No pod, network, volume, Secret or secret folder of k8s:local.
async function assertNothingLeft(): Promise<void> {
  assertEquals(await localPodNames(), []);
  const networks = await podman(["network", "ls", "--format", "{{.Name}}"]);
  assertOk(!networks.includes("thoughts-local"), networks);
  const volumes = await podman(["volume", "ls", "--format", "{{.Name}}"]);
  assertOk(!/data-postgres-0|postgres-init/.test(volumes), volumes);
  const secretsLeft = await podman(["secret", "ls", "--format", "{{.Name}}"]);
  assertOk(!secretsLeft.includes("thoughts-secrets"), secretsLeft);
  assertOk(
    !await Deno.stat(`${root}.k8s-local`).then(() => true, () => false),
  );
}
