import { CentrexError } from '../errors.js';
import { normalizeNumber, stripSeparators, type DialPlan } from '../numbers/index.js';
import { DEFAULT_NO_ANSWER_TIMEOUT, DEFAULT_PROFILE_NUMBER } from './defaults.js';
import type { Condition, ConditionalForwarding, Destination, ForwardingProfile, ForwardingSettings, StarCode } from './types.js';

// The manual numbers the conditions 1–4 in this order: *11 always, *12 no answer, *13 busy, *14 not registered.
const CONDITION_BY_DIGIT: Readonly<Record<string, Condition>> = { '1': 'always', '2': 'noAnswer', '3': 'busy', '4': 'notRegistered' };
const DIGIT_BY_CONDITION: Readonly<Record<Condition, string>> = { always: '1', noAnswer: '2', busy: '3', notRegistered: '4' };

/** The target suffix that means "my voicemail" in a forwarding star code (`*11*791`). */
export const VOICEMAIL_TARGET = '*791';

/**
 * Reads a dial string as a forwarding star code (manual 4.2).
 *
 * | dialled | meaning |
 * | --- | --- |
 * | `*10n` | activate profile n (0–9) |
 * | `*11` / `*12` / `*13` / `*14` + target | set always / no answer / busy / not registered on the default profile and activate it |
 * | `**11` … `**14` | clear that condition on the default profile |
 *
 * The target is an extension (`33`), a number (`0049…`, `00…`, national `0…`, or `+…` from a web dialer) or
 * `*791` for voicemail. Blanks and dashes are ignored, and one closing `#` (the "dial now" key of desk phones).
 *
 * @param dialString - what the user dialled
 * @param dialPlan - when given, the target must be a readable extension or number in it
 * @returns the star code, or `undefined` when the dial string is not a forwarding code (a number, `*80 33` …)
 * @throws CentrexError `invalid-star-code` for a malformed forwarding code (`*10`, `*10x`, `*1012`, `*11` alone,
 *   `*11*79`, trailing characters); `invalid-argument` when the dial string is not a string
 */
