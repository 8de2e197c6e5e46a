// Fakes for the phone's unit tests: a manual clock, a WebSocket pair, a tiny scripted SIP server, and a session
// description handler without WebRTC. No Node built-ins: the same tests run in Node and in Chromium.
import type { Clock, TimerHandle } from '../../../src/core/phone/clock.js';
import type { WebSocketFactory, WebSocketLike } from '../../../src/core/phone/transport.js';

/** A clock that only moves when told to. Timers fire in order of their due time. */
export class FakeClock implements Clock {
  #now = 1_000_000;
  #next = 1;
  readonly #timers = new Map<number, { due: number; callback: () => void }>();
  randomValue = 0.5;

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = this.#next++;
    this.#timers.set(id, { due: this.#now + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.#timers.delete(handle as number);
  }

  random(): number {
    return this.randomValue;
  }

  /** Pending timers, soonest first (their delays from now). */
  pending(): number[] {
    return [...this.#timers.values()].map((t) => t.due - this.#now).sort((a, b) => a - b);
  }

  /** Moves time forward, firing every timer that falls due (including ones they schedule). */
  advance(ms: number): void {
    const end = this.#now + ms;
    for (;;) {
      let nextId: number | undefined;
      let nextDue = Infinity;
      for (const [id, timer] of this.#timers) {
        if (timer.due <= end && timer.due < nextDue) {
          nextDue = timer.due;
          nextId = id;
        }
      }
      if (nextId === undefined) break;
      const timer = this.#timers.get(nextId)!;
      this.#timers.delete(nextId);
      this.#now = timer.due;
      timer.callback();
    }
    this.#now = end;
  }
}

type Handler = (event: { data?: unknown; code?: number; reason?: string }) => void;

/** One side of a fake WebSocket. The test plays the server through {@link FakeWebSocket.serverSend}. */
export class FakeWebSocket implements WebSocketLike {
  readonly url: string;
  readonly protocol: string;
  readonly sent: string[] = [];
  readyState = 0;
  closed = false;
  onClientMessage: ((data: string) => void) | undefined;
  onServerMessage: ((data: string) => void) | undefined;
  readonly #handlers = new Map<string, Handler[]>();

  constructor(url: string, protocol: string) {
    this.url = url;
    this.protocol = protocol;
  }

