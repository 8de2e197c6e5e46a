/**
 * A small SIP user agent for routing tests, over UDP or WebSocket with raw messages: registers with digest,
 * places calls (answering 407 challenges), receives calls, sends in-dialog requests along the recorded route set,
 * and answers CANCEL, BYE and OPTIONS by itself. Every wait ends as soon as the message arrives and fails after a
 * timeout instead of hanging a test. No media: SDP bodies are fixed text.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { WebSocket } from 'ws';
import {
  createResponse,
  parseMessage,
  serializeMessage,
  SipHeaders,
  SipRequest,
  SipResponse,
  type SipMessage,
} from '../../../../src/pbx/sip/index.js';
import { unquote } from '../../../../src/pbx/sip/message/params.js';
import { challengesOf, digestAnswer } from '../../sip/support/messages.js';

/** A plain audio offer (nobody sends media in these tests). */
export const AUDIO_OFFER = [
  'v=0',
  'o=- 4711 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 0 8',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=sendrecv',
  '',
].join('\r\n');

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

function branch(): string {
  return `z9hG4bK${hex(8)}`;
}

type Match = (message: SipMessage) => boolean;

/** Messages in arrival order; each is taken by at most one waiter. */
class Inbox {
  readonly #items: Array<{ message: SipMessage; taken: boolean }> = [];
  #waiters: Array<{ match: Match; resolve: (message: SipMessage) => void }> = [];

  /** Everything that arrived, taken or not. */
  get all(): SipMessage[] {
    return this.#items.map((item) => item.message);
  }

  push(message: SipMessage): void {
    const item = { message, taken: false };
    this.#items.push(item);
    const waiter = this.#waiters.find((candidate) => candidate.match(message));
    if (waiter) {
      item.taken = true;
      this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
      waiter.resolve(message);
    }
  }

  take(match: Match, timeoutMs: number, what: string): Promise<SipMessage> {
    const found = this.#items.find((item) => !item.taken && match(item.message));
    if (found) {
      found.taken = true;
      return Promise.resolve(found.message);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
        reject(new Error(`timed out waiting for ${what}`));
      }, timeoutMs);
      const waiter = {
        match,
        resolve: (message: SipMessage) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      this.#waiters.push(waiter);
    });
  }

  /** Whether something matching arrived that nobody took. */
  has(match: Match): boolean {
    return this.#items.some((item) => !item.taken && match(item.message));
  }
}

/** Where the PBX listens. */
export interface PbxAddress {
  readonly udp: { readonly address: string; readonly port: number };
  readonly wsUrl: string;
}

/** Options of {@link TestPhone.open}. */
export interface PhoneOptions {
  readonly extension: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly transport?: 'udp' | 'ws';
  readonly displayName?: string;
  /**
   * The device's `+sip.instance` (a `urn:uuid:…`): the phone then registers as an RFC 5626 outbound device
   * (`reg-id=1`), asks for a GRUU and, when it gets one, uses it as the Contact of its dialogs (as the SDK's phone does).
   */
  readonly instanceId?: string;
}

/** How a phone sends: one UDP socket or WebSocket connection. */
interface Connection {
  send(data: Buffer): void;
  close(): Promise<void>;
}

const WAIT = 5000;

/** A SIP phone for tests. */
export class TestPhone {
  readonly extension: string;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly transport: 'udp' | 'ws';
  /** Every request and response that arrived (CANCEL, BYE and OPTIONS already answered). */
  readonly inbox = new Inbox();
  /** The public GRUU the registrar gave this phone, if it asked for one. */
  gruu: string | undefined;
  readonly instanceId: string | undefined;
  #connection: Connection;
  readonly #hostPort: string;
  readonly #displayName: string | undefined;
  readonly #answers = new Map<string, SipResponse>();
  readonly #outgoing = new Map<string, OutgoingCall>();
  readonly #incoming = new Map<string, IncomingCall>();
  #registerCSeq = 1;
  #registered = false;
  readonly #registerCallId = `${hex(8)}@reg`;

