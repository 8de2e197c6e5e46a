/**
 * The error type of the whole SDK.
 *
 * Every failure a caller can see is a {@link CentrexError} with a stable {@link CentrexError.code}: program
 * against the code, show the message. Codes never change meaning once released; new ones are added.
 *
 * @packageDocumentation
 */

/**
 * The catalogue of stable error codes, grouped by what went wrong.
 *
 * - validation: the caller passed something the SDK cannot use (fix the input).
 * - protocol: a document or message from the network is malformed or hostile (nothing to fix locally).
 * - forwarding: a forwarding operation referred to something that does not exist.
 */
export const CentrexErrorCodes = {
  /** An argument has the wrong type or shape. */
  invalidArgument: 'invalid-argument',
  /** A dial string looks like a forwarding star code but is malformed. */
  invalidStarCode: 'invalid-star-code',
  /** A star code or operation names a forwarding profile that does not exist. */
  unknownProfile: 'unknown-profile',
  /** Forwarding settings break one of the manual's rules; `details.issues` lists them. */
  invalidForwarding: 'invalid-forwarding',
  /** A phone number cannot be understood with the dial plan. */
  invalidNumber: 'invalid-number',
  /** A dial plan names an unsupported country or an impossible extension length. */
  invalidDialPlan: 'invalid-dial-plan',
  /** An XML document is not well-formed, uses forbidden constructs (DTDs, entities) or is too large. */
  invalidXml: 'invalid-xml',
  /**
   * A presence document is readable but not what was expected: wrong root element or namespace, or a required value
   * (version, entity, dialog id, message counts) is missing or malformed.
   */
  unexpectedDocument: 'unexpected-document',
  /** The PBX refused the credentials (401/403 after answering its challenge). Check user name and password. */
  authFailed: 'auth-failed',
  /** The PBX challenged for a realm other than the configured one; the credentials were not sent. */
  untrustedRealm: 'untrusted-realm',
  /** The SIP WebSocket server could not be reached or dropped the connection; the phone keeps retrying. */
  serverUnreachable: 'server-unreachable',
  /** The PBX answered REGISTER with an error other than an authentication failure; `details.status` has the code. */
  registrationFailed: 'registration-failed',
  /** An operation needs a connected, registered phone. */
  notRegistered: 'not-registered',
  /** The user or browser refused microphone access. */
  microphoneDenied: 'microphone-denied',
  /** The user or browser refused camera access. */
  cameraDenied: 'camera-denied',
  /** The user refused or cancelled screen sharing. */
  screenShareDenied: 'screen-share-denied',
  /** No microphone, camera or speaker matching the request exists (unplugged or wrong device id). */
  noDevice: 'no-device',
  /** The environment lacks something a call needs (WebRTC, getUserMedia, getDisplayMedia, setSinkId, Web Audio). */
  notSupported: 'not-supported',
  /** The far end or the PBX refused the call; `details.status` has the SIP status code. */
  callRejected: 'call-rejected',
  /** A call failed for a reason other than a refusal (media negotiation, timeout, transport). */
  callFailed: 'call-failed',
  /** A call operation is not possible in the call's current state (for example hold while ringing). */
  invalidCallState: 'invalid-call-state',
  /** A state machine was asked for a transition its table does not allow (a bug in the caller or the SDK). */
  invalidTransition: 'invalid-transition',
  /** A transfer (REFER) was refused or the transfer target could not be reached; `details.status` if known. */
  transferFailed: 'transfer-failed',
  /** A SUBSCRIBE (BLF, presence, message waiting) was refused; `details.status` has the SIP status code. */
  subscriptionFailed: 'subscription-failed',
  /** Something the caller waited for did not happen in time; `details` says what. */
  timeout: 'timeout',
  /** A PDF for fax is protected: it needs a password to open, or it is encrypted with permission restrictions. */
  pdfEncrypted: 'pdf-encrypted',
  /** A PDF for fax forbids page extraction (content copying) in its encryption permissions. */
  pdfExtractionForbidden: 'pdf-extraction-forbidden',
  /** A PDF for fax has form fields that can still be edited; printing it to a new PDF fixes that. */
  pdfHasFormFields: 'pdf-has-form-fields',
  /** A file for fax is not a PDF, or the PDF is damaged. */
  pdfInvalid: 'pdf-invalid',
  /** A PDF for fax is too big: bytes, pages, unpacked data, image size, or the time or memory needed to check it. */
  pdfTooLarge: 'pdf-too-large',
  /** A fax operation needs a linked fax extension, and there is none (or not the one named). */
  faxNoExtension: 'fax-no-extension',
  /** Linking a fax extension failed: the fax login or PIN is wrong. */
  faxLoginFailed: 'fax-login-failed',
  /** Linking a fax extension is locked after too many wrong PINs; `details.retryAfter` (seconds) if known. */
  faxLoginLocked: 'fax-login-locked',
  /** The fax service did not answer or refused a request for a reason other than the ones above. */
  faxRequestFailed: 'fax-request-failed',
  /** Signing in to the Centrex API failed: the e-mail address or the password is wrong. Check both and try again. */
  apiInvalidCredentials: 'api-invalid-credentials',
  /** The Centrex API session is missing, expired or was signed out; sign in again. */
  apiUnauthorized: 'api-unauthorized',
  /**
   * The Centrex API refused the request for this user: not allowed (`details.apiCode` `forbidden`), a destination the
   * tenant's toll-fraud policy forbids (`destination-not-allowed`), a wrong PIN (`wrong-pin`) or a page origin the
   * tenant does not allow (`origin-not-allowed`).
   */
  apiForbidden: 'api-forbidden',
  /** What the Centrex API request named does not exist or is not visible to the user (reload the list). */
  apiNotFound: 'api-not-found',
  /** The Centrex API refused a write because something is taken (e-mail, extension, key position); `details.field`. */
  apiConflict: 'api-conflict',
  /** The Centrex API rejected a value; `details.field` names it and `details.issues` lists forwarding issues. */
  apiValidationFailed: 'api-validation-failed',
  /** The Centrex API could not read the request (not JSON, too large, wrong method); `details.apiCode` says which. */
  apiBadRequest: 'api-bad-request',
  /** The Centrex API refuses for a while after repeated failures; `details.retryAfter` (seconds) says how long. */
  apiRateLimited: 'api-rate-limited',
  /** Click-to-dial could not start the call (device unavailable, call limit, PBX failure); `details.apiCode` says which. */
  apiCallFailed: 'api-call-failed',
  /** The part of the PBX the request needs is not running (HTTP 503); try again later. */
  apiUnavailable: 'api-unavailable',
  /** The Centrex API failed on its side (HTTP 5xx); the request may be retried later. */
  apiServerError: 'api-server-error',
  /** The Centrex API answered with something that is not the documented JSON (wrong server or a proxy's page). */
  apiInvalidResponse: 'api-invalid-response',
} as const;

