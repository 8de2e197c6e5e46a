/** Via header values (RFC 3261 §20.42, RFC 3581 rport). */
import { isIP } from 'node:net';
import { isToken, parseParams, type SipParams } from './params.js';

/** The RFC 3261 branch prefix that marks a globally unique branch. */
export const MAGIC_COOKIE = 'z9hG4bK';

/** One parsed Via value. */
export interface SipVia {
  /** Upper-case transport: UDP, TCP, TLS, WS, WSS, SCTP or any other token. */
  readonly transport: string;
  /** The sent-by host as written (IPv6 references keep their brackets). */
  readonly host: string;
  /** The sent-by port, if written. */
  readonly port: number | undefined;
  readonly branch: string | undefined;
  readonly received: string | undefined;
  /** `true` for a bare `;rport` (the client asks for it), a number once filled in. */
  readonly rport: number | true | undefined;
  /** Every parameter by lower-case name. */
  readonly params: SipParams;
}

const SENT = /^SIP[ \t]*\/[ \t]*([^/ \t]+)[ \t]*\/[ \t]*([A-Za-z0-9\-.!%*_+`'~]+)[ \t]+(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9\-.]+)(?:[ \t]*:[ \t]*(\d{1,5}))?/;

/**
 * Parses one Via value (RFC 3261 §20.42 with RFC 3581's rport); undefined when malformed. Protocol versions other
 * than 2.0 are reported in `version` so that a caller can answer 505.
 *
 * This is our own parser, not sip.js's `Via` rule: that rule costs ~0.1 ms per value (a proxied request carries
 * several) and lets `maddr` overwrite the host. The checks are the ABNF's: sent-protocol, a hostname / IPv4 /
 * bracketed IPv6 sent-by with an optional port, token parameters, and the typed values of ttl, maddr, received,
 * branch and rport.
 */
export function parseVia(value: string): (SipVia & { readonly version: string }) | undefined {
  const match = SENT.exec(value.trim());
  if (!match) return undefined;
  const [whole, version = '', transport = '', host = '', portText] = match;
  if (!validHost(host)) return undefined;
  const params = parseParams(value.trim().slice(whole.length));
  if (params === undefined || !validViaParams(params)) return undefined;
  const port = portText === undefined ? undefined : Number(portText);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const rportValue = params.get('rport');
  let rport: number | true | undefined;
  if (rportValue === null) rport = true;
  else if (rportValue !== undefined) {
    if (!/^\d{1,5}$/.test(rportValue)) return undefined;
    rport = Number(rportValue);
  }
  return {
    version,
    transport: transport.toUpperCase(),
    host,
    port,
    branch: params.get('branch') ?? undefined,
    received: params.get('received') ?? undefined,
    rport,
    params,
  };
}

const HOSTNAME = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.?$/;

/** hostname / IPv4address / IPv6reference (RFC 3261 §25.1). */
function validHost(host: string): boolean {
  if (host.startsWith('[')) return host.endsWith(']') && isIP(host.slice(1, -1)) === 6;
  if (/^[\d.]+$/.test(host)) return isIP(host) === 4;
  return HOSTNAME.test(host);
}

function validViaParams(params: SipParams): boolean {
  for (const [name, value] of params) {
    switch (name) {
      case 'ttl':
        if (value === null || !/^\d{1,3}$/.test(value) || Number(value) > 255) return false;
        break;
      case 'maddr':
        if (value === null || !validHost(value)) return false;
        break;
      case 'received':
        // RFC 3261 has no brackets here; RFC 5118 §4.5 asks receivers to accept them too.
        if (value === null || isIP(value.replace(/^\[(.*)\]$/, '$1')) === 0) return false;
        break;
      case 'branch':
        if (value === null || !isToken(value)) return false;
        break;
      default:
        if (value !== null && !value.startsWith('"') && !isToken(value) && !/^\[[0-9A-Fa-f:.]+\]$/.test(value)) return false;
    }
  }
  return true;
}

/**
 * Adds `received` and fills `rport` in a Via value as a server does on receipt (RFC 3261 §18.2.1, RFC 3581 §4).
 * `via` is `value` parsed. `forceRport` fills rport even when the client did not ask for it (responses then follow
 * the packet's source).
 */
export function stampVia(
  value: string,
  via: SipVia | undefined,
  source: { address: string; port: number },
  forceRport: boolean,
): string {
  if (!via) return value;
  let stamped = value;
  const wantsRport = via.rport === true || forceRport;
  const hostIsSource = via.host.replace(/^\[|\]$/g, '').toLowerCase() === source.address.toLowerCase();
  if (wantsRport || !hostIsSource) {
    stamped = stamped.replace(/;[ \t]*received[ \t]*=[ \t]*[^;]*/i, '');
    stamped += `;received=${source.address}`;
  }
  if (wantsRport) {
    stamped = stamped.replace(/;[ \t]*rport(?:[ \t]*=[ \t]*\d*)?(?=[ \t]*(;|$))/i, '');
    stamped += `;rport=${source.port}`;
  }
  return stamped;
}
