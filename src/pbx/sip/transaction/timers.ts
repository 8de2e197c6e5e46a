/** RFC 3261 §17 timer values. */

/** The base timers; every transaction timer derives from them. */
export interface SipTimerValues {
  /** RTT estimate, default 500 ms. */
  readonly t1: number;
  /** Longest retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  readonly t2: number;
  /** Longest time a message stays in the network, default 5 s. */
  readonly t4: number;
}

/** RFC 3261's defaults. */
export const DEFAULT_TIMERS: SipTimerValues = { t1: 500, t2: 4000, t4: 5000 };

/**
 * How long an INVITE server transaction may wait for the transaction user's final response before it answers
 * 408 itself. Longer than a proxy's Timer C (> 3 min), so that only a routing layer that forgot a request hits it.
 */
export const INVITE_SERVER_GUARD_MS = 6 * 60 * 1000;
