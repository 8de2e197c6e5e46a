/**
 * The phone: one SIP user agent over WebSocket that registers with digest authentication, keeps its connection
 * alive, and recovers on its own when the connection drops. Everything else hangs off it: `phone.calls`,
 * `phone.presence`, `phone.media`, `phone.ringer`, `phone.notifications`.
 *
 * This module and its siblings are the only place in the SDK that uses sip.js.
 *
 * @packageDocumentation
 */
import { Grammar, SIPExtension, UserAgent, UserAgentState, type Core, type NameAddrHeader, type SessionDescriptionHandlerFactory, type URI } from 'sip.js';
import { CentrexError } from '../errors.js';
import type { DialPlan } from '../numbers/index.js';
import { backoffDelay, checkBackoffPolicy, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { CallManager, type CallOptions } from './call-manager.js';
import { mergeCapabilities, NO_CAPABILITIES, parseCapabilities, type SipCapabilities } from './capabilities.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { Emitter } from './emitter.js';
import { installGrammarCache } from './grammar-cache.js';
import { silentLogger, type Logger } from './logger.js';
import { defaultMediaEnvironment, MediaController, type MediaEnvironment } from './media.js';
import { CallNotifier, type CallNotifierOptions } from './notifications.js';
import { PresenceWatcher, type PresenceOptions } from './presence-watcher.js';
import { REGISTRATION_TRANSITIONS, type RegistrationState } from './registration-state.js';
import { Ringer, type RingPattern, type RingTone } from './ringer.js';
import { OfferPreparer, RingingOffers } from './prepared-offer.js';
import { createPhoneSessionDescriptionHandler, createSessionDescriptionHandlerFactory, type IceOptions } from './session-description-handler.js';
import { assertTransition } from './state-machine.js';
import { dialTargetToUri } from './targets.js';
import { DEFAULT_KEEP_ALIVE, globalWebSocketFactory, WebSocketTransport, type KeepAliveOptions, type WebSocketFactory } from './transport.js';

/** Options of a {@link Phone}. Only `server`, `uri` and a password (or HA1) are required. */
export interface PhoneOptions {
  /** The PBX's SIP WebSocket, e.g. `wss://pbx.example.com:8089/ws`. */
  readonly server: string;
  /** The user's SIP address of record, e.g. `sip:1001@pbx.example.com`. */
  readonly uri: string;
  /**
   * The password. Kept in memory only, never written to `localStorage`, `sessionStorage` or IndexedDB. Prefer a
   * short-lived token from the Centrex API where the PBX accepts one.
   */
  readonly password?: string | undefined;
  /** Instead of the password: MD5(username:realm:password), so the password itself never reaches the browser. */
  readonly ha1?: string | undefined;
  /** The authentication user name; default: the user part of `uri`. */
  readonly username?: string | undefined;
  /**
   * The only realm the credentials are given to. A challenge for any other realm is refused (`untrusted-realm`).
   * Default: the host part of `uri`.
   */
  readonly realm?: string | undefined;
  /** The name shown to people this user calls. */
  readonly displayName?: string | undefined;
  /** How dialled numbers are read (`{ country: 'DE' }`); without one, digits are dialled as typed. */
  readonly dialPlan?: DialPlan | undefined;
  /**
   * A UUID naming this device (`+sip.instance`, RFC 5626). Keep it stable per device (the app may store it; it is
   * no secret) so the PBX recognizes the device after a reconnect. Default: a random one per Phone.
   */
  readonly instanceId?: string | undefined;
  /** Registration lifetime requested, in seconds; refreshed before it ends. Default: 600. */
  readonly registerExpires?: number | undefined;
  /** Milliseconds to wait for the PBX's answer to REGISTER before reconnecting. Default: 10000. */
  readonly registerTimeout?: number | undefined;
  /** Milliseconds to wait for the WebSocket to open. Default: 5000. */
  readonly connectTimeout?: number | undefined;
  /** CRLF keep-alive; see {@link KeepAliveOptions}. Default: ping every 7.2–9 s, answer within 5 s. */
  readonly keepAlive?: Partial<KeepAliveOptions> | undefined;
  /** Reconnect spacing; see {@link BackoffPolicy}. Default: 0.5 s doubling to 30 s, with 50 % jitter. */
  readonly reconnect?: Partial<BackoffPolicy> | undefined;
  /** ICE: STUN/TURN servers and how soon descriptions are sent; see {@link IceOptions}. */
  readonly ice?: Partial<IceOptions> | undefined;
  /** Call behaviour: voicemail target, call waiting, intercom, DTMF; see {@link CallOptions}. */
  readonly calls?: CallOptions | undefined;
  /** BLF / presence / message-waiting subscriptions; see {@link PresenceOptions}. */
  readonly presence?: PresenceOptions | undefined;
  /** Browser notifications for incoming calls; see {@link CallNotifierOptions}. */
  readonly notifications?: CallNotifierOptions | undefined;
  /** Replaces the ringer's built-in patterns. */
  readonly ringTones?: Partial<Record<RingPattern, RingTone>> | undefined;
  /** Where diagnostics go. Default: nowhere. */
  readonly logger?: Logger | undefined;
  /** Log every SIP message at debug level. Default: false. */
  readonly traceSip?: boolean | undefined;
  /**
   * Opens the WebSocket. Default: the global `WebSocket` (browsers, Node 22+). In Node 20 pass one built on the
   * `ws` package: `(url, protocol) => new WebSocket(url, protocol)`.
   */
  readonly webSocket?: WebSocketFactory | undefined;
  /** Browser media APIs; default: the globals. Tests pass fakes. */
  readonly media?: MediaEnvironment | undefined;
  /** Time, timers and randomness; default: the system clock. Tests pass a fake clock. */
  readonly clock?: Clock | undefined;
  /** The `User-Agent` header. */
  readonly userAgentString?: string | undefined;
  /** Reconnect at once when the browser reports the network is back (`online` event). Default: true. */
  readonly watchNetwork?: boolean | undefined;
  /**
   * Replaces the WebRTC session description handler factory (tests without WebRTC).
   * @internal
   */
  readonly sessionDescriptionHandlerFactory?: SessionDescriptionHandlerFactory | undefined;
}

/** Events of a {@link Phone}. */
export interface PhoneEventMap {
  /** The registration state changed. */
  statechange: { readonly from: RegistrationState; readonly to: RegistrationState };
  /** The phone is registered: calls can be made and received. `recovered` after a reconnect. */
  registered: { readonly recovered: boolean; readonly expires: number };
  /** The registration was removed by `stop()`. */
  unregistered: Record<string, never>;
  /** The connection was lost or could not be made; the next attempt starts after `delay` ms. */
  reconnecting: { readonly attempt: number; readonly delay: number; readonly error: CentrexError };
  /** Registered again after a loss; `downtime` in ms from the loss to the new registration. */
  reconnected: { readonly attempts: number; readonly downtime: number };
  /** The PBX's announced capabilities were learned or changed. */
  capabilities: { readonly capabilities: SipCapabilities };
  /** Something failed that the application should show (auth failure, unreachable server). */
  error: { readonly error: CentrexError };
}

type RegisterOutcome =
  | { kind: 'ok'; expires: number; capabilities: SipCapabilities; flowTimer: number | undefined }
  | { kind: 'auth'; status: number }
  | { kind: 'untrusted-realm'; realm: string }
  | { kind: 'failed'; status: number; retryAfter: number | undefined }
  | { kind: 'timeout' };

const ALLOWED_METHODS = ['ACK', 'CANCEL', 'INVITE', 'MESSAGE', 'BYE', 'OPTIONS', 'INFO', 'NOTIFY', 'REFER'];

/**
 * A SIP phone for one user.
 *
 * Registration is an explicit state machine ({@link RegistrationStates}, diagram in `registration-state.ts`): every
 * change goes through one private `transition()` that checks {@link REGISTRATION_TRANSITIONS}, logs, and emits
 * `statechange`.
 *
 * Connection hygiene:
 * - RFC 5626 outbound: the Contact carries `reg-id` and `+sip.instance`; CRLF keep-alives detect a silent network
 *   within 14 s with the defaults; a registrar's `Flow-Timer` shortens the interval.
 * - Recovery: when the WebSocket drops, the phone reconnects with exponential backoff and jitter, re-registers,
 *   re-subscribes, and refreshes calls in progress with a re-INVITE that restarts ICE (media between browsers goes
 *   on meanwhile). Events: `reconnecting`, `reconnected`.
 * - Credentials are answered only for the configured realm and are never stored.
 *
 * @example
 * ```ts
 * const phone = new Phone({ server: 'wss://pbx.example.com/ws', uri: 'sip:1001@pbx.example.com', password });
 * phone.on('statechange', ({ to }) => status.textContent = to);
 * await phone.start();
 * const call = await phone.calls.dial('1002');
 * ```
 */
export class Phone extends Emitter<PhoneEventMap> {
  /** All calls. */
  readonly calls: CallManager;
  /** BLF, presence and message-waiting subscriptions. */
  readonly presence: PresenceWatcher;
  /** Devices and media. */
  readonly media: MediaController;
  /** The ringer. */
  readonly ringer: Ringer;
  /** Browser notifications for incoming calls. */
  readonly notifications: CallNotifier;

  readonly #options: PhoneOptions;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #aor: URI;
  readonly #domain: string;
  readonly #realm: string;
  readonly #backoff: BackoffPolicy;
  readonly #expires: number;
  readonly #registerTimeout: number;
  readonly #ua: UserAgent;
  #state: RegistrationState = 'idle';
  #capabilities: SipCapabilities = NO_CAPABILITIES;
  #registerRequest: Core.OutgoingRequestMessage | undefined;
  /** Increases whenever an attempt is superseded; callbacks of older attempts are ignored. */
  #generation = 0;
  #attempts = 0;
  #lostAt: number | undefined;
  #retryTimer: TimerHandle | undefined;
  #refreshTimer: TimerHandle | undefined;
  #pendingStart: { resolve: () => void; reject: (error: CentrexError) => void } | undefined;
  #refusedRealm: string | undefined;
  #expiresGranted = 0;
  #minExpires = 0;
  /** The credentials that last answered an INVITE challenge, reused to authorize the next INVITE up front. */
  #inviteAuth: { credentials: Core.DigestAuthentication; challenge: object; request: Core.OutgoingRequestMessage } | undefined;
  #removeNetworkListener: (() => void) | undefined;
  /** The next outgoing call's offer, made ahead (undefined with a custom description handler factory or no WebRTC). */
  readonly #offers: OfferPreparer | undefined;
  /** Incoming calls' offers, applied while they ring (same conditions). */
  readonly #ringingOffers: RingingOffers | undefined;

  /**
   * @throws CentrexError `invalid-argument` for a malformed server URL, SIP address or option
   */
  constructor(options: PhoneOptions) {
    const logger = options.logger ?? silentLogger;
    super((error, type) => logger.error(`phone: "${String(type)}" listener threw`, error));
    this.#options = options;
    this.#logger = logger;
    this.#clock = options.clock ?? systemClock;
    installGrammarCache();
    if (typeof options.server !== 'string' || !/^wss?:\/\/[^\s/]+/i.test(options.server)) {
      throw new CentrexError('invalid-argument', 'server must be a WebSocket URL such as wss://pbx.example.com/ws.', { details: { field: 'server' } });
    }
    const aor = typeof options.uri === 'string' ? UserAgent.makeURI(options.uri) : undefined;
    if (!aor || !aor.user || !aor.host) {
      throw new CentrexError('invalid-argument', 'uri must be a SIP address with a user, such as sip:1001@pbx.example.com.', { details: { field: 'uri' } });
    }
    if (!options.password && !options.ha1) {
      throw new CentrexError('invalid-argument', 'A password (or its HA1 hash) is needed to register.', { details: { field: 'password' } });
    }
    this.#aor = aor;
    this.#domain = aor.host;
    this.#realm = options.realm ?? aor.host;
    this.#backoff = { ...DEFAULT_BACKOFF, ...options.reconnect };
    checkBackoffPolicy(this.#backoff);
    this.#expires = options.registerExpires ?? 600;
    this.#registerTimeout = options.registerTimeout ?? 10_000;
    const createWebSocket = options.webSocket ?? globalWebSocketFactory();
    if (!createWebSocket) {
      throw new CentrexError('not-supported', 'This environment has no WebSocket. In Node 20 pass webSocket: (url, protocol) => new WebSocket(url, protocol) using the "ws" package.');
    }
    this.media = new MediaController(options.media ?? defaultMediaEnvironment(), logger);
    this.ringer = new Ringer(this.media, logger, options.ringTones);
    this.notifications = new CallNotifier(logger, options.notifications);
    const ice: IceOptions = {
      servers: options.ice?.servers ?? [],
      candidatePolicy: options.ice?.candidatePolicy ?? ((options.ice?.servers?.length ?? 0) > 0 ? 'reflexive' : 'first'),
      gatheringTimeout: options.ice?.gatheringTimeout ?? 1000,
      prepareCalls: options.ice?.prepareCalls ?? true,
      preparedOfferMaxAge: options.ice?.preparedOfferMaxAge ?? 120_000,
    };
    const mediaSettings = { media: this.media, ice, logger };
    const canPrepare = ice.prepareCalls && !options.sessionDescriptionHandlerFactory && typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function';
    const createHandler = () => createPhoneSessionDescriptionHandler(mediaSettings, this.#ua.getLogger('centrex.sdh'));
    this.#offers = canPrepare ? new OfferPreparer(createHandler, this.#clock, ice.preparedOfferMaxAge, logger) : undefined;
    this.#ringingOffers = canPrepare ? new RingingOffers(createHandler, logger) : undefined;
    const keepAlive: KeepAliveOptions = { ...DEFAULT_KEEP_ALIVE, ...options.keepAlive };
    this.#ua = new UserAgent({
      uri: aor,
      displayName: options.displayName ?? '',
      authorizationUsername: options.username ?? aor.user,
      ...(options.password ? { authorizationPassword: options.password } : {}),
      ...(options.ha1 ? { authorizationHa1: options.ha1 } : {}),
      ...(options.instanceId ? { instanceId: options.instanceId } : {}),
      ...(options.userAgentString ? { userAgentString: options.userAgentString } : {}),
      transportConstructor: WebSocketTransport,
      transportOptions: {
        server: options.server,
        createWebSocket,
        connectTimeout: options.connectTimeout ?? 5000,
        keepAlive,
        clock: this.#clock,
        logger,
        traceSip: options.traceSip ?? false,
      },
      sessionDescriptionHandlerFactory: options.sessionDescriptionHandlerFactory ?? createSessionDescriptionHandlerFactory(mediaSettings, { offers: this.#offers, answers: this.#ringingOffers }),
      sipExtensionReplaces: SIPExtension.Supported,
      sipExtensionExtraSupported: ['gruu'],
      logBuiltinEnabled: false,
      logLevel: options.traceSip ? 'debug' : 'warn',
      logConnector: (level, category, _label, content) => {
        const line = `[${category}] ${content}`;
        if (level === 'error') logger.error(line);
        else if (level === 'warn') logger.warn(line);
        else logger.debug(line);
      },
      delegate: {
        onInvite: (invitation) => this.calls._onInvitation(invitation),
        onDisconnect: (error) => this.#onTransportLost(error),
      },
    });
    this.#guardCredentials();
    const link = {
      userAgent: this.#ua,
      logger,
      clock: this.#clock,
      domain: this.#domain,
      ownUri: aor.toString(),
      isRegistered: () => this.#state === 'registered',
    };
    const customMedia = options.sessionDescriptionHandlerFactory !== undefined;
    this.calls = new CallManager(
      {
        ...link,
        media: this.media,
        ringer: this.ringer,
        notifier: this.notifications,
        dialPlan: options.dialPlan,
        canCall: () => customMedia || typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection === 'function',
        preAuthenticate: (request) => this.#preAuthenticate(request),
        prepareAnswer: (invitation) => this.#ringingOffers?.apply(invitation),
      },
      options.calls,
    );
    this.presence = new PresenceWatcher({ ...link, toUri: (target) => this.#toUri(target) }, options.presence);
    // The next offer is made when a call ends rather than when one starts, to leave the CPU to the new call.
    this.calls.on('ended', ({ call }) => {
      this.#ringingOffers?.release(call._session);
      if (this.#state === 'registered') this.#offers?.prepare();
    });
  }

  /** The registration state; see {@link RegistrationStates}. */
  get state(): RegistrationState {
    return this.#state;
  }

  /** Whether the phone is registered (calls possible). */
  get registered(): boolean {
    return this.#state === 'registered';
  }

  /** The user's address of record. */
  get uri(): string {
    return this.#aor.toString();
  }

  /** The `+sip.instance` UUID of this device. */
  get instanceId(): string {
    return this.#ua.instanceId;
  }

  /** What the PBX announced (methods, extensions, event packages) in its REGISTER and OPTIONS responses. */
  get capabilities(): SipCapabilities {
    return this.#capabilities;
  }

  /** The registration lifetime the PBX granted, in seconds (0 when not registered). */
  get expires(): number {
    return this.#state === 'registered' ? this.#expiresGranted : 0;
  }

  /**
   * Whether the next outgoing audio call starts from a prepared offer (see {@link IceOptions.prepareCalls}): the
   * phone makes one when it registers and after each call, which takes a few milliseconds.
   */
  get offerPrepared(): boolean {
    return this.#offers?.ready ?? false;
  }

  /**
   * Makes the next call's offer now, if none is ready — for example when the user opens the dialer. The phone does
   * this by itself after registering and after each call; an offer older than
   * {@link IceOptions.preparedOfferMaxAge} is replaced.
   */
  prepareCall(): void {
    if (this.#state === 'registered') this.#offers?.prepare();
  }

  /**
   * Connects and registers. Resolves once registered.
   *
   * When the server cannot be reached the promise rejects with `server-unreachable`, and the phone keeps trying
   * with backoff (watch `reconnecting`, `registered`); call {@link Phone.stop} to give up. When the PBX refuses the
   * credentials it rejects with `auth-failed` (or `untrusted-realm`) and stops trying.
   */
  start(): Promise<void> {
    if (this.#state === 'registered') return Promise.resolve();
    if (this.#state === 'connecting' || this.#state === 'registering' || this.#state === 'reconnecting') {
      return new Promise((resolve, reject) => this.#chainPendingStart(resolve, reject));
    }
    if (this.#state === 'unregistering') {
      return Promise.reject(new CentrexError('invalid-call-state', 'The phone is stopping; wait for stop() to finish, then start again.'));
    }
    this.#attempts = 0;
    this.#lostAt = undefined;
    const promise = new Promise<void>((resolve, reject) => this.#chainPendingStart(resolve, reject));
    this.#watchNetwork();
    void this.#connectAndRegister();
    return promise;
  }

  /**
   * Hangs up all calls, ends subscriptions, removes the registration and closes the connection. The phone can be
   * started again.
   */
  async stop(): Promise<void> {
    this.#generation++;
    this.#clearTimers();
    this.#removeNetworkListener?.();
    this.#removeNetworkListener = undefined;
    this.#offers?.discard();
    const wasRegistered = this.#state === 'registered';
    if (this.#state === 'stopped' || this.#state === 'idle') {
      if (this.#state === 'idle') this.#transition('stopped');
      return;
    }
    this.#failPendingStart(new CentrexError('not-registered', 'The phone was stopped before it registered.'));
    this.ringer.stop();
    await this.calls.hangupAll();
    this.presence._stop();
    // Ending the calls prepared another offer (the phone was still registered then).
    this.#offers?.discard();
    if (wasRegistered) {
      this.#transition('unregistering');
      const generation = this.#generation;
      await this.#register(0).catch(() => undefined);
      if (generation !== this.#generation) return;
      this.emit('unregistered', {});
    }
    this.#transition('stopped');
    await this.#ua.transport.disconnect().catch(() => undefined);
  }

  /** Stops and releases everything (the phone cannot be started again). */
  async dispose(): Promise<void> {
    await this.stop();
    await this.ringer.dispose();
    this.media.coolDown();
    await this.#ua.stop().catch(() => undefined);
    this.removeAllListeners();
  }

  /**
   * Reconnects now instead of waiting for the next attempt or the keep-alive, e.g. when the app knows the network
   * changed. A registered phone drops its connection and recovers as after a loss.
   */
  reconnectNow(reason = 'reconnect requested'): void {
    if (this.#state === 'reconnecting') {
      this.#clearTimers();
      void this.#connectAndRegister();
      return;
    }
    if (this.#state === 'registered' || this.#state === 'registering') {
      const transport = this.#ua.transport;
      if (transport instanceof WebSocketTransport) transport.drop(reason);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  #transition(to: RegistrationState): void {
    const from = this.#state;
    if (from === to) return;
    assertTransition(REGISTRATION_TRANSITIONS, from, to, `phone ${this.#aor.toString()}`);
    this.#state = to;
    this.#logger.debug(`phone: ${from} → ${to}`);
    this.emit('statechange', { from, to });
  }

  async #connectAndRegister(): Promise<void> {
    const generation = ++this.#generation;
    this.#transition('connecting');
    try {
      if (this.#ua.state === UserAgentState.Started) await this.#ua.reconnect();
      else await this.#ua.start();
    } catch (error) {
      if (generation !== this.#generation) return;
      this.#retryLater(this.#unreachable(error));
      return;
    }
    if (generation !== this.#generation) return;
    this.#transition('registering');
    const outcome = await this.#register(Math.max(this.#expires, this.#minExpires));
    if (generation !== this.#generation) return;
    this.#handleOutcome(outcome, false);
  }

  #handleOutcome(outcome: RegisterOutcome, refresh: boolean): void {
    switch (outcome.kind) {
      case 'ok': {
        this.#expiresGranted = outcome.expires;
        if (outcome.flowTimer !== undefined) this.#applyFlowTimer(outcome.flowTimer);
        this.#scheduleRefresh(outcome.expires);
        this.#setCapabilities(mergeCapabilities(this.#capabilities, outcome.capabilities));
        if (refresh) return;
        const recovered = this.#lostAt !== undefined;
        const attempts = this.#attempts;
        const downtime = recovered ? this.#clock.now() - (this.#lostAt ?? 0) : 0;
        this.#attempts = 0;
        this.#lostAt = undefined;
        this.#transition('registered');
        this.#logger.info(`phone: registered as ${this.#aor.toString()} for ${outcome.expires} s`);
        this.emit('registered', { recovered, expires: outcome.expires });
        this.#resolvePendingStart();
        this.#queryCapabilities();
        this.presence._onRegistered(recovered);
        this.#offers?.prepare();
        if (recovered) {
          this.emit('reconnected', { attempts, downtime });
          void this.calls._recoverAll();
        }
        return;
      }
      case 'auth':
      case 'untrusted-realm': {
        const error =
          outcome.kind === 'auth'
            ? new CentrexError('auth-failed', `The telephone system refused the user name or password for ${this.#aor.toString()} (SIP ${outcome.status}). Check them and sign in again.`, {
                details: { status: outcome.status },
              })
            : new CentrexError('untrusted-realm', `The server asked for credentials of realm "${outcome.realm}", but only "${this.#realm}" is trusted; the password was not sent. Check the server address, or set the realm option if the realm is right.`, {
                details: { realm: outcome.realm, expected: this.#realm },
              });
        this.#generation++;
        this.#clearTimers();
        this.#transition('failed');
        this.emit('error', { error });
        this.#failPendingStart(error);
        void this.#ua.transport.disconnect().catch(() => undefined);
        return;
      }
      case 'failed':
      case 'timeout': {
        const error =
          outcome.kind === 'timeout'
            ? new CentrexError('server-unreachable', `The telephone system did not answer the registration within ${this.#registerTimeout} ms. The phone keeps trying.`)
            : new CentrexError('registration-failed', `The telephone system refused the registration (SIP ${outcome.status}). The phone keeps trying; if it persists, contact the administrator.`, {
                details: { status: outcome.status },
              });
        // A fresh connection is the surest way out of a half-broken one.
        const retryAfter = outcome.kind === 'failed' ? outcome.retryAfter : undefined;
        this.#generation++;
        void this.#ua.transport.disconnect().catch(() => undefined);
        this.#retryLater(error, retryAfter);
        return;
      }
    }
  }

  #onTransportLost(error: Error | undefined): void {
    // A disconnect without an error is one this phone asked for.
    if (!error) return;
    if (this.#state !== 'registered' && this.#state !== 'registering' && this.#state !== 'connecting') return;
    this.#logger.warn(`phone: connection lost (${error.message})`);
    this.#generation++;
    // The network may have changed under it: the prepared offer's candidates may be stale.
    this.#offers?.discard();
    this.#retryLater(this.#unreachable(error));
  }

  #retryLater(error: CentrexError, retryAfterSeconds?: number): void {
    this.#clearTimers();
    // Downtime counts from the loss of a registration; failures before the first one are not a "reconnect".
    if (this.#lostAt === undefined && this.#state === 'registered') this.#lostAt = this.#clock.now();
    this.#transition('reconnecting');
    this.#attempts++;
    const delay = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : backoffDelay(this.#attempts, this.#backoff, this.#clock.random());
    this.#logger.info(`phone: attempt ${this.#attempts} in ${delay} ms (${error.message})`);
    this.emit('reconnecting', { attempt: this.#attempts, delay, error });
    if (this.#attempts === 1) this.emit('error', { error });
    this.#failPendingStart(error);
    const generation = this.#generation;
    this.#retryTimer = this.#clock.setTimeout(() => {
      this.#retryTimer = undefined;
      if (generation !== this.#generation) return;
      void this.#connectAndRegister();
    }, delay);
  }

  #scheduleRefresh(expires: number): void {
    if (this.#refreshTimer !== undefined) this.#clock.clearTimeout(this.#refreshTimer);
    // Refresh at 90 % of the lifetime, and at least 5 s before it ends.
    const delay = Math.max(1000, Math.min(expires * 900, (expires - 5) * 1000));
    const generation = this.#generation;
    this.#refreshTimer = this.#clock.setTimeout(() => {
      this.#refreshTimer = undefined;
      if (generation !== this.#generation || this.#state !== 'registered') return;
      void this.#register(Math.max(this.#expires, this.#minExpires)).then((outcome) => {
        if (generation !== this.#generation || this.#state !== 'registered') return;
        this.#handleOutcome(outcome, true);
      });
    }, delay);
  }

  /** Sends one REGISTER (expires 0 removes the binding) and reads the answer. */
  #register(expires: number): Promise<RegisterOutcome> {
    const core = this.#ua.userAgentCore;
    if (!this.#registerRequest) {
      const registrar = this.#aor.clone();
      registrar.user = undefined;
      // One Call-ID for all registrations of this phone (RFC 3261 10.2); the CSeq grows.
      this.#registerRequest = core.makeOutgoingRequestMessage('REGISTER', registrar, this.#aor, this.#aor, {}, [], undefined);
    }
    const request = this.#registerRequest;
    request.cseq++;
    request.setHeader('cseq', `${request.cseq} REGISTER`);
    const contact = `${this.#ua.contact.toString({ register: true })};reg-id=1;+sip.instance="<urn:uuid:${this.#ua.instanceId}>";expires=${expires}`;
    request.extraHeaders = [`Contact: ${contact}`, `Allow: ${ALLOWED_METHODS.join(',')}`];
    this.#refusedRealm = undefined;
    return new Promise<RegisterOutcome>((resolve) => {
      let done = false;
      const finish = (outcome: RegisterOutcome): void => {
        if (done) return;
        done = true;
        this.#clock.clearTimeout(timer);
        resolve(outcome);
      };
      const timer = this.#clock.setTimeout(() => finish({ kind: 'timeout' }), this.#registerTimeout);
      core.register(request, {
        onAccept: (response) => finish(this.#readRegisterOk(response.message, expires)),
        onRedirect: (response) => finish({ kind: 'failed', status: response.message.statusCode ?? 300, retryAfter: undefined }),
        onReject: (response) => {
          const status = response.message.statusCode ?? 500;
          if (this.#refusedRealm !== undefined) finish({ kind: 'untrusted-realm', realm: this.#refusedRealm });
          else if (status === 401 || status === 407 || status === 403) finish({ kind: 'auth', status });
          else if (status === 423) finish(this.#retryWithMinExpires(response.message));
          else {
            const retryAfter = Number(response.message.getHeader('retry-after'));
            finish({ kind: 'failed', status, retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter, 3600) : undefined });
          }
        },
      });
    });
  }

  #retryWithMinExpires(message: Core.IncomingResponseMessage): RegisterOutcome {
    // 423 Interval Too Brief (RFC 3261 10.2.8): the next attempt asks for at least Min-Expires.
    const min = Number(message.getHeader('min-expires'));
    if (Number.isFinite(min) && min > 0) this.#minExpires = Math.min(min, 86_400);
    this.#logger.warn(`phone: the registrar wants registrations of at least ${min} s`);
    return { kind: 'failed', status: 423, retryAfter: 0 };
  }

  #readRegisterOk(message: Core.IncomingResponseMessage, requested: number): RegisterOutcome {
    let expires = requested;
    const contacts = message.getHeaders('contact');
    for (let i = 0; i < contacts.length; i++) {
      const contact = message.parseHeader('contact', i) as NameAddrHeader | undefined;
      if (!contact || contact.uri.user !== this.#ua.contact.uri.user) continue;
      const param = Number(contact.getParam('expires'));
      if (Number.isFinite(param)) expires = param;
      const pubGruu = contact.getParam('pub-gruu');
      if (pubGruu) {
        // With a GRUU the far end of a call can reach this device after a reconnect (RFC 5627).
        const parsed = Grammar.URIParse(pubGruu.replace(/"/g, ''));
        if (parsed) this.#ua.contact.pubGruu = parsed;
      }
    }
    if (expires === requested && message.hasHeader('expires')) {
      const header = Number(message.getHeader('expires'));
      if (Number.isFinite(header)) expires = header;
    }
    const flow = Number(message.getHeader('flow-timer'));
    return {
      kind: 'ok',
      expires,
      flowTimer: Number.isFinite(flow) && flow > 0 ? flow : undefined,
      capabilities: parseCapabilities({
        allow: message.getHeaders('allow'),
        supported: message.getHeaders('supported'),
        allowEvents: message.getHeaders('allow-events'),
      }),
    };
  }

  #applyFlowTimer(seconds: number): void {
    const transport = this.#ua.transport;
    if (!(transport instanceof WebSocketTransport)) return;
    // RFC 5626 4.4.1: keep-alives at 80–100 % of the Flow-Timer, which is exactly what the interval bound gives.
    const interval = seconds * 1000;
    if (interval < transport.keepAlive.interval) transport.setKeepAlive({ ...transport.keepAlive, interval });
  }

  /** Asks the PBX what it supports (OPTIONS); the answer only adds to the capabilities. */
  #queryCapabilities(): void {
    const core = this.#ua.userAgentCore;
    const target = this.#aor.clone();
    target.user = undefined;
    const request = core.makeOutgoingRequestMessage('OPTIONS', target, this.#aor, target, {}, ['Accept: application/sdp'], undefined);
    core.request(request, {
      onAccept: (response) => {
        const caps = parseCapabilities({
          allow: response.message.getHeaders('allow'),
          supported: response.message.getHeaders('supported'),
          allowEvents: response.message.getHeaders('allow-events'),
        });
        this.#setCapabilities(mergeCapabilities(this.#capabilities, caps));
      },
    });
  }

  #setCapabilities(capabilities: SipCapabilities): void {
    if (JSON.stringify(capabilities) === JSON.stringify(this.#capabilities)) return;
    this.#capabilities = capabilities;
    this.emit('capabilities', { capabilities });
  }

  /** Answers digest challenges only for the configured realm. */
  #guardCredentials(): void {
    const core = this.#ua.userAgentCore;
    const original = core.configuration.authenticationFactory.bind(core.configuration);
    core.configuration.authenticationFactory = () => {
      const credentials = original();
      if (!credentials) return credentials;
      const authenticate = credentials.authenticate.bind(credentials);
      credentials.authenticate = (request: Core.OutgoingRequestMessage, challenge: { realm?: string }, body?: string): boolean => {
        const realm = String(challenge.realm ?? '').replace(/^"|"$/g, '');
        if (realm !== this.#realm) {
          this.#refusedRealm = realm;
          this.#logger.warn(`phone: refusing to send credentials to realm "${realm}" (trusted: "${this.#realm}")`);
          return false;
        }
        const ok = authenticate(request, challenge, body);
        if (ok && request.method === 'INVITE') this.#inviteAuth = { credentials, challenge, request };
        return ok;
      };
      return credentials;
    };
  }

  /**
   * Authorizes a new INVITE before sending it, with the nonce of the last INVITE challenge and the next nonce count
   * (RFC 7616 3.4.5), which saves the PBX's 407 round trip on every call after the first. A stale or unknown nonce
   * just draws a fresh challenge, which sip.js answers as usual.
   */
  #preAuthenticate(request: Core.OutgoingRequestMessage): void {
    const last = this.#inviteAuth;
    if (!last) return;
    // Which header the PBX wanted shows on the request that answered its challenge.
    const header = last.request.getHeader('proxy-authorization') !== undefined ? 'proxy-authorization' : last.request.getHeader('authorization') !== undefined ? 'authorization' : undefined;
    if (!header) return;
    if (last.credentials.authenticate(request, last.challenge)) request.setHeader(header, last.credentials.toString());
  }

  #watchNetwork(): void {
    if (this.#options.watchNetwork === false || this.#removeNetworkListener) return;
    const target = globalThis as { addEventListener?: (type: string, listener: () => void) => void; removeEventListener?: (type: string, listener: () => void) => void };
    if (typeof target.addEventListener !== 'function' || typeof (globalThis as { document?: unknown }).document === 'undefined') return;
    const onOnline = (): void => this.reconnectNow('the network came back');
    target.addEventListener('online', onOnline);
    this.#removeNetworkListener = () => target.removeEventListener?.('online', onOnline);
  }

  #toUri(target: string): URI {
    const resolved = dialTargetToUri(target, this.#domain, this.#options.dialPlan);
    const uri = UserAgent.makeURI(resolved.uri);
    if (!uri) throw new CentrexError('invalid-number', `"${target}" is not a valid SIP address.`, { details: { reason: 'not-a-number', target } });
    return uri;
  }

  #unreachable(error: unknown): CentrexError {
    if (error instanceof CentrexError) return error;
    return new CentrexError(
      'server-unreachable',
      `Cannot reach the telephone system at ${this.#options.server}${error instanceof Error ? ` (${error.message})` : ''}. Check the network connection; the phone keeps trying.`,
      { cause: error },
    );
  }

  #chainPendingStart(resolve: () => void, reject: (error: CentrexError) => void): void {
    const previous = this.#pendingStart;
    this.#pendingStart = {
      resolve: () => {
        previous?.resolve();
        resolve();
      },
      reject: (error) => {
        previous?.reject(error);
        reject(error);
      },
    };
  }

  #resolvePendingStart(): void {
    const pending = this.#pendingStart;
    this.#pendingStart = undefined;
    pending?.resolve();
  }

  #failPendingStart(error: CentrexError): void {
    const pending = this.#pendingStart;
    this.#pendingStart = undefined;
    pending?.reject(error);
  }

  #clearTimers(): void {
    if (this.#retryTimer !== undefined) this.#clock.clearTimeout(this.#retryTimer);
    if (this.#refreshTimer !== undefined) this.#clock.clearTimeout(this.#refreshTimer);
    this.#retryTimer = undefined;
    this.#refreshTimer = undefined;
  }
}
