/**
 * The module every service imports: configuration, secrets, versions,
 * dependency checks, token keys, the HTTP skeleton and the store.
 *
 * @module
 */

export * from "./config.ts";
export * from "./errors.ts";
export * from "./variables.ts";
export * from "./version.ts";
export * from "./build_info.ts";
export * from "./git.ts";
export * from "./store/mod.ts";
export * from "./key_gen.ts";
export * from "./key_set.ts";
export * from "./secrets.ts";
export * from "./test_keys.ts";
export * from "./rs256.ts";
export * from "./tokens.ts";
export * from "./http/errors.ts";
export * from "./http/log.ts";
export * from "./http/metrics.ts";
export * from "./http/request_metrics.ts";
export * from "./http/request_id.ts";
export * from "./http/schemas.ts";
export * from "./http/service_app.ts";
export * from "./http/system_routes.ts";
export * from "./http/route.ts";
export * from "./base64.ts";
export * from "./iso_time.ts";
export * from "./http/body.ts";
export * from "./retry.ts";
export * from "./serve.ts";
export * from "./http/auth.ts";
export * from "./backend.ts";
export * from "./deps_check.ts";
export * from "./http/docs.ts";
export * from "./key_ring.ts";
export * from "./thoughts_api.ts";
export * from "./users_api.ts";
