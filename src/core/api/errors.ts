/**
 * How failures of the Centrex API become {@link CentrexError}s: the API's own `{ code, message, field? }` answers,
 * answers that are not the API's (a proxy's error page), network failures and timeouts.
 *
 * @packageDocumentation
 */
import { CentrexError, type CentrexErrorCode } from '../errors.js';
import { API_ERROR_CODES, type ApiErrorCode } from './types.js';

/** Which SDK code each API error code becomes; the API's code stays in `details.apiCode`. */
export const API_ERROR_MAPPING: Readonly<Record<ApiErrorCode, CentrexErrorCode>> = Object.freeze({
  'invalid-json': 'api-bad-request',
  'validation-failed': 'api-validation-failed',
  'unsupported-media-type': 'api-bad-request',
  'invalid-credentials': 'api-invalid-credentials',
  unauthorized: 'api-unauthorized',
  forbidden: 'api-forbidden',
  'origin-not-allowed': 'api-forbidden',
  'destination-not-allowed': 'api-forbidden',
  'wrong-pin': 'api-forbidden',
  // A set-password link that is unknown, used or expired: the value of the `token` field is what is wrong.
  'invalid-token': 'api-validation-failed',
  'not-found': 'api-not-found',
  'method-not-allowed': 'api-bad-request',
  conflict: 'api-conflict',
  'payload-too-large': 'api-bad-request',
  'rate-limited': 'api-rate-limited',
  'not-available': 'api-unavailable',
  'call-failed': 'api-call-failed',
  'device-unavailable': 'api-call-failed',
  'call-limit': 'api-call-failed',
  // Fax: the same codes as the core's own checks, so an element shows a refusal by the PBX like one by the client.
  'fax-login-failed': 'fax-login-failed',
  'pdf-encrypted': 'pdf-encrypted',
  'pdf-extraction-forbidden': 'pdf-extraction-forbidden',
  'pdf-has-form-fields': 'pdf-has-form-fields',
  'pdf-invalid': 'pdf-invalid',
  'pdf-too-large': 'pdf-too-large',
  'internal-error': 'api-server-error',
});

// Used when the server sent no usable message (a proxy's page, an empty body).
const FALLBACK_MESSAGES: Readonly<Partial<Record<CentrexErrorCode, string>>> = {
  'api-invalid-credentials': 'The e-mail address or the password is wrong; check both and sign in again.',
  'api-unauthorized': 'Sign in again: the session is missing, has expired or was signed out.',
  'api-forbidden': 'The PBX does not allow this for your account; ask your admin if you need it.',
  'api-not-found': 'This no longer exists or is not visible to you; reload the list and try again.',
  'api-conflict': 'This is taken already (an e-mail address, extension or key position); choose another.',
  'api-validation-failed': 'The PBX rejected a value; correct the field it names and try again.',
  'api-bad-request': 'The PBX could not read the request; make sure the SDK and the PBX versions match.',
  'api-rate-limited': 'Too many failed attempts from this address; wait a few minutes and try again.',
  'api-call-failed': 'The call could not be started; check the chosen device and try again.',
  'api-unavailable': 'This part of the PBX is not available right now; try again later.',
  'api-server-error': 'The PBX failed to handle the request; try again later, and tell your admin if it persists.',
};

// Server messages are shown to people: keep them to a sensible size whatever a server sends.
const MAX_MESSAGE_LENGTH = 500;

/** Where a failed request went, for `details` (never the token or the body). */
export interface ApiRequestInfo {
  readonly method: string;
  /** The path under the API root, e.g. `/me/forwarding`. */
  readonly path: string;
}

function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (API_ERROR_CODES as readonly string[]).includes(value);
}

/** The SDK code for an HTTP status when the body names no known API code. */
function codeForStatus(status: number): CentrexErrorCode {
  if (status === 401) return 'api-unauthorized';
  if (status === 403) return 'api-forbidden';
  if (status === 404) return 'api-not-found';
  if (status === 409) return 'api-conflict';
  if (status === 429) return 'api-rate-limited';
  if (status === 503) return 'api-unavailable';
  if (status >= 500) return 'api-server-error';
  return 'api-bad-request';
}

