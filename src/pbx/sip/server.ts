/**
 * The PBX's SIP server: transports, transaction layer, registrar with digest authentication and the address guard.
 * Everything that is not REGISTER, CANCEL or OPTIONS to the server goes to the routing layer's `onRequest`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { DEFAULT_DIGEST_ALGORITHMS, DigestAuthenticator, type AuthOutcome, type AuthenticatedUser, type ChallengeKind } from './auth/authenticator.js';
import { AddressGuard, DEFAULT_GUARD_OPTIONS, type LockoutReason } from './auth/guard.js';
import { NonceStore } from './auth/nonce.js';
import { parseSipUri, uriScheme } from './message/address.js';
import { SipRequest, SipResponse } from './message/message.js';
import { DEFAULT_MAX_MESSAGE_SIZE, parseMessage, type SipParseError } from './message/parse.js';
import { createResponse, type CreateResponseOptions } from './message/response.js';
import { serializeMessage } from './message/serialize.js';
import { stampVia } from './message/via.js';
import type { URI } from 'sip.js/lib/grammar/index.js';
import { GruuIssuer } from './registrar/gruu.js';
import { LocationService, normalizeAor, type RegistrationEvent, type SipBinding } from './registrar/location.js';
import { DEFAULT_REGISTRAR_OPTIONS, Registrar } from './registrar/registrar.js';
import type { SipLogLevel, SipRequestContext, SipSecurityEvent, SipSecurityOptions, SipServerOptions } from './server-options.js';
import { capabilityHeaders, KNOWN_METHODS, unsupportedTags, warningHeader } from './server-policy.js';
import type { ClientTransaction, ClientTransactionHandlers } from './transaction/client-transaction.js';
import { systemClock, TimerScope } from './transaction/clock.js';
import { TransactionLayer } from './transaction/layer.js';
import type { ServerTransaction } from './transaction/server-transaction.js';
import { DEFAULT_TIMERS, type SipTimerValues } from './transaction/timers.js';
import { Transports, type SipTarget } from './transport/transports.js';
import type { SipEndpoint, SipFlow, SipTransportSink } from './transport/types.js';

const SWEEP_INTERVAL_MS = 60_000;

const DEFAULT_SECURITY: SipSecurityOptions = {
  ...DEFAULT_GUARD_OPTIONS,
  lockoutResponse: 'drop',
  nonceLifetimeMs: 300_000,
  singleUseNonces: false,
  digestAlgorithms: DEFAULT_DIGEST_ALGORITHMS,
};

function newBranch(): string {
  return `z9hG4bK${randomBytes(10).toString('hex')}`;
}

/** The reference PBX's SIP server. */
export class SipServer {
  /** Signs flow tokens in Record-Route; new on every start, so tokens from before a restart are refused. */
  readonly #flowKey = randomBytes(32);
  readonly #options: SipServerOptions;
  readonly #scope: TimerScope;
  readonly #timers: SipTimerValues;
  readonly #security: SipSecurityOptions;
  readonly #maxSize: number;
  readonly #guard: AddressGuard;
  readonly #nonces: NonceStore;
  readonly #auth: DigestAuthenticator;
  readonly #location: LocationService;
  readonly #registrar: Registrar;
  readonly #gruus = new GruuIssuer();
  readonly #layer: TransactionLayer;
  readonly #sink: SipTransportSink;
  readonly #authResults = new WeakMap<SipRequest, AuthOutcome>();
  // Transactions that already sent a provisional response: they need no automatic 100 Trying.
  readonly #sentProvisional = new WeakSet<ServerTransaction>();
  readonly #transports: Transports;
  #closed = false;

