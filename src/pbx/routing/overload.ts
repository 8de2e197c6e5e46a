/**
 * Load shedding: when the event loop runs late, new calls are refused with 503 and Retry-After before any work is
 * spent on them (authentication, routing, and the seven or so messages a call costs later), so that calls already
 * set up keep their BYEs and re-INVITEs flowing instead of every call timing out together.
 * @packageDocumentation
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Watches the event loop's delay, second by second. */
export class OverloadGuard {
  readonly #histogram: IntervalHistogram;
  readonly #maxLagMs: number;
  readonly #timer: NodeJS.Timeout;
  #overloaded = false;
  #streak = 0;

  /** `maxLagMs`: the mean event-loop delay over a second above which, two seconds in a row, new calls are refused. */
  constructor(maxLagMs: number) {
    this.#maxLagMs = maxLagMs;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      // The histogram is in nanoseconds; the loop's own 10 ms sampling resolution is part of every reading.
      const late = this.#histogram.mean / 1e6 - 10 > this.#maxLagMs;
      this.#histogram.reset();
      // Two late seconds in a row: a single stall (a large module loaded, a long GC) is no overload.
      this.#streak = late ? this.#streak + 1 : 0;
      this.#overloaded = this.#streak >= 2;
    }, 1000);
    this.#timer.unref();
  }

  /** Whether new calls should be refused now. */
  get overloaded(): boolean {
    return this.#overloaded;
  }

  /** Stops watching. */
  close(): void {
    clearInterval(this.#timer);
    this.#histogram.disable();
  }
}
