import { assertEquals } from "@thoughts/testing";
import { type Candidate, type LiveService, planRelease } from "./_plan.ts";

const run = (
  service: string,
  versions: string[],
  requires: Record<string, string> = {},
): LiveService => ({
  service,
  where: `http://${service}`,
  versions: versions.map((version, i) => ({
    version,
    requires,
    instances: [`${service}-${i}`],
  })),
});

// Today's system: frontend v3.7 needs thoughts v1.6 and users v2.3, thoughts
// needs users v2.3.
const live = (thoughts = ["v1.6"]) => [
  run("users", ["v2.3"]),
  run("thoughts", thoughts, { users_backend: "v2.3" }),
  run("frontend", ["v3.7"], {
    thoughts_backend: "v1.6",
    users_backend: "v2.3",
  }),
];

const candidate = (
  service: string,
  version: string,
  requires: Record<string, string> = {},
): Candidate => ({
  service,
  version,
  requires,
  image: `${service}_server:${version}`,
  source: "test",
});

const order = (plan: ReturnType<typeof planRelease>) =>
  plan.safe
    ? plan.steps.map((s) => `${s.service} ${s.from.join("+")}->${s.to.version}`)
    : plan.problems;

Deno.test("a new thoughts that needs a newer users: users goes first, whatever order they are named in", () => {
  const thoughts = candidate("thoughts", "v1.7", { users_backend: "v2.4" });
  const users = candidate("users", "v2.4");
  assertEquals(order(planRelease(live(), [thoughts, users])), [
    "users v2.3->v2.4",
    "thoughts v1.6->v1.7",
  ]);
  // Alone, it is refused: users runs less than it needs.
  assertEquals(order(planRelease(live(), [thoughts])), [
    "thoughts v1.7 requires users ≥ v2.4, but users runs v2.3",
  ]);
});

Deno.test("a revert that leaves a running dependent above what it gets is refused, naming it", () => {
  assertEquals(order(planRelease(live(), [candidate("thoughts", "v1.5")])), [
    "reverting thoughts to v1.5 breaks frontend v3.7, which requires thoughts ≥ v1.6",
  ]);
  // Reverting the dependent first makes the same revert safe: dependents
  // first on the way down.
  const frontend = candidate("frontend", "v3.6", {
    thoughts_backend: "v1.5",
    users_backend: "v2.3",
  });
  assertEquals(
    order(planRelease(live(), [candidate("thoughts", "v1.5"), frontend])),
    ["frontend v3.7->v3.6", "thoughts v1.6->v1.5"],
  );
});

Deno.test("versions are ordered as git describe means them", () => {
  const needs = (minimum: string) =>
    candidate("frontend", "v3.8", {
      thoughts_backend: minimum,
      users_backend: "v2.3",
    });
  const now = live(["v1.6-17-g2257f9c"]);
  assertEquals(order(planRelease(now, [needs("v1.6")])), [
    "frontend v3.7->v3.8",
  ]);
  assertEquals(order(planRelease(now, [needs("v1.6-18-gabcdef0")])), [
    "frontend v3.8 requires thoughts ≥ v1.6-18-gabcdef0, but thoughts runs v1.6-17-g2257f9c",
  ]);
  assertEquals(order(planRelease(now, [needs("v1.7")])), [
    "frontend v3.8 requires thoughts ≥ v1.7, but thoughts runs v1.6-17-g2257f9c",
  ]);
  // v1.10 is above v1.9.
  assertEquals(
    order(planRelease(live(["v1.10"]), [needs("v1.9")])),
    ["frontend v3.7->v3.8"],
  );
});

Deno.test("mid-rollout, every replica counts: a version still running on one replica blocks", () => {
  const frontend = candidate("frontend", "v3.8", { thoughts_backend: "v1.6" });
  assertEquals(order(planRelease(live(["v1.5", "v1.6"]), [frontend])), [
    "frontend v3.8 requires thoughts ≥ v1.6, but thoughts runs v1.5",
  ]);
});

Deno.test("an unreachable service is never safe; a version already running is no step", () => {
  const down: LiveService = {
    service: "users",
    where: "http://users.example.local",
    versions: [],
    error: "Connection refused",
  };
  assertEquals(
    order(
      planRelease([down, ...live().slice(1)], [candidate("thoughts", "v1.7")]),
    ),
    [
      "the version of users at http://users.example.local is unknown (Connection refused), and unknown is never safe",
    ],
  );
  const plan = planRelease(live(), [candidate("thoughts", "v1.6")]);
  assertEquals(plan, {
    safe: true,
    steps: [],
    unchanged: ["thoughts already runs v1.6"],
  });
  assertEquals(order(planRelease(live(), [candidate("billing", "v1.0")])), [
    "billing is not among the services asked",
  ]);
});
