/**
 * Time and chance, injected so that backoff, keep-alive and durations can be tested without waiting.
 *
 * @packageDocumentation
 */

/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown;

/** The phone's source of time, timers and randomness. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Calls `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
  /** Cancels a timer; ignores handles that already fired. */
  clearTimeout(handle: TimerHandle): void;
  /** A number in [0, 1). */
  random(): number;
}

/** The real clock: `Date.now`, the global timers and `Math.random`. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (callback: () => void, ms: number): TimerHandle => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: TimerHandle): void => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
});
