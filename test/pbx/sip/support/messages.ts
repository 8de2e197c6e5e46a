/** Building SIP requests and computing digest answers in tests, independently of the server's own code. */
import { createHash, randomBytes } from 'node:crypto';
import type { SipResponse } from '../../../../src/pbx/sip/index.js';
import type { TestPeer } from './clients.js';

/** The test realm and domain. */
export const DOMAIN = 'pbx.test';

/** A fresh Call-ID. */
export function newCallId(): string {
  return `${randomBytes(8).toString('hex')}@test`;
}

/** A fresh branch. */
export function newBranch(): string {
  return `z9hG4bK${randomBytes(8).toString('hex')}`;
}

/** Options of {@link register}. */
export interface RegisterOptions {
  readonly user: string;
  readonly peer: TestPeer;
  readonly callId: string;
  readonly cseq: number;
  readonly domain?: string;
  readonly contact?: string;
  readonly contacts?: readonly string[];
  readonly expires?: number;
  readonly authorization?: string;
  readonly headers?: readonly string[];
}

/** A REGISTER for `user@domain` with the peer's Via. */
export function register(options: RegisterOptions): string {
  const domain = options.domain ?? DOMAIN;
  const { address, port } = options.peer.address;
  // WebSocket clients have no reachable address: RFC 7118 §5 uses a random `.invalid` host and no port.
  const hostPort = port === 0 ? address : `${address}:${port}`;
  const contacts = options.contacts ?? [options.contact ?? `<sip:${options.user}@${hostPort};transport=${options.peer.viaTransport.toLowerCase()}>`];
  const lines = [
    `REGISTER sip:${domain} SIP/2.0`,
    `Via: SIP/2.0/${options.peer.viaTransport} ${hostPort};branch=${newBranch()};rport`,
    'Max-Forwards: 70',
    `From: <sip:${options.user}@${domain}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:${options.user}@${domain}>`,
    `Call-ID: ${options.callId}`,
    `CSeq: ${options.cseq} REGISTER`,
    ...contacts.map((contact) => `Contact: ${contact}`),
    ...(options.expires === undefined ? [] : [`Expires: ${options.expires}`]),
    ...(options.authorization === undefined ? [] : [`Authorization: ${options.authorization}`]),
    ...(options.headers ?? []),
    'Content-Length: 0',
    '',
    '',
  ];
  return lines.join('\r\n');
}

/** A parsed challenge. */
export interface Challenge {
  readonly realm: string;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly algorithm: string;
  readonly qop: string | undefined;
  readonly stale: boolean;
}

/** Reads a WWW-Authenticate / Proxy-Authenticate value. */
export function parseChallenge(value: string): Challenge {
  const param = (name: string): string | undefined => new RegExp(`${name}="?([^",]*)"?`, 'i').exec(value)?.[1];
  return {
    realm: param('realm') ?? '',
    nonce: param('nonce') ?? '',
    opaque: param('opaque'),
    algorithm: param('algorithm') ?? 'MD5',
    qop: param('qop'),
    stale: /stale=true/i.test(value),
  };
}

/** The challenges of a 401/407, in order. */
export function challengesOf(response: SipResponse): Challenge[] {
  const name = response.status === 407 ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  return response.headers.getAll(name).map(parseChallenge);
}

function hash(algorithm: string, text: string): string {
  return createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(text).digest('hex');
}

/** Computes an Authorization value for a challenge (RFC 7616 qop=auth), as a UA would. */
export function digestAnswer(options: {
  readonly challenge: Challenge;
  readonly username: string;
  readonly password: string;
  readonly method: string;
  readonly uri: string;
  readonly nc?: number;
  readonly cnonce?: string;
}): string {
  const { challenge, username, password, method, uri } = options;
  const nc = (options.nc ?? 1).toString(16).padStart(8, '0');
  const cnonce = options.cnonce ?? randomBytes(8).toString('hex');
  const ha1 = hash(challenge.algorithm, `${username}:${challenge.realm}:${password}`);
  const ha2 = hash(challenge.algorithm, `${method}:${uri}`);
  const response = hash(challenge.algorithm, `${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`);
  const opaque = challenge.opaque === undefined ? '' : `, opaque="${challenge.opaque}"`;
  return `Digest username="${username}", realm="${challenge.realm}", nonce="${challenge.nonce}", uri="${uri}", response="${response}", algorithm=${challenge.algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}"${opaque}`;
}

/** Options of {@link registerWithDigest}. */
export interface DigestRegisterOptions extends Omit<RegisterOptions, 'cseq' | 'authorization' | 'callId'> {
  readonly password: string;
  readonly algorithm: 'MD5' | 'SHA-256';
  readonly callId?: string;
  readonly cseq?: number;
}

/** REGISTER, answer the 401 with the chosen algorithm, and return the final response (and the challenge used). */
export async function registerWithDigest(
  options: DigestRegisterOptions,
): Promise<{ response: SipResponse; challenge: Challenge; callId: string; cseq: number }> {
  const callId = options.callId ?? newCallId();
  const cseq = options.cseq ?? 1;
  options.peer.send(register({ ...options, callId, cseq }));
  const challengeResponse = await options.peer.response(callId);
  if (challengeResponse.status !== 401) throw new Error(`expected 401, got ${challengeResponse.status}`);
  const challenge = challengesOf(challengeResponse).find((candidate) => candidate.algorithm === options.algorithm);
  if (!challenge) throw new Error(`no ${options.algorithm} challenge`);
  const authorization = digestAnswer({
    challenge,
    username: options.user,
    password: options.password,
    method: 'REGISTER',
    uri: `sip:${options.domain ?? DOMAIN}`,
  });
  options.peer.send(register({ ...options, callId, cseq: cseq + 1, authorization }));
  const response = await options.peer.finalResponse(callId);
  return { response, challenge, callId, cseq: cseq + 1 };
}
