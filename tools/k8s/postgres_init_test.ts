import {
  assertEquals,
  missing,
  startThrowawayPostgres,
  testPostgresAdmin,
} from "@thoughts/testing";
import { parse, parseAllDocuments } from "yaml";
import { ROOT } from "../root.ts";

const root = `${ROOT}/`;

async function manifests(file: string): Promise<Record<string, unknown>[]> {
  return parseAllDocuments(await Deno.readTextFile(`${root}/k8s/${file}`))
    .map((doc) => doc.toJS());
}

Deno.test({
  name:
    "the cluster's PostgreSQL init script succeeds where the image already made POSTGRES_USER's database, and again",
  ignore: missing("postgresql"),
  async fn() {
    const [init] = (await manifests("postgres/statefulset.yaml")).filter((m) =>
      m.kind === "ConfigMap"
    ) as { data: { "init.sql": string } }[];
    const { data: config } = parse(
      await Deno.readTextFile(`${root}/k8s/configuration.yaml`),
    ) as { data: Record<string, string> };
    const wanted = await Promise.all(
      ["users", "thoughts"].map(async (service) => {
        const [deployment] = await manifests(`${service}/deployment.yaml`);
        return JSON.stringify(deployment).match(
          /"name":"POSTGRES_DB","value":"(\w+)"/,
        )![1]!;
      }),
    );
    await using pg = await startThrowawayPostgres();
    const { POSTGRES_HOST, POSTGRES_PORT, POSTGRES_USER, POSTGRES_PASSWORD } =
      pg.env;
    const settings = {
      host: POSTGRES_HOST!,
      port: Number(POSTGRES_PORT),
      user: POSTGRES_USER!,
      database: "postgres",
      password: POSTGRES_PASSWORD!,
    };
    const admin = testPostgresAdmin(settings);
    try {
      // The official image creates POSTGRES_DB, by default POSTGRES_USER's name.
      await admin.unsafe(`CREATE DATABASE "${config.POSTGRES_USER}"`);
      // Then it runs each init script as its entrypoint does.
      for (let run = 0; run < 2; run++) {
        const out = await new Deno.Command("psql", {
          args: ["-v", "ON_ERROR_STOP=1", "--no-psqlrc", "-d", "postgres"],
          env: {
            PGHOST: settings.host,
            PGPORT: String(settings.port),
            PGUSER: settings.user,
            PGPASSWORD: settings.password,
          },
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
        }).spawn();
        const writer = out.stdin.getWriter();
        await writer.write(new TextEncoder().encode(init!.data["init.sql"]));
        await writer.close();
        const status = await out.output();
        assertEquals(
          status.code,
          0,
          new TextDecoder().decode(status.stderr),
        );
      }
      const names = (await admin.unsafe<{ datname: string }[]>(
        "SELECT datname FROM pg_database",
      )).map((row) => row.datname);
      for (const name of wanted) {
        assertEquals(names.includes(name), true, `no database '${name}'`);
      }
    } finally {
      await admin.end();
    }
  },
});
