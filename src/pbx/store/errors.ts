/**
 * The one error type of the PBX store.
 * @packageDocumentation
 */

/**
 * Stable codes of {@link StoreError}; the HTTP API maps them one to one onto its error codes.
 * - `validation-failed`: the input breaks a rule (see `field` and `issues`).
 * - `not-found`: the record does not exist, or is not visible to whoever asked.
 * - `conflict`: a unique value (e-mail, extension, function-key position, SIP domain) is taken.
 * - `destination-not-allowed`: a number the tenant's toll-fraud policy forbids (international or premium rate).
 * - `schema-too-new`: the database was written by a newer version of the PBX.
 */
export type StoreErrorCode =
  | 'validation-failed'
  | 'not-found'
  | 'conflict'
  | 'destination-not-allowed'
  | 'schema-too-new';

/** Options of {@link StoreError}. */
export interface StoreErrorOptions {
  /** The input field concerned, as a dotted path (`numbers.0.number`). */
  readonly field?: string;
  /** Further machine-readable findings, e.g. the forwarding issues of `validateForwarding`. */
  readonly issues?: readonly unknown[];
  /** The lower-level cause, kept for logs. */
  readonly cause?: unknown;
}

/** A failure of a store operation with a stable {@link StoreErrorCode}; nothing was written when it is thrown. */
export class StoreError extends Error {
  /** Stable code. */
  readonly code: StoreErrorCode;
  /** The input field concerned, if any. */
  readonly field: string | undefined;
  /** Further findings, if any. */
  readonly issues: readonly unknown[] | undefined;

  /**
   * @param code - stable code
   * @param message - what is wrong, for people
   * @param options - field, issues and cause
   */
  constructor(code: StoreErrorCode, message: string, options: StoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.code = code;
    this.field = options.field;
    this.issues = options.issues;
  }
}

/** Tells whether a thrown value is a {@link StoreError}, optionally with a given code. */
export function isStoreError(value: unknown, code?: StoreErrorCode): value is StoreError {
  return value instanceof StoreError && (code === undefined || value.code === code);
}
