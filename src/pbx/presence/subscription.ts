/**
 * One subscription of a watcher to a user's dialog, presence or message-summary state (RFC 6665 notifier side):
 * its dialog with the watcher, its state machine, expiry, and the NOTIFY pipeline — one NOTIFY in flight at a time,
 * bursts of changes coalesced into one NOTIFY per `minNotifyIntervalMs`, the final NOTIFY on termination.
 */
import type { ClientTransactionHandlers, SipClock, SipLogLevel, SipTimer } from '../sip/index.js';
import { SipHeaders, SipRequest } from '../sip/index.js';
import type { LineDialog } from '../line-states.js';
import type { RenderedBody } from './documents.js';
import { formatEventHeader, PACKAGE_CONTENT_TYPES, type PresenceEventPackage, type TerminationReason } from './packages.js';
import {
  nextSubscriptionState,
  TERMINATION_REASONS,
  type SubscriptionInput,
  type SubscriptionState,
} from './subscription-state.js';

/** A NOTIFY body as the server renders it for a subscription (dialog-info also returns the dialogs it showed). */
export interface SubscriptionBody extends RenderedBody {
  readonly reported?: ReadonlyMap<string, LineDialog>;
}

/** What a subscription needs from the presence server. */
export interface SubscriptionHost {
  readonly clock: SipClock;
  /** Least time between two NOTIFYs of one subscription (the final NOTIFY excepted). */
  readonly minNotifyIntervalMs: number;
  /** The current body for this subscription. */
  render(subscription: Subscription): SubscriptionBody;
  /** Sends a NOTIFY on the watcher's flow (the SIP server's `sendRequest`); may throw when the server is closed. */
  send(request: SipRequest, flowId: string, handlers: ClientTransactionHandlers): void;
  /** The subscription reached `terminated`: forget it. */
  ended(subscription: Subscription): void;
  log(level: SipLogLevel, message: string, data?: Readonly<Record<string, unknown>>): void;
}

/** A PBX user on one side of a subscription. */
export interface SubscriptionParty {
  readonly userId: string;
  readonly tenantId: string;
}

/** Everything fixed when a subscription is accepted. */
export interface SubscriptionInit {
  /** The subscription's key: dialog identifiers, package and Event id. */
  readonly key: string;
  readonly pkg: PresenceEventPackage;
  /** The watched resource as the documents name it, e.g. `sip:12@alpha.test`. */
  readonly entity: string;
  /** The `id` parameter of the watcher's Event header. */
  readonly eventId: string | undefined;
  readonly callId: string;
  /** The watcher's From tag. */
  readonly remoteTag: string;
  /** Our To tag. */
  readonly localTag: string;
  /** The CSeq number of the SUBSCRIBE that created it. */
  readonly remoteCSeq: number;
  /** Our side as written in NOTIFY's From: the SUBSCRIBE's To with our tag. */
  readonly localAddress: string;
  /** The watcher's side as written in NOTIFY's To: the SUBSCRIBE's From. */
  readonly remoteAddress: string;
  /** The watcher's Contact URI: NOTIFY's Request-URI. */
  readonly remoteTarget: string;
  /** Record-Route values of the SUBSCRIBE, in order: NOTIFY's Route set (RFC 3261 §12.1.1). */
  readonly routeSet: readonly string[];
  /** Our Contact value. */
  readonly contact: string;
  /** The flow the SUBSCRIBE came on: NOTIFYs go out on it (NAT, browsers). */
  readonly flowId: string;
  readonly watcher: SubscriptionParty;
  readonly target: SubscriptionParty;
  /** When it expires, in clock ms. */
  readonly expiresAt: number;
}

/** One subscription. Created by the presence server, which feeds it changes; it sends its own NOTIFYs. */
export class Subscription {
  readonly key: string;
  readonly pkg: PresenceEventPackage;
  readonly entity: string;
  readonly eventId: string | undefined;
  readonly callId: string;
  readonly remoteTag: string;
  readonly localTag: string;
  readonly watcher: SubscriptionParty;
  readonly target: SubscriptionParty;
  readonly flowId: string;
  readonly #host: SubscriptionHost;
  readonly #localAddress: string;
  readonly #remoteAddress: string;
  readonly #routeSet: readonly string[];
  readonly #contact: string;
  #remoteTarget: string;
  #remoteCSeq: number;
  #localCSeq = 0;
  #state: SubscriptionState = 'active';
  #reason: TerminationReason = 'timeout';
  #expiresAt: number;
  #expiryTimer: SipTimer | undefined;
  #holdTimer: SipTimer | undefined;
  // The NOTIFY awaiting its final response, as an identity token: answers to older NOTIFYs are ignored.
  #inFlight: object | undefined;
  #finalSent = false;
  #dirty = false;
  #force = false;
  #lastSentAt: number | undefined;
  #lastKey: string | undefined;
  #notifyCount = 0;
  #reported: ReadonlyMap<string, LineDialog> = new Map();

