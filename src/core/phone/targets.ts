/**
 * Turns what a user dialled into a SIP request URI: extensions and numbers go through the core dial plan
 * (`normalizeNumber`), star codes and SIP user names pass through, full SIP URIs are taken as they are.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { normalizeNumber, stripSeparators, type DialPlan } from '../numbers/index.js';

/** What {@link dialTargetToUri} produced, with how it read the input. */
export interface ResolvedTarget {
  /** The request URI, e.g. `sip:1002@pbx.example.com` or `sip:+4989123456@pbx.example.com;user=phone`. */
  readonly uri: string;
  /** How the input was read. */
  readonly kind: 'uri' | 'extension' | 'external' | 'service' | 'user';
  /** The user part (extension, E.164 number, star code or user name). */
  readonly user: string;
}

/**
 * Reads a dial string.
 *
 * - `sip:` / `sips:` URIs are used as they are; `tel:+49…` becomes a SIP URI at the PBX domain.
 * - Digits (with blanks, dashes, slashes…) are normalized with the dial plan when one is given: extensions stay as
 *   they are, national and international numbers become E.164 (`+49…`, with `user=phone`). Without a dial plan the
 *   digits are dialled as typed (separators removed).
 * - Star codes and other service codes (`*791`, `*80 1002`, `#31#`) are dialled as typed, without blanks.
 * - A SIP user name (`clara`, `room.4`) is dialled at the PBX domain.
 *
 * @param target - what the user dialled
 * @param domain - the PBX domain (host part of the user's address)
 * @param dialPlan - how numbers are read; optional
 * @throws CentrexError `invalid-number` (with `details.reason`) when the input cannot be dialled
 */
export function dialTargetToUri(target: string, domain: string, dialPlan?: DialPlan): ResolvedTarget {
  if (typeof target !== 'string' || target.trim() === '') {
    throw new CentrexError('invalid-number', 'Enter a number, an extension or a SIP address to call.', { details: { reason: 'empty' } });
  }
  const text = target.trim();
  if (/^sips?:/i.test(text)) {
    const user = /^sips?:([^@;?]+)@/i.exec(text)?.[1];
    return { uri: text, kind: 'uri', user: user ?? '' };
  }
  if (/^tel:/i.test(text)) {
    const number = stripSeparators(text.slice(4).split(';')[0] ?? '');
    if (!/^\+?\d+$/.test(number)) throw invalid(target, 'not-a-number');
    return { uri: `sip:${number}@${domain}${number.startsWith('+') ? ';user=phone' : ''}`, kind: 'external', user: number };
  }
  const compact = stripSeparators(text);
  if (/^[*#][\d*#]*$/.test(compact) || /^\d+[*#][\d*#]*$/.test(compact)) {
    return { uri: `sip:${encodeUser(compact)}@${domain}`, kind: 'service', user: compact };
  }
  if (/^\+?\d+$/.test(compact)) {
    if (!dialPlan) {
      return { uri: `sip:${compact}@${domain}${compact.startsWith('+') ? ';user=phone' : ''}`, kind: compact.startsWith('+') ? 'external' : 'extension', user: compact };
    }
    const normalized = normalizeNumber(compact, dialPlan);
    if (normalized.kind === 'extension') return { uri: `sip:${normalized.extension}@${domain}`, kind: 'extension', user: normalized.extension };
    if (normalized.kind === 'external') return { uri: `sip:${normalized.e164}@${domain};user=phone`, kind: 'external', user: normalized.e164 };
    throw invalid(target, normalized.reason);
  }
  if (/^[a-z][a-z0-9._~-]*$/i.test(text)) return { uri: `sip:${text}@${domain}`, kind: 'user', user: text };
  const at = /^([a-z0-9._~+-]+)@([a-z0-9.-]+(?::\d+)?)$/i.exec(text);
  if (at) return { uri: `sip:${text}`, kind: 'uri', user: at[1]! };
  throw invalid(target, 'not-a-number');
}

function encodeUser(user: string): string {
  // '#' is not allowed unescaped in a SIP URI user part (RFC 3261 25.1); '*' is.
  return user.replace(/#/g, '%23');
}

function invalid(target: string, reason: string): CentrexError {
  const hint: Record<string, string> = {
    empty: 'Enter a number, an extension or a SIP address to call.',
    'not-a-number': 'Only digits, + * # and SIP addresses can be dialled.',
    'unknown-format': 'This is neither an extension of this telephone system nor a national or international number.',
    impossible: 'This number is too short or too long for its country; check the digits.',
  };
  return new CentrexError('invalid-number', `Cannot call "${target}": ${hint[reason] ?? 'the number is not valid.'}`, { details: { reason, target } });
}