  constructor(options: SipServerOptions) {
    this.#options = options;
    const clock = options.clock ?? systemClock;
    this.#scope = new TimerScope(clock);
    this.#timers = { ...DEFAULT_TIMERS, ...options.timers };
    this.#security = { ...DEFAULT_SECURITY, ...options.security };
    this.#maxSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
    this.#guard = new AddressGuard(this.#security, clock, (address, reason) => this.#lockedOut(address, reason));
    this.#nonces = new NonceStore({
      clock,
      lifetimeMs: this.#security.nonceLifetimeMs,
      singleUse: this.#security.singleUseNonces,
    });
    this.#auth = new DigestAuthenticator(this.#nonces, options.findCredential, this.#security.digestAlgorithms);
    this.#location = new LocationService(this.#scope, (event) => this.#registrationEvent(event));
    this.#registrar = new Registrar(this.#location, { ...DEFAULT_REGISTRAR_OPTIONS, ...options.registrar }, this.#gruus);
    this.#layer = new TransactionLayer({
      scope: this.#scope,
      timers: this.#timers,
      sendResponse: (response, transaction) => this.#sendResponse(response, transaction),
    });
    this.#sink = {
      receive: (data, flow) => this.#safely(() => this.#receive(data, flow)),
      framingError: (head, flow, status, reason) => this.#safely(() => this.#framingError(head, flow, status, reason)),
      flowClosed: (flow) => this.#safely(() => this.#location.flowClosed(flow.id, flow.transport)),
      isBlocked: (address) => this.#blocked(address),
    };
    this.#transports = new Transports({
      sink: this.#sink,
      maxSize: this.#maxSize,
      publicHost: options.publicHost,
      log: (message, data) => this.#log('debug', message, data),
    });
    this.#scheduleSweep();
  }

  /** Accepts SIP over WebSocket (subprotocol `sip`) on `http` at `path`. */
  attachWebSocket(http: HttpServer, path = '/sip'): void {
    this.#assertOpen();
    this.#transports.attachWebSocket(http, path);
  }

  /** Listens for SIP over UDP; resolves to the bound endpoint (use port 0 for any free port). */
  async listenUdp(port = 5060, host = '127.0.0.1'): Promise<SipEndpoint> {
    this.#assertOpen();
    return this.#transports.listenUdp(port, host);
  }

  /** Listens for SIP over TCP; resolves to the bound endpoint (use port 0 for any free port). */
  async listenTcp(port = 5060, host = '127.0.0.1'): Promise<SipEndpoint> {
    this.#assertOpen();
    return this.#transports.listenTcp(port, host);
  }

  /** Stops every timer and closes every socket and connection. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#layer.close();
    this.#location.close();
    this.#scope.cancelAll();
    await this.#transports.close();
  }

  /** The current bindings of an address-of-record (`sip:201@example.com`), best first. */
  lookup(aor: string): SipBinding[] {
    return this.#location.lookup(aor);
  }

  /** Every current binding. */
  registrations(): SipBinding[] {
    return this.#location.all();
  }

  /**
   * The registration a GRUU of ours (RFC 5627) stands for: the device's current binding, on whatever connection it
   * registered last. Undefined when the URI is no GRUU, belongs to a domain this server does not serve, or the device
   * is not registered (now).
   */
  resolveGruu(uri: string | URI): SipBinding | undefined {
    const target = this.#gruus.resolve(uri);
    const host = target === undefined ? undefined : /@([^:;>]+)/.exec(target.aor)?.[1];
    if (!target || host === undefined || this.#options.realmFor(host) === undefined) return undefined;
    return this.#location.findInstance(target.aor, target.instanceId);
  }

  /** Whether a device registered over this flow (its REGISTER came on it and is still valid). */
  hasRegistrationOn(flowId: string): boolean {
    return this.#location.all().some((binding) => binding.flowId === flowId);
  }

  /** An open flow by id (UDP flows always exist while UDP listens). */
  flow(id: string): SipFlow | undefined {
    return this.#transports.flow(id);
  }

  /**
   * A Record-Route value that brings in-dialog requests back to this server on `flow`'s transport. The user part is
   * a flow token (RFC 5626 §5.3 style): {@link SipServer.flowOfRoute} turns it back into the flow, so that requests
   * towards a browser or a NATed phone can go out on its connection.
   */
  recordRoute(flow: SipFlow): string {
    const id = Buffer.from(flow.id).toString('base64url');
    return `<sip:f-${id}.${this.#flowMac(id)}@${this.#transports.sentBy(flow.local)};transport=${flow.transport};lr>`;
  }

  /**
   * The flow named by the flow token of one of our Route/Record-Route URIs, if the token is one this process signed
   * and the flow is still open. A forged or altered token (someone steering requests into another user's
   * connection), or one from before a restart (connection ids start again), names no flow.
   */
  flowOfRoute(uri: string): SipFlow | undefined {
    const match = /^<?sips?:f-([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)@/.exec(uri.trim());
    if (match === null) return undefined;
    const [, id = '', mac = ''] = match;
    const expected = Buffer.from(this.#flowMac(id));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const flow = this.flow(Buffer.from(id, 'base64url').toString('utf8'));
    return flow && !flow.closed ? flow : undefined;
  }

  /** The signature of a flow token: HMAC-SHA-256 with this process's key, shortened to 96 bits. */
  #flowMac(id: string): string {
    return createHmac('sha256', this.#flowKey).update(id).digest().subarray(0, 12).toString('base64url');
  }

  /** Whether a sip/sips URI names this server (a served domain or one of our addresses): for loose routing. */
  isOwnUri(uri: string): boolean {
    const host = this.#parsedUriHost(uri);
    return host !== undefined && (this.#transports.isOurs(host) || this.#options.realmFor(host) !== undefined);
  }

  /** Whether an address is locked out now. */
  isLockedOut(address: string): boolean {
    return this.#guard.isBlocked(address);
  }

  /** Lifts the lockout of an address. */
  unblock(address: string): void {
    this.#guard.unblock(address);
  }

  /**
   * Authenticates a request for the routing layer (e.g. an INVITE from a registered user). Returns the user when
   * the request carries valid Proxy-Authorization for the realm of its From domain. Otherwise the request has been
   * answered — 407 with fresh challenges (SHA-256 and MD5), 403 for a domain we do not serve, or 403/nothing for a
   * locked-out address — and the result is undefined. ACK and CANCEL cannot be challenged: undefined, no answer.
   */
  authenticate(request: SipRequest, transaction: ServerTransaction): AuthenticatedUser | undefined {
    if (request.method === 'ACK' || request.method === 'CANCEL') return undefined;
    const realm = this.#realmOfRequest(request);
    if (realm === undefined) {
      this.#reply(transaction, 403, { reason: 'Domain Not Served' });
      return undefined;
    }
    const outcome = this.#verify(request, realm, 'proxy', transaction.flow.remote.address);
    if (outcome.kind === 'ok') return outcome.user;
    if (this.#guard.isBlocked(transaction.flow.remote.address)) {
      this.#refuseBlocked(transaction);
      return undefined;
    }
    this.#challenge(transaction, realm, 'proxy', outcome.kind === 'stale');
    return undefined;
  }

  /**
   * Sends a request through a new client transaction: adds our Via (fresh branch, rport) and Max-Forwards 70 when
   * absent, then sends it on `target` (a binding's `flowId`, or an address; TCP connects when needed). Not for ACK
   * (see {@link SipServer.sendAck}). CANCEL a forwarded INVITE with `transaction.cancel()`.
   */
  sendRequest(request: SipRequest, target: SipTarget, handlers: ClientTransactionHandlers = {}): ClientTransaction {
    this.#assertOpen();
    if (request.method === 'ACK') throw new TypeError('ACK has no transaction: use sendAck');
    const flow = this.#transports.resolve(target);
    const viaFlow = flow instanceof Promise ? undefined : flow;
    request.headers.prepend('Via', this.#transports.via(viaFlow, target, newBranch()));
    if (!request.headers.has('Max-Forwards')) request.headers.append('Max-Forwards', '70');
    return this.#layer.createClient(request, flow, handlers);
  }

  /** Sends an ACK for a 2xx (end to end, no transaction) with our Via; false when it could not be sent. */
  sendAck(ack: SipRequest, target: SipTarget): boolean {
    if (this.#closed) return false;
    const flow = this.#transports.resolve(target);
    ack.headers.prepend('Via', this.#transports.via(flow instanceof Promise ? undefined : flow, target, newBranch()));
    if (!ack.headers.has('Max-Forwards')) ack.headers.append('Max-Forwards', '70');
    if (!(flow instanceof Promise)) return flow.send(serializeMessage(ack));
    flow.then((ready) => ready.send(serializeMessage(ack))).catch(() => undefined);
    return true;
  }

  /**
   * Sends a response: through its server transaction when one matches (by top Via branch, sent-by and CSeq method),
   * else statelessly along its top Via. Returns false when it could not be sent.
   */
  send(response: SipResponse): boolean {
    if (this.#closed) return false;
    const transaction = this.#layer.serverTransactionFor(response);
    if (transaction) return transaction.respond(response);
    return this.#transports.sendByVia(response);
  }

  /** How many transactions are alive (metrics, tests). */
  get transactionCount(): { readonly server: number; readonly client: number } {
    return this.#layer.size;
  }

  // ---- receiving --------------------------------------------------------------------------------------------

  #receive(data: Buffer, flow: SipFlow): void {
    if (this.#closed) return;
    const parsed = parseMessage(data, { maxSize: this.#maxSize, stream: flow.transport === 'tcp' });
    if (!parsed.ok) {
      this.#rejectMalformed(parsed.error, flow);
      return;
    }
    const message = parsed.message;
    if (message instanceof SipResponse) {
      if (!this.#layer.receiveResponse(message)) this.#log('debug', 'dropped a response without a transaction');
      return;
    }
    const request = message;
    const topVia = request.headers.get('Via');
    if (topVia !== undefined) {
      const force = flow.transport !== 'udp' || (this.#options.forceRport ?? true);
      request.headers.setFirst('Via', stampVia(topVia, request.topVia, flow.remote, force));
    }
    if (this.#guard.isBlocked(flow.remote.address)) {
      // Only reached in `forbidden` mode: in `drop` mode the transport refused the bytes already.
      this.#emitSecurity({ type: 'blocked', address: flow.remote.address });
      if (request.method !== 'ACK') this.#sendOnFlow(flow, createResponse(request, 403, { headers: [this.#serverHeader()] }));
      return;
    }
    if (!this.#guard.allowRequest(flow.remote.address, request.method)) return;
    const outcome = this.#layer.receiveRequest(request, flow);
    switch (outcome.kind) {
      case 'new':
        this.#handleNew(request, outcome.transaction, flow);
        return;
      case 'cancel':
        if (outcome.invite) {
          // RFC 3261 §9.2: the 200 to a CANCEL carries the To tag of the INVITE's responses.
          const toTag = outcome.invite.lastResponse?.toTag;
          this.#reply(outcome.transaction, 200, toTag === undefined ? {} : { toTag });
          outcome.invite.receiveCancel();
        } else this.#reply(outcome.transaction, 481);
        return;
      case 'ack':
        if (this.#options.onRequest) this.#dispatch(request, undefined, flow);
        return;
      default:
        return;
    }
  }

  #handleNew(request: SipRequest, transaction: ServerTransaction, flow: SipFlow): void {
    const method = request.method;
    const handler = this.#options.onRequest;
    if (request.maxForwards === 0 && method !== 'OPTIONS' && method !== 'REGISTER') {
      this.#reply(transaction, 483);
      return;
    }
    const scheme = uriScheme(request.uri);
    if (scheme !== 'sip' && scheme !== 'sips' && !(scheme === 'tel' && method !== 'REGISTER' && handler)) {
      this.#reply(transaction, 416);
      return;
    }
    const hasUser = (request.sipUri?.user ?? '') !== '';
    const serverOptions = method === 'OPTIONS' && (!hasUser || !handler || request.maxForwards === 0);
    const actsAsUas = method === 'REGISTER' || serverOptions || !handler;
    const unsupported = unsupportedTags(request, actsAsUas);
    if (unsupported.length > 0) {
      this.#reply(transaction, 420, { headers: unsupported.map((tag) => ['Unsupported', tag] as const) });
      return;
    }
    if (method === 'REGISTER') {
      this.#register(request, transaction, flow);
      return;
    }
    if (serverOptions) {
      this.#reply(transaction, 200, { headers: capabilityHeaders(this.#allow()) });
      return;
    }
    if (handler) {
      this.#dispatch(request, transaction, flow);
      return;
    }
    if (!KNOWN_METHODS.includes(method)) {
      this.#reply(transaction, 501, { headers: [['Allow', this.#allow().join(', ')]] });
      return;
    }
    const host = request.sipUri?.host.toLowerCase() ?? '';
    if (this.#options.realmFor(host) === undefined && !this.#transports.isOurs(host)) {
      this.#reply(transaction, 404, { reason: 'Domain Not Served' });
      return;
    }
    this.#reply(transaction, 405, { headers: [['Allow', this.#allow().join(', ')]] });
  }

  #dispatch(request: SipRequest, transaction: ServerTransaction | undefined, flow: SipFlow): void {
    const handler = this.#options.onRequest;
    if (!handler) return;
    let authenticatedUser: AuthenticatedUser | undefined;
    if (transaction && request.headers.has('Proxy-Authorization')) {
      const realm = this.#realmOfRequest(request);
      if (realm !== undefined) {
        const outcome = this.#verify(request, realm, 'proxy', flow.remote.address);
        if (outcome.kind === 'ok') authenticatedUser = outcome.user;
        else if (this.#guard.isBlocked(flow.remote.address)) {
          this.#refuseBlocked(transaction);
          return;
        }
      }
    }
    const context: SipRequestContext = { flow, source: flow.remote, authenticatedUser };
    const failed = (error: unknown): void => {
      this.#log('error', 'request handler failed', { method: request.method, error: String(error) });
      if (transaction && transaction.finalResponse === undefined) this.#reply(transaction, 500);
    };
    try {
      const result = handler(request, transaction, context);
      if (result instanceof Promise) result.catch(failed);
    } catch (error) {
      failed(error);
    }
    // RFC 3261 §16.2: a stateful proxy answers an INVITE with 100 Trying when it has nothing else to say yet.
    if (transaction?.isInvite && transaction.state === 'proceeding' && transaction.finalResponse === undefined) {
      if (!this.#sentProvisional.has(transaction)) this.#reply(transaction, 100);
    }
  }

  #register(request: SipRequest, transaction: ServerTransaction, flow: SipFlow): void {
    const ruri = request.sipUri;
    const to = request.to;
    if (!to?.sipUri) {
      this.#reply(transaction, 400, { reason: 'Bad Request', headers: [warningHeader('To must be a SIP URI')] });
      return;
    }
    const realm = ruri ? this.#options.realmFor(ruri.host.toLowerCase()) : undefined;
    const aor = normalizeAor(to.sipUri);
    if (realm === undefined || aor === undefined || this.#options.realmFor(to.sipUri.host.toLowerCase()) !== realm) {
      this.#reply(transaction, 404, { reason: 'Not Found' });
      return;
    }
    const outcome = this.#verify(request, realm, 'www', flow.remote.address);
    if (outcome.kind !== 'ok') {
      if (this.#guard.isBlocked(flow.remote.address)) this.#refuseBlocked(transaction);
      else this.#challenge(transaction, realm, 'www', outcome.kind === 'stale');
      return;
    }
    const user = outcome.user;
    const aorUser = to.sipUri.user ?? '';
    // RFC 3261 §10.3 step 4: the authenticated user may only change the bindings of its own address.
    if (aorUser !== user.extension && aorUser !== user.username) {
      this.#reply(transaction, 403, { headers: [warningHeader('Not allowed to register this address')] });
      return;
    }
    const owner = {
      userId: user.userId,
      tenantId: user.tenantId,
      extension: user.extension,
      ...(user.deviceId === undefined ? {} : { deviceId: user.deviceId }),
    };
    const decision = this.#registrar.process({ request, aor, owner, flow, now: this.#scope.now() });
    this.#reply(transaction, decision.status, {
      ...(decision.reason === undefined ? {} : { reason: decision.reason }),
      headers: decision.headers,
    });
  }

  // ---- authentication ---------------------------------------------------------------------------------------

  #verify(request: SipRequest, realm: string, kind: ChallengeKind, address: string): AuthOutcome {
    const cached = this.#authResults.get(request);
    if (cached) return cached;
    const outcome = this.#auth.verify(request, realm, kind);
    this.#authResults.set(request, outcome);
    if (outcome.kind === 'failed') {
      this.#emitSecurity({
        type: 'auth-failure',
        address,
        method: request.method,
        username: /username="([^"]{0,64})"/.exec(request.headers.get(kind === 'www' ? 'Authorization' : 'Proxy-Authorization') ?? '')?.[1],
      });
      this.#guard.recordFailure(address);
    }
    return outcome;
  }

  #challenge(transaction: ServerTransaction, realm: string, kind: ChallengeKind, stale: boolean): void {
    const header = kind === 'www' ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const challenges = this.#auth.challenges(realm, stale);
    this.#reply(transaction, kind === 'www' ? 401 : 407, { headers: challenges.map((value) => [header, value] as const) });
  }

  #realmOfRequest(request: SipRequest): string | undefined {
    const fromHost = request.from?.sipUri?.host.toLowerCase();
    return fromHost === undefined ? undefined : this.#options.realmFor(fromHost);
  }

  #blocked(address: string): boolean {
    if (this.#security.lockoutResponse !== 'drop' || !this.#guard.isBlocked(address)) return false;
    this.#emitSecurity({ type: 'blocked', address });
    return true;
  }

  #refuseBlocked(transaction: ServerTransaction): void {
    if (this.#security.lockoutResponse === 'forbidden') this.#reply(transaction, 403);
    else transaction.terminate();
  }

  #lockedOut(address: string, reason: LockoutReason): void {
    const until = this.#guard.lockedUntil(address) ?? this.#scope.now() + this.#security.lockoutMs;
    this.#log('warn', 'address locked out', { address, reason });
    this.#emitSecurity({ type: 'lockout', address, reason, until });
  }

  // ---- sending ----------------------------------------------------------------------------------------------

  #reply(transaction: ServerTransaction, status: number, options: CreateResponseOptions = {}): void {
    const headers: Array<readonly [string, string]> = [...(options.headers ?? [])];
    headers.push(this.#serverHeader());
    const response = createResponse(transaction.request, status, { ...options, headers });
    if (status < 200) this.#sentProvisional.add(transaction);
    transaction.respond(response);
  }

  #sendResponse(response: SipResponse, transaction: ServerTransaction): boolean {
    if (response.status < 200) this.#sentProvisional.add(transaction);
    return this.#transports.sendResponse(response, transaction.flow);
  }

  // ---- errors and helpers -----------------------------------------------------------------------------------

  #rejectMalformed(error: SipParseError, flow: SipFlow): void {
    this.#emitSecurity({ type: 'malformed', address: flow.remote.address, reason: error.reason });
    const request = error.request;
    if (error.isResponse || !request || request.method === 'ACK') return;
    const needed = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];
    if (!needed.every((name) => request.headers.has(name))) return;
    const response = createResponse(request, error.status, { headers: [warningHeader(error.reason), this.#serverHeader()] });
    // The Via may be what is broken: answer on the flow the request came in on (UDP: its source address).
    this.#sendOnFlow(flow, response);
  }

  #sendOnFlow(flow: SipFlow, response: SipResponse): void {
    flow.send(serializeMessage(response));
  }

  #serverHeader(): readonly [string, string] {
    return ['Server', this.#options.serverName ?? 'centrex-pbx'];
  }

  #framingError(head: Buffer, flow: SipFlow, status: number, reason: string): void {
    const parsed = parseMessage(Buffer.concat([head, Buffer.from('\r\n\r\n')]), { maxSize: Number.MAX_SAFE_INTEGER });
    const request = parsed.ok ? (parsed.message instanceof SipRequest ? parsed.message : undefined) : parsed.error.request;
    this.#rejectMalformed({ status, reason, isResponse: request === undefined, request }, flow);
  }

  #allow(): string[] {
    return this.#options.onRequest ? [...KNOWN_METHODS] : ['OPTIONS', 'REGISTER'];
  }

  #parsedUriHost(uri: string): string | undefined {
    const bare = uri.trim().replace(/^<(.*)>.*$/, '$1');
    return parseSipUri(bare)?.host.toLowerCase();
  }

  #registrationEvent(event: RegistrationEvent): void {
    this.#options.onRegistration?.(event);
  }

  #emitSecurity(event: SipSecurityEvent): void {
    try {
      this.#options.onSecurityEvent?.(event);
    } catch {
      // Monitoring must never break message handling.
    }
  }

  #log(level: SipLogLevel, message: string, data?: Readonly<Record<string, unknown>>): void {
    try {
      this.#options.log?.(level, message, data);
    } catch {
      // A broken logger must not break the server.
    }
  }

  #safely(action: () => void): void {
    try {
      action();
    } catch (error) {
      this.#log('error', 'unexpected error while handling a message', { error: String(error) });
    }
  }

  #scheduleSweep(): void {
    this.#scope.setTimer(() => {
      this.#guard.sweep();
      this.#nonces.sweep();
      if (!this.#closed) this.#scheduleSweep();
    }, SWEEP_INTERVAL_MS);
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error('SipServer is closed');
  }
}
