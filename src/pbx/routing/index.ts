/**
 * The PBX's call routing: a stateful proxy (RFC 3261 §16) that applies the core forwarding engine
 * (`planIncomingCall`) to every call, handles star codes, intercom, parallel ringing, toll-fraud checks and call
 * caps, keeps LineStates and call lists, and offers click-to-dial to the API.
 * @packageDocumentation
 */
export { createCallRouter, dialStringOf } from './router.js';
export {
  DEFAULT_ROUTER_TIMERS,
  type CallRouter,
  type CallRouterOptions,
  type Member,
  type RouterTimers,
  type VoicemailReason,
  type VoicemailService,
} from './options.js';
export {
  CALL_STATES,
  CALL_EVENTS,
  CALL_TRANSITIONS,
  BRANCH_STATES,
  BRANCH_EVENTS,
  BRANCH_TRANSITIONS,
  nextCallState,
  nextBranchState,
  type CallState,
  type CallEvent,
  type BranchState,
  type BranchEvent,
} from './call-state.js';
export { CONTROL_LEG_STATES, CONTROL_LEG_TRANSITIONS, type ControlLegState } from './click-to-dial.js';
export { STAR_CODE_APPLIED_STATUS, STAR_CODE_APPLIED_PHRASE, describeStarCode } from './star-codes.js';
export { AUTO_ANSWER_ALERT, CLICK_TO_DIAL_PURPOSE, readReason } from './headers.js';
export { blackHoleAnswer } from './sdp.js';
