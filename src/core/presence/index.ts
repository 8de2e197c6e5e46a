/**
 * Presence documents: dialog-info for busy lamp fields (RFC 4235), PIDF presence (RFC 3863 with RFC 4479/4480) and
 * message-summary for message waiting (RFC 3842). Pure functions: they parse hostile input safely and build
 * documents with every value escaped.
 * @packageDocumentation
 */
export {
  type PresenceDocumentLimits,
  PRESENCE_DOCUMENT_LIMITS,
  MAX_PRESENCE_DOCUMENT_DEPTH,
  type PresenceParseOptions,
} from './xml.js';
export {
  DIALOG_INFO_NAMESPACE,
  type DialogInfoState,
  type DialogDirection,
  type DialogState,
  type DialogStateEvent,
  type DialogParticipant,
  type Dialog,
  type DialogInfo,
  parseDialogInfo,
  buildDialogInfo,
} from './dialog-info.js';
export { type LineState, lineStateOf, mergeDialogInfo } from './line-state.js';
export {
  PIDF_NAMESPACE,
  PIDF_DATA_MODEL_NAMESPACE,
  RPID_NAMESPACE,
  type PidfBasic,
  type PidfNote,
  type PidfTuple,
  type PidfPerson,
  type PidfDevice,
  type PidfDocument,
  parsePidf,
  buildPidf,
} from './pidf.js';
export {
  type Availability,
  AVAILABILITIES,
  AVAILABILITY_ENCODING,
  availabilityOf,
  type AvailabilityPresence,
  pidfForAvailability,
} from './availability.js';
export {
  type MessageClass,
  type MessageCounts,
  type MessageHeader,
  type MessageSummary,
  type MessageSummaryParseOptions,
  parseMessageSummary,
  buildMessageSummary,
} from './message-summary.js';
