/**
 * The start-up both backends share: build info, keys, database with
 * migrations, then serve.
 *
 * @module
 */

export {
  type BackendContext,
  startBackend,
  type StartBackendOptions,
} from "./start_backend.ts";
