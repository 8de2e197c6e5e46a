/**
 * Pure helpers of `<centrex-forwarding>`: immutable edits of forwarding settings, where a validation finding or a
 * server error belongs in the form, and the star codes the core understands. No DOM and no texts here.
 * @packageDocumentation
 */
import {
  DEFAULT_NO_ANSWER_TIMEOUT,
  parseStarCode,
  type CallerMatch,
  type Condition,
  type ConditionalForwarding,
  type Destination,
  type ForwardingIssue,
  type ForwardingProfile,
  type ForwardingSettings,
  type NoAnswerTimeout,
  type SelectiveRule,
} from '../../core/forwarding/index.js';

/** A block of conditions in the form: a profile's general forwarding, or one of its selective rules. */
export interface ForwardingPlace {
  /** The profile number. */
  readonly profile: number;
  /** The selective rule's id, for a rule. */
  readonly rule?: string | undefined;
}

/** The destination types the form offers, in the order it offers them. */
export type DestinationType = Destination['type'];

/** The caller types of a selective rule, in the order the form offers them. */
export const CALLER_TYPES: readonly CallerMatch['type'][] = ['anonymous', 'internal', 'extension', 'contact', 'prefix'];

/**
 * A JSON text of a value with object keys sorted, so two settings that differ only in key order (the server writes
 * them in its own order) compare equal.
 */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const record = item as Record<string, unknown>;
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
  });
}

/** The destination of a condition, if it is switched on. */
export function destinationOf(forwarding: ConditionalForwarding, condition: Condition): Destination | undefined {
  return condition === 'noAnswer' ? forwarding.noAnswer?.to : forwarding[condition];
}

/** Sets (or, with `undefined`, removes) the destination of one condition; keeps the no-answer timeout. */
export function withDestination(
  forwarding: ConditionalForwarding,
  condition: Condition,
  destination: Destination | undefined,
): ConditionalForwarding {
  const { [condition]: _old, ...rest } = forwarding;
  if (destination === undefined) return rest;
  if (condition === 'noAnswer') {
    return { ...rest, noAnswer: { after: forwarding.noAnswer?.after ?? DEFAULT_NO_ANSWER_TIMEOUT, to: destination } };
  }
  return { ...rest, [condition]: destination };
}

/** Changes the no-answer timeout (only while "no answer" is switched on). */
export function withTimeout(forwarding: ConditionalForwarding, after: NoAnswerTimeout): ConditionalForwarding {
  return forwarding.noAnswer ? { ...forwarding, noAnswer: { ...forwarding.noAnswer, after } } : forwarding;
}

/** A destination of another type, keeping a typed number where it still makes sense. */
export function destinationOfType(type: DestinationType, previous: Destination | undefined): Destination {
  if (type === 'number') return { type: 'number', number: previous?.type === 'number' ? previous.number : '' };
  return { type };
}

/** Replaces one profile (by number) with the result of `change`. */
export function editProfile(
  settings: ForwardingSettings,
  number: number,
  change: (profile: ForwardingProfile) => ForwardingProfile,
): ForwardingSettings {
  return { ...settings, profiles: settings.profiles.map((profile) => (profile.number === number ? change(profile) : profile)) };
}

/** Replaces the forwarding of a place (a profile's general forwarding or a rule's). */
export function editForwarding(
  settings: ForwardingSettings,
  place: ForwardingPlace,
  change: (forwarding: ConditionalForwarding) => ConditionalForwarding,
): ForwardingSettings {
  return editProfile(settings, place.profile, (profile) =>
    place.rule === undefined
      ? { ...profile, forwarding: change(profile.forwarding) }
      : {
          ...profile,
          selective: profile.selective.map((rule) => (rule.id === place.rule ? { ...rule, forwarding: change(rule.forwarding) } : rule)),
        },
  );
}

/** Replaces one selective rule (by id) of a profile. */
export function editRule(
  settings: ForwardingSettings,
  profile: number,
  id: string,
  change: (rule: SelectiveRule) => SelectiveRule,
): ForwardingSettings {
  return editProfile(settings, profile, (found) => ({
    ...found,
    selective: found.selective.map((rule) => (rule.id === id ? change(rule) : rule)),
  }));
}

/** The forwarding of a place, if the place exists. */
export function forwardingAt(settings: ForwardingSettings, place: ForwardingPlace): ConditionalForwarding | undefined {
  const profile = settings.profiles.find((item) => item.number === place.profile);
  if (place.rule === undefined) return profile?.forwarding;
  return profile?.selective.find((rule) => rule.id === place.rule)?.forwarding;
}

