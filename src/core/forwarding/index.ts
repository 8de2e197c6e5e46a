/**
 * Call forwarding: profiles, selective rules, the routing decision for incoming calls, validation and star codes
 * (manual B.4, 4.1, 4.2). Pure functions over immutable data; the reference PBX routes calls with the same code.
 * @packageDocumentation
 */
export type {
  Destination,
  NoAnswerTimeout,
  ConditionalForwarding,
  Condition,
  CallerMatch,
  SelectiveRule,
  ForwardingProfile,
  ForwardingSettings,
  IncomingCall,
  CalleeState,
  ForwardReason,
  CallPlan,
  PlanContext,
  StarCode,
  ForwardingIssue,
  ForwardingIssueCode,
} from './types.js';
export {
  DEFAULT_PROFILE_NUMBER,
  MAX_PROFILES,
  NO_ANSWER_TIMEOUTS,
  DEFAULT_NO_ANSWER_TIMEOUT,
  CONDITIONS,
  createDefaultForwarding,
} from './defaults.js';
export {
  type CallerIdentity,
  type RuleMatch,
  identifyCaller,
  matchSpecificity,
  normalizePrefix,
  findMatchingRule,
} from './caller.js';
export { planIncomingCall, activeProfileOf } from './plan.js';
export { validateForwarding, assertValidForwarding } from './validate.js';
export { VOICEMAIL_TARGET, parseStarCode, applyStarCode, toStarCodes, starCodeGaps } from './star-codes.js';
export {
  type NewProfile,
  addProfile,
  duplicateProfile,
  updateProfile,
  deleteProfile,
  activateProfile,
} from './profiles.js';
