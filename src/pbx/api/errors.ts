/**
 * API errors: every 4xx/5xx answer is `{ code, message, field? }` with a stable code.
 * @packageDocumentation
 */
import { isStoreError } from '../store/index.js';

/**
 * The stable error codes of the Centrex API, as a list (documented in `docs/openapi.yaml`, schema `Error`).
 * - `invalid-json` (400): the body is not JSON (or not UTF-8).
 * - `validation-failed` (400): a field is missing, has the wrong type or breaks a rule (`field` names it).
 * - `unsupported-media-type` (415): a body that is not `application/json`.
 * - `invalid-credentials` (401): e-mail or password wrong (the same for unknown users).
 * - `unauthorized` (401): no valid session (missing, expired or signed-out token).
 * - `forbidden` (403): signed in, but not allowed (e.g. a user writing a global contact).
 * - `origin-not-allowed` (403): the page's origin is not among the tenant's allowed origins.
 * - `destination-not-allowed` (403): an international or premium-rate number the tenant does not allow.
 * - `wrong-pin` (403): a conference room PIN did not match.
 * - `invalid-token` (400): a set-password link that is unknown, expired or used.
 * - `not-found` (404), `method-not-allowed` (405), `conflict` (409), `payload-too-large` (413).
 * - `rate-limited` (429): too many failures from this address; `Retry-After` says for how long.
 * - `not-available` (503): the PBX part the request needs is not running (e.g. call control).
 * - `call-failed` (502), `device-unavailable` (409), `call-limit` (429): click-to-dial outcomes.
 * - `fax-login-failed` (403): linking a fax extension with a wrong fax login or PIN (the same for both).
 * - `pdf-encrypted`, `pdf-extraction-forbidden`, `pdf-has-form-fields`, `pdf-invalid`, `pdf-too-large` (422): a fax
 *   document the core's `checkFaxDocument` refused; the codes and messages are the core's.
 * - `internal-error` (500): a bug; the details are in the server log only.
 */
export const API_ERROR_CODES = [
  'invalid-json',
  'validation-failed',
  'unsupported-media-type',
  'invalid-credentials',
  'unauthorized',
  'forbidden',
  'origin-not-allowed',
  'destination-not-allowed',
  'wrong-pin',
  'invalid-token',
  'not-found',
  'method-not-allowed',
  'conflict',
  'payload-too-large',
  'rate-limited',
  'not-available',
  'call-failed',
  'device-unavailable',
  'call-limit',
  'fax-login-failed',
  'pdf-encrypted',
  'pdf-extraction-forbidden',
  'pdf-has-form-fields',
  'pdf-invalid',
  'pdf-too-large',
  'internal-error',
] as const;

/** One of {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** The JSON body of every error answer. */
export interface ApiErrorBody {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly field?: string;
  /** For `validation-failed` on forwarding settings: the core's `ForwardingIssue`s; for `pdf-…`: what the check found. */
  readonly issues?: readonly unknown[];
}

/** Thrown inside request handling; becomes an error answer. */
export class ApiError extends Error {
  /** HTTP status. */
  readonly status: number;
  /** Stable code. */
  readonly code: ApiErrorCode;
  /** The request field concerned, if any. */
  readonly field: string | undefined;
  /** Further findings, if any. */
  readonly issues: readonly unknown[] | undefined;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>>;

  /**
   * @param status - HTTP status
   * @param code - stable code
   * @param message - what is wrong and what to do, for people
   * @param extra - field, issues and headers
   */
  constructor(
    status: number,
    code: ApiErrorCode,
    message: string,
    extra: { field?: string | undefined; issues?: readonly unknown[] | undefined; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = extra.field;
    this.issues = extra.issues;
    this.headers = extra.headers ?? {};
  }

  /** The JSON body for this error. */
  toBody(): ApiErrorBody {
    return {
      code: this.code,
      message: this.message,
      ...(this.field === undefined ? {} : { field: this.field }),
      ...(this.issues === undefined ? {} : { issues: this.issues }),
    };
  }
}

/** `400 validation-failed` for a field. */
export function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'validation-failed', message, { field });
}

/** `404 not-found`. */
export function notFound(what = 'The resource'): ApiError {
  return new ApiError(404, 'not-found', `${what} does not exist.`);
}

/** `403 forbidden`. */
export function forbidden(message: string): ApiError {
  return new ApiError(403, 'forbidden', message);
}

/**
 * Turns anything thrown into an {@link ApiError}: store errors map to their HTTP meaning, anything else is an
 * internal error (whose details stay out of the answer).
 */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (isStoreError(error)) {
    const extra = { field: error.field, issues: error.issues };
    switch (error.code) {
      case 'validation-failed':
        return new ApiError(400, 'validation-failed', error.message, extra);
      case 'not-found':
        return new ApiError(404, 'not-found', error.message, extra);
      case 'conflict':
        return new ApiError(409, 'conflict', error.message, extra);
      case 'destination-not-allowed':
        return new ApiError(403, 'destination-not-allowed', error.message, extra);
      case 'schema-too-new':
        break;
    }
  }
  return new ApiError(500, 'internal-error', 'Something went wrong on the server; it has been logged.');
}
