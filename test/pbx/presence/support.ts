// The presence tests' world: a store on a temp-dir SQLite file with two companies, a real SipServer on 127.0.0.1
// (UDP and WebSocket) whose requests go to the presence server, LineStates driven by the tests, a manual clock, and
// SIP test clients that register, subscribe with digest and answer NOTIFYs. Waiting is always for a message, never
// for a fixed time.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { PbxEvents, type PbxEvent } from '../../../src/pbx/events.js';
import { LineStates, type LineDialog, type LineDialogState } from '../../../src/pbx/line-states.js';
import { createPresenceServer, type PresenceLimits, type PresenceServer } from '../../../src/pbx/presence/index.js';
import { ManualClock, parseMessage, SipRequest, SipResponse, SipServer } from '../../../src/pbx/sip/index.js';
import { openStore, type Device, type Store, type Tenant, type User } from '../../../src/pbx/store/index.js';
import { tempDir } from '../store/fixture.js';

/** A user of the fixture with the SIP credentials of their devices. */
export interface FixtureUser {
  readonly user: User;
  readonly web: Device;
  /** Digest username and password of the web app device. */
  readonly webLogin: Login;
  readonly desk?: Device;
  readonly deskLogin?: Login;
}

/** A digest username and password. */
export interface Login {
  readonly username: string;
  readonly password: string;
}

/** Everything a presence test needs. */
export interface PresenceEnv {
  readonly store: Store;
  readonly sip: SipServer;
  readonly presence: PresenceServer;
  readonly events: PbxEvents;
  readonly lines: LineStates;
  readonly clock: ManualClock;
  readonly udp: { address: string; port: number };
  readonly wsUrl: string;
  readonly alpha: Tenant;
  readonly beta: Tenant;
  /** Alpha: ann 11, bob 12 (web and desk phone), carl 13. Beta: zoe 10. */
  readonly users: { readonly ann: FixtureUser; readonly bob: FixtureUser; readonly carl: FixtureUser; readonly zoe: FixtureUser };
  /** Every `presence` event emitted so far. */
  readonly presenceEvents: Array<Extract<PbxEvent, { type: 'presence' }>>;
  readonly logs: Array<{ level: string; message: string }>;
  /** Reports a dialog of a user to LineStates, as the router would. */
  call(user: FixtureUser, id: string, state: LineDialogState, direction: LineDialog['direction'], remote?: LineDialog['remote']): void;
  close(): Promise<void>;
}

const DAY = 24 * 3600 * 1000;

