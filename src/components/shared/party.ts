/**
 * How the call elements name the people in a call: the name the telephone system sent, else the colleague or
 * contact of the user's directory with that number, else the number itself, formatted for people.
 *
 * @packageDocumentation
 */
import type { CentrexClient } from '../../core/client/index.js';
import type { DirectoryEntry } from '../../core/directory/index.js';
import { formatNumber, normalizeNumber, type DialPlan } from '../../core/numbers/index.js';
import type { Call, PartyIdentity } from '../../core/phone/index.js';

/** A party of a call as the elements show it. Both strings are plain text, never markup. */
export interface PartyLabel {
  /** A name when one is known, else the number. */
  readonly name: string;
  /** The number (extension or formatted external number) when it says more than the name; else empty. */
  readonly number: string;
}

/** The digits a party is reached at (the user part of its address), or `''` for a hidden or odd address. */
export function partyNumber(identity: PartyIdentity | undefined): string {
  const user = identity?.user ?? '';
  return user.toLowerCase() === 'anonymous' ? '' : user;
}

/** Formats a number with the tenant's dial plan when there is one; anything that is not a number stays as it is. */
export function displayNumber(number: string, dialPlan: DialPlan | undefined): string {
  if (number === '' || dialPlan === undefined) return number;
  try {
    return formatNumber(number, dialPlan);
  } catch {
    // An unusable dial plan must not hide who is calling.
    return number;
  }
}

// Names found per directory snapshot: the call bar renders every second, and reading every contact's numbers with the
// dial plan each time would be wasteful. A new directory (a new array) starts a new cache.
const found = new WeakMap<readonly DirectoryEntry[], Map<string, string | undefined>>();

/** Finds the name of an extension or number in the user's directory (colleagues, contacts, rooms). */
export function directoryName(client: CentrexClient | undefined, number: string): string | undefined {
  if (client === undefined || number === '') return undefined;
  const directory = client.directory;
  let cache = found.get(directory);
  if (cache === undefined) {
    cache = new Map();
    found.set(directory, cache);
  }
  if (cache.has(number)) return cache.get(number);
  const dialPlan = client.dialPlan;
  const wanted = comparable(number, dialPlan);
  const entry = directory.find(
    (item) =>
      (item.extension !== undefined && item.extension === number) ||
      (wanted !== undefined && item.numbers.some((other) => comparable(other.number, dialPlan) === wanted)),
  );
  cache.set(number, entry?.name);
  return entry?.name;
}

// Names a host page's caller lookup (screen-pop) found for a call, so that every element names the caller alike:
// the call bar keeps showing "Müller Maschinenbau" after the popup that asked the CRM is gone.
const hostNames = new WeakMap<Call, string>();

/** Remembers what the host's caller lookup found for a call. */
export function rememberHostName(call: Call, name: string): void {
  if (name.trim() !== '') hostNames.set(call, name.trim());
}

/** Names the other party of a call: the host's lookup result if there was one, else {@link labelParty}. */
export function labelCall(client: CentrexClient | undefined, call: Call): PartyLabel {
  const label = labelParty(client, call.remote);
  const host = hostNames.get(call);
  if (host === undefined) return label;
  const number = displayNumber(partyNumber(call.remote), client?.dialPlan);
  return { name: host, number: number === host ? '' : number };
}

/** Names a party: its display name, else a directory entry, else its number. */
export function labelParty(client: CentrexClient | undefined, identity: PartyIdentity | undefined): PartyLabel {
  const number = partyNumber(identity);
  const shown = displayNumber(number, client?.dialPlan);
  const name = identity?.displayName?.trim() || directoryName(client, number);
  if (name) return { name, number: shown === name ? '' : shown };
  if (shown !== '') return { name: shown, number: '' };
  return { name: identity?.uri ?? '', number: '' };
}

/** A number in E.164 (or as an extension) for comparing, when the dial plan can read it. */
function comparable(number: string, dialPlan: DialPlan | undefined): string | undefined {
  if (dialPlan === undefined) return undefined;
  try {
    const normalized = normalizeNumber(number, dialPlan);
    if (normalized.kind === 'external') return normalized.e164;
    if (normalized.kind === 'extension') return `ext:${normalized.extension}`;
  } catch {
    // A bad dial plan: compare nothing rather than fail.
  }
  return undefined;
}
