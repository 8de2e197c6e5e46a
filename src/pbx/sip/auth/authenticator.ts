/** Verifies digest credentials of requests and builds challenges. */
import { randomBytes } from 'node:crypto';
import type { SipRequest } from '../message/message.js';
import {
  computeDigestResponse,
  formatChallenge,
  parseDigestCredentials,
  safeEqualHex,
  supportedAlgorithm,
  type DigestAlgorithm,
  type DigestCredentials,
  type DigestHa1,
} from './digest.js';
import type { NonceStore } from './nonce.js';

/** What the credential lookup returns for a known user. */
export interface SipCredential {
  /** The PBX user the credential belongs to. */
  readonly userId: string;
  /** The user's tenant (company). */
  readonly tenantId: string;
  /** The device, when credentials are per device. */
  readonly deviceId?: string;
  /** The user's extension: the user part of the addresses-of-record it may register. */
  readonly extension: string;
  /** H(username:realm:password) with MD5 and with SHA-256, lower-case hex. */
  readonly ha1: DigestHa1;
}

/** Finds the credential of `username` in `realm`; undefined for unknown users. */
export type CredentialLookup = (realm: string, username: string) => SipCredential | undefined;

/** A user whose request carried valid credentials. */
export interface AuthenticatedUser extends SipCredential {
  /** The digest username. */
  readonly username: string;
  /** The realm the credentials were checked against. */
  readonly realm: string;
  /** The digest algorithm the client used. */
  readonly algorithm: DigestAlgorithm;
}

/** The result of checking a request's credentials. */
export type AuthOutcome =
  | { readonly kind: 'ok'; readonly user: AuthenticatedUser }
  /** No digest credentials for this realm: challenge. */
  | { readonly kind: 'none' }
  /** Correct credentials on an expired, replayed or foreign nonce: challenge with stale=true (not a failure). */
  | { readonly kind: 'stale' }
  /** Wrong password, unknown user or malformed credentials: challenge, and count a failure for the address. */
  | { readonly kind: 'failed' };

/** Which header pair a challenge uses: 401/WWW-Authenticate (registrar) or 407/Proxy-Authenticate (proxy). */
export type ChallengeKind = 'www' | 'proxy';

/** The default challenge order: SHA-256 first (RFC 8760 §2.4: most preferred first), then MD5. */
export const DEFAULT_DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];

/** Digest verification against a credential lookup and a nonce store. */
export class DigestAuthenticator {
  readonly #nonces: NonceStore;
  readonly #lookup: CredentialLookup;
  readonly #opaque = randomBytes(12).toString('hex');
  // Unknown users are checked against this, so that they cost the same work as known ones.
  readonly #decoy: DigestHa1 = { md5: randomBytes(16).toString('hex'), sha256: randomBytes(32).toString('hex') };

  readonly #algorithms: readonly DigestAlgorithm[];

  /** `algorithms`: offered in this order, and the only ones accepted. */
  constructor(nonces: NonceStore, lookup: CredentialLookup, algorithms: readonly DigestAlgorithm[] = DEFAULT_DIGEST_ALGORITHMS) {
    this.#nonces = nonces;
    this.#lookup = lookup;
    this.#algorithms = algorithms.length > 0 ? algorithms : DEFAULT_DIGEST_ALGORITHMS;
  }

  /** Checks the request's Authorization (kind www) or Proxy-Authorization (kind proxy) for `realm`. */
  verify(request: SipRequest, realm: string, kind: ChallengeKind): AuthOutcome {
    const headerName = kind === 'www' ? 'Authorization' : 'Proxy-Authorization';
    let credentials: DigestCredentials | undefined;
    let malformed = false;
    for (const value of request.headers.getAll(headerName)) {
      if (!/^[ \t]*Digest[ \t]/i.test(value)) continue;
      const parsed = parseDigestCredentials(value);
      if (!parsed) {
        malformed = true;
        continue;
      }
      if (parsed.realm === realm) {
        credentials = parsed;
        break;
      }
    }
    if (!credentials) return malformed ? { kind: 'failed' } : { kind: 'none' };
    const algorithm = supportedAlgorithm(credentials.algorithm);
    const nc = credentials.nc !== undefined && /^[0-9a-fA-F]{8}$/.test(credentials.nc) ? parseInt(credentials.nc, 16) : NaN;
    if (
      algorithm === undefined ||
      !this.#algorithms.includes(algorithm) ||
      credentials.qop?.toLowerCase() !== 'auth' ||
      credentials.cnonce === undefined ||
      Number.isNaN(nc)
    ) {
      return { kind: 'failed' };
    }
    let credential: SipCredential | undefined;
    try {
      credential = this.#lookup(realm, credentials.username);
    } catch {
      credential = undefined;
    }
    const ha1Pair = credential?.ha1 ?? this.#decoy;
    const expected = computeDigestResponse({
      algorithm,
      ha1: algorithm === 'MD5' ? ha1Pair.md5 : ha1Pair.sha256,
      method: request.method,
      uri: credentials.uri,
      nonce: credentials.nonce,
      nc: credentials.nc ?? '',
      cnonce: credentials.cnonce,
      qop: 'auth',
    });
    const correct = safeEqualHex(expected, credentials.response) && credential !== undefined;
    if (!correct || !credential) return { kind: 'failed' };
    if (this.#nonces.inspect(credentials.nonce, nc) !== 'fresh') return { kind: 'stale' };
    this.#nonces.accept(credentials.nonce, nc);
    return { kind: 'ok', user: { ...credential, username: credentials.username, realm, algorithm } };
  }

  /** Challenge header values for `realm`, one per algorithm in order of preference, sharing one nonce. */
  challenges(realm: string, stale: boolean): string[] {
    const nonce = this.#nonces.issue();
    return this.#algorithms.map((algorithm) => formatChallenge({ realm, nonce, opaque: this.#opaque, algorithm, stale }));
  }
}
