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
