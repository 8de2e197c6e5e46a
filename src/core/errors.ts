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
