/**
 * The words of `<centrex-forwarding>`: conditions, destinations, callers, findings and the preview's answer, in
 * the elements' current language. Called while rendering, so a language switch re-reads them.
 * @packageDocumentation
 */
import { msg, str } from '@lit/localize';
import type { Contact } from '../../core/api/index.js';
import type { DirectoryEntry } from '../../core/directory/index.js';
import {
  type CallerMatch,
  type CallPlan,
  type Condition,
  type Destination,
  type ForwardingIssue,
  type ForwardingSettings,
} from '../../core/forwarding/index.js';
import { formatNumber, normalizeNumber, type DialPlan } from '../../core/numbers/index.js';
import { destinationOf, forwardingAt, type DestinationType } from './forwarding-model.js';

/** What the texts need to name people and numbers. */
export interface TextContext {
  readonly dialPlan: DialPlan;
  readonly directory: readonly DirectoryEntry[];
  readonly contacts: readonly Contact[];
}

/** A condition's name (manual: Immer, Besetzt, Keine Antwort, Nicht registriert). */
export function conditionLabel(condition: Condition): string {
  switch (condition) {
    case 'always':
      return msg('Always', { id: 'forwarding.condition.always' });
    case 'busy':
      return msg('Busy', { id: 'forwarding.condition.busy' });
    case 'noAnswer':
      return msg('No answer', { id: 'forwarding.condition.no-answer' });
    case 'notRegistered':
      return msg('Not registered', { id: 'forwarding.condition.not-registered' });
  }
}

/** When a condition applies, in one short sentence. */
export function conditionHint(condition: Condition): string {
  switch (condition) {
    case 'always':
      return msg('Every call goes straight to the destination. Also used while Do not disturb is on.', {
        id: 'forwarding.condition.always-hint',
      });
    case 'busy':
      return msg('While you are on the phone (without call waiting) or when you decline a call.', {
        id: 'forwarding.condition.busy-hint',
      });
    case 'noAnswer':
      return msg('When you do not pick up in time.', { id: 'forwarding.condition.no-answer-hint' });
    case 'notRegistered':
      return msg('When none of your phones is connected to the telephone system.', {
        id: 'forwarding.condition.not-registered-hint',
      });
  }
}

/** A destination type as the destination menu offers it. */
export function destinationTypeLabel(type: DestinationType): string {
  switch (type) {
    case 'voicemail':
      return msg('Voicemail', { id: 'forwarding.destination.voicemail' });
    case 'number':
      return msg('Phone number or extension', { id: 'forwarding.destination.number' });
    case 'busy':
      return msg('Busy signal', { id: 'forwarding.destination.busy' });
  }
}

/** A caller type as the rule's caller menu offers it. */
export function callerTypeLabel(type: CallerMatch['type']): string {
  switch (type) {
    case 'anonymous':
      return msg('Anonymous callers', { id: 'forwarding.caller.anonymous' });
    case 'internal':
      return msg('All internal calls', { id: 'forwarding.caller.internal' });
    case 'extension':
      return msg('A colleague (extension)', { id: 'forwarding.caller.extension' });
    case 'contact':
      return msg('A contact from the phone book', { id: 'forwarding.caller.contact' });
    case 'prefix':
      return msg('Numbers starting with a prefix', { id: 'forwarding.caller.prefix' });
  }
}

/** The colleague with an extension, from the directory. */
export function colleagueName(extension: string, context: TextContext): string | undefined {
  return context.directory.find((entry) => entry.kind === 'extension' && entry.extension === extension)?.name;
}

/** Which callers a rule is for, as a phrase ("anonymous callers", "Clara Schmidt (12)"). */
export function describeMatch(match: CallerMatch, context: TextContext): string {
  switch (match.type) {
    case 'anonymous':
      return msg('anonymous callers', { id: 'forwarding.match.anonymous' });
    case 'internal':
      return msg('internal callers', { id: 'forwarding.match.internal' });
    case 'extension': {
      const extension = match.extension.trim();
      if (extension === '') return msg('a colleague (not chosen yet)', { id: 'forwarding.match.extension-empty' });
      const name = colleagueName(extension, context);
      return name === undefined
        ? msg(str`extension ${extension}`, { id: 'forwarding.match.extension' })
        : msg(str`${name} (extension ${extension})`, { id: 'forwarding.match.colleague' });
    }
    case 'contact': {
      const contact = context.contacts.find((item) => item.id === match.contactId);
      return contact === undefined
        ? msg('a contact (not chosen yet)', { id: 'forwarding.match.contact-empty' })
        : msg(str`contact ${contact.name}`, { id: 'forwarding.match.contact' });
    }
    case 'prefix': {
      const prefix = match.prefix.trim();
      return prefix === ''
        ? msg('numbers with a prefix (not entered yet)', { id: 'forwarding.match.prefix-empty' })
        : msg(str`numbers starting with ${prefix}`, { id: 'forwarding.match.prefix' });
    }
  }
}

/** Where a call goes, as a phrase ("your voicemail", "David Müller (extension 13)", "030 1234567"). */
export function describeDestination(destination: Destination, context: TextContext): string {
  if (destination.type === 'voicemail') return msg('your voicemail', { id: 'forwarding.to.voicemail' });
  if (destination.type === 'busy') return msg('a busy signal', { id: 'forwarding.to.busy' });
  const typed = destination.number.trim();
  if (typed === '') return msg('a number that is not entered yet', { id: 'forwarding.to.empty' });
  const reading = normalizeNumber(typed, context.dialPlan);
  if (reading.kind === 'extension') {
    const name = colleagueName(reading.extension, context);
    return name === undefined
      ? msg(str`extension ${reading.extension}`, { id: 'forwarding.to.extension' })
      : msg(str`${name} (extension ${reading.extension})`, { id: 'forwarding.to.colleague' });
  }
  if (reading.kind === 'external') return formatNumber(reading.e164, context.dialPlan);
  return msg(str`"${typed}", which is not a number`, { id: 'forwarding.to.invalid' });
}

