/**
 * Serving a service: listen on whichever runtime runs it (Deno, Node or
 * Bun: the only runtime-specific code of the services), shut down
 * gracefully, and fail start-up with one clear line.
 *
 * @module
 */

export {
  type ConnInfo,
  freshFetch,
  type Handler,
  listen,
  type Listener,
  type ListenOptions,
  type RuntimeName,
  runtimeName,
  runtimeVersion,
} from "./listener.ts";
export {
  type Lifecycle,
  runMain,
  serve,
  type ServeOptions,
  type Server,
} from "./serve.ts";
export {
  type Prepared,
  type ServiceContext,
  startService,
  type StartServiceOptions,
} from "./start_service.ts";
