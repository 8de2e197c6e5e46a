/**
 * The reference PBX's presence server: SUBSCRIBE/NOTIFY for `dialog` (BLF), `presence` (PIDF with the manual's
 * availabilities) and `message-summary` (MWI). See `docs/decisions/0009-pbx-presence.md`.
 * @packageDocumentation
 */
export { createPresenceServer } from './server.js';
export {
  DEFAULT_PRESENCE_LIMITS,
  type PresenceLimits,
  type PresenceServer,
  type PresenceServerOptions,
  type PresenceSubscriptionInfo,
  type PresenceSip,
  type PresenceStore,
  type PresenceLines,
} from './options.js';
export {
  PRESENCE_EVENT_PACKAGES,
  PACKAGE_CONTENT_TYPES,
  ALLOW_EVENTS,
  parseEventHeader,
  packageOf,
  isPresencePackage,
  formatEventHeader,
  acceptsType,
  type PresenceEventPackage,
  type EventHeader,
  type TerminationReason,
} from './packages.js';
export {
  SUBSCRIPTION_STATES,
  SUBSCRIPTION_INPUTS,
  SUBSCRIPTION_TRANSITIONS,
  TERMINATION_REASONS,
  nextSubscriptionState,
  type SubscriptionState,
  type SubscriptionInput,
} from './subscription-state.js';
export { AvailabilityTracker, type AvailabilityState, type AvailabilityTrackerOptions } from './availability.js';
export {
  renderDialogInfo,
  renderPresence,
  renderMessageSummary,
  type RenderedBody,
  type RenderedDialogInfo,
  type DialogInfoInput,
  type PresenceInput,
  type MessageSummaryInput,
} from './documents.js';
