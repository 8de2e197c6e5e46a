/** SIP test peers over UDP, TCP and WebSocket that collect what the server sends, and wait for it without sleeping. */
import { isUtf8 } from 'node:buffer';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect as tcpConnect, type Socket as TcpSocket } from 'node:net';
import { WebSocket } from 'ws';
import { parseMessage, SipRequest, SipResponse } from '../../../../src/pbx/sip/index.js';

/** Something received: a parsed message, or raw bytes that did not parse (e.g. a CRLF pong). */
export interface Received {
  readonly raw: Buffer;
  readonly message: SipRequest | SipResponse | undefined;
}

type Waiter = { match: (item: Received) => boolean; resolve: (item: Received) => void };

/** What every test peer offers. */
export abstract class TestPeer {
  readonly received: Received[] = [];
  #waiters: Waiter[] = [];
  #consumed = 0;

  /** The local address and port of the peer. */
  abstract get address(): { address: string; port: number };
  /** The Via transport token of this peer. */
  abstract get viaTransport(): string;
  /** Sends raw bytes or text. */
  abstract send(data: Buffer | string): void;
  /** Closes the peer. */
  abstract close(): Promise<void>;

  protected deliver(raw: Buffer): void {
    const parsed = parseMessage(raw);
    const item: Received = { raw, message: parsed.ok ? parsed.message : undefined };
    this.received.push(item);
    const waiter = this.#waiters.find((candidate) => candidate.match(item));
    if (waiter) {
      this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
      this.#consumed = this.received.length;
      waiter.resolve(item);
    }
  }