  constructor(init: SubscriptionInit, host: SubscriptionHost) {
    this.key = init.key;
    this.pkg = init.pkg;
    this.entity = init.entity;
    this.eventId = init.eventId;
    this.callId = init.callId;
    this.remoteTag = init.remoteTag;
    this.localTag = init.localTag;
    this.watcher = init.watcher;
    this.target = init.target;
    this.flowId = init.flowId;
    this.#host = host;
    this.#localAddress = init.localAddress;
    this.#remoteAddress = init.remoteAddress;
    this.#routeSet = init.routeSet;
    this.#contact = init.contact;
    this.#remoteTarget = init.remoteTarget;
    this.#remoteCSeq = init.remoteCSeq;
    this.#expiresAt = init.expiresAt;
  }

  /** The current state. */
  get state(): SubscriptionState {
    return this.#state;
  }

  /** Our Contact value (also for the 200 to a refresh). */
  get contact(): string {
    return this.#contact;
  }

  /** When the subscription expires, in clock ms. */
  get expiresAt(): number {
    return this.#expiresAt;
  }

  /** How many NOTIFYs were sent so far: the next dialog-info document's version. */
  get notifyCount(): number {
    return this.#notifyCount;
  }

  /** The dialogs the previous dialog-info NOTIFY showed as live. */
  get reportedDialogs(): ReadonlyMap<string, LineDialog> {
    return this.#reported;
  }