  private constructor(options: PhoneOptions, connection: Connection, hostPort: string) {
    this.extension = options.extension;
    this.domain = options.domain;
    this.username = options.username;
    this.password = options.password;
    this.transport = options.transport ?? 'udp';
    this.#displayName = options.displayName;
    this.instanceId = options.instanceId;
    this.#connection = connection;
    this.#hostPort = hostPort;
  }

  /** Opens a phone on a new UDP socket or WebSocket connection to the PBX (not registered yet). */
  static async open(pbx: PbxAddress, options: PhoneOptions): Promise<TestPhone> {
    // Messages may only arrive once the connection is open, and the phone needs the open connection: a late binding.
    const holder: { phone?: TestPhone } = {};
    const { connection, hostPort } = await TestPhone.#connect(pbx, options.transport ?? 'udp', (message) => holder.phone?.receive(message));
    holder.phone = new TestPhone(options, connection, hostPort);
    return holder.phone;
  }

  static async #connect(pbx: PbxAddress, transport: 'udp' | 'ws', deliver: (message: SipMessage) => void): Promise<{ connection: Connection; hostPort: string }> {
    const receive = (data: Buffer): void => {
      const parsed = parseMessage(data);
      if (parsed.ok) deliver(parsed.message);
    };
    if (transport === 'ws') {
      const socket = new WebSocket(pbx.wsUrl, ['sip']);
      await new Promise<void>((resolve, reject) => {
        socket.once('open', resolve);
        socket.once('error', reject);
      });
      socket.on('message', (data: Buffer) => receive(Buffer.from(data)));
      const connection: Connection = {
        send: (data) => {
          if (socket.readyState === WebSocket.OPEN) socket.send(data.toString());
        },
        close: async () => {
          if (socket.readyState === WebSocket.CLOSED) return;
          const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
          socket.close();
          await closed;
        },
      };
      return { connection, hostPort: `${hex(5)}.invalid` };
    }
    const socket: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.on('message', receive);
    const { port } = socket.address();
    const connection: Connection = {
      send: (data) => socket.send(data, pbx.udp.port, pbx.udp.address),
      close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
    };
    return { connection, hostPort: `127.0.0.1:${port}` };
  }

  /**
   * Comes back on a new connection, as a browser does after its WebSocket dropped: the old connection is closed (if
   * it is not already), a new one opened; the phone keeps its Contact, instance id and dialogs. Register afterwards.
   */
  async reconnect(pbx: PbxAddress): Promise<void> {
    await this.#connection.close();
    this.#connection = (await TestPhone.#connect(pbx, this.transport, (message) => this.receive(message))).connection;
  }

  /** The phone's address-of-record. */
  get aor(): string {
    return `sip:${this.extension}@${this.domain}`;
  }

  /** The Contact URI it uses in dialogs: its GRUU once it has one, else the one it registers. */
  get contactUri(): string {
    return this.gruu ?? this.registeredContactUri;
  }

  /** The Contact URI it registers. */
  get registeredContactUri(): string {
    return `sip:${this.extension}@${this.#hostPort};transport=${this.transport}`;
  }

  /** A fresh Via for a request. */
  via(branchId = branch()): string {
    return `SIP/2.0/${this.transport.toUpperCase()} ${this.#hostPort};branch=${branchId};rport`;
  }

  /** The From value of this phone with a tag. */
  from(tag: string): string {
    const name = this.#displayName === undefined ? '' : `"${this.#displayName}" `;
    return `${name}<${this.aor}>;tag=${tag}`;
  }

  /** Sends a message as it is. */
  send(message: SipMessage): void {
    this.#connection.send(serializeMessage(message));
  }

  /** Closes the socket or connection. */
  async close(): Promise<void> {
    this.#registered = false;
    await this.#connection.close();
  }

  /** Unregisters (when registered) and closes. */
  async shutdown(): Promise<void> {
    if (this.#registered) await this.register(0).catch(() => undefined);
    await this.close();
  }

  /** Registers (answering the 401 with `algorithm`); resolves with the final response. */
  async register(expires = 3600, algorithm: 'MD5' | 'SHA-256' = 'SHA-256'): Promise<SipResponse> {
    const build = (authorization?: string): SipRequest => {
      const headers = new SipHeaders();
      headers
        .append('Via', this.via())
        .append('Max-Forwards', '70')
        .append('From', `<${this.aor}>;tag=${hex(4)}`)
        .append('To', `<${this.aor}>`)
        .append('Call-ID', this.#registerCallId)
        .append('CSeq', `${this.#registerCSeq++} REGISTER`)
        .append('Contact', this.instanceId === undefined ? `<${this.registeredContactUri}>` : `<${this.registeredContactUri}>;reg-id=1;+sip.instance="<${this.instanceId}>"`)
        .append('Expires', String(expires));
      if (this.instanceId !== undefined) headers.append('Supported', 'outbound, gruu');
      if (authorization) headers.append('Authorization', authorization);
      return new SipRequest('REGISTER', `sip:${this.domain}`, headers);
    };
    const isAnswer = (seq: number) => (message: SipMessage) =>
      message instanceof SipResponse && message.callId === this.#registerCallId && message.cseq?.seq === seq && message.status >= 200;
    let seq = this.#registerCSeq;
    this.send(build());
    const challenge = (await this.inbox.take(isAnswer(seq), WAIT, 'the 401 to REGISTER')) as SipResponse;
    if (challenge.status !== 401) return challenge;
    const offered = challengesOf(challenge).find((candidate) => candidate.algorithm === algorithm);
    if (!offered) throw new Error(`no ${algorithm} challenge`);
    seq = this.#registerCSeq;
    this.send(build(digestAnswer({ challenge: offered, username: this.username, password: this.password, method: 'REGISTER', uri: `sip:${this.domain}` })));
    const final = (await this.inbox.take(isAnswer(seq), WAIT, 'the answer to REGISTER')) as SipResponse;
    if (final.status !== 200) throw new Error(`REGISTER failed with ${final.status}`);
    this.#registered = expires > 0;
    for (const contact of final.contacts) {
      if (!('uri' in contact) || contact.uri !== this.registeredContactUri) continue;
      const gruu = contact.params.get('pub-gruu');
      if (gruu) this.gruu = unquote(gruu);
    }
    return final;
  }

  /** Places a call to `target` (a dial string, or a full URI) and answers the PBX's 407 challenge. */
  call(target: string, options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; anonymous?: boolean; withholdAck?: boolean } = {}): OutgoingCall {
    const uri = target.includes(':') ? target : `sip:${target}@${this.domain}`;
    const call = new OutgoingCall(this, uri, options);
    this.#outgoing.set(call.callId, call);
    call.start();
    return call;
  }

  /** Waits for the next new incoming call. */
  async incoming(timeoutMs = WAIT): Promise<IncomingCall> {
    const invite = (await this.inbox.take(
      (message) => message instanceof SipRequest && message.method === 'INVITE' && message.toTag === undefined,
      timeoutMs,
      `an INVITE to ${this.extension}`,
    )) as SipRequest;
    const call = this.#incoming.get(invite.callId);
    if (!call) throw new Error('incoming call not tracked');
    return call;
  }

  /** Whether an INVITE arrived that no test took. */
  hasUntakenInvite(): boolean {
    return this.inbox.has((message) => message instanceof SipRequest && message.method === 'INVITE' && message.toTag === undefined);
  }

  /** Waits for a request (optionally of a call). */
  async request(method: string, callId?: string, timeoutMs = WAIT): Promise<SipRequest> {
    return (await this.inbox.take(
      (message) => message instanceof SipRequest && message.method === method && (callId === undefined || message.callId === callId),
      timeoutMs,
      `${method} at ${this.extension}`,
    )) as SipRequest;
  }

  /** Waits for a response to one of this phone's requests by Call-ID and CSeq method. */
  async response(callId: string, method: string, timeoutMs = WAIT): Promise<SipResponse> {
    return (await this.inbox.take(
      (message) => message instanceof SipResponse && message.callId === callId && message.cseq?.method === method && message.status >= 200,
      timeoutMs,
      `a final response to ${method}`,
    )) as SipResponse;
  }

  /** Answers a request; the answer is kept for retransmissions of it. */
  respond(request: SipRequest, status: number, options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; toTag?: string } = {}): SipResponse {
    const headers: Array<readonly [string, string]> = [...(options.headers ?? [])];
    if (request.method === 'INVITE' && status > 100 && status < 300) {
      for (const route of request.headers.getAll('Record-Route')) headers.push(['Record-Route', route]);
      headers.push(['Contact', `<${this.contactUri}>`]);
    }
    const response = createResponse(request, status, {
      headers,
      ...(options.toTag === undefined ? {} : { toTag: options.toTag }),
      ...(options.body === undefined ? {} : { body: { type: 'application/sdp', content: options.body } }),
    });
    this.#answers.set(this.#key(request), response);
    this.send(response);
    return response;
  }

  /** Sends a request in a dialog (fresh Via); returns it. */
  sendInDialog(method: string, dialog: DialogView, options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; bodyType?: string; cseq?: number } = {}): SipRequest {
    const headers = new SipHeaders();
    headers.append('Via', this.via()).append('Max-Forwards', '70');
    for (const route of dialog.routeSet) headers.append('Route', route);
    headers
      .append('From', dialog.localUri)
      .append('To', dialog.remoteUri)
      .append('Call-ID', dialog.callId)
      .append('CSeq', `${options.cseq ?? dialog.nextCSeq()} ${method}`);
    if (method !== 'ACK') headers.append('Contact', `<${this.contactUri}>`);
    for (const [name, value] of options.headers ?? []) headers.append(name, value);
    const request = new SipRequest(method, dialog.remoteTarget, headers);
    if (options.body !== undefined) request.setBody(options.body, options.bodyType ?? 'application/sdp');
    this.send(request);
    return request;
  }

  /** @internal Called for every parsed message. */
  receive(message: SipMessage): void {
    if (message instanceof SipResponse) {
      const call = this.#outgoing.get(message.callId);
      if (call && message.cseq?.method === 'INVITE') call.onResponse(message);
      else this.inbox.push(message);
      return;
    }
    const request = message as SipRequest;
    const key = this.#key(request);
    if (request.method !== 'ACK') {
      const previous = this.#answers.get(key);
      if (previous) {
        this.send(previous);
        return;
      }
      if (this.#seen.has(key)) return;
      this.#seen.add(key);
    }
    switch (request.method) {
      case 'CANCEL': {
        this.respond(request, 200);
        this.#incoming.get(request.callId)?.cancelled();
        break;
      }
      case 'BYE':
        this.respond(request, 200);
        break;
      case 'OPTIONS':
        this.respond(request, 200);
        return;
      case 'INVITE':
        if (request.toTag === undefined) this.#incoming.set(request.callId, new IncomingCall(this, request));
        break;
      default:
        break;
    }
    this.inbox.push(request);
  }

  readonly #seen = new Set<string>();

  #key(request: SipRequest): string {
    return `${request.topVia?.branch ?? ''}|${request.method}`;
  }
}

