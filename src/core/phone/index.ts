/**
 * The phone core: SIP over WebSocket with WebRTC media, on sip.js. The only part of the SDK that knows sip.js.
 *
 * @packageDocumentation
 */
export { Phone, type PhoneOptions, type PhoneEventMap } from './phone.js';
export { RegistrationStates, REGISTRATION_TRANSITIONS, type RegistrationState } from './registration-state.js';
export { Call, type CallDirection, type CallEventMap, type AcceptOptions, type DtmfMethod, endReasonForStatus, parseDtmfInfo } from './call.js';
export { CallStates, CALL_TRANSITIONS, CallEndReasons, type CallState, type CallEndReason } from './call-state.js';
export { CallManager, type CallOptions, type DialOptions, type CallManagerEventMap } from './call-manager.js';
export { Conference, type ConferenceEventMap } from './conference.js';
export { PresenceWatcher, type PresenceOptions, type PresenceEventMap, type WatchKinds } from './presence-watcher.js';
export {
  MediaController,
  defaultMediaEnvironment,
  mediaError,
  type MediaEnvironment,
  type DeviceSelection,
  type DeviceList,
  type MediaEventMap,
  type AudioSink,
} from './media.js';
export { Ringer, RING_TONES, type RingPattern, type RingTone } from './ringer.js';
export { CallNotifier, type CallNotifierOptions } from './notifications.js';
export { Emitter, type Listener, type Unsubscribe } from './emitter.js';
export { type Logger, silentLogger } from './logger.js';
export { type Clock, type TimerHandle, systemClock } from './clock.js';
export { type BackoffPolicy, DEFAULT_BACKOFF, backoffDelay, checkBackoffPolicy } from './backoff.js';
export { type KeepAliveOptions, DEFAULT_KEEP_ALIVE, type WebSocketFactory, type WebSocketLike } from './transport.js';
export { type IceOptions } from './session-description-handler.js';
export {
  type MediaDirection,
  type MediaSection,
  type IceCandidatePolicy,
  mediaSections,
  offerDirection,
  answerDirection,
  isRemoteHold,
  candidateSatisfies,
  hasUsableCandidate,
  hasTelephoneEvent,
} from './sdp.js';
export { type SipCapabilities, NO_CAPABILITIES, parseCapabilities, mergeCapabilities, supports } from './capabilities.js';
export {
  type PartyIdentity,
  type NameAddr,
  type ForwardingHop,
  type AutoAnswerRequest,
  splitHeaderValues,
  parseNameAddr,
  splitUri,
  identityFromHeader,
  parseDiversion,
  parseHistoryInfo,
  parseAutoAnswer,
} from './sip-headers.js';
export { type ResolvedTarget, dialTargetToUri } from './targets.js';
export { type FlowCounters, type MediaStatsSummary, summarizeStats } from './stats.js';
export { type TransitionTable, canTransition, assertTransition } from './state-machine.js';
