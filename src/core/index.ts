/**
 * `centrex-sdk/core`: the framework-agnostic engines of the Centrex SDK. Runs in browsers and in Node 20 without a
 * DOM; the reference PBX uses the same code server-side.
 *
 * @packageDocumentation
 */
export {
  CentrexError,
  CentrexErrorCodes,
  type CentrexErrorCode,
  type CentrexErrorOptions,
  isCentrexError,
} from './errors.js';
export {
  type DialPlan,
  DEFAULT_EXTENSION_DIGITS,
  checkDialPlan,
  type InvalidNumberReason,
  type NormalizedNumber,
  normalizeNumber,
  stripSeparators,
  toE164Prefix,
  type NumberStyle,
  formatNumber,
} from './numbers/index.js';
