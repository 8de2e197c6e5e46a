/**
 * Load shedding: when the event loop runs late, new calls are refused with 503 and Retry-After before any work is
 * spent on them (authentication, routing, and the seven or so messages a call costs later), so that calls already
 * set up keep their BYEs and re-INVITEs flowing instead of every call timing out together.
 * @packageDocumentation
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Watches the event loop's delay over the last second. */
export class OverloadGuard {
  readonly #histogram: IntervalHistogram;
  readonly #maxLagMs: number;
  readonly #timer: NodeJS.Timeout;
  #overloaded = false;

  /** `maxLagMs`: the mean event-loop delay over one second above which new calls are refused. */
  constructor(maxLagMs: number) {
    this.#maxLagMs = maxLagMs;
    this.#histogram = monitorEventLoopDelay({ resolution: 10 });
    this.#histogram.enable();
    this.#timer = setInterval(() => {
      // The histogram is in nanoseconds; the loop's own 10 ms sampling resolution is part of every reading.
      this.#overloaded = this.#histogram.mean / 1e6 - 10 > this.#maxLagMs;
      this.#histogram.reset();
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
