/**
 * Reconnect delays: exponential growth with jitter, so that a PBX restart does not bring every client back in the
 * same second.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** How reconnect attempts are spaced. All durations in milliseconds. */
export interface BackoffPolicy {
  /** Upper bound of the first delay. */
  readonly baseDelay: number;
  /** No delay is ever longer than this. */
  readonly maxDelay: number;
  /** Growth per attempt; 2 doubles the bound each time. */
  readonly factor: number;
  /**
   * Share of each delay that is random, 0 to 1. With 0.5 a delay lies between half and all of its bound; with 1 it
   * lies anywhere between 0 and the bound ("full jitter").
   */
  readonly jitter: number;
}

/** 0.5 s, 1 s, 2 s, 4 s … capped at 30 s, each between half and all of its bound. */
export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseDelay: 500, maxDelay: 30_000, factor: 2, jitter: 0.5 });

/**
 * The delay before reconnect attempt `attempt` (1 for the first retry).
 *
 * @param attempt - 1-based attempt number
 * @param policy - the spacing
 * @param random - a number in [0, 1); pass `Math.random()` (or a fixed value in tests)
 * @throws CentrexError `invalid-argument` for a non-positive attempt or an inconsistent policy
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new CentrexError('invalid-argument', 'Reconnect attempts are counted from 1.', { details: { attempt } });
  }
  checkBackoffPolicy(policy);
  const bound = Math.min(policy.maxDelay, policy.baseDelay * policy.factor ** (attempt - 1));
  const fixed = bound * (1 - policy.jitter);
  return Math.round(fixed + (bound - fixed) * Math.min(Math.max(random, 0), 1));
}

/**
 * Checks a backoff policy.
 *
 * @throws CentrexError `invalid-argument` naming the bad field
 */
export function checkBackoffPolicy(policy: BackoffPolicy): void {
  const { baseDelay, maxDelay, factor, jitter } = policy;
  const bad = (field: string, rule: string): never => {
    throw new CentrexError('invalid-argument', `Reconnect backoff: ${field} ${rule}.`, { details: { field } });
  };
  if (!(Number.isFinite(baseDelay) && baseDelay > 0)) bad('baseDelay', 'must be a positive number of milliseconds');
  if (!(Number.isFinite(maxDelay) && maxDelay >= baseDelay)) bad('maxDelay', 'must be at least baseDelay');
  if (!(Number.isFinite(factor) && factor >= 1)) bad('factor', 'must be 1 or more');
  if (!(Number.isFinite(jitter) && jitter >= 0 && jitter <= 1)) bad('jitter', 'must be between 0 and 1');
}
