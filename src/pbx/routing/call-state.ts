/**
 * The state machines of a proxied call: the call as the caller sees it (one INVITE server transaction) and each
 * branch the proxy forked it into (one INVITE client transaction towards one device).
 * @packageDocumentation
 */

/**
 * States of a proxied call.
 * - `routing`: the INVITE is authenticated and being routed; nothing has been sent onwards yet.
 * - `proceeding`: branches are out (the caller has had 100 Trying).
 * - `early`: a provisional response (ringing, early media) went to the caller.
 * - `confirmed`: a 2xx went to the caller; the dialog runs through the proxy (Record-Route).
 * - `ended`: a BYE ended the confirmed dialog (or a flow of it died).
 * - `failed`: a final non-2xx response went to the caller.
 * - `cancelled`: the caller cancelled; 487 went to the caller.
 */
export const CALL_STATES = ['routing', 'proceeding', 'early', 'confirmed', 'ended', 'failed', 'cancelled'] as const;

/** A state of a proxied call; see {@link CALL_STATES}. */
export type CallState = (typeof CALL_STATES)[number];

/**
 * What happens to a proxied call.
 * - `forked`: a new set of branches went out (first routing, or forwarding after no answer / busy).
 * - `provisional`: a provisional response was passed to the caller.
 * - `answered`: a 2xx was passed to the caller.
 * - `rejected`: a final non-2xx response was sent to the caller.
 * - `cancelled`: the caller's CANCEL arrived before any final response.
 * - `hung-up`: a BYE (or a dead flow) ended the dialog.
 */
export const CALL_EVENTS = ['forked', 'provisional', 'answered', 'rejected', 'cancelled', 'hung-up'] as const;

/** An event of a proxied call; see {@link CALL_EVENTS}. */
export type CallEvent = (typeof CALL_EVENTS)[number];

/**
 * Every allowed transition of a proxied call. An event missing for a state is not allowed in it: for example a
 * late 2xx after `cancelled` does not answer the call (the router ends that stray dialog itself).
 */
export const CALL_TRANSITIONS = {
  routing: { forked: 'proceeding', rejected: 'failed', cancelled: 'cancelled' },
  proceeding: { forked: 'proceeding', provisional: 'early', answered: 'confirmed', rejected: 'failed', cancelled: 'cancelled' },
  early: { forked: 'early', provisional: 'early', answered: 'confirmed', rejected: 'failed', cancelled: 'cancelled' },
  confirmed: { 'hung-up': 'ended' },
  ended: {},
  failed: {},
  cancelled: {},
} as const satisfies Record<CallState, Partial<Record<CallEvent, CallState>>>;

/** The state after `event` in `state`, or undefined when the transition is not allowed. */
export function nextCallState(state: CallState, event: CallEvent): CallState | undefined {
  const row: Partial<Record<CallEvent, CallState>> = CALL_TRANSITIONS[state];
  return row[event];
}

/** Whether a call in `state` still waits for its final response (branches may be ringing). */
export function isPending(state: CallState): boolean {
  return state === 'routing' || state === 'proceeding' || state === 'early';
}

/**
 * States of one branch (one device being rung).
 * - `calling`: the INVITE is out, no provisional response yet.
 * - `ringing`: a provisional response came.
 * - `cancelling`: the proxy cancelled it and waits for its final response.
 * - `answered`: it answered with a 2xx.
 * - `failed`: it ended with a final non-2xx response, a timeout or a transport error.
 * - `cancelled`: it ended after the proxy cancelled it.
 */
export const BRANCH_STATES = ['calling', 'ringing', 'cancelling', 'answered', 'failed', 'cancelled'] as const;

/** A state of a branch; see {@link BRANCH_STATES}. */
export type BranchState = (typeof BRANCH_STATES)[number];

/** What happens to a branch: a provisional, a 2xx, a final failure (or timeout), or a CANCEL by the proxy. */
export const BRANCH_EVENTS = ['provisional', 'answer', 'fail', 'cancel'] as const;

/** An event of a branch; see {@link BRANCH_EVENTS}. */
export type BranchEvent = (typeof BRANCH_EVENTS)[number];

/**
 * Every allowed transition of a branch. A 2xx may still arrive while cancelling (it crossed the CANCEL): the branch
 * is then answered, and the call decides what that means.
 */
export const BRANCH_TRANSITIONS = {
  calling: { provisional: 'ringing', answer: 'answered', fail: 'failed', cancel: 'cancelling' },
  ringing: { provisional: 'ringing', answer: 'answered', fail: 'failed', cancel: 'cancelling' },
  cancelling: { provisional: 'cancelling', answer: 'answered', fail: 'cancelled' },
  answered: { answer: 'answered' },
  failed: {},
  cancelled: {},
} as const satisfies Record<BranchState, Partial<Record<BranchEvent, BranchState>>>;

/** The state after `event` in `state`, or undefined when the transition is not allowed. */
export function nextBranchState(state: BranchState, event: BranchEvent): BranchState | undefined {
  const row: Partial<Record<BranchEvent, BranchState>> = BRANCH_TRANSITIONS[state];
  return row[event];
}

/** Whether a branch in `state` has no final response yet. */
export function isBranchPending(state: BranchState): boolean {
  return state === 'calling' || state === 'ringing' || state === 'cancelling';
}
