import { AsYouType, ParseError, parsePhoneNumberWithError, type PhoneNumber } from 'libphonenumber-js';
import { checkDialPlan, type DialPlan } from './dial-plan.js';

/** Why a dial string is not a number. */
export type InvalidNumberReason =
  /** Nothing but blanks. */
  | 'empty'
  /** Letters or other characters that no phone number has. */
  | 'not-a-number'
  /** Digits that are neither an extension of this dial plan nor a national or international number. */
  | 'unknown-format'
  /** An external number that cannot exist (too short or too long for its country). */
  | 'impossible';

/** The result of {@link normalizeNumber}. */
export type NormalizedNumber =
  | { readonly kind: 'extension'; readonly extension: string }
  | { readonly kind: 'external'; readonly e164: string }
  | { readonly kind: 'invalid'; readonly reason: InvalidNumberReason };

// Separators people type or paste inside numbers: blanks (also non-breaking), dashes, dots, slashes, parentheses.
const SEPARATORS = /[\s\u00a0\u2009\-\u2010-\u2015./()]/g;

/** Removes the separators people put into numbers; keeps digits, a leading `+` and anything unexpected. */
export function stripSeparators(input: string): string {
  return input.replace(SEPARATORS, '');
}

/**
 * Reads a dial string the way the telephone system would: an internal extension, an external number in E.164, or
 * invalid (with the reason).
 *
 * - Digits that do not start with 0 and have an extension's length are an extension (`"33"`, `"4711"`).
 * - `+…`, the country's international prefix (`00…` in Germany) and national numbers (`0…`) become E.164 with
 *   libphonenumber-js; a possible number is enough (it need not be assigned).
 * - Blanks, dashes, dots, slashes and parentheses are ignored; letters make the input invalid.
 *
 * Never throws for bad input; throws {@link CentrexError} `invalid-dial-plan` only for a bad dial plan.
 *
 * @example
 * ```ts
 * normalizeNumber('0171 392 1234', { country: 'DE' }) // { kind: 'external', e164: '+491713921234' }
 * normalizeNumber('33', { country: 'DE' })            // { kind: 'extension', extension: '33' }
 * ```
 */
export function normalizeNumber(input: string, dialPlan: DialPlan): NormalizedNumber {
  const [minDigits, maxDigits] = checkDialPlan(dialPlan);
  if (typeof input !== 'string') return { kind: 'invalid', reason: 'not-a-number' };
  const compact = stripSeparators(input);
  if (compact === '') return { kind: 'invalid', reason: 'empty' };
  if (!/^\+?\d+$/.test(compact)) return { kind: 'invalid', reason: 'not-a-number' };
  if (!compact.startsWith('+') && !compact.startsWith('0')) {
    return compact.length >= minDigits && compact.length <= maxDigits
      ? { kind: 'extension', extension: compact }
      : { kind: 'invalid', reason: 'unknown-format' };
  }
  let parsed: PhoneNumber;
  try {
    parsed = parsePhoneNumberWithError(compact, dialPlan.country);
  } catch (error) {
    // libphonenumber-js says TOO_SHORT / TOO_LONG for numbers of a known country that cannot exist.
    const tooShortOrLong = error instanceof ParseError && /TOO_(SHORT|LONG)/.test(error.message);
    return { kind: 'invalid', reason: tooShortOrLong ? 'impossible' : 'unknown-format' };
  }
  if (!parsed.isPossible()) return { kind: 'invalid', reason: 'impossible' };
  return { kind: 'external', e164: parsed.number };
}

/**
 * Turns the beginning of an external number, as someone types it, into the beginning of its E.164 form.
 * Used for prefix matching: `"0171 392"` → `"+49171392"`, `"0049 89"` → `"+4989"`, `"+4989"` → `"+4989"`.
 *
 * @returns the E.164 prefix (with `+`), or `undefined` when the input is not the start of an external number
 *   (an extension, letters, or an international prefix that is not complete yet)
 */
export function toE164Prefix(partial: string, dialPlan: DialPlan): string | undefined {
  checkDialPlan(dialPlan);
  if (typeof partial !== 'string') return undefined;
  const compact = stripSeparators(partial);
  if (!/^(\+\d*|0\d*)$/.test(compact) || compact === '+') return undefined;
  const typing = new AsYouType(dialPlan.country);
  typing.input(compact);
  const value = typing.getNumberValue();
  // "004" is an international prefix still being typed: AsYouType answers "+004", which is not E.164.
  if (value === undefined || !/^\+[1-9]\d*$/.test(value)) return undefined;
  return value;
}
