/**
 * Helpers for the tests of every service: assertions, test databases,
 * captured logs.
 *
 * @module
 */

export * from "./assert.ts";
export * from "./temp_repo.ts";
export * from "./test_db.ts";
export * from "./test_services.ts";
export * from "./openapi_check.ts";
export * from "./docs_check.ts";
export * from "./secret_dir.ts";
export * from "./metrics_check.ts";
export * from "./test_postgres.ts";
export * from "./system_deps.ts";
export * from "./fresh_keys.ts";
