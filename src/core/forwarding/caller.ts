import { normalizeNumber, toE164Prefix, type DialPlan } from '../numbers/index.js';
import type { CallerMatch, ForwardingProfile, IncomingCall, PlanContext, SelectiveRule } from './types.js';
import { DEFAULT_PROFILE_NUMBER } from './defaults.js';

/** A caller as the rules see it: anonymous, a colleague by extension, or an external E.164 number. */
export type CallerIdentity =
  | { readonly kind: 'anonymous' }
  | { readonly kind: 'internal'; readonly extension: string }
  /** `e164` is undefined when the number the network sent cannot be read; such callers match no number rule. */
  | { readonly kind: 'external'; readonly e164: string | undefined };

/**
 * Classifies a caller with the dial plan. An external number that turns out to be a short internal number
 * (`"33"`) is a colleague.
 */
export function identifyCaller(call: IncomingCall, dialPlan: DialPlan): CallerIdentity {
  const { from } = call;
  if (from.anonymous === true) return { kind: 'anonymous' };
  if (typeof from.extension === 'string' && from.extension.trim() !== '') {
    return { kind: 'internal', extension: from.extension.trim() };
  }
  if (typeof from.number !== 'string' || from.number.trim() === '') return { kind: 'anonymous' };
  const normalized = normalizeNumber(from.number, dialPlan);
  if (normalized.kind === 'extension') return { kind: 'internal', extension: normalized.extension };
  return { kind: 'external', e164: normalized.kind === 'external' ? normalized.e164 : undefined };
}

/**
 * How specifically a rule matches a caller: higher wins.
 * An exact match (the colleague's extension, a contact's number, or a prefix that is the whole number) beats any
 * shorter prefix; among prefixes the longer wins; everything beats `internal`.
 */
const EXACT = 100;
const INTERNAL = 1;

/**
 * Tells how specifically `match` applies to `caller`, or 0 when it does not apply.
 * Exposed for the app's "who reaches me?" explanations.
 */
export function matchSpecificity(match: CallerMatch, caller: CallerIdentity, context: PlanContext): number {
  switch (match.type) {
    case 'anonymous':
      return caller.kind === 'anonymous' ? EXACT : 0;
    case 'internal':
      return caller.kind === 'internal' ? INTERNAL : 0;
    case 'extension':
      return caller.kind === 'internal' && caller.extension === match.extension.trim() ? EXACT : 0;
    case 'contact':
      return contactMatches(match.contactId, caller, context) ? EXACT : 0;
    case 'prefix': {
      if (caller.kind !== 'external' || caller.e164 === undefined) return 0;
      const prefix = normalizePrefix(match.prefix, context.dialPlan);
      if (prefix === undefined || !caller.e164.startsWith(prefix)) return 0;
      // Longer prefixes are more specific ("+49" scores 3, "+4989" 5); all stay below EXACT (E.164 has ≤ 15 digits).
      return prefix === caller.e164 ? EXACT : prefix.length;
    }
  }
}

function contactMatches(contactId: string, caller: CallerIdentity, context: PlanContext): boolean {
  if (caller.kind === 'anonymous' || context.contactNumbers === undefined) return false;
  for (const raw of context.contactNumbers(contactId)) {
    const number = normalizeNumber(raw, context.dialPlan);
    if (caller.kind === 'internal' && number.kind === 'extension' && number.extension === caller.extension) return true;
    if (caller.kind === 'external' && number.kind === 'external' && number.e164 === caller.e164) return true;
  }
  return false;
}

/**
 * Reads a rule's prefix as E.164 (`"+4989"`), accepting the `00` and national forms too (`"004989"`, `"089"`).
 * @returns undefined when the prefix is not the start of an external number
 */
export function normalizePrefix(prefix: string, dialPlan: DialPlan): string | undefined {
  return toE164Prefix(prefix, dialPlan);
}

/** The winning selective rule for a caller, with its specificity. */
export interface RuleMatch {
  /** The rule that decides. */
  readonly rule: SelectiveRule;
  /** See {@link matchSpecificity}. */
  readonly specificity: number;
}

/**
 * Finds the selective rule of a profile that matches the caller most specifically. Ties go to the rule listed
 * first. The default profile has no selective rules, so any it carries are ignored.
 */
export function findMatchingRule(
  profile: ForwardingProfile,
  caller: CallerIdentity,
  context: PlanContext,
): RuleMatch | undefined {
  if (profile.number === DEFAULT_PROFILE_NUMBER) return undefined;
  let best: RuleMatch | undefined;
  for (const rule of profile.selective) {
    const specificity = matchSpecificity(rule.match, caller, context);
    if (specificity > 0 && (best === undefined || specificity > best.specificity)) best = { rule, specificity };
  }
  return best;
}
