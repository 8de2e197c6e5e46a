/**
 * The PBX's set of transports, and how messages leave through them: flows by id, targets for new requests, our Via,
 * and response routing by Via (RFC 3261 §18.2.2, RFC 3581 §4).
 */
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { isIP } from 'node:net';
import type { SipResponse } from '../message/message.js';
import { serializeMessage } from '../message/serialize.js';
import { TcpTransport } from './tcp.js';
import type { SipEndpoint, SipFlow, SipTransportKind, SipTransportSink } from './types.js';
import { UdpTransport } from './udp.js';
import { WebSocketTransport } from './websocket.js';

/** Where a new request goes: an existing flow (e.g. a binding's) or an address. */
export type SipTarget =
  | { readonly flowId: string }
  | { readonly transport: 'udp' | 'tcp'; readonly address: string; readonly port: number };

/** `host:port`, with IPv6 addresses in brackets. */
export function hostPort(address: string, port: number): string {
  return `${isIP(address) === 6 ? `[${address}]` : address}:${port}`;
}

/** UDP, TCP and WebSocket transports of one server. */
export class Transports {
  readonly #sink: SipTransportSink;
  readonly #maxSize: number;
  readonly #publicHost: string | undefined;
  readonly #log: (message: string, data: Readonly<Record<string, unknown>>) => void;
  #udp: UdpTransport | undefined;
  #tcp: TcpTransport | undefined;
  readonly #websockets: WebSocketTransport[] = [];

  constructor(options: {
    readonly sink: SipTransportSink;
    readonly maxSize: number;
    readonly publicHost: string | undefined;
    readonly log: (message: string, data: Readonly<Record<string, unknown>>) => void;
  }) {
    this.#sink = options.sink;
    this.#maxSize = options.maxSize;
    this.#publicHost = options.publicHost;
    this.#log = options.log;
  }

  /** Accepts SIP over WebSocket on `http` at `path`. */
  attachWebSocket(http: HttpServer, path: string): void {
    this.#websockets.push(new WebSocketTransport(http, path, this.#sink, this.#maxSize));
  }

  /** Binds the UDP socket. */
  async listenUdp(port: number, host: string): Promise<SipEndpoint> {
    if (this.#udp) throw new Error('UDP is already listening');
    this.#udp = await UdpTransport.listen(port, host, this.#sink);
    return this.#udp.local;
  }

  /** Starts the TCP listener. */
  async listenTcp(port: number, host: string): Promise<SipEndpoint> {
    if (this.#tcp) throw new Error('TCP is already listening');
    this.#tcp = await TcpTransport.listen(port, host, this.#sink, this.#maxSize);
    return this.#tcp.local;
  }

  /** Closes every socket and connection. */
  async close(): Promise<void> {
    await Promise.all([this.#udp?.close(), this.#tcp?.close(), ...this.#websockets.map((transport) => transport.close())]);
  }

  /** An open flow by id (UDP flows exist while UDP listens). */
  flow(id: string): SipFlow | undefined {
    if (id.startsWith('udp:')) {
      const match = /^udp:(\d+):(.+):(\d+)$/.exec(id);
      if (!match || !this.#udp || Number(match[1]) !== this.#udp.local.port) return undefined;
      return this.#udp.flowTo(match[2] ?? '', Number(match[3]));
    }
    if (id.startsWith('tcp:')) return this.#tcp?.flow(id);
    for (const transport of this.#websockets) {
      const flow = transport.flow(id);
      if (flow) return flow;
    }
    return undefined;
  }

  /** The flow for a new request; a promise while a TCP connection is being opened, rejected when impossible. */
  resolve(target: SipTarget): SipFlow | Promise<SipFlow> {
    if ('flowId' in target) {
      const flow = this.flow(target.flowId);
      return flow && !flow.closed ? flow : Promise.reject(new Error('flow is closed'));
    }
    if (target.transport === 'udp') {
      return this.#udp ? this.#udp.flowTo(target.address, target.port) : Promise.reject(new Error('no UDP transport'));
    }
    return this.#tcp ? this.#tcp.connect(target.address, target.port) : Promise.reject(new Error('no TCP transport'));
  }

  /** Our Via for a request going out on `flow` (or to `target` while its connection opens), with `branch`. */
  via(flow: SipFlow | undefined, target: SipTarget, branch: string): string {
    let transport: SipTransportKind;
    let local: SipEndpoint | undefined;
    if (flow) {
      transport = flow.transport;
      local = flow.local;
    } else if ('transport' in target) {
      transport = target.transport;
      local = target.transport === 'udp' ? this.#udp?.local : this.#tcp?.local;
    } else transport = target.flowId.startsWith('ws:') ? 'ws' : target.flowId.startsWith('tcp:') ? 'tcp' : 'udp';
    const sentBy = local ? this.sentBy(local) : `${randomBytes(6).toString('hex')}.invalid`;
    return `SIP/2.0/${transport.toUpperCase()} ${sentBy};branch=${branch};rport`;
  }

  /** host:port for Via and Record-Route: the advertised host when configured, else the socket's address. */
  sentBy(local: SipEndpoint): string {
    return hostPort(this.#publicHost ?? local.address, local.port);
  }

  /** Whether `host` (from a URI) names this server. */
  isOurs(host: string): boolean {
    const bare = host.replace(/^\[|\]$/g, '');
    if (bare === this.#publicHost) return true;
    if ([this.#udp?.local, this.#tcp?.local].some((local) => local?.address === bare)) return true;
    // A PBX that only speaks WebSocket (no UDP/TCP port) still writes its address into Record-Route.
    return this.#websockets.some((websocket) => websocket.isLocalAddress(bare));
  }

  /**
   * Sends a response of a server transaction: on its connection when that is open; over UDP back to the Via's
   * received/rport address whatever transport the Via names (RFC 4475 has TCP Vias arriving over UDP).
   */
  sendResponse(response: SipResponse, flow: SipFlow): boolean {
    const bytes = serializeMessage(response);
    if (flow.reliable) {
      if (!flow.closed) return flow.send(bytes);
      // The connection is gone; for TCP, RFC 3261 §18.2.2 opens one to the Via's received address and port.
      return flow.transport === 'tcp' ? this.sendByVia(response, bytes) : false;
    }
    const destination = viaDestination(response);
    if (!destination || !this.#udp) return false;
    return this.#udp.flowTo(destination.address, destination.port).send(bytes);
  }

  /** Sends a response along its top Via alone (no transaction known). */
  sendByVia(response: SipResponse, bytes = serializeMessage(response)): boolean {
    const destination = viaDestination(response);
    if (!destination) return false;
    const { address, port } = destination;
    if (destination.transport === 'UDP') return this.#udp ? this.#udp.flowTo(address, port).send(bytes) : false;
    if (destination.transport === 'TCP' && this.#tcp) {
      this.#tcp
        .connect(address, port)
        .then((flow) => flow.send(bytes))
        .catch(() => this.#log('could not open a connection for a response', { address, port }));
      return true;
    }
    return false;
  }
}

/** Where a response goes by its top Via: received (or sent-by host), then rport (or sent-by port, or 5060). */
function viaDestination(response: SipResponse): { address: string; port: number; transport: string } | undefined {
  const via = response.topVia;
  if (!via) return undefined;
  const address = (via.received ?? via.host).replace(/^\[|\]$/g, '');
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? 5060);
  return { address, port, transport: via.transport };
}
