import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { DialPlan } from './dial-plan.js';
import { normalizeNumber } from './normalize.js';

/** How {@link formatNumber} writes external numbers. */
export type NumberStyle =
  /** National form for numbers of the dial plan's country (`0171 3921234`), international for others. */
  | 'auto'
  /** Always national form of the number's own country (`0171 3921234`). */
  | 'national'
  /** Always international form (`+49 171 3921234`). */
  | 'international';

/**
 * Formats a number for people to read. Extensions stay as they are; external numbers are grouped per their country.
 * Input that is not a number is returned trimmed, unchanged, so a display never loses what was typed.
 *
 * @param input - any dial string, or an E.164 number
 * @param dialPlan - decides what "national" means in `'auto'` style
 * @param style - see {@link NumberStyle}; default `'auto'`
 */
export function formatNumber(input: string, dialPlan: DialPlan, style: NumberStyle = 'auto'): string {
  const normalized = normalizeNumber(input, dialPlan);
  if (normalized.kind === 'extension') return normalized.extension;
  if (normalized.kind === 'invalid') return typeof input === 'string' ? input.trim() : '';
  const parsed = parsePhoneNumberFromString(normalized.e164);
  if (!parsed) return normalized.e164;
  const national = style === 'national' || (style === 'auto' && parsed.country === dialPlan.country);
  return national ? parsed.formatNational() : parsed.formatInternational();
}