/** One of the stable error codes of {@link CentrexErrorCodes}. */
export type CentrexErrorCode = (typeof CentrexErrorCodes)[keyof typeof CentrexErrorCodes];

/** Options for {@link CentrexError}. */
export interface CentrexErrorOptions {
  /** The lower-level error that caused this one, kept for debugging. */
  cause?: unknown;
  /** Machine-readable facts about the failure (for example the offending field). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * A failure of the SDK with a stable machine-readable {@link CentrexError.code} and a message that says what to do.
 *
 * @example
 * ```ts
 * try { parseStarCode('*10x'); }
 * catch (e) { if (isCentrexError(e) && e.code === 'invalid-star-code') showHint(e.message); }
 * ```
 */
export class CentrexError extends Error {
  /** Stable code; see {@link CentrexErrorCodes}. */
  readonly code: CentrexErrorCode;
  /** Machine-readable facts about the failure, if any. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  /**
   * @param code - the stable code of the failure
   * @param message - a sentence for people that names the fix
   * @param options - cause and details
   */
  constructor(code: CentrexErrorCode, message: string, options: CentrexErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CentrexError';
    this.code = code;
    this.details = options.details;
  }
}

/**
 * Tells whether a thrown value is a {@link CentrexError}, optionally with a given code.
 *
 * @param value - anything caught
 * @param code - when given, the error must also have this code
 */
export function isCentrexError(value: unknown, code?: CentrexErrorCode): value is CentrexError {
  return value instanceof CentrexError && (code === undefined || value.code === code);
}
