import { normalizeNumber, stripSeparators, toE164Prefix, type DialPlan } from '../numbers/index.js';
import { CentrexError } from '../errors.js';
import { CONDITIONS, DEFAULT_PROFILE_NUMBER, MAX_PROFILES, NO_ANSWER_TIMEOUTS } from './defaults.js';
import type { Condition, ForwardingIssue, ForwardingSettings } from './types.js';

/**
 * Checks forwarding settings against the manual's rules and returns every problem found (`[]` when valid).
 * Accepts anything (for example a request body), so it never throws.
 *
 * Rules: profile 0 exists and has no selective rules; at most ten profiles, numbered 0–9 without duplicates, each
 * with a title; the active profile exists; no-answer timeouts are 5, 10, 15 or 20 s; destinations are voicemail,
 * busy or a number; rule ids are unique per profile and every rule says which callers it is for.
 *
 * @param settings - the settings to check
 * @param dialPlan - when given, destination numbers and prefixes must be readable with it; without it only their
 *   form is checked (digits, optionally a leading `+`)
 */
export function validateForwarding(settings: ForwardingSettings, dialPlan?: DialPlan): ForwardingIssue[] {
  const issues: ForwardingIssue[] = [];
  const value: unknown = settings;
  if (!isRecord(value) || !Array.isArray(value['profiles'])) {
    return [issue('malformed-settings', 'Forwarding settings must be an object with a profiles array.')];
  }
  const profiles: unknown[] = value['profiles'];
  if (profiles.length > MAX_PROFILES) {
    issues.push(issue('too-many-profiles', `At most ${MAX_PROFILES} profiles are possible; delete one first.`));
  }
  const seen = new Set<number>();
  for (const candidate of profiles) {
    if (!isRecord(candidate) || typeof candidate['number'] !== 'number') {
      issues.push(issue('malformed-settings', 'Every profile must be an object with a number.'));
      continue;
    }
    const number = candidate['number'];
    const at = { profile: number };
    if (!Number.isInteger(number) || number < 0 || number > 9) {
      issues.push(issue('profile-number-out-of-range', `Profile number ${number} is not a whole number from 0 to 9.`, at));
    }
    if (seen.has(number)) issues.push(issue('duplicate-profile-number', `Two profiles have number ${number}.`, at));
    seen.add(number);
    if (typeof candidate['title'] !== 'string' || candidate['title'].trim() === '') {
      issues.push(issue('empty-title', `Profile ${number} needs a title.`, at));
    }
    checkForwarding(candidate['forwarding'], issues, at, dialPlan);
    const selective = candidate['selective'];
    if (!Array.isArray(selective)) {
      issues.push(issue('malformed-settings', `Profile ${number} must have a selective rule list (it may be empty).`, at));
      continue;
    }
    if (number === DEFAULT_PROFILE_NUMBER && selective.length > 0) {
      issues.push(
        issue('default-profile-selective-rules', 'The default profile cannot have selective rules; use another profile.', at),
      );
    }
    checkRules(selective, issues, number, dialPlan);
  }
  if (!seen.has(DEFAULT_PROFILE_NUMBER)) {
    issues.push(issue('missing-default-profile', 'The default profile (number 0) must exist.'));
  }
  if (typeof value['activeProfile'] !== 'number' || !seen.has(value['activeProfile'])) {
    issues.push(issue('active-profile-missing', `The active profile ${String(value['activeProfile'])} does not exist.`));
  }
  return issues;
}

/**
 * Like {@link validateForwarding}, but throws when anything is wrong. Use before storing settings.
 *
 * @throws CentrexError `invalid-forwarding` with `details.issues` listing every problem
 */
export function assertValidForwarding(settings: ForwardingSettings, dialPlan?: DialPlan): void {
  const issues = validateForwarding(settings, dialPlan);
  if (issues.length > 0) {
    throw new CentrexError('invalid-forwarding', issues.map((found) => found.message).join(' '), { details: { issues } });
  }
}