/**
 * Reads a `Retry-After` header (seconds, or an HTTP date) as whole seconds from `now`.
 *
 * @param header - the header value, if any
 * @param now - the current time in ms since the epoch
 * @returns seconds to wait (0 or more), or `undefined` when there is no usable value
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) {
    const seconds = Number(text);
    return Number.isSafeInteger(seconds) ? seconds : undefined;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/**
 * Turns an error answer of the API into a {@link CentrexError}.
 *
 * The code comes from the body's `code` when it is one of {@link API_ERROR_CODES}, else from the HTTP status. The
 * message is the server's (it says what to do) or, without one, the SDK's own. `details` holds `status`, `apiCode`,
 * `field`, `issues` and `retryAfter` (seconds) when the answer had them, and the request's `method` and `path`.
 *
 * @param status - the HTTP status (4xx or 5xx)
 * @param body - the parsed JSON body, or `undefined` when it was not JSON
 * @param request - which request failed
 * @param retryAfter - seconds from the `Retry-After` header, if any
 */
export function apiErrorFromResponse(
  status: number,
  body: unknown,
  request: ApiRequestInfo,
  retryAfter?: number,
): CentrexError {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const rawCode = fields['code'];
  const apiCode = typeof rawCode === 'string' && rawCode.length <= 100 ? rawCode : undefined;
  const code = isApiErrorCode(apiCode) ? API_ERROR_MAPPING[apiCode] : codeForStatus(status);
  const serverMessage = typeof fields['message'] === 'string' ? fields['message'].trim() : '';
  const message =
    serverMessage !== ''
      ? serverMessage.slice(0, MAX_MESSAGE_LENGTH)
      : (FALLBACK_MESSAGES[code] ?? `The PBX answered ${status}; try again later.`);
  const details: Record<string, unknown> = { status, method: request.method, path: request.path };
  if (apiCode !== undefined) details['apiCode'] = apiCode;
  if (typeof fields['field'] === 'string') details['field'] = fields['field'];
  if (Array.isArray(fields['issues'])) details['issues'] = fields['issues'];
  if (retryAfter !== undefined) details['retryAfter'] = retryAfter;
  return new CentrexError(code, message, { details });
}

/** `api-invalid-response`: a successful answer that is not the JSON the API documents. */
export function invalidResponse(request: ApiRequestInfo, problem: string, cause?: unknown): CentrexError {
  return new CentrexError(
    'api-invalid-response',
    `The server's answer to ${request.method} ${request.path} is not what the Centrex API sends (${problem}); check that the base URL points at the PBX.`,
    { details: { method: request.method, path: request.path, problem }, ...(cause === undefined ? {} : { cause }) },
  );
}

/** `server-unreachable`: the request never got an HTTP answer. */
export function unreachable(url: string, request: ApiRequestInfo, cause: unknown): CentrexError {
  let origin = url;
  try {
    origin = new URL(url).origin;
  } catch {
    // A relative base URL (same-origin page): the URL as given is what the developer will recognise.
  }
  return new CentrexError(
    'server-unreachable',
    `The Centrex API at ${origin} could not be reached. Check the network and the server address; in a browser this ` +
      "also happens when the PBX does not allow this page's origin (ask the admin to add it).",
    { cause, details: { method: request.method, path: request.path, url } },
  );
}

/** `timeout`: no (complete) answer within the time allowed. */
export function timedOut(request: ApiRequestInfo, timeoutMs: number): CentrexError {
  return new CentrexError(
    'timeout',
    `The Centrex API did not answer ${request.method} ${request.path} within ${Math.round(timeoutMs / 100) / 10} s; check the connection and try again.`,
    { details: { method: request.method, path: request.path, timeoutMs } },
  );
}

/**
 * The API's own error code behind a {@link CentrexError} from {@link HttpApi}, such as `destination-not-allowed` or
 * `wrong-pin`, when the server named one.
 */
export function apiErrorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof CentrexError)) return undefined;
  const apiCode = error.details?.['apiCode'];
  return typeof apiCode === 'string' ? apiCode : undefined;
}
