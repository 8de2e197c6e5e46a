/** Configuration and callback types of {@link SipServer}. */
import type { AuthenticatedUser, CredentialLookup } from './auth/authenticator.js';
import type { DigestAlgorithm } from './auth/digest.js';
import type { AddressGuardOptions, LockoutReason } from './auth/guard.js';
import type { SipRequest } from './message/message.js';
import type { RegistrarOptions } from './registrar/registrar.js';
import type { RegistrationEvent } from './registrar/location.js';
import type { SipClock } from './transaction/clock.js';
import type { ServerTransaction } from './transaction/server-transaction.js';
import type { SipTimerValues } from './transaction/timers.js';
import type { SipEndpoint, SipFlow } from './transport/types.js';

/** Log levels used by the SIP stack. */
export type SipLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Receives the stack's log lines. Messages are our own words; `data` never holds credentials. */
export type SipLogger = (level: SipLogLevel, message: string, data?: Readonly<Record<string, unknown>>) => void;

/** What the routing layer learns about a request besides the request itself. */
export interface SipRequestContext {
  /** The flow the request arrived on (send responses and in-dialog requests for this peer on it). */
  readonly flow: SipFlow;
  /** The peer's address as seen by the transport. */
  readonly source: SipEndpoint;
  /** The user, when the request carried valid Proxy-Authorization for a served realm. */
  readonly authenticatedUser: AuthenticatedUser | undefined;
}

/**
 * Handles every request the SIP server does not answer itself (all but REGISTER, CANCEL, server OPTIONS).
 * `transaction` is undefined for an ACK of a 2xx (it has no transaction and gets no response). Exceptions and
 * rejected promises are caught: the request then gets 500 if it has no final response yet.
 */
export type SipRequestHandler = (
  request: SipRequest,
  transaction: ServerTransaction | undefined,
  context: SipRequestContext,
) => void | Promise<void>;

/** Security-relevant happenings, for logs and monitoring. */
export type SipSecurityEvent =
  | { readonly type: 'auth-failure'; readonly address: string; readonly method: string; readonly username: string | undefined }
  | { readonly type: 'lockout'; readonly address: string; readonly reason: LockoutReason; readonly until: number }
  /** A message from a locked-out address was refused. */
  | { readonly type: 'blocked'; readonly address: string }
  | { readonly type: 'malformed'; readonly address: string; readonly reason: string };

/** Security settings: lockouts, flood limits, nonces. */
export interface SipSecurityOptions extends AddressGuardOptions {
  /** What a locked-out address gets: nothing (`drop`, default) or 403 (`forbidden`). */
  readonly lockoutResponse: 'drop' | 'forbidden';
  /** How long a nonce may be used after it was issued (default 300 s). */
  readonly nonceLifetimeMs: number;
  /**
   * Whether a nonce is spent by its first successful use. Default false: a nonce may be used again within its
   * lifetime with a strictly greater nonce count (RFC 7616 §3.4.5), so a phone that authorizes its next INVITE up
   * front saves a round trip; each nonce count is still accepted once. See decision 0015.
   */
  readonly singleUseNonces: boolean;
  /**
   * Digest algorithms offered, most preferred first, and the only ones accepted. Default SHA-256 then MD5.
   * Clients that read only the first challenge and know only MD5 (SIPp 3.6) need MD5 first.
   */
  readonly digestAlgorithms: readonly DigestAlgorithm[];
}

/** Options of {@link SipServer}. */
export interface SipServerOptions {
  /**
   * The digest realm of a domain the PBX serves (a Request-URI or To/From host, lower case), or undefined when the
   * domain is not ours. Several domains may share a realm; a tenant usually has one domain and realm.
   */
  readonly realmFor: (domain: string) => string | undefined;
  /** Looks up digest credentials; HA1 values are H(username:realm:password). */
  readonly findCredential: CredentialLookup;
  /** The routing layer. Without it, other requests get 501 (unknown method), 404 (domain not ours) or 405. */
  readonly onRequest?: SipRequestHandler;
  /** Registration changes (registered, refreshed, unregistered). */
  readonly onRegistration?: (event: RegistrationEvent) => void;
  /** Authentication failures, lockouts, refused and malformed messages. */
  readonly onSecurityEvent?: (event: SipSecurityEvent) => void;
  readonly log?: SipLogger;
  /** Time source for every timer (transactions, expiry, lockouts, nonces); the system clock by default. */
  readonly clock?: SipClock;
  /** T1/T2/T4 overrides. */
  readonly timers?: Partial<SipTimerValues>;
  readonly registrar?: Partial<RegistrarOptions>;
  readonly security?: Partial<SipSecurityOptions>;
  /** Largest message accepted, in bytes (default 65535). */
  readonly maxMessageSize?: number;
  /**
   * Answer UDP requests at the packet's source port even without `;rport` (like Kamailio's force_rport); default
   * true, since desk phones behind NAT rarely ask for it.
   */
  readonly forceRport?: boolean;
  /**
   * The host put in our Via and Record-Route values (a DNS name or public address). Needed when listening on
   * 0.0.0.0 or behind NAT; defaults to the listening address.
   */
  readonly publicHost?: string;
  /** The Server header of responses the PBX generates (default `centrex-pbx`). */
  readonly serverName?: string;
}
