import { createServiceApp } from "@thoughts/shared/http";
import { memoryLogger } from "@thoughts/shared/log";
import { assertEquals, assertOk } from "@thoughts/testing";
import { parse } from "yaml";
import { type Kinds, loadManifests, ofKind } from "./load.ts";
import { validateSchema } from "./_schema.ts";
import { ROOT } from "../root.ts";

const { manifests } = await loadManifests(`${ROOT}/k8s`);
const find = <K extends keyof Kinds>(kind: K, name: string) =>
  ofKind(manifests, kind).find((m) => m.doc.metadata?.name === name)?.doc;

// Every service's metrics come from the shared service app: what it exports
// after a request is what the services export.
async function exportedMetrics(): Promise<Set<string>> {
  const app = createServiceApp({
    info: {
      service: "users",
      version: "v2.3",
      commit: "c",
      source: "stamped",
      requires: {},
    },
    logger: memoryLogger().logger,
    title: "T",
    keys: () => ({
      verifiers: new Map([["k1", {} as CryptoKey]]),
      jwks: { keys: [] },
    }),
  });
  await app.request("/healthz");
  const text = await (await app.request("/metrics")).text();
  const names = new Set<string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!);
    if (type === "histogram") {
      for (const suffix of ["_bucket", "_sum", "_count"]) {
        names.add(name! + suffix);
      }
    }
  }
  return names;
}

const PROMQL_WORDS = new Set([
  "sum",
  "max",
  "min",
  "avg",
  "count",
  "rate",
  "irate",
  "increase",
  "histogram_quantile",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "topk",
  "bottomk",
]);

/** The metric names a PromQL expression selects. */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, "")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, " ")
    .replace(/\[[^\]]*\]/g, " ");
  return [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*/g)].map((m) => m[0])
    .filter((w) => !PROMQL_WORDS.has(w));
}

Deno.test("the Grafana dashboard is valid JSON whose queries name exported metrics", async (t) => {
  const dashboards = find("ConfigMap", "grafana-dashboards");
  const dashboard = JSON.parse(dashboards?.data?.["thoughts.json"] ?? "");
  const exported = await exportedMetrics();
  const exprs: string[] = dashboard.panels.flatMap((
    p: { targets: { expr: string }[] },
  ) => p.targets.map((x) => x.expr));
  assertOk(exprs.length >= 5);
  for (const expr of exprs) {
    await t.step(expr.slice(0, 60), () => {
      const names = metricNames(expr);
      assertOk(names.length > 0, `no metric in '${expr}'`);
      for (const name of names) {
        assertOk(
          exported.has(name),
          `'${name}' is not exported (${[...exported].join(", ")})`,
        );
      }
    });
  }
  await t.step("the panels the operators asked for", () => {
    const all = exprs.join("\n");
    assertOk(
      /sum by \(app, route\) \(rate\(http_requests_total/.test(all),
      "requests per second by service and route",
    );
    assertOk(all.includes("histogram_quantile(0.95"), "p95 latency");
    assertOk(all.includes('status=~"5.."'), "error rate");
    assertOk(
      all.includes("max by (service, version, commit) (build_info)"),
      "live build_info table",
    );
  });
  await t.step("a metric the services do not export is caught", () => {
    assertEquals(metricNames('sum(rate(http_requests_totl{app="x"}[5m]))'), [
      "http_requests_totl",
    ]);
  });
});

Deno.test("Prometheus discovers and scrapes the three services", () => {
  const config = parse(
    find("ConfigMap", "prometheus-config")?.data?.["prometheus.yml"] ?? "",
  );
  const job = config.scrape_configs[0];
  assertEquals(job.kubernetes_sd_configs, [{
    role: "pod",
    namespaces: { names: ["example"] },
  }]);
  assertOk(
    job.relabel_configs.some((
      r: { action?: string; source_labels?: string[] },
    ) =>
      r.action === "keep" &&
      r.source_labels?.[0] ===
        "__meta_kubernetes_pod_annotation_prometheus_io_scrape"
    ),
  );
  for (const name of ["users", "thoughts", "frontend"]) {
    const annotations = find("Deployment", name)?.spec?.template.metadata
      ?.annotations;
    assertEquals([
      annotations?.["prometheus.io/scrape"],
      annotations?.["prometheus.io/port"],
    ], ["true", "8000"]);
  }
  const datasources = parse(
    find("ConfigMap", "grafana-provisioning")?.data?.["datasources.yaml"] ?? "",
  );
  assertEquals(datasources.datasources[0].url, "http://prometheus:9090");
  for (const host of ["prometheus.example.local", "grafana.example.local"]) {
    assertOk(
      ofKind(manifests, "Ingress").some((m) =>
        m.doc.spec?.rules?.[0]?.host === host
      ),
      host,
    );
  }
});

Deno.test("the monitoring manifests pass the schema and typo checks", () => {
  const monitoring = manifests.filter((m) => m.file.startsWith("monitoring/"));
  assertOk(monitoring.length >= 10);
  assertEquals(monitoring.flatMap(validateSchema), []);
});
