/** SIP over UDP: one socket; a flow is a peer address and port. */
import { createSocket, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import { isStunBindingRequest, stunBindingResponse } from './stun.js';
import { normalizeAddress, type SipEndpoint, type SipFlow, type SipTransportSink } from './types.js';

// Anything shorter cannot be a SIP message (stray CRLFs and other scraps are dropped without parsing).
const MIN_MESSAGE = 16;

/** A UDP listening socket. */
export class UdpTransport {
  readonly #socket: Socket;
  readonly #sink: SipTransportSink;
  #local: SipEndpoint | undefined;

  private constructor(socket: Socket, sink: SipTransportSink) {
    this.#socket = socket;
    this.#sink = sink;
  }

  /** Binds a socket to `host:port` (port 0: any free port). */
  static async listen(port: number, host: string, sink: SipTransportSink): Promise<UdpTransport> {
    const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4' });
    const transport = new UdpTransport(socket, sink);
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const address = socket.address();
    transport.#local = { transport: 'udp', address: normalizeAddress(address.address), port: address.port };
    // After binding, socket errors (e.g. ICMP port unreachable on some systems) must not crash the process.
    socket.on('error', () => undefined);
    socket.on('message', (data, info) => transport.#onMessage(data, info.address, info.port));
    return transport;
  }

  /** Our address and port. */
  get local(): SipEndpoint {
    if (!this.#local) throw new Error('UDP transport is not bound');
    return this.#local;
  }

  #onMessage(data: Buffer, rawAddress: string, port: number): void {
    const address = normalizeAddress(rawAddress);
    if (this.#sink.isBlocked(address)) return;
    if (isStunBindingRequest(data)) {
      const response = stunBindingResponse(data, address, port);
      if (response) this.flowTo(address, port).send(response);
      return;
    }
    if (data.length < MIN_MESSAGE) return;
    this.#sink.receive(data, this.flowTo(address, port));
  }

  /** The flow to a peer (flows over UDP are just addresses, created on demand). */
  flowTo(address: string, port: number): SipFlow {
    const local = this.local;
    const socket = this.#socket;
    return {
      id: `udp:${local.port}:${address}:${port}`,
      transport: 'udp',
      reliable: false,
      remote: { transport: 'udp', address, port },
      local,
      closed: false,
      send(data: Buffer): boolean {
        try {
          socket.send(data, port, address);
          return true;
        } catch {
          return false;
        }
      },
      close: () => undefined,
    };
  }

  /** Closes the socket. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