export function parseStarCode(dialString: string, dialPlan?: DialPlan): StarCode | undefined {
  if (typeof dialString !== 'string') {
    throw new CentrexError('invalid-argument', 'A dial string must be text, for example "*103".');
  }
  const code = stripSeparators(dialString).replace(/#$/, '');

  if (/^\*\*1[1-4]/.test(code)) {
    if (code.length !== 4) throw invalid(dialString, `Dial **1${code[3]} alone to clear that forwarding.`);
    return { type: 'clear', condition: conditionOf(code[3]) };
  }
  if (code.startsWith('*10')) {
    if (!/^\*10\d$/.test(code)) throw invalid(dialString, 'Dial *10 followed by one profile number from 0 to 9.');
    return { type: 'activate-profile', profile: Number(code[3]) };
  }
  if (/^\*1[1-4]/.test(code)) {
    const condition = conditionOf(code[2]);
    return { type: 'set', condition, to: parseTarget(code.slice(3), dialString, dialPlan) };
  }
  return undefined;
}

function parseTarget(target: string, dialString: string, dialPlan: DialPlan | undefined): Destination {
  if (target === '') throw invalid(dialString, 'Add the target after the code: an extension, a number or *791.');
  if (target.startsWith('*')) {
    if (target === VOICEMAIL_TARGET) return { type: 'voicemail' };
    throw invalid(dialString, `The only target starting with * is ${VOICEMAIL_TARGET} (voicemail).`);
  }
  if (!/^\+?\d+$/.test(target)) throw invalid(dialString, 'The target must be digits: an extension or a phone number.');
  if (dialPlan && normalizeNumber(target, dialPlan).kind === 'invalid') {
    throw invalid(dialString, `"${target}" is neither an extension nor a phone number.`);
  }
  return { type: 'number', number: target };
}

function conditionOf(digit: string | undefined): Condition {
  const condition = digit === undefined ? undefined : CONDITION_BY_DIGIT[digit];
  // Callers check the digit with a pattern first; reaching this means the table and the patterns disagree.
  if (condition === undefined) throw new CentrexError('invalid-star-code', `No forwarding condition has digit ${digit}.`);
  return condition;
}

function invalid(dialString: string, hint: string): CentrexError {
  return new CentrexError('invalid-star-code', `"${dialString}" is not a valid forwarding code. ${hint}`, {
    details: { dialString },
  });
}

/**
 * Applies a star code to forwarding settings and returns the new settings; the input is not changed.
 *
 * - `activate-profile`: makes that profile active.
 * - `set`: sets the condition on the default profile and activates the default profile. "No answer" keeps the
 *   default profile's current timeout, or uses 20 s.
 * - `clear`: removes the condition from the default profile; the active profile stays.
 *
 * @throws CentrexError `unknown-profile` when the profile to activate (or the default profile) does not exist
 */
export function applyStarCode(settings: ForwardingSettings, code: StarCode): ForwardingSettings {
  if (typeof settings !== 'object' || settings === null || !Array.isArray(settings.profiles)) {
    throw new CentrexError('invalid-argument', 'settings must be forwarding settings with a profiles array.');
  }
  if (!isStarCode(code)) throw new CentrexError('invalid-argument', 'code must be a star code from parseStarCode().');
  if (code.type === 'activate-profile') {
    if (!settings.profiles.some((profile) => profile.number === code.profile)) {
      throw new CentrexError('unknown-profile', `There is no forwarding profile ${code.profile}; create it in the app first.`, {
        details: { profile: code.profile },
      });
    }
    return { ...settings, activeProfile: code.profile };
  }
  const defaultProfile = settings.profiles.find((profile) => profile.number === DEFAULT_PROFILE_NUMBER);
  if (!defaultProfile) {
    throw new CentrexError('unknown-profile', 'The default forwarding profile (0) is missing; the settings are damaged.', {
      details: { profile: DEFAULT_PROFILE_NUMBER },
    });
  }
  const forwarding =
    code.type === 'set'
      ? setCondition(defaultProfile.forwarding, code.condition, code.to)
      : clearCondition(defaultProfile.forwarding, code.condition);
  const profiles = settings.profiles.map((profile): ForwardingProfile =>
    profile === defaultProfile ? { ...profile, forwarding } : profile,
  );
  return { activeProfile: code.type === 'set' ? DEFAULT_PROFILE_NUMBER : settings.activeProfile, profiles };
}

function isStarCode(code: unknown): code is StarCode {
  if (typeof code !== 'object' || code === null) return false;
  const { type } = code as { type?: unknown };
  if (type === 'activate-profile') return typeof (code as { profile?: unknown }).profile === 'number';
  if (type !== 'set' && type !== 'clear') return false;
  const condition = (code as { condition?: unknown }).condition;
  return Object.values(CONDITION_BY_DIGIT).includes(condition as Condition);
}

function setCondition(forwarding: ConditionalForwarding, condition: Condition, to: Destination): ConditionalForwarding {
  if (condition === 'noAnswer') {
    return { ...forwarding, noAnswer: { after: forwarding.noAnswer?.after ?? DEFAULT_NO_ANSWER_TIMEOUT, to } };
  }
  return { ...forwarding, [condition]: to };
}

function clearCondition(forwarding: ConditionalForwarding, condition: Condition): ConditionalForwarding {
  const { [condition]: _removed, ...rest } = forwarding;
  return rest;
}

/**
 * Writes the default profile as star codes, for telephone systems that can only be configured by dialling.
 * Dialling the codes in order reproduces the default profile's conditions; the last code re-activates the profile
 * that was active (setting a condition activates the default profile).
 *
 * What star codes cannot say is left out: a busy signal as destination, and a no-answer timeout other than the
 * system's own (see {@link starCodeGaps}). Numbers in `+` form are written with `00`.
 */
export function toStarCodes(settings: ForwardingSettings): string[] {
  const defaultProfile = settings.profiles.find((profile) => profile.number === DEFAULT_PROFILE_NUMBER);
  const forwarding: ConditionalForwarding = defaultProfile?.forwarding ?? {};
  const codes: string[] = [];
  for (const condition of ['always', 'noAnswer', 'busy', 'notRegistered'] as const) {
    const destination = condition === 'noAnswer' ? forwarding.noAnswer?.to : forwarding[condition];
    const digit = DIGIT_BY_CONDITION[condition];
    if (destination === undefined) codes.push(`**1${digit}`);
    else if (destination.type === 'voicemail') codes.push(`*1${digit}${VOICEMAIL_TARGET}`);
    else if (destination.type === 'number') codes.push(`*1${digit}${stripSeparators(destination.number).replace(/^\+/, '00')}`);
  }
  codes.push(`*10${settings.activeProfile}`);
  return codes;
}

/**
 * Lists the conditions of the default profile that {@link toStarCodes} cannot express: those forwarding to a busy
 * signal, and "no answer" with a timeout other than 20 s (star codes keep the timeout the system has).
 */
export function starCodeGaps(settings: ForwardingSettings): Condition[] {
  const forwarding = settings.profiles.find((profile) => profile.number === DEFAULT_PROFILE_NUMBER)?.forwarding ?? {};
  const gaps: Condition[] = [];
  if (forwarding.always?.type === 'busy') gaps.push('always');
  if (forwarding.noAnswer && (forwarding.noAnswer.to.type === 'busy' || forwarding.noAnswer.after !== DEFAULT_NO_ANSWER_TIMEOUT)) {
    gaps.push('noAnswer');
  }
  if (forwarding.busy?.type === 'busy') gaps.push('busy');
  if (forwarding.notRegistered?.type === 'busy') gaps.push('notRegistered');
  return gaps;
}
