/**
 * The HTTP skeleton every service starts from: the Hono app with request
 * IDs, logs, metrics and the JSON error shape, routes declared once with zod
 * schemas, and the system routes.
 *
 * @module
 */

export { accessLog } from "./access_log.ts";
export { ADMIN_TOKEN_HEADER, adminAuth, hasAdminToken } from "./admin_auth.ts";
export { bearerAuth } from "./bearer_auth.ts";
export { clientAddress } from "./client_address.ts";
export { jsonOrForm } from "./body.ts";
export {
  type ErrorBody,
  errorBody,
  type ErrorCode,
  HttpError,
  type HttpErrorOptions,
} from "./http_error.ts";
export {
  createMetrics,
  KNOWN_METHODS,
  LATENCY_BUCKETS,
  type ServiceMetrics,
} from "./metrics.ts";
export { REQUEST_ID_HEADER, requestIds } from "./request_ids.ts";
export { defineRoute, withoutTrailingSlash } from "./route.ts";
export {
  decimalInteger,
  type ErrorResponseObject,
  errorResponses,
  ErrorSchema,
  jsonOrFormBody,
  jsonResponse,
  plainText,
} from "./schemas.ts";
export {
  createServiceApp,
  type ServiceAppOptions,
  type ServiceEnv,
} from "./service_app.ts";
export { utf8Body } from "./utf8_body.ts";
export type { ErrorResponse } from "./_describe_error.ts";
