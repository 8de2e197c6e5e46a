/**
 * The PBX's presence server (RFC 6665 notifier): SUBSCRIBE for `dialog` (BLF, RFC 4235), `presence` (PIDF,
 * RFC 3856/3863) and `message-summary` (MWI, RFC 3842); NOTIFYs as in-dialog requests over the watcher's flow;
 * availability changes pushed to the PBX event bus.
 */
import type { Availability, MessageCounts } from '../../core/presence/index.js';
import type { PbxEvent } from '../events.js';
import type { LineDialog } from '../line-states.js';
import {
  randomTag,
  type AuthenticatedUser,
  type RegistrationEvent,
  type ServerTransaction,
  type SipAddress,
  type SipClock,
  type SipFlow,
  type SipLogLevel,
  type SipRequest,
  type SipRequestContext,
  systemClock,
} from '../sip/index.js';
import type { Tenant, User } from '../store/index.js';
import { AvailabilityTracker, type AvailabilityState } from './availability.js';
import { renderDialogInfo, renderMessageSummary, renderPresence } from './documents.js';
import {
  DEFAULT_PRESENCE_LIMITS,
  type PresenceLimits,
  type PresenceServer,
  type PresenceServerOptions,
  type PresenceSubscriptionInfo,
} from './options.js';
import {
  acceptsType,
  ALLOW_EVENTS,
  PACKAGE_CONTENT_TYPES,
  packageOf,
  parseEventHeader,
  type EventHeader,
  type PresenceEventPackage,
} from './packages.js';
import { Subscription, type SubscriptionBody, type SubscriptionHost } from './subscription.js';

type Header = readonly [string, string];

const NO_MESSAGES: MessageCounts = Object.freeze({ newMessages: 0, oldMessages: 0 });

/** A Warning header (399: miscellaneous) in our own words; never text taken from the request. */
function warning(text: string): Header {
  return ['Warning', `399 centrex-pbx "${text}"`];
}

/** The identity of a subscription: its dialog (Call-ID and both tags), package and Event id (RFC 6665 §4.1.2). */
function subscriptionKey(callId: string, remoteTag: string, localTag: string, pkg: PresenceEventPackage, id: string | undefined): string {
  return [callId, remoteTag, localTag, pkg, id ?? ''].join('\u0000');
}

/** The reply to a SUBSCRIBE that is refused. */
interface Refusal {
  readonly status: number;
  readonly reason?: string;
  readonly headers?: readonly Header[];
}

/**
 * Creates the presence server. The composition passes every SUBSCRIBE and PUBLISH to
 * {@link PresenceServer.handleSubscribe} and every registration change to {@link PresenceServer.handleRegistration}.
 *
 * @example
 * ```ts
 * let presence: PresenceServer | undefined;
 * const sip = new SipServer({
 *   realmFor, findCredential,
 *   onRequest: (request, transaction, context) => {
 *     if (presence?.handleSubscribe(request, transaction, context)) return;
 *     return router.handle(request, transaction, context);
 *   },
 *   onRegistration: (event) => presence?.handleRegistration(event),
 *   clock,
 * });
 * presence = createPresenceServer({ sip, store, events, lines, clock });
 * ```
 */
export function createPresenceServer(options: PresenceServerOptions): PresenceServer {
  return new Presence(options);
}

class Presence implements PresenceServer {
  readonly #options: PresenceServerOptions;
  readonly #limits: PresenceLimits;
  readonly #clock: SipClock;
  readonly #tracker: AvailabilityTracker;
  readonly #host: SubscriptionHost;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #byTarget = new Map<string, Set<Subscription>>();
  readonly #perWatcher = new Map<string, number>();
  readonly #messageCounts = new Map<string, MessageCounts>();
  readonly #unlisten: Array<() => void> = [];
  #closed = false;
  /** Users whose calls changed while the current SIP message was handled (see #lineChanged). */
  readonly #changedLines = new Set<string>();
  #linesFlush = false;
  /** Users in an established call when availability was last computed for a call change. */
  readonly #inCall = new Set<string>();

