/** Time and timers for the SIP stack, injectable so that tests can run transaction timers without sleeping. */

/** A scheduled callback. */
export interface SipTimer {
  /** Cancels the callback if it has not run yet. */
  cancel(): void;
}

/** Where the SIP stack gets the time and schedules timers. */
export interface SipClock {
  /** Milliseconds since an arbitrary epoch (wall-clock for the system clock). */
  now(): number;
  /** Runs `callback` once after `delayMs`. */
  setTimer(callback: () => void, delayMs: number): SipTimer;
}

/** The real clock. Timers are unref'd: open sockets, not pending timers, keep a process alive. */
export const systemClock: SipClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface ManualEntry {
  readonly at: number;
  readonly seq: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A clock that only moves when told to; for tests of timers, expiry and lockouts. */
export class ManualClock implements SipClock {
  #now: number;
  #seq = 0;
  #entries: ManualEntry[] = [];

  /** Starts at `start` milliseconds (default: a fixed date, so that tests are deterministic). */
  constructor(start = Date.UTC(2025, 0, 1)) {
    this.#now = start;
  }

  /** The current time. */
  now(): number {
    return this.#now;
  }

  /** Schedules `callback` at now + delay. */
  setTimer(callback: () => void, delayMs: number): SipTimer {
    const entry: ManualEntry = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback, cancelled: false };
    this.#entries.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** How many timers are scheduled and not cancelled. */
  get pending(): number {
    return this.#entries.filter((entry) => !entry.cancelled).length;
  }

  /** Moves time forward by `ms`, running every timer that falls due, in order (also ones scheduled meanwhile). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      this.#entries = this.#entries.filter((entry) => !entry.cancelled);
      let next: ManualEntry | undefined;
      for (const entry of this.#entries) {
        if (entry.at <= target && (!next || entry.at < next.at || (entry.at === next.at && entry.seq < next.seq))) {
          next = entry;
        }
      }
      if (!next) break;
      next.cancelled = true;
      this.#now = next.at;
      next.callback();
    }
    this.#now = target;
  }
}

/** Tracks the timers of one owner so that all of them can be cancelled at once (on close). */
export class TimerScope {
  readonly #clock: SipClock;
  readonly #live = new Set<SipTimer>();

  constructor(clock: SipClock) {
    this.#clock = clock;
  }

  /** The clock's time. */
  now(): number {
    return this.#clock.now();
  }

  /** Schedules a callback that {@link cancelAll} can cancel. */
  setTimer(callback: () => void, delayMs: number): SipTimer {
    const handle: SipTimer = this.#clock.setTimer(() => {
      this.#live.delete(handle);
      callback();
    }, delayMs);
    const tracked: SipTimer = {
      cancel: () => {
        this.#live.delete(handle);
        handle.cancel();
      },
    };
    this.#live.add(handle);
    return tracked;
  }

  /** Cancels every timer still pending. */
  cancelAll(): void {
    for (const timer of this.#live) timer.cancel();
    this.#live.clear();
  }
}
