import type { DialPlan } from '../numbers/index.js';

/**
 * Where a forwarded call goes (manual B.4, "Ziel"): the user's voicemail, a busy signal, or a phone number.
 */
export type Destination =
  | { readonly type: 'voicemail' }
  | { readonly type: 'busy' }
  /** `number` is an extension (`"33"`) or an external number in any format (`"0049 89 2343123"`, `"+4989…"`). */
  | { readonly type: 'number'; readonly number: string };

/** The no-answer timeouts the manual offers, in seconds. */
export type NoAnswerTimeout = 5 | 10 | 15 | 20;

/**
 * The four forwarding conditions of a profile or selective rule (manual: Immer, Besetzt, Keine Antwort, Nicht
 * registriert). An absent condition is off. Empty forwarding (`{}`) means "ring me".
 */
export interface ConditionalForwarding {
  /** Every call goes straight to this destination. */
  readonly always?: Destination;
  /** Used when the line is busy (and call waiting is off) or the call is declined. */
  readonly busy?: Destination;
  /** Used when the call is not answered within `after` seconds. */
  readonly noAnswer?: { readonly after: NoAnswerTimeout; readonly to: Destination };
  /** Used when no device of the user is registered. */
  readonly notRegistered?: Destination;
}

/** A forwarding condition by name; the keys of {@link ConditionalForwarding}. */
export type Condition = 'always' | 'busy' | 'noAnswer' | 'notRegistered';

/**
 * Which callers a selective rule is for (manual 4.1).
 * - `anonymous`: callers who withhold their number, and only them.
 * - `internal`: every caller with an extension of the company.
 * - `extension`: one colleague.
 * - `contact`: a phone-book entry, on any of its numbers.
 * - `prefix`: external numbers starting with an E.164 prefix: a country (`+49`), a city (`+4989`), a company's
 *   number block (`+4989999998`) or one whole number (`+4989999998101`). National and `00` forms are accepted too.
 */
export type CallerMatch =
  | { readonly type: 'anonymous' }
  | { readonly type: 'internal' }
  | { readonly type: 'extension'; readonly extension: string }
  | { readonly type: 'contact'; readonly contactId: string }
  | { readonly type: 'prefix'; readonly prefix: string };

/** A selective rule: what happens when a particular caller calls (replaces the profile's general forwarding). */
export interface SelectiveRule {
  /** Unique within the profile; names the rule in {@link CallPlan} and {@link ForwardingIssue}. */
  readonly id: string;
  /** Which callers the rule applies to. */
  readonly match: CallerMatch;
  /** What happens to them; `{}` means they always reach the user. */
  readonly forwarding: ConditionalForwarding;
}

/** A forwarding profile such as "Standard" (number 0) or "Urlaub". */
export interface ForwardingProfile {
  /** 0–9, unique; 0 is the default profile that always exists. Dialled as `*10n`. */
  readonly number: number;
  /** Shown to people; never empty. */
  readonly title: string;
  /** Optional colour for the profile in the app, a CSS colour such as `#2e7d32`. */
  readonly color?: string;
  /** The profile's general forwarding. */
  readonly forwarding: ConditionalForwarding;
  /** Selective rules (not allowed on the default profile). */
  readonly selective: readonly SelectiveRule[];
}

/** All forwarding settings of one user. */
export interface ForwardingSettings {
  /** The number of the profile in force. */
  readonly activeProfile: number;
  /** Up to ten profiles, one of them number 0. */
  readonly profiles: readonly ForwardingProfile[];
}

/** Who is calling. Internal callers have `extension`; external ones `number`; anonymous ones neither. */
export interface IncomingCall {
  /** The caller as the network identifies them. */
  readonly from: {
    readonly extension?: string;
    /** The caller's number in any format; normalized with the dial plan before matching. */
    readonly number?: string;
    /** The caller withholds the number (overrides `extension` and `number`). */
    readonly anonymous?: boolean;
  };
}

/** What the telephone system knows about the called user when a call arrives. */
export interface CalleeState {
  /** At least one device of the user is registered. */
  readonly registered: boolean;
  /** The user is in a call. */
  readonly busy: boolean;
  /** Call waiting ("Anklopfen") is on; off when absent, as in the manual's default. */
  readonly callWaiting?: boolean;
  /** Global do-not-disturb is on. */
  readonly dnd?: boolean;
}

/** Why a call is forwarded. */
export type ForwardReason = 'always' | 'busy' | 'not-registered' | 'dnd';

/**
 * What to do with an incoming call, as decided by {@link planIncomingCall}.
 * `rule` is the id of the selective rule that decided, if any.
 */
export type CallPlan =
  | {
      readonly action: 'ring';
      /** Forward there when nobody answers within `after` seconds. */
      readonly onNoAnswer?: { readonly after: number; readonly to: Destination };
      /** Forward there when the user declines the call (486). */
      readonly onBusy?: Destination;
      readonly rule?: string;
    }
  | { readonly action: 'forward'; readonly to: Destination; readonly reason: ForwardReason; readonly rule?: string }
  | { readonly action: 'reject'; readonly status: 480 | 486; readonly reason: 'busy' | 'not-registered' };

/** What {@link planIncomingCall} needs to know beyond the settings. */
export interface PlanContext {
  /** Normalizes callers' numbers and rule prefixes. */
  readonly dialPlan: DialPlan;
  /** The numbers (any format) of a contact, for `contact` rules; without it, contact rules match nobody. */
  readonly contactNumbers?: (contactId: string) => readonly string[];
}

/**
 * A forwarding star code (manual 4.2), as read by {@link parseStarCode}.
 * - `activate-profile`: `*10n`.
 * - `set`: `*11`–`*14` + target: set the condition on the default profile and activate it.
 * - `clear`: `**11`–`**14`: clear the condition on the default profile.
 */
export type StarCode =
  | { readonly type: 'activate-profile'; readonly profile: number }
  | { readonly type: 'set'; readonly condition: Condition; readonly to: Destination }
  | { readonly type: 'clear'; readonly condition: Condition };

/** The stable codes of {@link ForwardingIssue}. */
export type ForwardingIssueCode =
  | 'malformed-settings'
  | 'missing-default-profile'
  | 'default-profile-selective-rules'
  | 'too-many-profiles'
  | 'duplicate-profile-number'
  | 'profile-number-out-of-range'
  | 'active-profile-missing'
  | 'invalid-no-answer-timeout'
  | 'invalid-destination'
  | 'invalid-destination-number'
  | 'empty-title'
  | 'invalid-caller-match'
  | 'duplicate-rule-id';

/** One broken rule found by {@link validateForwarding}. */
export interface ForwardingIssue {
  /** Stable code. */
  readonly code: ForwardingIssueCode;
  /** What is wrong and how to fix it, for people. */
  readonly message: string;
  /** The profile number concerned, if any. */
  readonly profile?: number;
  /** The selective rule id concerned, if any. */
  readonly rule?: string;
  /** The condition concerned, if any. */
  readonly condition?: Condition;
}