/** Starts the world; `limits` tune the presence server (tests pass `minNotifyIntervalMs: 0` unless they test it). */
export async function startPresenceEnv(limits: Partial<PresenceLimits> = { minNotifyIntervalMs: 0 }): Promise<PresenceEnv> {
  const dir = tempDir('centrex-presence-');
  const store = openStore({ file: join(dir, 'pbx.db') });
  const alpha = store.createTenant({ name: 'Alpha GmbH', country: 'DE', sipDomain: 'alpha.test' });
  const beta = store.createTenant({ name: 'Beta AG', country: 'DE', sipDomain: 'beta.test' });
  const make = (tenant: Tenant, name: string, extension: string, desk: boolean): FixtureUser => {
    const { user, webDevice } = store.createUser(tenant.id, { name, email: `${name.toLowerCase()}@${tenant.sipDomain}`, extension });
    const webLogin = { username: extension, password: `web-secret-${extension}` };
    store.issueSipCredential({ userId: user.id, deviceId: webDevice.id, ttlMs: DAY, ...webLogin });
    if (!desk) return { user, web: webDevice, webLogin };
    const deskDevice = store.addDevice(user.id, { kind: 'desk', name: 'Desk phone' });
    const deskLogin = { username: `${extension}-desk`, password: `desk-secret-${extension}` };
    store.issueSipCredential({ userId: user.id, deviceId: deskDevice.id, ttlMs: DAY, ...deskLogin });
    return { user, web: webDevice, webLogin, desk: deskDevice, deskLogin };
  };
  const users = {
    ann: make(alpha, 'Ann', '11', false),
    bob: make(alpha, 'Bob', '12', true),
    carl: make(alpha, 'Carl', '13', false),
    zoe: make(beta, 'Zoe', '10', false),
  };
  const clock = new ManualClock(Date.now());
  const events = new PbxEvents();
  const lines = new LineStates();
  const logs: PresenceEnv['logs'] = [];
  const presenceEvents: PresenceEnv['presenceEvents'] = [];
  events.on((event) => {
    if (event.type === 'presence') presenceEvents.push(event);
  });
  const holder: { presence?: PresenceServer } = {};
  const sip = new SipServer({
    realmFor: (domain) => store.findTenantBySipDomain(domain)?.sipDomain,
    findCredential: (realm, username) => store.findSipCredential(realm, username),
    onRequest: (request, transaction, context) => {
      if (holder.presence?.handleSubscribe(request, transaction, context)) return;
      if (transaction) transaction.reply(405);
    },
    onRegistration: (event) => holder.presence?.handleRegistration(event),
    clock,
  });
  const udp = await sip.listenUdp(0, '127.0.0.1');
  const http: HttpServer = createServer((_request, response) => response.writeHead(404).end());
  sip.attachWebSocket(http, '/sip');
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const wsUrl = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sip`;
  const presence = createPresenceServer({
    sip,
    store,
    events,
    lines,
    clock,
    limits,
    log: (level, message) => logs.push({ level, message }),
  });
  holder.presence = presence;
  return {
    store,
    sip,
    presence,
    events,
    lines,
    clock,
    udp,
    wsUrl,
    alpha,
    beta,
    users,
    presenceEvents,
    logs,
    call(fixtureUser, id, state, direction, remote) {
      lines.report({
        id,
        tenantId: fixtureUser.user.tenantId,
        userId: fixtureUser.user.id,
        extension: fixtureUser.user.extension,
        callId: `call-${id}`,
        direction,
        state,
        ...(remote === undefined ? {} : { remote }),
        ...(state === 'confirmed' ? { confirmedAt: clock.now() } : {}),
      });
    },
    async close() {
      presence.close();
      await sip.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- SIP clients --------------------------------------------------------------------------------------------

type Message = SipRequest | SipResponse;
type Waiter = { readonly match: (message: Message) => boolean; readonly resolve: (message: Message) => void };

/** How a client answers NOTIFYs: with a status, or not at all. */
export type NotifyAnswer = number | 'none';

/** A subscription as the watcher knows it. */
export interface WatcherDialog {
  readonly callId: string;
  readonly fromTag: string;
  readonly toTag: string;
  readonly target: string;
  readonly domain: string;
  readonly event: string;
  cseq: number;
}

/** What {@link SipClient.subscribe} sends. */
export interface SubscribeOptions {
  /** The watched extension (Request-URI user). */
  readonly target: string;
  /** The Event header value. */
  readonly event: string;
  readonly expires?: number;
  /** The Request-URI domain (default: the client's). */
  readonly domain?: string;
  readonly accept?: string;
  /** Send no credentials, and return the challenge. */
  readonly noAuth?: boolean;
  /** Extra header lines. */
  readonly headers?: readonly string[];
}

/** A SIP user agent for tests over UDP or WebSocket: answers NOTIFYs, keeps the rest for the test to wait for. */
export class SipClient {
  /** How NOTIFYs are answered; tests change it on the fly. */
  notifyAnswer: NotifyAnswer = 200;
  readonly #send: (data: string) => void;
  readonly #closeTransport: () => Promise<void>;
  readonly #via: string;
  readonly #contactHost: string;
  readonly #transport: 'udp' | 'ws';
  readonly #user: string;
  readonly #domain: string;
  readonly #login: Login;
  readonly #inbox: Message[] = [];
  #waiters: Waiter[] = [];
  // NOTIFYs already seen by Call-ID and CSeq: a retransmission is answered again but not delivered twice.
  readonly #seenNotifies = new Set<string>();

  private constructor(options: {
    send: (data: string) => void;
    close: () => Promise<void>;
    via: string;
    contactHost: string;
    transport: 'udp' | 'ws';
    user: string;
    domain: string;
    login: Login;
  }) {
    this.#send = options.send;
    this.#closeTransport = options.close;
    this.#via = options.via;
    this.#contactHost = options.contactHost;
    this.#transport = options.transport;
    this.#user = options.user;
    this.#domain = options.domain;
    this.#login = options.login;
  }

  /** A UDP client of `user` (extension) at `domain`, authenticating with `login`. */
  static async udp(env: PresenceEnv, user: string, domain: string, login: Login): Promise<SipClient> {
    const socket: UdpSocket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    const port = socket.address().port;
    const client: SipClient = new SipClient({
      send: (data) => socket.send(Buffer.from(data), env.udp.port, env.udp.address),
      close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
      via: `SIP/2.0/UDP 127.0.0.1:${port}`,
      contactHost: `127.0.0.1:${port}`,
      transport: 'udp',
      user,
      domain,
      login,
    });
    socket.on('message', (data) => client.#receive(data));
    return client;
  }

  /** A WebSocket client (subprotocol `sip`), as the web app is. */
  static async ws(env: PresenceEnv, user: string, domain: string, login: Login): Promise<SipClient> {
    const socket = new WebSocket(env.wsUrl, ['sip']);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const host = `${randomBytes(5).toString('hex')}.invalid`;
    const client: SipClient = new SipClient({
      send: (data) => socket.send(data),
      close: () =>
        new Promise<void>((resolve) => {
          if (socket.readyState === WebSocket.CLOSED) resolve();
          else {
            socket.once('close', () => resolve());
            socket.close();
          }
        }),
      via: `SIP/2.0/WS ${host}`,
      contactHost: host,
      transport: 'ws',
      user,
      domain,
      login,
    });
    socket.on('message', (data: Buffer) => client.#receive(Buffer.from(data)));
    return client;
  }

  /** Closes the socket or connection. */
  close(): Promise<void> {
    return this.#closeTransport();
  }

  #receive(data: Buffer): void {
    const parsed = parseMessage(data);
    if (!parsed.ok) return;
    const message = parsed.message;
    if (message instanceof SipRequest && message.method === 'NOTIFY') {
      if (this.notifyAnswer !== 'none') this.#send(answer(message, this.notifyAnswer));
      const seen = `${message.callId} ${message.headers.get('CSeq')}`;
      if (this.#seenNotifies.has(seen)) return;
      this.#seenNotifies.add(seen);
    }
    const waiter = this.#waiters.find((candidate) => candidate.match(message));
    if (waiter) {
      this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
      waiter.resolve(message);
    } else this.#inbox.push(message);
  }

  /** The first message (kept or future) that matches; fails after `timeoutMs` so a missing one fails the test. */
  waitFor(match: (message: Message) => boolean, what = 'a message', timeoutMs = 5000): Promise<Message> {
    const index = this.#inbox.findIndex(match);
    if (index >= 0) return Promise.resolve(this.#inbox.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** The next NOTIFY of a subscription dialog. */
  async notify(dialog: Pick<WatcherDialog, 'callId'>): Promise<SipRequest> {
    return (await this.waitFor((m) => m instanceof SipRequest && m.method === 'NOTIFY' && m.callId === dialog.callId, 'NOTIFY')) as SipRequest;
  }

  /** NOTIFYs received and not yet taken by a test. */
  pendingNotifies(callId: string): SipRequest[] {
    return this.#inbox.filter((m): m is SipRequest => m instanceof SipRequest && m.method === 'NOTIFY' && m.callId === callId);
  }

  /**
   * A round trip to the server (OPTIONS to the server itself). Whatever the server sent us before answering it has
   * arrived when this resolves: UDP on loopback and a WebSocket keep the order. Proves that nothing was sent.
   */
  async barrier(): Promise<void> {
    const callId = newId();
    this.#send(
      [
        `OPTIONS sip:${this.#domain} SIP/2.0`,
        `Via: ${this.#via};branch=z9hG4bK${newId()};rport`,
        'Max-Forwards: 70',
        `From: <sip:${this.#user}@${this.#domain}>;tag=${newId()}`,
        `To: <sip:${this.#domain}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    await this.#final(callId);
  }

  /** Registers `login`'s device for this client's extension (digest on 401); returns the final status. */
  async register(login: Login, expires = 600): Promise<number> {
    const callId = newId();
    const fromTag = newId();
    const build = (cseq: number, authorization?: string): string =>
      [
        `REGISTER sip:${this.#domain} SIP/2.0`,
        `Via: ${this.#via};branch=z9hG4bK${newId()};rport`,
        'Max-Forwards: 70',
        `From: <sip:${this.#user}@${this.#domain}>;tag=${fromTag}`,
        `To: <sip:${this.#user}@${this.#domain}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} REGISTER`,
        `Contact: <sip:${this.#user}@${this.#contactHost};transport=${this.#transport}>`,
        `Expires: ${expires}`,
        ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    this.#send(build(1));
    const challenge = await this.#final(callId);
    if (challenge.status !== 401) return challenge.status;
    this.#send(build(2, digest(challenge, 'WWW-Authenticate', login, 'REGISTER', `sip:${this.#domain}`)));
    return (await this.#final(callId)).status;
  }

  /** Sends an initial SUBSCRIBE (answering a 407 with digest); returns the final response and the dialog. */
  async subscribe(options: SubscribeOptions): Promise<{ response: SipResponse; dialog: WatcherDialog }> {
    const domain = options.domain ?? this.#domain;
    const callId = newId();
    const fromTag = newId();
    const uri = `sip:${options.target}@${domain}`;
    const build = (cseq: number, authorization?: string): string =>
      this.#subscribeText({ uri, callId, fromTag, toTag: undefined, cseq, options, authorization });
    this.#send(build(1));
    let response = await this.#final(callId);
    let cseq = 1;
    if (response.status === 407 && !options.noAuth) {
      cseq = 2;
      this.#send(build(2, digest(response, 'Proxy-Authenticate', this.#login, 'SUBSCRIBE', uri)));
      response = await this.#final(callId);
    }
    return {
      response,
      dialog: { callId, fromTag, toTag: response.toTag ?? '', target: options.target, domain, event: options.event, cseq },
    };
  }

  /** Refreshes (or with 0, ends) a subscription within its dialog; returns the final response. */
  async resubscribe(dialog: WatcherDialog, expires: number): Promise<SipResponse> {
    const uri = `sip:${dialog.target}@${dialog.domain}`;
    const options: SubscribeOptions = { target: dialog.target, event: dialog.event, expires };
    const send = (authorization?: string): void => {
      dialog.cseq += 1;
      this.#send(
        this.#subscribeText({ uri, callId: dialog.callId, fromTag: dialog.fromTag, toTag: dialog.toTag, cseq: dialog.cseq, options, authorization }),
      );
    };
    send();
    let response = await this.#final(dialog.callId, 'SUBSCRIBE');
    if (response.status === 407) {
      send(digest(response, 'Proxy-Authenticate', this.#login, 'SUBSCRIBE', uri));
      response = await this.#final(dialog.callId, 'SUBSCRIBE');
    }
    return response;
  }

  /** Sends raw text (for PUBLISH and odd requests). */
  sendRaw(text: string): void {
    this.#send(text);
  }

  /** The Via this client writes (without branch). */
  get via(): string {
    return this.#via;
  }

  async #final(callId: string, method?: string): Promise<SipResponse> {
    return (await this.waitFor(
      (m) => m instanceof SipResponse && m.callId === callId && m.status >= 200 && (method === undefined || m.cseq?.method === method),
      `final response for ${callId}`,
    )) as SipResponse;
  }

  #subscribeText(input: {
    uri: string;
    callId: string;
    fromTag: string;
    toTag: string | undefined;
    cseq: number;
    options: SubscribeOptions;
    authorization: string | undefined;
  }): string {
    const { uri, options } = input;
    return [
      `SUBSCRIBE ${uri} SIP/2.0`,
      `Via: ${this.#via};branch=z9hG4bK${newId()};rport`,
      'Max-Forwards: 70',
      `From: <sip:${this.#user}@${this.#domain}>;tag=${input.fromTag}`,
      `To: <${uri}>${input.toTag === undefined ? '' : `;tag=${input.toTag}`}`,
      `Call-ID: ${input.callId}`,
      `CSeq: ${input.cseq} SUBSCRIBE`,
      `Contact: <sip:${this.#user}@${this.#contactHost};transport=${this.#transport}>`,
      `Event: ${options.event}`,
      ...(options.expires === undefined ? [] : [`Expires: ${options.expires}`]),
      ...(options.accept === undefined ? [] : [`Accept: ${options.accept}`]),
      ...(input.authorization === undefined ? [] : [`Proxy-Authorization: ${input.authorization}`]),
      ...(options.headers ?? []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }
}

/** A fresh random identifier (Call-ID, tag, branch). */
export function newId(): string {
  return randomBytes(8).toString('hex');
}

/** The response of a client to a request, built by hand from its headers. */
function answer(request: SipRequest, status: number): string {
  const reason = status === 200 ? 'OK' : status === 481 ? 'Call/Transaction Does Not Exist' : 'Error';
  const to = request.headers.get('To') ?? '';
  return [
    `SIP/2.0 ${status} ${reason}`,
    ...request.headers.getAll('Via').map((via) => `Via: ${via}`),
    `From: ${request.headers.get('From') ?? ''}`,
    `To: ${to}`,
    `Call-ID: ${request.callId}`,
    `CSeq: ${request.headers.get('CSeq') ?? ''}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

/** An Authorization / Proxy-Authorization value for the MD5 challenge of a 401/407 (RFC 7616, qop=auth). */
function digest(response: SipResponse, header: string, login: Login, method: string, uri: string): string {
  const challenge = response.headers.getAll(header).find((value) => /algorithm=MD5/i.test(value)) ?? response.headers.get(header) ?? '';
  const param = (name: string): string => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(challenge)?.[1] ?? '';
  const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
  const realm = param('realm');
  const nonce = param('nonce');
  const cnonce = newId();
  const nc = '00000001';
  const ha1 = md5(`${login.username}:${realm}:${login.password}`);
  const ha2 = md5(`${method}:${uri}`);
  const result = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const opaque = param('opaque');
  return `Digest username="${login.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${result}", algorithm=MD5, qop=auth, nc=${nc}, cnonce="${cnonce}"${opaque === '' ? '' : `, opaque="${opaque}"`}`;
}