  addEventListener(type: 'open' | 'close' | 'error', listener: (event: { code?: number; reason?: string }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: string, listener: ((event: { code?: number; reason?: string }) => void) | ((event: { data: unknown }) => void)): void {
    const list = this.#handlers.get(type) ?? [];
    list.push(listener as Handler);
    this.#handlers.set(type, list);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(data);
    this.onClientMessage?.(data);
  }

  close(code?: number): void {
    if (this.closed) return;
    this.closed = true;
    this.readyState = 3;
    queueMicrotask(() => this.#fire('close', { code: code ?? 1000 }));
  }

  /** The server accepts the connection. */
  open(): void {
    this.readyState = 1;
    this.#fire('open', {});
  }

  /** The server (or the network) drops the connection. */
  drop(code = 1006): void {
    if (this.closed) return;
    this.closed = true;
    this.readyState = 3;
    this.#fire('close', { code });
  }

  /** The server sends a frame. */
  serverSend(data: string): void {
    this.onServerMessage?.(data);
    this.#fire('message', { data });
  }

  #fire(type: string, event: { data?: unknown; code?: number }): void {
    for (const handler of this.#handlers.get(type) ?? []) handler(event);
  }
}

/** A parsed SIP message (enough for a scripted server). */
export interface SipMessage {
  readonly raw: string;
  readonly method: string | undefined;
  readonly status: number | undefined;
  readonly uri: string | undefined;
  header(name: string): string | undefined;
  headers(name: string): string[];
  readonly body: string;
}

/** Splits a SIP message into start line, headers and body. */
export function parseSip(raw: string): SipMessage {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const [start = '', ...lines] = head.split('\r\n');
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([expandCompact(line.slice(0, colon).trim().toLowerCase()), line.slice(colon + 1).trim()]);
  }
  const response = /^SIP\/2\.0 (\d{3})/.exec(start);
  const request = /^([A-Z]+) (\S+) SIP\/2\.0/.exec(start);
  return {
    raw,
    method: request?.[1],
    uri: request?.[2],
    status: response ? Number(response[1]) : undefined,
    header: (name) => headers.find(([key]) => key === name.toLowerCase())?.[1],
    headers: (name) => headers.filter(([key]) => key === name.toLowerCase()).map(([, value]) => value),
    body,
  };
}

function expandCompact(name: string): string {
  const compact: Record<string, string> = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type', k: 'supported' };
  return compact[name] ?? name;
}

/** Builds a response to a request, copying the headers RFC 3261 8.2.6.2 says to copy. */
export function respond(request: SipMessage, status: number, reason: string, options: { toTag?: string; headers?: string[]; body?: string; contentType?: string } = {}): string {
  const lines = [`SIP/2.0 ${status} ${reason}`];
  for (const via of request.headers('via')) lines.push(`Via: ${via}`);
  lines.push(`From: ${request.header('from')}`);
  const to = request.header('to') ?? '';
  lines.push(`To: ${options.toTag && !/;tag=/.test(to) ? `${to};tag=${options.toTag}` : to}`);
  lines.push(`Call-ID: ${request.header('call-id')}`);
  lines.push(`CSeq: ${request.header('cseq')}`);
  for (const header of options.headers ?? []) lines.push(header);
  const body = options.body ?? '';
  if (body) lines.push(`Content-Type: ${options.contentType ?? 'application/sdp'}`);
  lines.push(`Content-Length: ${new TextEncoder().encode(body).length}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * A WebSocket factory whose sockets connect to a scripted SIP server. Every socket the phone opens is recorded; the
 * server's behaviour is a function the test sets and may change between steps.
 */
export class FakeServer {
  readonly sockets: FakeWebSocket[] = [];
  readonly received: SipMessage[] = [];
  /** Whether new connections open (false: they close at once, as if nothing listened). */
  reachable = true;
  /** Handles each request; return responses to send back (or nothing). */
  onRequest: (request: SipMessage, socket: FakeWebSocket) => string[] | void = (request) => this.defaultHandler(request);
  /** Answers CRLF keep-alive pings. */
  answerPings = true;
  realm = 'example.com';
  challenge = true;
  allowedUser = '1001';
  extraOkHeaders: string[] = [];

  readonly factory: WebSocketFactory = (url, protocol) => {
    const socket = new FakeWebSocket(url, protocol);
    this.sockets.push(socket);
    socket.onClientMessage = (data) => this.#onClientMessage(socket, data);
    socket.onServerMessage = (data) => {
      if (data.startsWith('INVITE ')) {
        const invite = parseSip(data);
        this.#invitesToPhone.set(`${invite.header('call-id')} ${invite.header('cseq')}`, invite);
      }
    };
    queueMicrotask(() => {
      if (this.reachable) socket.open();
      else socket.drop(1006);
    });
    return socket;
  };

  /** The socket in use (the last one opened). */
  get socket(): FakeWebSocket {
    const socket = this.sockets[this.sockets.length - 1];
    if (!socket) throw new Error('no socket yet');
    return socket;
  }

  /** The requests of a method seen so far. */
  requests(method: string): SipMessage[] {
    return this.received.filter((m) => m.method === method);
  }

  /** Registers with a digest challenge first (when `challenge`), then 200 with the Contact echoed. */
  defaultHandler(request: SipMessage): string[] | void {
    if (request.method === 'REGISTER') {
      const auth = request.header('authorization');
      if (this.challenge && !auth) {
        return [respond(request, 401, 'Unauthorized', { toTag: 'reg', headers: [`WWW-Authenticate: Digest realm="${this.realm}", nonce="n0nce", qop="auth", algorithm=MD5`] })];
      }
      if (auth && !auth.includes(`username="${this.allowedUser}"`)) return [respond(request, 403, 'Forbidden', { toTag: 'reg' })];
      const contact = request.header('contact') ?? '';
      return [respond(request, 200, 'OK', { toTag: 'reg', headers: [`Contact: ${contact}`, ...this.extraOkHeaders] })];
    }
    if (request.method === 'OPTIONS') return [respond(request, 200, 'OK', { toTag: 'opt', headers: ['Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, SUBSCRIBE, NOTIFY, REFER'] })];
    if (request.method === 'ACK') return;
    // Anything else is answered, so that no transaction of the phone waits for its 32 s timeout.
    if (request.method === 'REFER') return [respond(request, 202, 'Accepted')];
    return [respond(request, 200, 'OK')];
  }

  readonly #invitesToPhone = new Map<string, SipMessage>();

  #onClientMessage(socket: FakeWebSocket, data: string): void {
    if (/^(\r\n)+$/.test(data)) {
      if (this.answerPings) queueMicrotask(() => socket.serverSend('\r\n'));
      return;
    }
    const message = parseSip(data);
    this.received.push(message);
    // A final failure response to an INVITE is acknowledged hop by hop, as a proxy would (RFC 3261 17.1.1.3).
    if (message.status !== undefined && message.status >= 300 && / INVITE$/.test(message.header('cseq') ?? '')) {
      const invite = this.#invitesToPhone.get(`${message.header('call-id')} ${message.header('cseq')}`);
      if (invite) {
        const cseq = (message.header('cseq') ?? '').split(' ')[0];
        const ack = [
          `ACK ${invite.uri} SIP/2.0`,
          `Via: ${invite.headers('via')[0]}`,
          'Max-Forwards: 70',
          `From: ${invite.header('from')}`,
          `To: ${message.header('to')}`,
          `Call-ID: ${invite.header('call-id')}`,
          `CSeq: ${cseq} ACK`,
          'Content-Length: 0',
        ].join('\r\n');
        queueMicrotask(() => socket.serverSend(`${ack}\r\n\r\n`));
      }
    }
    if (message.method === undefined) return;
    const responses = this.onRequest(message, socket) ?? [];
    // Answer asynchronously, like a network would.
    queueMicrotask(() => {
      for (const response of responses) if (!socket.closed) socket.serverSend(response);
    });
  }
}

/** Resolves after pending microtasks and a macrotask turn (lets promise chains inside the phone settle). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Polls `probe` until it is true, failing after `timeout` ms of real time. */
export async function until(what: string, probe: () => boolean, timeout = 3000): Promise<void> {
  const deadline = Date.now() + timeout;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A session description handler without WebRTC: fixed SDP, with the hold direction it was asked for. */
export class FakeSessionDescriptionHandler {
  readonly remote: string[] = [];
  readonly dtmf: string[] = [];
  closed = false;

  getDescription(options?: { hold?: boolean }): Promise<{ body: string; contentType: string }> {
    return Promise.resolve({ body: fakeSdp(options?.hold ? 'sendonly' : 'sendrecv'), contentType: 'application/sdp' });
  }

  setDescription(sdp: string): Promise<void> {
    this.remote.push(sdp);
    return Promise.resolve();
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  sendDtmf(tones: string): boolean {
    this.dtmf.push(tones);
    return true;
  }

  rollbackDescription(): Promise<void> {
    return Promise.resolve();
  }

  close(): void {
    this.closed = true;
  }
}

/** An SDP body with one audio line in the given direction. */
export function fakeSdp(direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' = 'sendrecv'): string {
  return ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'a=rtpmap:111 opus/48000/2', `a=${direction}`, ''].join('\r\n');
}

/** Builds a request as the far end (or the PBX) would send it to the phone. */
export function request(
  method: string,
  uri: string,
  fields: { from: string; to: string; callId: string; cseq: number; contact?: string; headers?: string[]; body?: string; contentType?: string; branch?: string },
): string {
  const body = fields.body ?? '';
  const lines = [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/WSS pbx.example.com;branch=${fields.branch ?? `z9hG4bK${Math.random().toString(36).slice(2)}`}`,
    'Max-Forwards: 70',
    `From: ${fields.from}`,
    `To: ${fields.to}`,
    `Call-ID: ${fields.callId}`,
    `CSeq: ${fields.cseq} ${method}`,
    ...(fields.contact ? [`Contact: ${fields.contact}`] : []),
    ...(fields.headers ?? []),
    ...(body ? [`Content-Type: ${fields.contentType ?? 'application/sdp'}`] : []),
    `Content-Length: ${new TextEncoder().encode(body).length}`,
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}