function checkRules(rules: unknown[], issues: ForwardingIssue[], profile: number, dialPlan: DialPlan | undefined): void {
  const ids = new Set<string>();
  for (const candidate of rules) {
    if (!isRecord(candidate) || typeof candidate['id'] !== 'string' || candidate['id'] === '') {
      issues.push(issue('malformed-settings', `Every selective rule of profile ${profile} needs an id.`, { profile }));
      continue;
    }
    const id = candidate['id'];
    const at = { profile, rule: id };
    if (ids.has(id)) issues.push(issue('duplicate-rule-id', `Profile ${profile} has two rules with id "${id}".`, at));
    ids.add(id);
    const problem = callerMatchProblem(candidate['match'], dialPlan);
    if (problem) issues.push(issue('invalid-caller-match', `Rule "${id}": ${problem}`, at));
    checkForwarding(candidate['forwarding'], issues, at, dialPlan);
  }
}

function callerMatchProblem(match: unknown, dialPlan: DialPlan | undefined): string | undefined {
  if (!isRecord(match)) return 'say which callers the rule is for.';
  switch (match['type']) {
    case 'anonymous':
    case 'internal':
      return undefined;
    case 'extension':
      return typeof match['extension'] === 'string' && /^\d+$/.test(match['extension'].trim())
        ? undefined
        : 'the extension must be digits.';
    case 'contact':
      return typeof match['contactId'] === 'string' && match['contactId'] !== '' ? undefined : 'choose a contact.';
    case 'prefix': {
      const prefix = match['prefix'];
      if (typeof prefix !== 'string') return 'the prefix must be a number such as +49 or +4989.';
      const readable = dialPlan ? toE164Prefix(prefix, dialPlan) !== undefined : /^\+[1-9]\d*$/.test(stripSeparators(prefix));
      return readable ? undefined : `"${prefix}" is not a number prefix such as +49 or +4989.`;
    }
    default:
      return 'the caller type must be anonymous, internal, extension, contact or prefix.';
  }
}

function checkForwarding(
  forwarding: unknown,
  issues: ForwardingIssue[],
  at: { profile: number; rule?: string },
  dialPlan: DialPlan | undefined,
): void {
  if (!isRecord(forwarding)) {
    issues.push(issue('malformed-settings', 'Forwarding must be an object (use {} for none).', at));
    return;
  }
  for (const condition of CONDITIONS) {
    const entry = forwarding[condition];
    if (entry === undefined) continue;
    let destination: unknown = entry;
    if (condition === 'noAnswer') {
      if (!isRecord(entry)) {
        issues.push(issue('malformed-settings', 'No-answer forwarding needs a timeout and a destination.', { ...at, condition }));
        continue;
      }
      if (!NO_ANSWER_TIMEOUTS.includes(entry['after'] as never)) {
        issues.push(
          issue('invalid-no-answer-timeout', `No-answer timeout ${String(entry['after'])} s: choose 5, 10, 15 or 20 s.`, {
            ...at,
            condition,
          }),
        );
      }
      destination = entry['to'];
    }
    checkDestination(destination, issues, { ...at, condition }, dialPlan);
  }
}

function checkDestination(
  destination: unknown,
  issues: ForwardingIssue[],
  at: { profile: number; rule?: string; condition: Condition },
  dialPlan: DialPlan | undefined,
): void {
  if (!isRecord(destination)) {
    issues.push(issue('invalid-destination', 'Choose voicemail, busy or a phone number as the destination.', at));
    return;
  }
  const type = destination['type'];
  if (type === 'voicemail' || type === 'busy') return;
  if (type !== 'number') {
    issues.push(issue('invalid-destination', `Unknown destination "${String(type)}": use voicemail, busy or number.`, at));
    return;
  }
  const number = destination['number'];
  const readable =
    typeof number === 'string' &&
    (dialPlan ? normalizeNumber(number, dialPlan).kind !== 'invalid' : /^\+?\d{2,}$/.test(stripSeparators(number)));
  if (!readable) {
    issues.push(
      issue('invalid-destination-number', `"${String(number)}" is not an extension or a phone number.`, at),
    );
  }
}

function issue(
  code: ForwardingIssue['code'],
  message: string,
  at: { profile?: number; rule?: string; condition?: Condition } = {},
): ForwardingIssue {
  return { code, message, ...at };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
