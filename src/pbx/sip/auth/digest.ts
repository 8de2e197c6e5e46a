/** HTTP Digest for SIP (RFC 3261 §22, RFC 7616, RFC 8760): MD5 and SHA-256, qop=auth. */
import { createHash, timingSafeEqual } from 'node:crypto';
import { quote, unquote } from '../message/params.js';

/** The digest algorithms offered and accepted. */
export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** The two precomputed HA1 values of a user: H(username ":" realm ":" password). */
export interface DigestHa1 {
  readonly md5: string;
  readonly sha256: string;
}

/** Digest parameters of an Authorization / Proxy-Authorization header. */
export interface DigestCredentials {
  readonly username: string;
  readonly realm: string;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly algorithm: string;
  readonly qop: string | undefined;
  readonly nc: string | undefined;
  readonly cnonce: string | undefined;
  readonly opaque: string | undefined;
}

const HASH_NAME: Readonly<Record<DigestAlgorithm, string>> = { MD5: 'md5', 'SHA-256': 'sha256' };
// Bounds on what is read from a hostile header.
const MAX_HEADER = 4096;

/** Hex digest of `text` with the algorithm. */
export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(HASH_NAME[algorithm]).update(text, 'utf8').digest('hex');
}

/** HA1 = H(username ":" realm ":" password), for provisioning credentials. */
export function computeHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

/** Both HA1 values of a password. */
export function computeHa1Pair(username: string, realm: string, password: string): DigestHa1 {
  return {
    md5: computeHa1('MD5', username, realm, password),
    sha256: computeHa1('SHA-256', username, realm, password),
  };
}

/** The expected `response` for qop=auth (RFC 7616 §3.4.1). */
export function computeDigestResponse(input: {
  readonly algorithm: DigestAlgorithm;
  readonly ha1: string;
  readonly method: string;
  readonly uri: string;
  readonly nonce: string;
  readonly nc: string;
  readonly cnonce: string;
  readonly qop: string;
}): string {
  const ha2 = digestHash(input.algorithm, `${input.method}:${input.uri}`);
  return digestHash(input.algorithm, `${input.ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`);
}

/** Maps an `algorithm` parameter to a supported algorithm (absent means MD5); undefined if unsupported. */
export function supportedAlgorithm(name: string): DigestAlgorithm | undefined {
  const upper = name.toUpperCase();
  if (upper === 'MD5') return 'MD5';
  if (upper === 'SHA-256') return 'SHA-256';
  return undefined;
}

/**
 * Parses `Digest name=value, name="value", …`. Returns undefined for other schemes, duplicate or missing
 * required parameters, or anything malformed; never throws.
 */
export function parseDigestCredentials(header: string): DigestCredentials | undefined {
  if (header.length > MAX_HEADER) return undefined;
  const match = /^[ \t]*Digest[ \t]+(.*)$/is.exec(header);
  if (!match) return undefined;
  const text = match[1] ?? '';
  const params = new Map<string, string>();
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && /[ \t,]/.test(text[i] ?? '')) i++;
    if (i >= n) break;
    const nameStart = i;
    while (i < n && /[A-Za-z0-9_-]/.test(text[i] ?? '')) i++;
    const name = text.slice(nameStart, i).toLowerCase();
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (name === '' || text[i] !== '=') return undefined;
    i++;
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    let value: string;
    if (text[i] === '"') {
      const start = i;
      i++;
      while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      if (i >= n) return undefined;
      i++;
      value = unquote(text.slice(start, i));
    } else {
      const start = i;
      while (i < n && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t') i++;
      value = text.slice(start, i);
    }
    if (params.has(name)) return undefined;
    params.set(name, value);
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
    if (i < n && text[i] !== ',') return undefined;
  }
  const username = params.get('username');
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  if (username === undefined || realm === undefined || nonce === undefined || uri === undefined || response === undefined) {
    return undefined;
  }
  return {
    username,
    realm,
    nonce,
    uri,
    response: response.toLowerCase(),
    algorithm: params.get('algorithm') ?? 'MD5',
    qop: params.get('qop'),
    nc: params.get('nc'),
    cnonce: params.get('cnonce'),
    opaque: params.get('opaque'),
  };
}

/** Compares two hex strings in constant time (for equal lengths). */
export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A `WWW-Authenticate` / `Proxy-Authenticate` value. */
export function formatChallenge(input: {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string;
  readonly algorithm: DigestAlgorithm;
  readonly stale: boolean;
}): string {
  const stale = input.stale ? ', stale=true' : '';
  return `Digest realm=${quote(input.realm)}, nonce=${quote(input.nonce)}, opaque=${quote(input.opaque)}, algorithm=${input.algorithm}, qop="auth"${stale}`;
}
