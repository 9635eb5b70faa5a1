/**
 * Configuration from the environment and mounted secret files: each service
 * declares its variables and gets one frozen, resolved object.
 *
 * @module
 */

export {
  type Config,
  ConfigError,
  type Env,
  httpUrl,
  integer,
  loadConfig,
  type MaybeUnset,
  oneOf,
  text,
  type Variable,
  type VariableOptions,
  type VariableType,
} from "./config.ts";
export {
  dirSecretReader,
  memorySecretReader,
  type SecretReader,
} from "./secrets.ts";
export {
  type AppEnv,
  commonVariables,
  type DatabaseConfig,
  databaseConfig,
  databaseVariables,
} from "./variables.ts";