  /** Sends the first NOTIFY (RFC 6665 §4.2.1: at once after the 200) and starts the expiry timer. */
  start(): void {
    if (this.#state !== 'active') return;
    this.#scheduleExpiry();
    this.#dirty = true;
    this.#force = true;
    this.#pump();
  }

  /**
   * Accepts the CSeq of an in-dialog SUBSCRIBE: false when it is not above the last one (RFC 3261 §12.2.2: the
   * request is out of order and gets 500).
   */
  acceptCSeq(seq: number): boolean {
    if (seq <= this.#remoteCSeq) return false;
    this.#remoteCSeq = seq;
    return true;
  }

  /**
   * A refreshing SUBSCRIBE: the new expiry, and the watcher's new Contact if it sent one. A NOTIFY with the current
   * state follows (RFC 6665 §4.2.1.2), even if nothing changed.
   */
  refresh(expiresAt: number, remoteTarget: string | undefined): boolean {
    if (!this.#apply('refresh')) return false;
    if (remoteTarget !== undefined) this.#remoteTarget = remoteTarget;
    this.#expiresAt = expiresAt;
    this.#scheduleExpiry();
    this.#dirty = true;
    this.#force = true;
    this.#pump();
    return true;
  }

  /** The watched state changed: a NOTIFY follows, coalesced with other changes and skipped if nothing differs. */
  changed(): void {
    if (this.#state !== 'active') return;
    this.#dirty = true;
    this.#pump();
  }

  /** Ends the subscription for `input`'s reason: the final NOTIFY goes out (after the one in flight, if any). */
  end(input: 'unsubscribe' | 'expire' | 'target-gone' | 'revoke'): boolean {
    const reason = TERMINATION_REASONS[input];
    if (!this.#apply(input)) return false;
    if (reason !== undefined) this.#reason = reason;
    this.#stopTimers();
    this.#pump();
    return true;
  }

  /**
   * The server closes: the final NOTIFY (`reason=deactivated`) goes out at once, and the subscription is forgotten
   * without waiting for answers. It does not wait for a NOTIFY in flight either: there will be nobody left to send
   * it later, and a watcher that learns of the end can subscribe again.
   */
  shutdown(): void {
    if (!this.#apply('shutdown')) return;
    this.#reason = TERMINATION_REASONS.shutdown ?? 'deactivated';
    this.#stopTimers();
    this.#inFlight = undefined;
    this.#send(true);
    if (this.#apply('final-notify-done')) this.#finish();
  }

  #apply(input: SubscriptionInput): boolean {
    const next = nextSubscriptionState(this.#state, input);
    if (next === undefined) {
      this.#host.log('debug', 'subscription ignored an input in its state', { state: this.#state, input, pkg: this.pkg });
      return false;
    }
    this.#state = next;
    return true;
  }

  #pump(): void {
    if (this.#state === 'terminated' || this.#inFlight !== undefined) return;
    if (this.#state === 'terminating') {
      if (!this.#finalSent) this.#send(true);
      return;
    }
    if (!this.#dirty) return;
    const now = this.#host.clock.now();
    const wait = this.#lastSentAt === undefined ? 0 : this.#lastSentAt + this.#host.minNotifyIntervalMs - now;
    if (wait > 0) {
      // Coalesce: whatever else changes until then goes out in the one NOTIFY sent when the timer fires.
      this.#holdTimer ??= this.#host.clock.setTimer(() => {
        this.#holdTimer = undefined;
        this.#pump();
      }, wait);
      return;
    }
    this.#send(false);
  }

  #send(final: boolean): void {
    let rendered: SubscriptionBody;
    try {
      rendered = this.#host.render(this);
    } catch (error) {
      this.#host.log('error', 'could not render a NOTIFY body', { pkg: this.pkg, error: String(error) });
      this.#dirty = false;
      if (final) this.#result(false);
      return;
    }
    if (!final && !this.#force && rendered.key === this.#lastKey) {
      this.#dirty = false;
      return;
    }
    const now = this.#host.clock.now();
    const headers = new SipHeaders();
    for (const route of this.#routeSet) headers.append('Route', route);
    headers.append('From', this.#localAddress);
    headers.append('To', this.#remoteAddress);
    headers.append('Call-ID', this.callId);
    headers.append('CSeq', `${++this.#localCSeq} NOTIFY`);
    headers.append('Contact', this.#contact);
    headers.append('Event', formatEventHeader(this.pkg, this.eventId));
    const remaining = Math.max(0, Math.ceil((this.#expiresAt - now) / 1000));
    headers.append('Subscription-State', final ? `terminated;reason=${this.#reason}` : `active;expires=${remaining}`);
    const request = new SipRequest('NOTIFY', this.#remoteTarget, headers);
    request.setBody(rendered.body, PACKAGE_CONTENT_TYPES[this.pkg]);
    this.#dirty = false;
    this.#force = false;
    this.#lastKey = rendered.key;
    this.#lastSentAt = now;
    this.#notifyCount++;
    if (rendered.reported) this.#reported = rendered.reported;
    if (final) this.#finalSent = true;
    const token = {};
    this.#inFlight = token;
    const settle = (ok: boolean, detail: Readonly<Record<string, unknown>>): void => {
      if (this.#inFlight !== token) return;
      this.#inFlight = undefined;
      if (!ok) this.#host.log('info', 'NOTIFY failed', { pkg: this.pkg, ...detail });
      this.#result(ok);
    };
    try {
      this.#host.send(request, this.flowId, {
        onResponse: (response) => {
          if (response.status >= 200) settle(response.status < 300, { status: response.status });
        },
        onTimeout: () => settle(false, { status: 408 }),
        onTransportError: () => settle(false, { status: 430 }),
      });
    } catch (error) {
      settle(false, { error: String(error) });
    }
  }

  /** A NOTIFY was answered (ok: 2xx) or failed. */
  #result(ok: boolean): void {
    if (this.#state === 'terminated') return;
    if (this.#finalSent) {
      if (this.#apply(ok ? 'final-notify-done' : 'notify-failed')) this.#finish();
      return;
    }
    if (!ok) {
      // RFC 6665 §4.2.2: a failed NOTIFY (481, timeout, unreachable) removes the subscription, without another NOTIFY.
      if (this.#apply('notify-failed')) this.#finish();
      return;
    }
    this.#pump();
  }

  #scheduleExpiry(): void {
    this.#expiryTimer?.cancel();
    const delay = Math.max(0, this.#expiresAt - this.#host.clock.now());
    this.#expiryTimer = this.#host.clock.setTimer(() => {
      this.#expiryTimer = undefined;
      this.end('expire');
    }, delay);
  }

  #stopTimers(): void {
    this.#expiryTimer?.cancel();
    this.#expiryTimer = undefined;
    this.#holdTimer?.cancel();
    this.#holdTimer = undefined;
  }

  #finish(): void {
    this.#stopTimers();
    this.#host.ended(this);
  }
}
