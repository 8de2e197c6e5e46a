/** What the transports give the rest of the SIP stack: flows to receive from and send on. */

/** A SIP transport. */
export type SipTransportKind = 'udp' | 'tcp' | 'ws';

/** An address and port on one transport. */
export interface SipEndpoint {
  readonly transport: SipTransportKind;
  /** IPv4 or IPv6 address, without brackets. */
  readonly address: string;
  readonly port: number;
}

/**
 * A flow (RFC 5626 §3): the path between the PBX and one peer. For TCP and WebSocket it is one connection; for UDP
 * it is the peer's address and port as seen from the listening socket. Requests and responses for a peer sent on
 * its flow reach it even behind a NAT.
 */
export interface SipFlow {
  /** Stable identifier, e.g. `ws:12`, `tcp:3`, `udp:5060:192.0.2.1:5062`. */
  readonly id: string;
  readonly transport: SipTransportKind;
  /** Whether the transport is reliable (TCP, WebSocket): no retransmissions, no Timer G/E/A. */
  readonly reliable: boolean;
  /** The peer. */
  readonly remote: SipEndpoint;
  /** Our side. */
  readonly local: SipEndpoint;
  /** Whether the connection is gone (always false for UDP). */
  readonly closed: boolean;
  /** Sends bytes; false when the flow is closed or the data could not be handed to the socket. */
  send(data: Buffer): boolean;
  /** Closes the connection (no-op for UDP). */
  close(): void;
}

/** What a transport calls when something arrives or a connection ends. */
export interface SipTransportSink {
  /** One complete message (a datagram, a WebSocket message, or a framed piece of a stream). */
  receive(data: Buffer, flow: SipFlow): void;
  /** A stream delivered bytes that cannot be framed: the transport closes the flow after this call. */
  framingError(head: Buffer, flow: SipFlow, status: number, reason: string): void;
  /** A connection-oriented flow closed. */
  flowClosed(flow: SipFlow): void;
  /** Whether traffic from this address is currently refused (locked out); checked before any parsing. */
  isBlocked(address: string): boolean;
}

/** Normalises an address as Node reports it (IPv4-mapped IPv6 becomes plain IPv4). */
export function normalizeAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
