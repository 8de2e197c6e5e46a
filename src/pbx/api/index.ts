/**
 * The Centrex HTTP API of the reference PBX: JSON and server-sent events under `/api/v1`, described in
 * `docs/openapi.yaml`.
 * @packageDocumentation
 */
export { createApiHandler, API_PREFIX, API_ROUTES, type ApiHandler } from './handler.js';
export {
  CallControlError,
  type ApiOptions,
  type ApiLog,
  type LogLevel,
  type CallControl,
  type CallControlFailure,
  type ClickToDialRequest,
  type FaxQueue,
} from './context.js';
export { ApiError, API_ERROR_CODES, type ApiErrorCode, type ApiErrorBody } from './errors.js';
export { FailureLimiter, type FailureLimitOptions } from './limiter.js';
export { SESSION_COOKIE, checkNewPassword } from './routes/auth.js';
export { eventFor } from './routes/events.js';
