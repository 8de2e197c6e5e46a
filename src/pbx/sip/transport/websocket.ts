/** SIP over WebSocket (RFC 7118) on an existing HTTP server: subprotocol `sip`, one SIP message per WS message. */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { isUtf8 } from 'node:buffer';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { normalizeAddress, type SipEndpoint, type SipFlow, type SipTransportSink } from './types.js';

const PING = '\r\n\r\n';

class WebSocketFlow implements SipFlow {
  readonly transport = 'ws' as const;
  readonly reliable = true;
  closed = false;

  constructor(
    readonly id: string,
    readonly socket: WebSocket,
    readonly remote: SipEndpoint,
    readonly local: SipEndpoint,
  ) {}

  send(data: Buffer): boolean {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return false;
    // Text frames for text (what browsers' SIP stacks expect); binary frames only for non-UTF-8 bodies.
    this.socket.send(isUtf8(data) ? data.toString('utf8') : data, { binary: !isUtf8(data) });
    return true;
  }

  close(): void {
    this.socket.close(1000);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

function offersSip(request: IncomingMessage): boolean {
  const header = request.headers['sec-websocket-protocol'];
  if (typeof header !== 'string') return false;
  return header.split(',').some((protocol) => protocol.trim().toLowerCase() === 'sip');
}

function reject(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** The WebSocket endpoint on one HTTP server. */
export class WebSocketTransport {
  readonly #http: HttpServer;
  readonly #path: string;
  readonly #sink: SipTransportSink;
  readonly #wss: WebSocketServer;
  readonly #flows = new Map<string, WebSocketFlow>();
  readonly #onUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** The addresses connections arrived at (a server bound to 0.0.0.0 learns its addresses from them). */
  readonly #localAddresses = new Set<string>();
  #next = 1;

  /** Attaches to `http`'s `upgrade` event for requests to `path`; other paths are left to other listeners. */
  constructor(http: HttpServer, path: string, sink: SipTransportSink, maxSize: number) {
    this.#http = http;
    this.#path = path;
    this.#sink = sink;
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: maxSize,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
    });
    this.#onUpgrade = (request, socket, head) => this.#upgrade(request, socket, head);
    http.on('upgrade', this.#onUpgrade);
  }

  /** An open flow by id. */
  flow(id: string): SipFlow | undefined {
    return this.#flows.get(id);
  }

  /**
   * Whether `address` is one this endpoint is reached at: the HTTP server's address, or one a connection arrived
   * at. Record-Route values of WebSocket flows carry it, so in-dialog requests must recognise it as ours.
   */
  isLocalAddress(address: string): boolean {
    const bound = this.#http.address();
    if (typeof bound === 'object' && bound !== null && normalizeAddress(bound.address) === address) return true;
    return this.#localAddresses.has(address);
  }

  #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    let pathname: string;
    try {
      pathname = new URL(request.url ?? '/', 'http://localhost').pathname;
    } catch {
      return;
    }
    if (pathname !== this.#path) return;
    socket.on('error', () => undefined);
    const address = normalizeAddress(request.socket.remoteAddress ?? '');
    if (address === '' || this.#sink.isBlocked(address)) {
      socket.destroy();
      return;
    }
    // RFC 7118 §4: the client must ask for the "sip" subprotocol; anything else is refused.
    if (!offersSip(request)) {
      reject(socket, 400, 'Bad Request');
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      const remote: SipEndpoint = { transport: 'ws', address, port: request.socket.remotePort ?? 0 };
      const localAddress = normalizeAddress(request.socket.localAddress ?? '127.0.0.1');
      const local: SipEndpoint = { transport: 'ws', address: localAddress, port: request.socket.localPort ?? 0 };
      // A host has few addresses; the set stays small.
      this.#localAddresses.add(localAddress);
      this.#open(ws, remote, local);
    });
  }

  #open(ws: WebSocket, remote: SipEndpoint, local: SipEndpoint): void {
    const flow = new WebSocketFlow(`ws:${this.#next++}`, ws, remote, local);
    this.#flows.set(flow.id, flow);
    ws.on('message', (data) => {
      if (this.#sink.isBlocked(remote.address)) {
        ws.terminate();
        return;
      }
      const bytes = toBuffer(data);
      // RFC 5626 §4.4.1 keep-alive over a connection-oriented transport: CRLFCRLF is answered with CRLF.
      if (bytes.length === PING.length && bytes.toString('latin1') === PING) {
        flow.send(Buffer.from('\r\n'));
        return;
      }
      if (bytes.length <= 2) return;
      this.#sink.receive(bytes, flow);
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      flow.closed = true;
      this.#flows.delete(flow.id);
      this.#sink.flowClosed(flow);
    });
  }

  /** Detaches from the HTTP server and closes every WebSocket. */
  async close(): Promise<void> {
    this.#http.off('upgrade', this.#onUpgrade);
    for (const flow of this.#flows.values()) flow.socket.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }
}
