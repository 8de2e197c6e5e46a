import { isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import { CentrexError } from '../errors.js';

/**
 * How a company's telephone system reads dial strings: which country its national numbers belong to and how long
 * internal extensions are.
 */
export interface DialPlan {
  /** ISO 3166-1 alpha-2 code of the country whose national numbers (`0…` in Germany) are dialled, e.g. `'DE'`. */
  readonly country: CountryCode;
  /** Shortest and longest extension, in digits. Defaults to {@link DEFAULT_EXTENSION_DIGITS}. */
  readonly extensionDigits?: readonly [min: number, max: number];
}

/** Extensions are 2 to 6 digits long unless a dial plan says otherwise. */
export const DEFAULT_EXTENSION_DIGITS: readonly [min: number, max: number] = [2, 6];

/**
 * Checks a dial plan and returns its extension length range.
 *
 * @throws CentrexError `invalid-dial-plan` for an unknown country or an impossible extension range
 */
export function checkDialPlan(dialPlan: DialPlan): readonly [min: number, max: number] {
  if (typeof dialPlan !== 'object' || dialPlan === null || typeof dialPlan.country !== 'string') {
    throw new CentrexError('invalid-dial-plan', 'A dial plan needs a country, for example { country: "DE" }.');
  }
  if (!isSupportedCountry(dialPlan.country)) {
    throw new CentrexError(
      'invalid-dial-plan',
      `"${dialPlan.country}" is not a supported country; use an ISO 3166-1 code such as "DE" or "AT".`,
      { details: { country: dialPlan.country } },
    );
  }
  const range = dialPlan.extensionDigits ?? DEFAULT_EXTENSION_DIGITS;
  const [min, max] = range;
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 15 || min > max) {
    throw new CentrexError(
      'invalid-dial-plan',
      'extensionDigits must be [min, max] with whole numbers 1 ≤ min ≤ max ≤ 15.',
      { details: { extensionDigits: range } },
    );
  }
  return range;
}
