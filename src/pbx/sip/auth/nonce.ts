/** Server nonces for digest authentication: signed, time-stamped, each nonce count accepted once. */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SipClock } from '../transaction/clock.js';

/** What a nonce presented by a client is. */
export type NonceState =
  /** Issued by us, within its lifetime, not used up. */
  | 'fresh'
  /** Issued by us but older than its lifetime: answer with `stale=true`. */
  | 'expired'
  /** Issued by us and still young, but this nonce count (or a higher one) was used already, or forgotten: a replay. */
  | 'used'
  /** Not one of ours. */
  | 'unknown';

/** Options of {@link NonceStore}. */
export interface NonceStoreOptions {
  readonly clock: SipClock;
  /** How long a nonce may be used after it was issued (default 300 s). */
  readonly lifetimeMs?: number;
  /** Whether a nonce is spent by its first successful use (default false: each use needs a greater nc). */
  readonly singleUse?: boolean;
  /** Most nonces remembered at once; the oldest are forgotten first (default 100 000). */
  readonly maxOutstanding?: number;
}

const TIME_BYTES = 8;
const RANDOM_BYTES = 8;
const MAC_BYTES = 16;

/** Issues nonces and decides whether one may be used. */
export class NonceStore {
  readonly #secret = randomBytes(32);
  readonly #clock: SipClock;
  readonly #lifetime: number;
  readonly #singleUse: boolean;
  readonly #max: number;
  // Outstanding nonces with the highest nonce count accepted so far (0: none yet). Insertion order = age.
  readonly #outstanding = new Map<string, number>();

  constructor(options: NonceStoreOptions) {
    this.#clock = options.clock;
    this.#lifetime = options.lifetimeMs ?? 300_000;
    this.#singleUse = options.singleUse ?? false;
    this.#max = options.maxOutstanding ?? 100_000;
  }

  /** How many nonces are remembered. */
  get size(): number {
    return this.#outstanding.size;
  }

  /** A new nonce. */
  issue(): string {
    const body = Buffer.alloc(TIME_BYTES + RANDOM_BYTES);
    body.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(this.#clock.now()))), 0);
    randomBytes(RANDOM_BYTES).copy(body, TIME_BYTES);
    const nonce = Buffer.concat([body, this.#mac(body)]).toString('base64url');
    this.#outstanding.set(nonce, 0);
    while (this.#outstanding.size > this.#max) {
      const oldest = this.#outstanding.keys().next().value;
      if (oldest === undefined) break;
      this.#outstanding.delete(oldest);
    }
    return nonce;
  }

  /** Classifies a nonce and the nonce count that came with it; does not change anything. */
  inspect(nonce: string, nc: number): NonceState {
    const issuedAt = this.#issuedAt(nonce);
    if (issuedAt === undefined) return 'unknown';
    if (this.#clock.now() - issuedAt > this.#lifetime) return 'expired';
    const last = this.#outstanding.get(nonce);
    if (last === undefined || nc <= last) return 'used';
    return 'fresh';
  }

  /** Records a successful use: spends the nonce (single use) or remembers the nonce count. */
  accept(nonce: string, nc: number): void {
    if (this.#singleUse) this.#outstanding.delete(nonce);
    else if (this.#outstanding.has(nonce)) this.#outstanding.set(nonce, nc);
  }

  /** Forgets nonces past their lifetime. */
  sweep(): void {
    const now = this.#clock.now();
    for (const nonce of this.#outstanding.keys()) {
      const issuedAt = this.#issuedAt(nonce);
      if (issuedAt !== undefined && now - issuedAt <= this.#lifetime) break;
      this.#outstanding.delete(nonce);
    }
  }

  #mac(body: Buffer): Buffer {
    return createHmac('sha256', this.#secret).update(body).digest().subarray(0, MAC_BYTES);
  }

  #issuedAt(nonce: string): number | undefined {
    if (nonce.length !== 43 || !/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
    const bytes = Buffer.from(nonce, 'base64url');
    if (bytes.length !== TIME_BYTES + RANDOM_BYTES + MAC_BYTES) return undefined;
    const body = bytes.subarray(0, TIME_BYTES + RANDOM_BYTES);
    if (!timingSafeEqual(bytes.subarray(TIME_BYTES + RANDOM_BYTES), this.#mac(body))) return undefined;
    return Number(body.readBigUInt64BE(0));
  }
}
