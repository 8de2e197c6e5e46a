/** SIP over TCP: a listening server plus outgoing connections; a flow is one connection. */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { StreamFramer } from './stream-framer.js';
import { normalizeAddress, type SipEndpoint, type SipFlow, type SipTransportSink } from './types.js';

const CRLF = Buffer.from('\r\n');

class TcpFlow implements SipFlow {
  readonly transport = 'tcp' as const;
  readonly reliable = true;
  closed = false;

  constructor(
    readonly id: string,
    readonly socket: Socket,
    readonly remote: SipEndpoint,
    readonly local: SipEndpoint,
  ) {}

  send(data: Buffer): boolean {
    if (this.closed || this.socket.destroyed) return false;
    this.socket.write(data);
    return true;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A TCP listener and the connections it accepted or opened. */
export class TcpTransport {
  readonly #server: Server;
  readonly #sink: SipTransportSink;
  readonly #maxSize: number;
  readonly #flows = new Map<string, TcpFlow>();
  #local: SipEndpoint | undefined;
  #next = 1;

  private constructor(server: Server, sink: SipTransportSink, maxSize: number) {
    this.#server = server;
    this.#sink = sink;
    this.#maxSize = maxSize;
  }

  /** Listens on `host:port` (port 0: any free port). */
  static async listen(port: number, host: string, sink: SipTransportSink, maxSize: number): Promise<TcpTransport> {
    const server = createServer();
    const transport = new TcpTransport(server, sink, maxSize);
    server.on('connection', (socket) => transport.#accept(socket));
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('TCP listener has no address');
    transport.#local = { transport: 'tcp', address: normalizeAddress(address.address), port: address.port };
    return transport;
  }

  /** Our listening address and port. */
  get local(): SipEndpoint {
    if (!this.#local) throw new Error('TCP transport is not listening');
    return this.#local;
  }

  /** An open flow by id. */
  flow(id: string): SipFlow | undefined {
    return this.#flows.get(id);
  }

  #accept(socket: Socket): void {
    const address = normalizeAddress(socket.remoteAddress ?? '');
    if (address === '' || this.#sink.isBlocked(address)) {
      socket.destroy();
      return;
    }
    this.#attach(socket, { transport: 'tcp', address, port: socket.remotePort ?? 0 });
  }

  #attach(socket: Socket, remote: SipEndpoint): TcpFlow {
    const flow = new TcpFlow(`tcp:${this.#next++}`, socket, remote, this.local);
    this.#flows.set(flow.id, flow);
    const framer = new StreamFramer(this.#maxSize);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      if (this.#sink.isBlocked(remote.address)) {
        socket.destroy();
        return;
      }
      for (const item of framer.push(chunk)) {
        if (item.kind === 'ping') flow.send(CRLF);
        else if (item.kind === 'message') this.#sink.receive(item.data, flow);
        else {
          this.#sink.framingError(item.head, flow, item.status, item.reason);
          socket.end();
          break;
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      flow.closed = true;
      this.#flows.delete(flow.id);
      this.#sink.flowClosed(flow);
    });
    return flow;
  }

  /** An open connection to `address:port`, reusing one we have (accepted or opened), else connecting. */
  async connect(address: string, port: number): Promise<SipFlow> {
    for (const flow of this.#flows.values()) {
      if (!flow.closed && flow.remote.address === address && flow.remote.port === port) return flow;
    }
    const socket = createConnection({ host: address, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return this.#attach(socket, { transport: 'tcp', address: normalizeAddress(address), port });
  }

  /** Closes the listener and every connection. */
  async close(): Promise<void> {
    for (const flow of this.#flows.values()) flow.socket.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
