import type { Condition, ForwardingSettings, NoAnswerTimeout } from './types.js';

/** The number of the default profile ("Standard"): it always exists and cannot be deleted. */
export const DEFAULT_PROFILE_NUMBER = 0;

/** The most profiles a user can have (the default one and nine more). */
export const MAX_PROFILES = 10;

/** The no-answer timeouts the app offers, in seconds. */
export const NO_ANSWER_TIMEOUTS: readonly NoAnswerTimeout[] = [5, 10, 15, 20];

/** The no-answer timeout used when a star code sets "no answer" and none was set before. */
export const DEFAULT_NO_ANSWER_TIMEOUT: NoAnswerTimeout = 20;

/** The four conditions in the order the app shows them. */
export const CONDITIONS: readonly Condition[] = ['always', 'busy', 'noAnswer', 'notRegistered'];

/**
 * The settings every new user starts with: only the default profile, active, with no forwarding.
 *
 * @param title - the default profile's title, for the user's language (default `"Standard"`)
 */
export function createDefaultForwarding(title = 'Standard'): ForwardingSettings {
  return {
    activeProfile: DEFAULT_PROFILE_NUMBER,
    profiles: [{ number: DEFAULT_PROFILE_NUMBER, title, forwarding: {}, selective: [] }],
  };
}
