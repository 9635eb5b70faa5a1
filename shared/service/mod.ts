/**
 * Serving a service: listen, shut down gracefully, and fail start-up with
 * one clear line.
 *
 * @module
 */

export { type Lifecycle, runMain, serve, type ServeOptions } from "./serve.ts";
