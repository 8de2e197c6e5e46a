/**
 * The reference PBX's SIP layer: message parsing on sip.js's grammar, UDP/TCP/WebSocket transports, RFC 3261
 * transactions, and a registrar with digest authentication. The routing layer builds on {@link SipServer}.
 */
export { SipServer } from './server.js';
export { KNOWN_METHODS, SUPPORTED_EXTENSIONS } from './server-policy.js';
export type { SipTarget } from './transport/transports.js';
export type {
  SipServerOptions,
  SipRequestHandler,
  SipRequestContext,
  SipSecurityEvent,
  SipSecurityOptions,
  SipLogger,
  SipLogLevel,
} from './server-options.js';
export { SipRequest, SipResponse, SipMessage, isRequest, type SipCSeq, type SipContact } from './message/message.js';
export { SipHeaders } from './message/headers.js';
export { parseMessage, DEFAULT_MAX_MESSAGE_SIZE, type SipParseResult, type SipParseError, type SipParseOptions } from './message/parse.js';
export { serializeMessage } from './message/serialize.js';
export { createResponse, randomTag, REASON_PHRASES, type CreateResponseOptions } from './message/response.js';
export { parseAddress, formatAddress, parseSipUri, type SipAddress } from './message/address.js';
export { parseVia, MAGIC_COOKIE, type SipVia } from './message/via.js';
export { canonicalHeaderName, isListHeader } from './message/header-names.js';
export { grammarCacheActive } from './grammar.js';
export type { ServerTransaction, ServerTransactionState } from './transaction/server-transaction.js';
export type { ClientTransaction, ClientTransactionHandlers, ClientTransactionState } from './transaction/client-transaction.js';
export { ManualClock, systemClock, type SipClock, type SipTimer } from './transaction/clock.js';
export { DEFAULT_TIMERS, type SipTimerValues } from './transaction/timers.js';
export type { SipFlow, SipEndpoint, SipTransportKind } from './transport/types.js';
export type { AuthenticatedUser, CredentialLookup, SipCredential } from './auth/authenticator.js';
export { computeHa1, computeHa1Pair, computeDigestResponse, type DigestAlgorithm, type DigestHa1 } from './auth/digest.js';
export { DEFAULT_GUARD_OPTIONS, type AddressGuardOptions, type LockoutReason } from './auth/guard.js';
export { DEFAULT_REGISTRAR_OPTIONS, type RegistrarOptions } from './registrar/registrar.js';
export { GruuIssuer, sameInstance, type GruuTarget } from './registrar/gruu.js';
export { normalizeAor, type SipBinding, type BindingOwner, type RegistrationEvent, type UnregisterReason } from './registrar/location.js';
