/**
 * Locks an address out after repeated failures (like Kamailio's pike/htable): after `maxFailures` failures within
 * `windowMs`, the address gets `429` for `lockMs`. Other addresses are not affected.
 * @packageDocumentation
 */

/** Options of {@link FailureLimiter}. */
export interface FailureLimitOptions {
  /** Failures within the window that trigger a lock (default 10). */
  readonly maxFailures?: number;
  /** How far back failures count, in ms (default 300 000). */
  readonly windowMs?: number;
  /** How long a lock lasts, in ms (default 300 000). */
  readonly lockMs?: number;
  /** How many addresses are tracked at most; beyond that the oldest are forgotten (default 10 000). */
  readonly maxTracked?: number;
}

interface Entry {
  failures: number[];
  lockedUntil: number;
}

/** Counts failures per key (an address) and tells when a key is locked out. */
export class FailureLimiter {
  readonly #entries = new Map<string, Entry>();
  readonly #maxFailures: number;
  readonly #windowMs: number;
  readonly #lockMs: number;
  readonly #maxTracked: number;
  readonly #now: () => number;

  /**
   * @param options - thresholds
   * @param now - the clock, in ms
   */
  constructor(options: FailureLimitOptions, now: () => number) {
    this.#maxFailures = Math.max(1, options.maxFailures ?? 10);
    this.#windowMs = options.windowMs ?? 300_000;
    this.#lockMs = options.lockMs ?? 300_000;
    this.#maxTracked = options.maxTracked ?? 10_000;
    this.#now = now;
  }

  /** The seconds until the key may try again, or 0 when it is not locked. */
  retryAfter(key: string): number {
    const entry = this.#entries.get(key);
    const left = entry ? entry.lockedUntil - this.#now() : 0;
    return left > 0 ? Math.ceil(left / 1000) : 0;
  }

  /**
   * Records a failure. Success does not reset the count: otherwise an attacker with one valid account could
   * interleave good logins to keep guessing.
   * @returns the seconds of the lock this failure started, or 0
   */
  fail(key: string): number {
    const now = this.#now();
    let entry = this.#entries.get(key);
    if (!entry) {
      if (this.#entries.size >= this.#maxTracked) this.#prune(now);
      entry = { failures: [], lockedUntil: 0 };
    } else {
      // Re-inserting keeps the Map in order of last activity, so pruning drops the quietest keys first.
      this.#entries.delete(key);
    }
    this.#entries.set(key, entry);
    entry.failures = entry.failures.filter((at) => at > now - this.#windowMs);
    entry.failures.push(now);
    if (entry.failures.length >= this.#maxFailures) {
      entry.lockedUntil = now + this.#lockMs;
      entry.failures = [];
      return Math.ceil(this.#lockMs / 1000);
    }
    return 0;
  }

  #prune(now: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.lockedUntil <= now && entry.failures.every((at) => at <= now - this.#windowMs)) this.#entries.delete(key);
    }
    // Still full: forget the least recently active keys.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size < this.#maxTracked) break;
      this.#entries.delete(key);
    }
  }
}