/** A caller match of another type, with an empty value for the person to fill in. */
export function matchOfType(type: CallerMatch['type'], firstContact: string | undefined): CallerMatch {
  switch (type) {
    case 'anonymous':
    case 'internal':
      return { type };
    case 'extension':
      return { type, extension: '' };
    case 'contact':
      return { type, contactId: firstContact ?? '' };
    case 'prefix':
      return { type, prefix: '' };
  }
}

/** A rule id that no rule of the profile has yet. */
export function newRuleId(profile: ForwardingProfile): string {
  const taken = new Set(profile.selective.map((rule) => rule.id));
  for (let index = profile.selective.length + 1; ; index += 1) {
    const id = `rule-${index}`;
    if (!taken.has(id)) return id;
  }
}

/** The profile numbers 1–9 that are still free. */
export function freeProfileNumbers(settings: ForwardingSettings): number[] {
  const taken = new Set(settings.profiles.map((profile) => profile.number));
  return [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((number) => !taken.has(number));
}

/**
 * Where in the form a finding is shown: next to a condition, next to a rule's caller, next to a profile's title,
 * or (for findings about the settings as a whole) above the form.
 */
export function slotOfIssue(issue: Pick<ForwardingIssue, 'profile' | 'rule' | 'condition'>): string {
  if (issue.profile === undefined) return 'general';
  if (issue.condition !== undefined) return conditionSlot({ profile: issue.profile, rule: issue.rule }, issue.condition);
  if (issue.rule !== undefined) return ruleSlot(issue.profile, issue.rule);
  return profileSlot(issue.profile);
}

/** The slot of a condition of a place. */
export function conditionSlot(place: ForwardingPlace, condition: Condition): string {
  return `condition:${place.profile}:${place.rule ?? ''}:${condition}`;
}

/** The slot of a whole block of conditions (server errors that name a profile or rule but no condition). */
export function blockSlot(place: ForwardingPlace): string {
  return `block:${place.profile}:${place.rule ?? ''}`;
}

/** The slot of a rule's caller. */
export function ruleSlot(profile: number, rule: string): string {
  return `rule:${profile}:${rule}`;
}

/** The slot of a profile's title. */
export function profileSlot(profile: number): string {
  return `profile:${profile}`;
}

/**
 * Reads the API's field path of a forwarding error (`profiles.1.forwarding`, `profiles.2.selective.0.forwarding`) as
 * a place in the settings that were sent. The path counts profiles and rules by position in the request.
 */
export function placeOfField(field: string, sent: ForwardingSettings): ForwardingPlace | undefined {
  const found = /^profiles\.(\d+)(?:\.selective\.(\d+))?/.exec(field);
  if (!found) return undefined;
  const profile = sent.profiles[Number(found[1])];
  if (profile === undefined) return undefined;
  if (found[2] === undefined) return { profile: profile.number };
  const rule = profile.selective[Number(found[2])];
  return rule === undefined ? { profile: profile.number } : { profile: profile.number, rule: rule.id };
}

/** A star code with what it does, as the core reads it. */
export type StarCodeHelp =
  | { readonly kind: 'profile'; readonly code: string; readonly profile: ForwardingProfile }
  | { readonly kind: 'condition'; readonly code: string; readonly clear: string; readonly condition: Condition };

/**
 * The star codes for these settings: `*10n` for each profile and the four condition codes of the default profile.
 * Each code is checked with the core's `parseStarCode`, so the help never shows a code the PBX would read otherwise.
 */
export function starCodeHelp(settings: ForwardingSettings): StarCodeHelp[] {
  const help: StarCodeHelp[] = [];
  for (const profile of settings.profiles) {
    const code = `*10${profile.number}`;
    const parsed = safeParse(code);
    if (parsed?.type === 'activate-profile' && parsed.profile === profile.number) help.push({ kind: 'profile', code, profile });
  }
  // The codes go by digit (*11 always, *12 no answer, …), which is the manual's order, not the form's.
  for (const digit of ['1', '2', '3', '4']) {
    const parsed = safeParse(`**1${digit}`);
    if (parsed?.type === 'clear') help.push({ kind: 'condition', code: `*1${digit}`, clear: `**1${digit}`, condition: parsed.condition });
  }
  return help;
}

function safeParse(code: string): ReturnType<typeof parseStarCode> {
  try {
    return parseStarCode(code);
  } catch {
    return undefined;
  }
}

/** Profile colours the form may put into a style sheet: the forms the PBX accepts, and nothing that could escape. */
export function safeColor(color: string | undefined): string | undefined {
  return typeof color === 'string' && /^#[0-9a-fA-F]{3,8}$|^[a-z]{3,20}$/.test(color) ? color : undefined;
}