  constructor(options: PresenceServerOptions) {
    this.#options = options;
    this.#limits = {
      ...DEFAULT_PRESENCE_LIMITS,
      ...options.limits,
      defaultExpires: { ...DEFAULT_PRESENCE_LIMITS.defaultExpires, ...options.limits?.defaultExpires },
    };
    this.#clock = options.clock ?? systemClock;
    this.#tracker = new AvailabilityTracker({
      sip: options.sip,
      store: options.store,
      lines: options.lines,
      now: () => this.#clock.now(),
      changed: (userId, state) => this.#availabilityChanged(userId, state),
    });
    this.#host = {
      clock: this.#clock,
      minNotifyIntervalMs: this.#limits.minNotifyIntervalMs,
      render: (subscription) => this.#render(subscription),
      send: (request, flowId, handlers) => {
        this.#options.sip.sendRequest(request, { flowId }, handlers);
      },
      ended: (subscription) => this.#forget(subscription),
      log: (level, message, data) => this.#log(level, message, data),
    };
    this.#unlisten.push(options.lines.on((dialog) => this.#safely(() => this.#lineChanged(dialog))));
    this.#unlisten.push(options.events.on((event) => this.#safely(() => this.#pbxEvent(event))));
  }

  // ---- public API -------------------------------------------------------------------------------------------

  handleSubscribe(request: SipRequest, transaction: ServerTransaction | undefined, context: SipRequestContext): boolean {
    if (!transaction) return false;
    if (request.method === 'PUBLISH') {
      // Presence is what the PBX sees (registrations, calls, DND); a client cannot publish a state of its own.
      this.#reply(transaction, { status: 489, reason: 'Bad Event', headers: [warning('PUBLISH is not accepted: presence is derived by the PBX')] });
      return true;
    }
    if (request.method !== 'SUBSCRIBE') return false;
    if (this.#closed) {
      this.#reply(transaction, { status: 503, headers: [['Retry-After', '30']] });
      return true;
    }
    try {
      this.#subscribe(request, transaction, context);
    } catch (error) {
      this.#log('error', 'SUBSCRIBE handling failed', { error: String(error) });
      if (transaction.finalResponse === undefined) this.#reply(transaction, { status: 500 });
    }
    return true;
  }

  handleRegistration(event: RegistrationEvent): void {
    if (this.#closed) return;
    // A refresh changes no device set (and its binding was learned when it was registered): skipping it keeps
    // registration storms cheap.
    if (event.type === 'refreshed') return;
    this.#safely(() => {
      this.#tracker.learnBinding(event.binding);
      this.#tracker.reevaluate(event.binding.owner.userId);
    });
  }

  availabilityOf(userId: string): Availability {
    return this.#tracker.refresh(userId).availability;
  }

  setMessageCounts(userId: string, counts: MessageCounts): void {
    const clean = (value: number | undefined): number => (Number.isSafeInteger(value) && (value ?? 0) >= 0 ? (value ?? 0) : 0);
    const next: MessageCounts =
      counts.newUrgentMessages === undefined || counts.oldUrgentMessages === undefined
        ? { newMessages: clean(counts.newMessages), oldMessages: clean(counts.oldMessages) }
        : {
            newMessages: clean(counts.newMessages),
            oldMessages: clean(counts.oldMessages),
            newUrgentMessages: clean(counts.newUrgentMessages),
            oldUrgentMessages: clean(counts.oldUrgentMessages),
          };
    this.#messageCounts.set(userId, next);
    this.#notifyTarget(userId, 'message-summary');
  }

  subscriptions(): PresenceSubscriptionInfo[] {
    return [...this.#subscriptions.values()].map((subscription) => ({
      pkg: subscription.pkg,
      watcherUserId: subscription.watcher.userId,
      targetUserId: subscription.target.userId,
      state: subscription.state,
      expiresAt: subscription.expiresAt,
      callId: subscription.callId,
    }));
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#changedLines.clear();
    for (const unlisten of this.#unlisten.splice(0)) unlisten();
    for (const subscription of [...this.#subscriptions.values()]) subscription.shutdown();
    this.#subscriptions.clear();
    this.#byTarget.clear();
    this.#perWatcher.clear();
  }

  // ---- SUBSCRIBE ----------------------------------------------------------------------------------------------

  #subscribe(request: SipRequest, transaction: ServerTransaction, context: SipRequestContext): void {
    const event = parseEventHeader(request.headers.get('Event'));
    if (!event) {
      this.#reply(transaction, { status: 400, headers: [warning('A SUBSCRIBE needs a well-formed Event header')] });
      return;
    }
    const pkg = packageOf(event.type);
    if (!pkg) {
      this.#reply(transaction, { status: 489, reason: 'Bad Event', headers: [['Allow-Events', ALLOW_EVENTS]] });
      return;
    }
    // The SIP server leaves Require to the UAS; for SUBSCRIBE that is us, and we support no extension there.
    const required = request.headers.getAll('Require').filter((tag) => tag.trim() !== '');
    if (required.length > 0) {
      const tokens = required.map((tag) => tag.trim()).filter((tag) => /^[A-Za-z0-9\-.!%*_+`'~]{1,64}$/.test(tag));
      this.#reply(transaction, { status: 420, headers: tokens.slice(0, 10).map((tag): Header => ['Unsupported', tag]) });
      return;
    }
    const requested = request.expires;
    if (request.headers.has('Expires') && requested === undefined) {
      this.#reply(transaction, { status: 400, headers: [warning('Malformed Expires header')] });
      return;
    }
    // Answers 407 (or 403 for a foreign domain, or nothing for a locked-out address) itself when this fails.
    const watcher = this.#options.sip.authenticate(request, transaction);
    if (!watcher) return;
    const toTag = request.toTag;
    if (toTag === undefined) this.#initialSubscribe(request, transaction, context.flow, watcher, pkg, event, requested);
    else this.#resubscribe(request, transaction, watcher, pkg, event, toTag, requested);
  }

  #initialSubscribe(
    request: SipRequest,
    transaction: ServerTransaction,
    flow: SipFlow,
    watcher: AuthenticatedUser,
    pkg: PresenceEventPackage,
    event: EventHeader,
    requested: number | undefined,
  ): void {
    const fromTag = request.fromTag;
    const from = request.headers.get('From');
    const to = request.headers.get('To');
    if (fromTag === undefined || fromTag === '' || from === undefined || to === undefined) {
      this.#reply(transaction, { status: 400, headers: [warning('From needs a tag')] });
      return;
    }
    const remoteTarget = this.#singleContact(request);
    if (remoteTarget === undefined) {
      this.#reply(transaction, { status: 400, headers: [warning('A SUBSCRIBE needs exactly one SIP Contact')] });
      return;
    }
    const found = this.#findTarget(request, watcher, pkg);
    if ('status' in found) {
      this.#reply(transaction, found);
      return;
    }
    const { tenant, user } = found;
    const contentType = PACKAGE_CONTENT_TYPES[pkg];
    if (!acceptsType(request.headers.getAll('Accept'), contentType)) {
      this.#reply(transaction, { status: 406, reason: 'Not Acceptable', headers: [['Accept', contentType]] });
      return;
    }
    const granted = this.#grant(requested ?? this.#limits.defaultExpires[pkg]);
    if (typeof granted !== 'number') {
      this.#reply(transaction, granted);
      return;
    }
    if (this.#subscriptions.size >= this.#limits.maxSubscriptions) {
      this.#reply(transaction, { status: 503, headers: [['Retry-After', '60'], warning('Too many subscriptions on this server')] });
      return;
    }
    if ((this.#perWatcher.get(watcher.userId) ?? 0) >= this.#limits.maxSubscriptionsPerWatcher) {
      this.#reply(transaction, { status: 403, headers: [warning('Too many subscriptions for this user')] });
      return;
    }
    const localTag = randomTag();
    const entity = `sip:${user.extension}@${tenant.sipDomain}`;
    const contact = this.#ourContact(flow, user.extension);
    const recordRoutes = request.headers.getAll('Record-Route');
    const subscription = new Subscription(
      {
        key: subscriptionKey(request.callId, fromTag, localTag, pkg, event.id),
        pkg,
        entity,
        eventId: event.id,
        callId: request.callId,
        remoteTag: fromTag,
        localTag,
        remoteCSeq: request.cseq?.seq ?? 0,
        localAddress: `${to};tag=${localTag}`,
        remoteAddress: from,
        remoteTarget,
        routeSet: recordRoutes,
        contact,
        flowId: flow.id,
        watcher: { userId: watcher.userId, tenantId: watcher.tenantId },
        target: { userId: user.id, tenantId: tenant.id },
        expiresAt: this.#clock.now() + granted * 1000,
      },
      this.#host,
    );
    this.#remember(subscription);
    this.#reply(transaction, {
      status: 200,
      headers: [
        ...recordRoutes.map((route): Header => ['Record-Route', route]),
        ['Contact', contact],
        ['Expires', String(granted)],
        ['Allow-Events', ALLOW_EVENTS],
      ],
      toTag: localTag,
    });
    this.#log('debug', 'subscription accepted', { pkg, watcher: watcher.userId, target: user.id, expires: granted });
    // Expires 0 is a fetch (RFC 6665 §4.4.3): one NOTIFY with the state and `terminated`.
    if (granted === 0) subscription.end('unsubscribe');
    else subscription.start();
  }

  #resubscribe(
    request: SipRequest,
    transaction: ServerTransaction,
    watcher: AuthenticatedUser,
    pkg: PresenceEventPackage,
    event: EventHeader,
    toTag: string,
    requested: number | undefined,
  ): void {
    const subscription = this.#subscriptions.get(subscriptionKey(request.callId, request.fromTag ?? '', toTag, pkg, event.id));
    if (!subscription || subscription.state !== 'active') {
      this.#reply(transaction, { status: 481, headers: [warning('No such subscription')] });
      return;
    }
    if (subscription.watcher.userId !== watcher.userId) {
      this.#reply(transaction, { status: 403, headers: [warning('Not your subscription')] });
      return;
    }
    if (!subscription.acceptCSeq(request.cseq?.seq ?? 0)) {
      this.#reply(transaction, { status: 500, reason: 'Out of Order' });
      return;
    }
    const granted = this.#grant(requested ?? this.#limits.defaultExpires[pkg]);
    if (typeof granted !== 'number') {
      this.#reply(transaction, granted);
      return;
    }
    const remoteTarget = request.headers.has('Contact') ? this.#singleContact(request) : undefined;
    this.#reply(transaction, {
      status: 200,
      headers: [
        ['Contact', subscription.contact],
        ['Expires', String(granted)],
      ],
    });
    if (granted === 0) subscription.end('unsubscribe');
    else subscription.refresh(this.#clock.now() + granted * 1000, remoteTarget);
  }

  /** The granted duration in seconds, or the refusal (423) for one that is too short. */
  #grant(requested: number): number | Refusal {
    if (requested > 0 && requested < this.#limits.minExpires) {
      return { status: 423, headers: [['Min-Expires', String(this.#limits.minExpires)]] };
    }
    return Math.min(requested, this.#limits.maxExpires);
  }

  /** The watched user: the Request-URI's user part as an extension of the tenant its domain names. */
  #findTarget(request: SipRequest, watcher: AuthenticatedUser, pkg: PresenceEventPackage): { tenant: Tenant; user: User } | Refusal {
    const uri = request.sipUri;
    const extension = uri?.user;
    if (!uri || extension === undefined || extension === '') return { status: 404 };
    const { store, sip } = this.#options;
    // A phone configured with the PBX's address instead of its domain watches within its own company.
    const tenant = store.findTenantBySipDomain(uri.host.toLowerCase()) ?? (sip.isOwnUri(request.uri) ? store.getTenant(watcher.tenantId) : undefined);
    if (!tenant) return { status: 404 };
    if (tenant.id !== watcher.tenantId) {
      return { status: 403, headers: [warning('Only colleagues of the same company can be watched')] };
    }
    const user = store.findUserByExtension(tenant.id, extension);
    if (!user) return { status: 404 };
    if (pkg === 'message-summary' && user.id !== watcher.userId) {
      // Message counts of someone else's mailbox are private.
      return { status: 403, headers: [warning('Only the owner of a mailbox can watch it')] };
    }
    return { tenant, user };
  }

  /** The URI of the SUBSCRIBE's only Contact, or undefined when there is not exactly one SIP/SIPS URI. */
  #singleContact(request: SipRequest): string | undefined {
    const contacts = request.contacts;
    if (contacts.length !== 1) return undefined;
    const contact = contacts[0];
    if (!contact || 'star' in contact) return undefined;
    const address: SipAddress = contact;
    return address.sipUri ? address.uri : undefined;
  }

  /**
   * Our Contact: the watched extension at the address this flow reaches us on (the SIP server's advertised host and
   * port for the flow), so that refreshes come back here.
   */
  #ourContact(flow: SipFlow, extension: string): string {
    const route = this.#options.sip.recordRoute(flow);
    const hostPort = /@([^;>]+)/.exec(route)?.[1] ?? flow.local.address;
    return `<sip:${extension}@${hostPort};transport=${flow.transport}>`;
  }

  #reply(transaction: ServerTransaction, refusal: Refusal & { readonly toTag?: string }): void {
    transaction.reply(refusal.status, {
      ...(refusal.reason === undefined ? {} : { reason: refusal.reason }),
      ...(refusal.toTag === undefined ? {} : { toTag: refusal.toTag }),
      headers: [...(refusal.headers ?? []), ['Server', 'centrex-pbx']],
    });
  }

  // ---- subscriptions ------------------------------------------------------------------------------------------

  #remember(subscription: Subscription): void {
    this.#subscriptions.set(subscription.key, subscription);
    let ofTarget = this.#byTarget.get(subscription.target.userId);
    if (!ofTarget) this.#byTarget.set(subscription.target.userId, (ofTarget = new Set()));
    ofTarget.add(subscription);
    this.#perWatcher.set(subscription.watcher.userId, (this.#perWatcher.get(subscription.watcher.userId) ?? 0) + 1);
  }

  #forget(subscription: Subscription): void {
    if (this.#subscriptions.get(subscription.key) !== subscription) return;
    this.#subscriptions.delete(subscription.key);
    const ofTarget = this.#byTarget.get(subscription.target.userId);
    ofTarget?.delete(subscription);
    if (ofTarget?.size === 0) this.#byTarget.delete(subscription.target.userId);
    const count = (this.#perWatcher.get(subscription.watcher.userId) ?? 1) - 1;
    if (count > 0) this.#perWatcher.set(subscription.watcher.userId, count);
    else this.#perWatcher.delete(subscription.watcher.userId);
    this.#log('debug', 'subscription ended', { pkg: subscription.pkg, target: subscription.target.userId });
  }

  #render(subscription: Subscription): SubscriptionBody {
    const userId = subscription.target.userId;
    switch (subscription.pkg) {
      case 'dialog':
        return renderDialogInfo({
          entity: subscription.entity,
          dialogs: this.#options.lines.dialogsOf(userId),
          reported: subscription.reportedDialogs,
          version: subscription.notifyCount,
          now: this.#clock.now(),
        });
      case 'presence': {
        const state = this.#tracker.known(userId);
        return renderPresence({ entity: subscription.entity, availability: state.availability, since: state.since });
      }
      case 'message-summary':
        return renderMessageSummary({ account: subscription.entity, voice: this.#messageCounts.get(userId) ?? NO_MESSAGES });
    }
  }

  #notifyTarget(userId: string, pkg: PresenceEventPackage): void {
    const ofTarget = this.#byTarget.get(userId);
    if (!ofTarget) return;
    for (const subscription of [...ofTarget]) if (subscription.pkg === pkg) subscription.changed();
  }

  // ---- changes ------------------------------------------------------------------------------------------------

  /**
   * A user's call changed. Watchers are told once the router has finished with the SIP message that caused it (a
   * microtask), so that an INVITE or a 180 is forwarded first and the notifications follow; changes made while
   * handling one message give one NOTIFY with the latest state, as RFC 4235 allows. Availability depends on calls only
   * through "in a call or not", so it is recomputed (store lookups) only when that flips, not on every step of a
   * call.
   */
  #lineChanged(dialog: LineDialog): void {
    if (this.#closed) return;
    this.#changedLines.add(dialog.userId);
    if (this.#linesFlush) return;
    this.#linesFlush = true;
    queueMicrotask(() => {
      this.#linesFlush = false;
      if (this.#closed) return;
      const users = [...this.#changedLines];
      this.#changedLines.clear();
      for (const userId of users) {
        this.#safely(() => {
          this.#notifyTarget(userId, 'dialog');
          const busy = this.#options.lines.isBusy(userId);
          if (busy === this.#inCall.has(userId)) return;
          if (busy) this.#inCall.add(userId);
          else this.#inCall.delete(userId);
          this.#tracker.reevaluate(userId);
        });
      }
    });
  }

  #pbxEvent(event: PbxEvent): void {
    if (this.#closed) return;
    switch (event.type) {
      case 'settings-changed':
      case 'registration':
        this.#tracker.reevaluate(event.userId);
        return;
      case 'data-changed':
        if (event.area === 'devices' && event.userId !== undefined) this.#tracker.reevaluate(event.userId);
        if (event.area === 'users') this.#usersChanged(event.tenantId);
        return;
      default:
        return;
    }
  }

  /** Users of a tenant were edited: subscriptions of deleted watchers or to deleted users end. */
  #usersChanged(tenantId: string): void {
    const { store } = this.#options;
    const exists = new Map<string, boolean>();
    const alive = (userId: string): boolean => {
      let known = exists.get(userId);
      if (known === undefined) exists.set(userId, (known = store.getUser(userId) !== undefined));
      return known;
    };
    for (const subscription of [...this.#subscriptions.values()]) {
      if (subscription.target.tenantId !== tenantId || subscription.state !== 'active') continue;
      if (!alive(subscription.target.userId)) subscription.end('target-gone');
      else if (!alive(subscription.watcher.userId)) subscription.end('revoke');
    }
    for (const [userId, isAlive] of exists) if (!isAlive) this.#tracker.forget(userId);
  }

  #availabilityChanged(userId: string, state: AvailabilityState): void {
    const user = this.#options.store.getUser(userId);
    if (user) {
      this.#options.events.emit({
        type: 'presence',
        tenantId: user.tenantId,
        userId,
        extension: user.extension,
        availability: state.availability,
      });
    }
    this.#notifyTarget(userId, 'presence');
  }

  // ---- helpers ------------------------------------------------------------------------------------------------

  #log(level: SipLogLevel, message: string, data?: Readonly<Record<string, unknown>>): void {
    try {
      this.#options.log?.(level, message, data);
    } catch {
      // A broken logger must not break presence.
    }
  }

  #safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#log('error', 'presence update failed', { error: String(error) });
    }
  }
}
