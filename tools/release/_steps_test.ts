import { assertEquals, assertMatch, assertOk } from "@thoughts/testing";
import { ROOT } from "../root.ts";
import { stepName } from "./_apply.ts";
import { describeLive } from "./_live.ts";
import type { Step } from "./_plan.ts";
import { stepCommands, workloads } from "./_steps.ts";

const step: Step = {
  service: "thoughts",
  from: ["v1.6"],
  to: {
    service: "thoughts",
    version: "v1.7",
    image: "thoughts_server:v1.7",
    requires: {},
    source: "",
  },
};

Deno.test("each Deployment of k8s/ is read with its container and image", async () => {
  const found = await workloads(`${ROOT}/k8s`);
  const { image, ...rest } = found.thoughts!;
  assertEquals(rest, { namespace: "example", container: "thoughts" });
  assertMatch(image, /^thoughts_server:v\d/);
  for (const name of ["users", "frontend", "prometheus"]) assertOk(found[name]);
});

Deno.test("a step on a cluster sets the image, then waits for the rollout", () => {
  const workload = (container: string) => ({
    namespace: "example",
    container,
    image: "thoughts_server:v1.6",
  });
  assertEquals(
    stepCommands(step, { kind: "cluster" }, workload("thoughts")),
    [
      "kubectl -n example set image deployment/thoughts thoughts=thoughts_server:v1.7",
      "kubectl -n example rollout status deployment/thoughts --timeout=10m",
    ].map((line) => line.split(" ")),
  );
});

Deno.test("a step on k8s:local rolls the pods, with its port and secrets", () => {
  const workload = {
    namespace: "example",
    container: "thoughts",
    image: "thoughts_server:v1.6",
  };
  assertEquals(
    stepCommands(
      step,
      { kind: "k8s:local", port: "8080", secrets: "s" },
      workload,
    ),
    [
      "deno task k8s:local roll thoughts --image thoughts_server:v1.6=thoughts_server:v1.7 --port 8080 --secrets s"
        .split(" "),
    ],
  );
});

Deno.test("steps and live versions read as the plan prints them", () => {
  assertEquals(
    stepName({ ...step, from: ["v1.5", "v1.6"] }),
    "thoughts v1.5 and v1.6 → v1.7",
  );
  assertEquals(
    describeLive([
      {
        service: "users",
        where: "",
        versions: [{
          version: "v2.3",
          requires: {},
          instances: ["u-0", "u-1"],
        }],
      },
      {
        service: "thoughts",
        where: "",
        versions: [
          { version: "v1.6", requires: {}, instances: ["t-0"] },
          { version: "v1.7", requires: {}, instances: ["t-1"] },
        ],
      },
      { service: "frontend", where: "", versions: [], error: "'timeout'" },
    ]),
    [
      "  users     v2.3 on 2 replicas",
      "  thoughts  v1.6 on 1 replica, v1.7 on 1 replica",
      "  frontend  —  ('timeout')",
    ],
  );
});
