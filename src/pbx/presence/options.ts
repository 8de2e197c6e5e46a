/** Options, limits and the public interface of the presence server. */
import type { Availability, MessageCounts } from '../../core/presence/index.js';
import type { PbxEvents } from '../events.js';
import type { LineStates } from '../line-states.js';
import type {
  RegistrationEvent,
  ServerTransaction,
  SipClock,
  SipLogger,
  SipRequest,
  SipRequestContext,
  SipServer,
} from '../sip/index.js';
import type { Store } from '../store/index.js';
import type { PresenceEventPackage } from './packages.js';

/** The parts of {@link SipServer} the presence server uses. */
export type PresenceSip = Pick<SipServer, 'authenticate' | 'sendRequest' | 'lookup' | 'registrations' | 'recordRoute' | 'isOwnUri'>;

/** The parts of the store the presence server uses. */
export type PresenceStore = Pick<
  Store,
  'findUserByExtension' | 'findTenantBySipDomain' | 'getUser' | 'getTenant' | 'getUserSettings' | 'getDevice'
>;

/** The parts of {@link LineStates} the presence server uses. */
export type PresenceLines = Pick<LineStates, 'on' | 'dialogsOf' | 'isBusy'>;

/** Subscription limits. */
export interface PresenceLimits {
  /** Shortest subscription accepted besides 0 (shorter: 423 with Min-Expires); default 60 s. */
  readonly minExpires: number;
  /** Longest subscription granted (longer requests are shortened); default 3600 s. */
  readonly maxExpires: number;
  /** Granted when the SUBSCRIBE has no Expires, per package; default 3600 s each (RFC 4235 and RFC 3856 say 3600). */
  readonly defaultExpires: Readonly<Record<PresenceEventPackage, number>>;
  /**
   * Least time between two NOTIFYs of one subscription, in ms; changes in between are coalesced into one NOTIFY
   * with the latest state. Default 200 ms: short enough for a BLF lamp, long enough to absorb a call setup burst.
   */
  readonly minNotifyIntervalMs: number;
  /** Most subscriptions one watcher (user) may hold; more get 403. Default 256 (64 function keys × packages). */
  readonly maxSubscriptionsPerWatcher: number;
  /** Most subscriptions in total; more get 503 with Retry-After. Default 50 000. */
  readonly maxSubscriptions: number;
}

/** The defaults of {@link PresenceLimits}. */
export const DEFAULT_PRESENCE_LIMITS: PresenceLimits = Object.freeze({
  minExpires: 60,
  maxExpires: 3600,
  defaultExpires: Object.freeze({ dialog: 3600, presence: 3600, 'message-summary': 3600 }),
  minNotifyIntervalMs: 200,
  maxSubscriptionsPerWatcher: 256,
  maxSubscriptions: 50_000,
});

/** Options of {@link createPresenceServer}. */
export interface PresenceServerOptions {
  /** The SIP server: authentication, sending NOTIFYs, the location service. */
  readonly sip: PresenceSip;
  readonly store: PresenceStore;
  /** The PBX event bus: `presence` events are emitted here; `settings-changed`, `registration` and `data-changed` are read. */
  readonly events: PbxEvents;
  /** The call router's record of every user's dialogs. */
  readonly lines: PresenceLines;
  /** Time and timers (expiry, NOTIFY coalescing); the system clock by default. Use the SIP server's clock. */
  readonly clock?: SipClock;
  readonly log?: SipLogger;
  readonly limits?: Partial<PresenceLimits>;
}

/** A subscription as seen from outside (metrics, tests, administration). */
export interface PresenceSubscriptionInfo {
  readonly pkg: PresenceEventPackage;
  readonly watcherUserId: string;
  readonly targetUserId: string;
  readonly state: 'active' | 'terminating' | 'terminated';
  /** In clock ms. */
  readonly expiresAt: number;
  readonly callId: string;
}

/** The presence server. */
export interface PresenceServer {
  /**
   * Handles SUBSCRIBE (the `dialog`, `presence` and `message-summary` packages; others get 489) and PUBLISH (489:
   * presence is derived by the PBX, not published by clients). Returns true when it took the request (it then
   * answers it), false for other methods and for an ACK (no transaction), which the caller routes on.
   */
  handleSubscribe(request: SipRequest, transaction: ServerTransaction | undefined, context: SipRequestContext): boolean;
  /** Feed every SIP registration change here (`SipServerOptions.onRegistration`): availability follows devices. */
  handleRegistration(event: RegistrationEvent): void;
  /** A user's availability now (dnd, busy, available, line-free or offline). */
  availabilityOf(userId: string): Availability;
  /**
   * Sets a user's voice message counts (for the voicemail, when it lands) and notifies their message-summary
   * watchers. Counts are kept in memory; without a call every mailbox reads `0/0`.
   */
  setMessageCounts(userId: string, counts: MessageCounts): void;
  /** The live subscriptions. */
  subscriptions(): PresenceSubscriptionInfo[];
  /** Sends `terminated;reason=deactivated` to every watcher, forgets every subscription and stops listening. */
  close(): void;
}
