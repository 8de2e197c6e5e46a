/**
 * Phone numbers: dial plans, normalization to extensions or E.164, prefixes and display formatting.
 * @packageDocumentation
 */
export { type DialPlan, DEFAULT_EXTENSION_DIGITS, checkDialPlan } from './dial-plan.js';
export {
  type InvalidNumberReason,
  type NormalizedNumber,
  normalizeNumber,
  stripSeparators,
  toE164Prefix,
} from './normalize.js';
export { type NumberStyle, formatNumber } from './format.js';
