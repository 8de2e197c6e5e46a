/**
 * The toll-fraud policy: which dial strings a tenant's forwarding, parallel ringing, "Anrufen mit" devices and
 * click-to-dial may reach. Routing can call {@link checkDestination} too, so the rule is the same everywhere.
 * @packageDocumentation
 */
import { getCountryCallingCode } from 'libphonenumber-js';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { normalizeNumber } from '../../core/numbers/index.js';
import type { Tenant } from './types.js';

// German premium-rate, shared-cost and directory-enquiry ranges (E.164), which callers pay extra for and which
// fraudsters forward to: 0900 premium, 0137/0138 televoting, 0180 shared cost, 0190 (old premium), 118xy enquiries.
const GERMAN_PREMIUM_PREFIXES = ['+49900', '+49137', '+49138', '+49180', '+49190', '+49118'];

/** What {@link checkDestination} found. */
export type DestinationCheck =
  | { readonly allowed: true; readonly kind: 'extension'; readonly extension: string }
  | { readonly allowed: true; readonly kind: 'external'; readonly e164: string }
  | {
      readonly allowed: false;
      /** `invalid`: not a number at all; `international` / `premium`: the tenant's policy forbids it. */
      readonly reason: 'invalid' | 'international' | 'premium';
      readonly message: string;
    };

/**
 * Tells whether an E.164 number costs extra: a German premium or shared-cost range, or a number libphonenumber's
 * full metadata types as PREMIUM_RATE or SHARED_COST.
 */
export function isPremiumRate(e164: string): boolean {
  if (GERMAN_PREMIUM_PREFIXES.some((prefix) => e164.startsWith(prefix))) return true;
  const type = parsePhoneNumberFromString(e164)?.getType();
  return type === 'PREMIUM_RATE' || type === 'SHARED_COST';
}

/** Tells whether an E.164 number lies outside the tenant's country (judged by the country calling code). */
export function isInternational(e164: string, tenant: Pick<Tenant, 'dialPlan'>): boolean {
  return !e164.startsWith(`+${getCountryCallingCode(tenant.dialPlan.country)}`);
}

/**
 * Reads a dial string with the tenant's dial plan and applies its toll-fraud policy: extensions are always allowed;
 * external numbers only when they are national and not premium rate, unless the tenant allows those.
 */
export function checkDestination(input: string, tenant: Pick<Tenant, 'dialPlan' | 'tollFraud'>): DestinationCheck {
  const normalized = normalizeNumber(input, tenant.dialPlan);
  if (normalized.kind === 'invalid') {
    return { allowed: false, reason: 'invalid', message: `"${String(input)}" is neither an extension nor a phone number.` };
  }
  if (normalized.kind === 'extension') return { allowed: true, kind: 'extension', extension: normalized.extension };
  const { e164 } = normalized;
  if (!tenant.tollFraud.allowPremium && isPremiumRate(e164)) {
    return { allowed: false, reason: 'premium', message: `Premium-rate numbers such as ${e164} are not allowed for this company.` };
  }
  if (!tenant.tollFraud.allowInternational && isInternational(e164, tenant)) {
    return {
      allowed: false,
      reason: 'international',
      message: `International numbers such as ${e164} are not allowed for this company.`,
    };
  }
  return { allowed: true, kind: 'external', e164 };
}