/** The preview's answer: one headline and the details below it. */
export interface PlanText {
  readonly headline: string;
  readonly details: readonly string[];
}

/**
 * Puts a {@link CallPlan} into words.
 *
 * @param plan - what `planIncomingCall` decided
 * @param settings - the settings it decided with (to name the rule that decided)
 * @param profile - the profile number that was in force
 */
export function describePlan(plan: CallPlan, settings: ForwardingSettings, profile: number, context: TextContext): PlanText {
  const details: string[] = [];
  let headline: string;
  if (plan.action === 'ring') {
    headline = msg('Your phones ring.', { id: 'forwarding.plan.ring' });
    if (plan.onNoAnswer) {
      const after = plan.onNoAnswer.after;
      const to = describeDestination(plan.onNoAnswer.to, context);
      details.push(msg(str`Not answered within ${after} seconds: the call goes to ${to}.`, { id: 'forwarding.plan.then-no-answer' }));
    }
    if (plan.onBusy) {
      const to = describeDestination(plan.onBusy, context);
      details.push(msg(str`Declined: the call goes to ${to}.`, { id: 'forwarding.plan.then-busy' }));
    }
    if (!plan.onNoAnswer && !plan.onBusy) details.push(msg('Nothing else happens: the phones ring until the caller hangs up.', { id: 'forwarding.plan.then-nothing' }));
  } else if (plan.action === 'forward') {
    const to = describeDestination(plan.to, context);
    headline = msg(str`The call goes to ${to}.`, { id: 'forwarding.plan.forward' });
    switch (plan.reason) {
      case 'always':
        details.push(msg('Because calls are always forwarded.', { id: 'forwarding.plan.reason-always' }));
        break;
      case 'busy':
        details.push(msg('Because you are on the phone.', { id: 'forwarding.plan.reason-busy' }));
        break;
      case 'not-registered':
        details.push(msg('Because none of your phones is connected.', { id: 'forwarding.plan.reason-not-registered' }));
        break;
      case 'dnd':
        details.push(msg('Because Do not disturb is on.', { id: 'forwarding.plan.reason-dnd' }));
        break;
    }
  } else {
    headline =
      plan.status === 486
        ? msg('The caller hears a busy signal.', { id: 'forwarding.plan.reject-busy' })
        : msg('The caller hears that you cannot be reached.', { id: 'forwarding.plan.reject-unreachable' });
  }
  const rule = plan.action === 'reject' ? undefined : plan.rule;
  const used = settings.profiles.find((item) => item.number === profile);
  const match = rule === undefined ? undefined : used?.selective.find((item) => item.id === rule)?.match;
  if (match !== undefined) {
    const who = describeMatch(match, context);
    details.push(msg(str`Decided by the selective rule for ${who}.`, { id: 'forwarding.plan.by-rule' }));
  } else if (used !== undefined) {
    const title = used.title;
    details.push(msg(str`Decided by the conditions of profile "${title}".`, { id: 'forwarding.plan.by-profile' }));
  }
  return { headline, details };
}

/** A validation finding in words, for the field it concerns. */
export function issueText(issue: ForwardingIssue, settings: ForwardingSettings): string {
  switch (issue.code) {
    case 'invalid-destination-number': {
      const forwarding = issue.profile === undefined ? undefined : forwardingAt(settings, { profile: issue.profile, rule: issue.rule });
      const destination = forwarding && issue.condition ? destinationOf(forwarding, issue.condition) : undefined;
      const typed = destination?.type === 'number' ? destination.number.trim() : '';
      return typed === ''
        ? msg('Enter an extension or a phone number.', { id: 'forwarding.issue.number-empty' })
        : msg(str`"${typed}" is neither an extension nor a phone number.`, { id: 'forwarding.issue.number-invalid' });
    }
    case 'invalid-destination':
      return msg('Choose voicemail, a busy signal or a number as the destination.', { id: 'forwarding.issue.destination' });
    case 'invalid-no-answer-timeout':
      return msg('Choose 5, 10, 15 or 20 seconds.', { id: 'forwarding.issue.timeout' });
    case 'empty-title':
      return msg('Give the profile a title.', { id: 'forwarding.issue.title' });
    case 'default-profile-selective-rules':
      return msg('The default profile cannot have selective rules; use another profile.', { id: 'forwarding.issue.default-rules' });
    case 'too-many-profiles':
      return msg('At most ten profiles are possible; delete one first.', { id: 'forwarding.issue.too-many' });
    case 'invalid-caller-match': {
      const profile = settings.profiles.find((item) => item.number === issue.profile);
      const match = profile?.selective.find((rule) => rule.id === issue.rule)?.match;
      switch (match?.type) {
        case 'extension':
          return msg("Enter the colleague's extension (digits only).", { id: 'forwarding.issue.match-extension' });
        case 'contact':
          return msg('Choose a contact.', { id: 'forwarding.issue.match-contact' });
        case 'prefix':
          return msg('Enter a number or the start of one, such as +49, 089 or +4989999998.', { id: 'forwarding.issue.match-prefix' });
        default:
          return issue.message;
      }
    }
    default:
      // Findings about damaged settings as a whole: the core's sentence already says what to do.
      return issue.message;
  }
}
