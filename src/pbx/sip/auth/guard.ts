/**
 * Per-address protection, in the spirit of Kamailio's pike and htable recipes: repeated authentication failures
 * and floods of REGISTER/INVITE from one address lock that address out for a while. State is a small record per
 * address in a map, so one noisy address costs others nothing.
 */
import type { SipClock } from '../transaction/clock.js';

/** Tunables of {@link AddressGuard}. */
export interface AddressGuardOptions {
  /** Failed authentications from one address before it is locked out (default 10). */
  readonly maxAuthFailures: number;
  /** Window in which failures are counted (default 60 s). */
  readonly failureWindowMs: number;
  /** Requests of the flood-limited methods allowed from one address per window (default 60). */
  readonly floodMaxRequests: number;
  /** The flood window (default 2 s). */
  readonly floodWindowMs: number;
  /** Methods counted for floods (default REGISTER and INVITE). */
  readonly floodMethods: readonly string[];
  /** How long a lockout lasts (default 300 s). */
  readonly lockoutMs: number;
  /** Addresses never locked out (e.g. a trusted trunk or a load generator in benchmarks). */
  readonly trusted: readonly string[];
  /** Most addresses tracked; the oldest records are dropped beyond it (default 100 000). */
  readonly maxTracked: number;
}

/** The defaults of {@link AddressGuardOptions}. */
export const DEFAULT_GUARD_OPTIONS: AddressGuardOptions = {
  maxAuthFailures: 10,
  failureWindowMs: 60_000,
  floodMaxRequests: 60,
  floodWindowMs: 2_000,
  floodMethods: ['REGISTER', 'INVITE'],
  lockoutMs: 300_000,
  trusted: [],
  maxTracked: 100_000,
};

/** Why an address was locked out. */
export type LockoutReason = 'auth-failures' | 'flood';

interface AddressRecord {
  failureWindowStart: number;
  failures: number;
  floodWindowStart: number;
  requests: number;
  lockedUntil: number;
}

/** Tracks failures and request rates per source address. */
export class AddressGuard {
  readonly #options: AddressGuardOptions;
  readonly #clock: SipClock;
  readonly #records = new Map<string, AddressRecord>();
  readonly #trusted: Set<string>;
  readonly #onLockout: (address: string, reason: LockoutReason) => void;

  constructor(
    options: AddressGuardOptions,
    clock: SipClock,
    onLockout: (address: string, reason: LockoutReason) => void = () => undefined,
  ) {
    this.#options = options;
    this.#clock = clock;
    this.#trusted = new Set(options.trusted);
    this.#onLockout = onLockout;
  }

  /** Whether the address is locked out now. */
  isBlocked(address: string): boolean {
    const record = this.#records.get(address);
    return record !== undefined && record.lockedUntil > this.#clock.now();
  }

  /** When the lockout of `address` ends (ms on the clock), or undefined. */
  lockedUntil(address: string): number | undefined {
    const record = this.#records.get(address);
    return record && record.lockedUntil > this.#clock.now() ? record.lockedUntil : undefined;
  }

  /** Counts a request; returns false (and locks the address out) when it exceeds the flood limit. */
  allowRequest(address: string, method: string): boolean {
    if (!this.#options.floodMethods.includes(method) || this.#trusted.has(address)) return true;
    const now = this.#clock.now();
    const record = this.#record(address);
    if (now - record.floodWindowStart >= this.#options.floodWindowMs) {
      record.floodWindowStart = now;
      record.requests = 0;
    }
    record.requests++;
    if (record.requests > this.#options.floodMaxRequests) {
      this.#lock(address, record, 'flood');
      return false;
    }
    return true;
  }

  /** Counts a failed authentication; returns true when this failure locked the address out. */
  recordFailure(address: string): boolean {
    if (this.#trusted.has(address)) return false;
    const now = this.#clock.now();
    const record = this.#record(address);
    if (now - record.failureWindowStart >= this.#options.failureWindowMs) {
      record.failureWindowStart = now;
      record.failures = 0;
    }
    record.failures++;
    if (record.failures >= this.#options.maxAuthFailures) {
      this.#lock(address, record, 'auth-failures');
      return true;
    }
    return false;
  }

  /** Lifts a lockout (an administrator's decision). */
  unblock(address: string): void {
    this.#records.delete(address);
  }

  /** Forgets records that no longer matter. */
  sweep(): void {
    const now = this.#clock.now();
    const horizon = Math.max(this.#options.failureWindowMs, this.#options.floodWindowMs);
    for (const [address, record] of this.#records) {
      const lastActivity = Math.max(record.failureWindowStart, record.floodWindowStart);
      if (record.lockedUntil <= now && now - lastActivity > horizon) this.#records.delete(address);
    }
  }

  #lock(address: string, record: AddressRecord, reason: LockoutReason): void {
    const wasBlocked = record.lockedUntil > this.#clock.now();
    record.lockedUntil = this.#clock.now() + this.#options.lockoutMs;
    record.failures = 0;
    record.requests = 0;
    if (!wasBlocked) this.#onLockout(address, reason);
  }

  #record(address: string): AddressRecord {
    let record = this.#records.get(address);
    if (!record) {
      record = { failureWindowStart: this.#clock.now(), failures: 0, floodWindowStart: this.#clock.now(), requests: 0, lockedUntil: 0 };
      this.#records.set(address, record);
      while (this.#records.size > this.#options.maxTracked) {
        const oldest = this.#records.keys().next().value;
        if (oldest === undefined || oldest === address) break;
        this.#records.delete(oldest);
      }
    }
    return record;
  }
}
