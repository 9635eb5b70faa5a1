import { assertEquals, assertOk, assertThrows } from "@thoughts/testing";
import {
  ConfigError,
  httpUrl,
  integer,
  loadConfig,
  oneOf,
  text,
} from "./config.ts";
import {
  commonVariables,
  databaseConfig,
  databaseVariables,
} from "./variables.ts";

const spec = {
  ...commonVariables,
  ...databaseVariables,
  USER_BACKEND_URL: httpUrl(),
};

Deno.test("loadConfig() fills every default and freezes the result", () => {
  const config = loadConfig(spec, {
    DATABASE_ENGINE: "PGLITE",
    USER_BACKEND_URL: "http://users-service/",
  });
  assertEquals(config.APP_ENV, "production");
  assertEquals(config.PORT, 8000);
  assertEquals(config.SECRETS_DIR, "/opt/keys");
  assertEquals(config.POSTGRES_PORT, 5432);
  assertEquals(config.PGLITE_DATA_DIR, undefined);
  assertEquals(config.USER_BACKEND_URL, "http://users-service");
  assertOk(Object.isFrozen(config));
});

Deno.test("loadConfig() names every missing and malformed variable at once", () => {
  const error = assertThrows(
    () =>
      loadConfig(spec, {
        APP_ENV: "staging",
        PORT: "80a",
        DATABASE_ENGINE: "POSTGRES",
        POSTGRES_PORT: "70000",
        USER_BACKEND_URL: "ftp://x",
      }),
    ConfigError,
  );
  assertEquals(error.problems, [
    "APP_ENV must be one of 'production', 'development', 'test', got 'staging'",
    "PORT must be an integer from 1 to 65535, got '80a'",
    "POSTGRES_HOST is required when DATABASE_ENGINE is 'POSTGRES'",
    "POSTGRES_PORT must be an integer from 1 to 65535, got '70000'",
    "POSTGRES_USER is required when DATABASE_ENGINE is 'POSTGRES'",
    "POSTGRES_DB is required when DATABASE_ENGINE is 'POSTGRES'",
    "POSTGRES_PASSWORD is required when DATABASE_ENGINE is 'POSTGRES'",
    "USER_BACKEND_URL must be an http or https URL, got 'ftp://x'",
  ]);
  for (const problem of error.problems) {
    assertOk(error.message.includes(problem));
  }
});

Deno.test("loadConfig() requires a variable with no default", () => {
  const error = assertThrows(() => loadConfig(spec, {}), ConfigError);
  assertEquals(error.problems, [
    "DATABASE_ENGINE is required",
    "USER_BACKEND_URL is required",
  ]);
});

Deno.test("loadConfig() never shows a secret value in its error", () => {
  const error = assertThrows(
    () =>
      loadConfig({
        SECRET: text({ secret: true }),
        N: integer({ secret: true }),
      }, {
        SECRET: " ",
        N: "hunter2",
      }),
    ConfigError,
  );
  assertEquals(error.problems, [
    "SECRET must not be empty",
    "N must be an integer from -9007199254740991 to 9007199254740991",
  ]);
  assertOk(!error.message.includes("hunter2"));
});

Deno.test("databaseConfig() resolves the chosen engine", async (t) => {
  await t.step("POSTGRES", () => {
    const config = loadConfig(databaseVariables, {
      DATABASE_ENGINE: "POSTGRES",
      POSTGRES_HOST: "db",
      POSTGRES_USER: "u",
      POSTGRES_DB: "users",
      POSTGRES_PASSWORD: "p",
    });
    assertEquals(databaseConfig(config), {
      engine: "POSTGRES",
      host: "db",
      port: 5432,
      user: "u",
      database: "users",
      password: "p",
      connectTimeout: 3,
      queryTimeout: 5,
    });
  });
  await t.step("PGLITE", () => {
    const config = loadConfig(databaseVariables, {
      DATABASE_ENGINE: "PGLITE",
      PGLITE_DATA_DIR: "/data",
    });
    assertEquals(databaseConfig(config), {
      engine: "PGLITE",
      dataDir: "/data",
    });
  });
});

Deno.test("oneOf() compares exactly", () => {
  assertThrows(
    () => loadConfig({ E: oneOf(["PGLITE"] as const) }, { E: "pglite" }),
    ConfigError,
    "E must be one of 'PGLITE', got 'pglite'",
  );
});