/** What sending in a dialog needs. */
export interface DialogView {
  readonly callId: string;
  /** Our From (with tag). */
  readonly localUri: string;
  /** The peer's address (with tag). */
  readonly remoteUri: string;
  readonly remoteTarget: string;
  readonly routeSet: readonly string[];
  nextCSeq(): number;
}

/** A call this phone placed. */
export class OutgoingCall implements DialogView {
  readonly callId = `${hex(8)}@test`;
  readonly tag = hex(4);
  readonly uri: string;
  /** INVITE responses of this call (the 407 the phone answered itself excluded). */
  readonly responses = new Inbox();
  /** Set once a 2xx arrived. */
  remoteUri = '';
  remoteTarget = '';
  routeSet: string[] = [];
  /** The INVITE as last sent. */
  invite: SipRequest | undefined;
  #cseq = 1;
  #authorized = false;
  readonly #phone: TestPhone;
  readonly #options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; anonymous?: boolean; withholdAck?: boolean };

  constructor(phone: TestPhone, uri: string, options: { headers?: ReadonlyArray<readonly [string, string]>; body?: string; anonymous?: boolean; withholdAck?: boolean }) {
    this.#phone = phone;
    this.uri = uri;
    this.#options = options;
  }

  get localUri(): string {
    return this.#options.anonymous ? `"Anonymous" <sip:anonymous@anonymous.invalid>;tag=${this.tag}` : this.#phone.from(this.tag);
  }