  /**
   * Waits for the next item (after everything already consumed) that matches. Fails after `timeoutMs` so that a
   * missing answer fails the test instead of hanging it; the wait itself ends as soon as the item arrives.
   */
  next(match: (item: Received) => boolean = () => true, timeoutMs = 5000): Promise<Received> {
    for (let i = this.#consumed; i < this.received.length; i++) {
      const item = this.received[i]!;
      if (match(item)) {
        this.#consumed = i + 1;
        return Promise.resolve(item);
      }
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { match, resolve };
      this.#waiters.push(waiter);
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((candidate) => candidate !== waiter);
        reject(new Error(`no matching message within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = waiter.resolve;
      waiter.resolve = (item) => {
        clearTimeout(timer);
        done(item);
      };
    });
  }

  /** Waits for the next response (optionally with a given status) for a Call-ID. */
  async response(callId?: string, status?: number, timeoutMs?: number): Promise<SipResponse> {
    const item = await this.next(
      (candidate) =>
        candidate.message instanceof SipResponse &&
        (callId === undefined || candidate.message.callId === callId) &&
        (status === undefined || candidate.message.status === status),
      timeoutMs,
    );
    return item.message as SipResponse;
  }

  /** Waits for the next final (>= 200) response for a Call-ID. */
  async finalResponse(callId: string, timeoutMs?: number): Promise<SipResponse> {
    const item = await this.next(
      (candidate) => candidate.message instanceof SipResponse && candidate.message.callId === callId && candidate.message.status >= 200,
      timeoutMs,
    );
    return item.message as SipResponse;
  }

  /** Waits for the next request. */
  async request(method?: string, timeoutMs?: number): Promise<SipRequest> {
    const item = await this.next(
      (candidate) => candidate.message instanceof SipRequest && (method === undefined || candidate.message.method === method),
      timeoutMs,
    );
    return item.message as SipRequest;
  }
}

/** A UDP peer bound to a loopback address (127.0.0.2 etc. act as other hosts). */
export class UdpPeer extends TestPeer {
  readonly #socket: UdpSocket;
  readonly #target: { address: string; port: number };

  private constructor(socket: UdpSocket, target: { address: string; port: number }) {
    super();
    this.#socket = socket;
    this.#target = target;
    socket.on('message', (data) => this.deliver(data));
  }

  /** Opens a peer on `bindAddress` that talks to `target`. */
  static async open(target: { address: string; port: number }, bindAddress = '127.0.0.1'): Promise<UdpPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, bindAddress, resolve));
    return new UdpPeer(socket, target);
  }

  get address(): { address: string; port: number } {
    const info = this.#socket.address();
    return { address: info.address, port: info.port };
  }

  get viaTransport(): string {
    return 'UDP';
  }

  send(data: Buffer | string): void {
    this.#socket.send(typeof data === 'string' ? Buffer.from(data) : data, this.#target.port, this.#target.address);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}

/** A TCP peer; splits the stream by Content-Length like the server does. */
export class TcpPeer extends TestPeer {
  readonly #socket: TcpSocket;
  #buffer = Buffer.alloc(0);

  private constructor(socket: TcpSocket) {
    super();
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => undefined);
  }

  /** Connects to `target`, optionally from a given local address. */
  static async open(target: { address: string; port: number }, bindAddress = '127.0.0.1'): Promise<TcpPeer> {
    const socket = tcpConnect({ host: target.address, port: target.port, localAddress: bindAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return new TcpPeer(socket);
  }

  /** Resolves when the server closes the connection. */
  closed(): Promise<void> {
    if (this.#socket.destroyed || this.#socket.readableEnded) return Promise.resolve();
    return new Promise((resolve) => this.#socket.once('close', () => resolve()));
  }

  #onData(chunk: Buffer): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    for (;;) {
      if (this.#buffer.subarray(0, 2).toString() === '\r\n') {
        this.deliver(Buffer.from('\r\n'));
        this.#buffer = this.#buffer.subarray(2);
        continue;
      }
      const end = this.#buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.#buffer.subarray(0, end).toString();
      const length = Number(/^(?:content-length|l)\s*:\s*(\d+)/im.exec(head)?.[1] ?? '0');
      const total = end + 4 + length;
      if (this.#buffer.length < total) return;
      this.deliver(Buffer.from(this.#buffer.subarray(0, total)));
      this.#buffer = this.#buffer.subarray(total);
    }
  }

  get address(): { address: string; port: number } {
    return { address: this.#socket.localAddress ?? '', port: this.#socket.localPort ?? 0 };
  }

  get viaTransport(): string {
    return 'TCP';
  }

  send(data: Buffer | string): void {
    this.#socket.write(data);
  }

  async close(): Promise<void> {
    if (this.#socket.destroyed) return;
    const closed = new Promise<void>((resolve) => this.#socket.once('close', () => resolve()));
    this.#socket.destroy();
    await closed;
  }
}

/** A WebSocket peer with subprotocol `sip`. */
export class WsPeer extends TestPeer {
  readonly #socket: WebSocket;
  readonly #host = `${Math.random().toString(36).slice(2, 10)}.invalid`;

  private constructor(socket: WebSocket) {
    super();
    this.#socket = socket;
    socket.on('message', (data: Buffer) => this.deliver(Buffer.from(data)));
  }

  /** Connects to `url` offering the given subprotocols. */
  static async open(url: string, protocols: string[] = ['sip'], localAddress?: string): Promise<WsPeer> {
    const socket = new WebSocket(url, protocols, localAddress === undefined ? {} : { localAddress });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    return new WsPeer(socket);
  }

  /** The negotiated subprotocol. */
  get protocol(): string {
    return this.#socket.protocol;
  }

  get address(): { address: string; port: number } {
    return { address: this.#host, port: 0 };
  }

  get viaTransport(): string {
    return 'WS';
  }

  send(data: Buffer | string): void {
    // Text frames for text; binary frames for bytes that are not UTF-8 (RFC 7118 allows both).
    if (typeof data === 'string' || isUtf8(data)) this.#socket.send(data.toString());
    else this.#socket.send(data, { binary: true });
  }

  async close(): Promise<void> {
    if (this.#socket.readyState === WebSocket.CLOSED) return;
    const closed = new Promise<void>((resolve) => this.#socket.once('close', () => resolve()));
    this.#socket.close();
    await closed;
  }
}
