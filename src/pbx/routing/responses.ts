/**
 * Choosing the response a forking proxy sends upstream when no branch answered (RFC 3261 §16.7 step 6).
 * @packageDocumentation
 */
import type { SipResponse } from '../sip/index.js';

/** A branch's final outcome: the status, and the response when one arrived (not for timeouts). */
export interface BranchOutcome {
  readonly status: number;
  readonly response: SipResponse | undefined;
}

// Lower is better. A 6xx ends the search (RFC 3261: a global failure), then the lowest class; within 4xx the
// responses a caller can act on (authentication, media, extensions, incomplete address) come first, then busy over
// unavailable; 487 from branches the proxy itself cancelled is the last resort.
function rank(status: number): number {
  if (status >= 600) return 0;
  if (status >= 300 && status < 400) return 1;
  if ([401, 407, 415, 420, 484].includes(status)) return 2;
  if (status === 486) return 3;
  if (status === 480) return 4;
  if (status === 487) return 9;
  if (status >= 400 && status < 500) return 5;
  if (status >= 500 && status < 600) return 6;
  return 8;
}

/**
 * The best of several final responses; 408 when there is none. A 503 is never passed on as such (RFC 3261
 * §16.7: it would make the caller think the PBX itself is overloaded): it becomes 500 without the response.
 */
export function bestOutcome(outcomes: readonly BranchOutcome[]): BranchOutcome {
  let best: BranchOutcome | undefined;
  for (const outcome of outcomes) {
    if (best === undefined || rank(outcome.status) < rank(best.status)) best = outcome;
  }
  if (best === undefined) return { status: 408, response: undefined };
  if (best.status === 503) return { status: 500, response: undefined };
  return best;
}

/** Whether a device's final response means "the user is busy or refused" (the busy forwarding applies). */
export function isBusyStatus(status: number): boolean {
  return status === 486 || status === 600 || status === 603;
}