  nextCSeq(): number {
    this.#cseq += 1;
    return this.#cseq;
  }

  /** @internal Sends the INVITE. */
  start(authorization?: string): void {
    const headers = new SipHeaders();
    headers.append('Via', this.#phone.via());
    const extra = this.#options.headers ?? [];
    if (!extra.some(([name]) => name.toLowerCase() === 'max-forwards')) headers.append('Max-Forwards', '70');
    headers
      .append('From', this.localUri)
      .append('To', `<${this.uri}>`)
      .append('Call-ID', this.callId)
      .append('CSeq', `${this.#cseq} INVITE`)
      .append('Contact', `<${this.#phone.contactUri}>`);
    if (this.#options.anonymous) headers.append('Privacy', 'id');
    for (const [name, value] of this.#options.headers ?? []) headers.append(name, value);
    if (authorization) headers.append('Proxy-Authorization', authorization);
    const invite = new SipRequest('INVITE', this.uri, headers);
    invite.setBody(this.#options.body ?? AUDIO_OFFER, 'application/sdp');
    this.invite = invite;
    this.#phone.send(invite);
  }

  /** @internal An INVITE response arrived. */
  onResponse(response: SipResponse): void {
    if (response.cseq?.seq !== this.#cseq) {
      // A retransmitted 2xx of this INVITE still needs its ACK.
      if (response.status >= 200 && response.status < 300) this.#ack2xx(response);
      return;
    }
    if (response.status >= 300) this.#ackFailure(response);
    if (response.status === 407 && !this.#authorized) {
      this.#authorized = true;
      const challenge = challengesOf(response)[0];
      if (!challenge) throw new Error('407 without a challenge');
      const authorization = digestAnswer({ challenge, username: this.#phone.username, password: this.#phone.password, method: 'INVITE', uri: this.uri });
      this.#cseq += 1;
      this.start(authorization);
      return;
    }
    if (response.status >= 200 && response.status < 300) {
      this.remoteUri = response.headers.get('To') ?? '';
      const contact = response.contacts[0];
      this.remoteTarget = contact && 'uri' in contact ? contact.uri : this.uri;
      this.routeSet = response.headers.getAll('Record-Route').reverse();
      // A caller that vanishes right after the answer (withholdAck) never acknowledges it.
      if (!this.#options.withholdAck) this.#ack2xx(response);
    }
    this.responses.push(response);
  }

  /** Waits for the final response (after authentication). */
  async final(timeoutMs = WAIT): Promise<SipResponse> {
    return (await this.responses.take((message) => (message as SipResponse).status >= 200, timeoutMs, `the final response to ${this.uri}`)) as SipResponse;
  }

  /** Waits for a response with this status. */
  async status(status: number, timeoutMs = WAIT): Promise<SipResponse> {
    return (await this.responses.take((message) => (message as SipResponse).status === status, timeoutMs, `${status} for ${this.uri}`)) as SipResponse;
  }

  /** Sends CANCEL for the pending INVITE and waits for its 200. */
  async cancel(): Promise<SipResponse> {
    const invite = this.invite;
    if (!invite) throw new Error('no INVITE sent');
    const headers = new SipHeaders();
    headers
      .append('Via', invite.headers.get('Via') ?? '')
      .append('Max-Forwards', '70')
      .append('From', invite.headers.get('From') ?? '')
      .append('To', invite.headers.get('To') ?? '')
      .append('Call-ID', this.callId)
      .append('CSeq', `${this.#cseq} CANCEL`);
    this.#phone.send(new SipRequest('CANCEL', invite.uri, headers));
    return this.#phone.response(this.callId, 'CANCEL');
  }

  /** Hangs up an answered call; resolves with the response to the BYE. */
  async bye(): Promise<SipResponse> {
    this.#phone.sendInDialog('BYE', this);
    return this.#phone.response(this.callId, 'BYE');
  }

  /** Waits for a BYE from the other side (already answered with 200). */
  async byeReceived(timeoutMs = WAIT): Promise<SipRequest> {
    return this.#phone.request('BYE', this.callId, timeoutMs);
  }

  #ack2xx(response: SipResponse): void {
    const headers = new SipHeaders();
    headers.append('Via', this.#phone.via()).append('Max-Forwards', '70');
    for (const route of response.headers.getAll('Record-Route').reverse()) headers.append('Route', route);
    headers
      .append('From', this.localUri)
      .append('To', response.headers.get('To') ?? '')
      .append('Call-ID', this.callId)
      .append('CSeq', `${response.cseq?.seq ?? this.#cseq} ACK`);
    const contact = response.contacts[0];
    this.#phone.send(new SipRequest('ACK', contact && 'uri' in contact ? contact.uri : this.uri, headers));
  }

  #ackFailure(response: SipResponse): void {
    const invite = this.invite;
    if (!invite) return;
    const headers = new SipHeaders();
    headers
      .append('Via', invite.headers.get('Via') ?? '')
      .append('Max-Forwards', '70')
      .append('From', invite.headers.get('From') ?? '')
      .append('To', response.headers.get('To') ?? '')
      .append('Call-ID', this.callId)
      .append('CSeq', `${this.#cseq} ACK`);
    this.#phone.send(new SipRequest('ACK', invite.uri, headers));
  }
}

/** A call this phone received. */
export class IncomingCall implements DialogView {
  readonly request: SipRequest;
  readonly callId: string;
  readonly tag = hex(4);
  readonly remoteUri: string;
  readonly remoteTarget: string;
  readonly routeSet: string[];
  #cseq = 0;
  #final: number | undefined;
  #cancelled = false;
  readonly #phone: TestPhone;

  constructor(phone: TestPhone, request: SipRequest) {
    this.#phone = phone;
    this.request = request;
    this.callId = request.callId;
    this.remoteUri = request.headers.get('From') ?? '';
    const contact = request.contacts[0];
    this.remoteTarget = contact && 'uri' in contact ? contact.uri : '';
    this.routeSet = request.headers.getAll('Record-Route');
  }

  get localUri(): string {
    return `${this.request.headers.get('To') ?? ''};tag=${this.tag}`;
  }

  /** Whether the caller (or the PBX) cancelled it. */
  get wasCancelled(): boolean {
    return this.#cancelled;
  }

  nextCSeq(): number {
    this.#cseq += 1;
    return this.#cseq;
  }

  /** Sends a provisional response (180 by default). */
  ring(status = 180): void {
    this.#phone.respond(this.request, status, { toTag: this.tag });
  }

  /** Answers with 200 and an SDP body. */
  answer(body = AUDIO_OFFER): void {
    this.#final = 200;
    this.#phone.respond(this.request, 200, { toTag: this.tag, body });
  }

  /** Refuses with a final status. */
  reject(status: number): void {
    this.#final = status;
    this.#phone.respond(this.request, status, { toTag: this.tag });
  }

  /** Sends the ringing call on before answering: 302 with the target as Contact. */
  redirect(contact: string): void {
    this.#final = 302;
    this.#phone.respond(this.request, 302, { toTag: this.tag, headers: [['Contact', `<${contact}>`]] });
  }

  /** Waits for the ACK of our 2xx. */
  async acked(timeoutMs = WAIT): Promise<SipRequest> {
    return this.#phone.request('ACK', this.callId, timeoutMs);
  }

  /** Waits until the INVITE is cancelled (the phone answered 200 and 487 by itself). */
  async whenCancelled(timeoutMs = WAIT): Promise<SipRequest> {
    return this.#phone.request('CANCEL', this.callId, timeoutMs);
  }

  /** Hangs up; resolves with the response to the BYE. */
  async bye(): Promise<SipResponse> {
    this.#phone.sendInDialog('BYE', this);
    return this.#phone.response(this.callId, 'BYE');
  }

  /** Waits for a BYE from the caller (already answered). */
  async byeReceived(timeoutMs = WAIT): Promise<SipRequest> {
    return this.#phone.request('BYE', this.callId, timeoutMs);
  }

  /** @internal A CANCEL arrived: the INVITE gets its 487 unless it was answered. */
  cancelled(): void {
    this.#cancelled = true;
    if (this.#final === undefined) {
      this.#final = 487;
      this.#phone.respond(this.request, 487, { toTag: this.tag });
    }
  }
}
