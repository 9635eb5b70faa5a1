/**
 * Test support, imported by tests only: assertions, test keys, test
 * databases and service processes, API clients, and checks of the OpenAPI
 * document, the docs page and the metrics.
 *
 * @module
 */

export {
  assertEquals,
  assertMatch,
  assertOk,
  assertRejects,
  assertStringIncludes,
  assertThrows,
  type ErrorClass,
} from "./assert.ts";
export {
  openTestDatabase,
  type TestDatabase,
  testEngine,
  testPostgresAdmin,
  testPostgresSettings,
} from "./database.ts";
export { type DevSystem, runDev } from "./dev.ts";
export { checkDocsPage } from "./docs_check.ts";
export { freshSigningKeys } from "./fresh_keys.ts";
export { checkBuildInfoMetric } from "./metrics_check.ts";
export {
  checkDocumentedResponses,
  checkOpenApi,
  type OpenApiDocument,
  type ResponseSample,
} from "./openapi_check.ts";
export { startThrowawayPostgres, type ThrowawayPostgres } from "./postgres.ts";
export { createSecretDir, type SecretDir } from "./secret_dir.ts";
export {
  freePort,
  type RunningBackends,
  serviceDatabase,
  type ServiceProcess,
  startBackends,
  startFrontend,
  type StartOptions,
  startService,
} from "./services.ts";
export { missing, type Program } from "./system_deps.ts";
export { createTempRepo, type TempRepo } from "./temp_repo.ts";
export { checkScenario, tagScenario } from "./release_scenario.ts";
export { postThought } from "./thoughts_api.ts";
export { type UsersApi, usersApi } from "./users_api.ts";
export {
  asAdmin,
  loadTestKeys,
  TEST_ADMIN_TOKEN,
  TEST_KEYS_DIR,
  testKeyPems,
} from "./test_keys.ts";
export { cleanEnv, type DenoRun, runDeno, runService } from "./run_deno.ts";
export { serviceCommand, type TestRuntime, testRuntime } from "./runtime.ts";
