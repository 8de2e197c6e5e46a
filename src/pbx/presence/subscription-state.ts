/**
 * The life of one subscription as an explicit state machine. Every change of state goes through
 * {@link SUBSCRIPTION_TRANSITIONS}; an input a state does not list is ignored (and logged by the caller), so a late
 * NOTIFY response or a second unsubscribe can never revive or double-end a subscription.
 */
import type { TerminationReason } from './packages.js';

/**
 * The states of a subscription:
 *
 * - `active`: accepted; NOTIFYs go out when the watched state changes (rate-limited, one at a time).
 * - `terminating`: it ends; the final NOTIFY (`Subscription-State: terminated`) is on its way, or waits for the
 *   NOTIFY in flight to be answered first (RFC 6665 §4.2.2: one NOTIFY at a time per subscription).
 * - `terminated`: gone; nothing more is sent and the server has forgotten it.
 */
export const SUBSCRIPTION_STATES = ['active', 'terminating', 'terminated'] as const;

/** One of {@link SUBSCRIPTION_STATES}. */
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number];

/**
 * What can happen to a subscription:
 *
 * - `refresh`: the watcher sent a SUBSCRIBE with a non-zero Expires within the subscription.
 * - `unsubscribe`: the watcher sent `Expires: 0` (also the "fetch" of an initial SUBSCRIBE with `Expires: 0`).
 * - `expire`: the granted time ran out without a refresh.
 * - `target-gone`: the watched user was deleted.
 * - `revoke`: the watcher may no longer watch (the watching user was deleted).
 * - `shutdown`: the presence server closes.
 * - `notify-failed`: a NOTIFY got a non-2xx final response (481: the watcher forgot the subscription), timed out,
 *   or could not be sent (the watcher's connection closed).
 * - `final-notify-done`: the final NOTIFY was answered (or given up on).
 */
export const SUBSCRIPTION_INPUTS = [
  'refresh',
  'unsubscribe',
  'expire',
  'target-gone',
  'revoke',
  'shutdown',
  'notify-failed',
  'final-notify-done',
] as const;

/** One of {@link SUBSCRIPTION_INPUTS}. */
export type SubscriptionInput = (typeof SUBSCRIPTION_INPUTS)[number];

/** For each state, the inputs it accepts and the state each leads to. Unlisted inputs are ignored. */
export const SUBSCRIPTION_TRANSITIONS: Readonly<
  Record<SubscriptionState, Readonly<Partial<Record<SubscriptionInput, SubscriptionState>>>>
> = Object.freeze({
  active: Object.freeze({
    refresh: 'active',
    unsubscribe: 'terminating',
    expire: 'terminating',
    'target-gone': 'terminating',
    revoke: 'terminating',
    shutdown: 'terminating',
    'notify-failed': 'terminated',
  }),
  terminating: Object.freeze({
    'notify-failed': 'terminated',
    'final-notify-done': 'terminated',
  }),
  terminated: Object.freeze({}),
});

/**
 * The reason written in the final NOTIFY for each input that ends a subscription (RFC 6665 §8.2.3): `timeout` for
 * an unsubscribe or a fetch as well as for expiry (the granted time is over; the watcher may subscribe again at
 * will), `noresource` when the watched user no longer exists, `rejected` when the watcher lost the right to watch,
 * `deactivated` on shutdown (subscribe again, possibly elsewhere).
 */
export const TERMINATION_REASONS: Readonly<Partial<Record<SubscriptionInput, TerminationReason>>> = Object.freeze({
  unsubscribe: 'timeout',
  expire: 'timeout',
  'target-gone': 'noresource',
  revoke: 'rejected',
  shutdown: 'deactivated',
});

/** The state `input` leads to from `state`, or undefined when `state` does not accept it. */
export function nextSubscriptionState(state: SubscriptionState, input: SubscriptionInput): SubscriptionState | undefined {
  return SUBSCRIPTION_TRANSITIONS[state][input];
}
