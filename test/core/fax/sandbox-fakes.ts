// Sandboxes for tests: a scripted fake worker, and a "worker" that runs the real check in the current thread through
// the real protocol (so client tests run the same in Node and Chromium without starting workers).
import {
  createFaxSandbox,
  type FaxDocumentSandbox,
  type FaxSandboxOptions,
  type FaxSandboxRequest,
  type FaxSandboxWorker,
  type FaxSandboxWorkerEvents,
  type StartFaxSandboxWorker,
} from '../../../src/core/fax/sandbox.js';
import { serveFaxSandboxRequests } from '../../../src/core/fax/serve.js';
import type { FaxDocumentReport } from '../../../src/core/fax/limits.js';

/** A worker the test drives by hand. */
export class FakeWorker implements FaxSandboxWorker {
  readonly posted: FaxSandboxRequest[] = [];
  readonly busy: boolean[] = [];
  terminated = false;
  readonly #onPost: (() => void)[] = [];
  readonly #onTerminate: (() => void)[] = [];

  constructor(readonly events: FaxSandboxWorkerEvents) {}

  post(request: FaxSandboxRequest): void {
    this.posted.push(request);
    for (const resolve of this.#onPost.splice(0)) resolve();
  }
  terminate(): void {
    this.terminated = true;
    for (const resolve of this.#onTerminate.splice(0)) resolve();
  }
  setBusy(busy: boolean): void {
    this.busy.push(busy);
  }
  /** Resolves when `count` requests have been posted. */
  async requests(count: number): Promise<FaxSandboxRequest[]> {
    while (this.posted.length < count) await new Promise<void>((resolve) => this.#onPost.push(resolve));
    return this.posted;
  }
  /** Resolves when the worker is terminated. */
  whenTerminated(): Promise<void> {
    return this.terminated ? Promise.resolve() : new Promise((resolve) => this.#onTerminate.push(resolve));
  }
  started(id: number): void {
    this.events.message({ centrexFax: 1, type: 'started', id });
  }
  report(id: number, report: FaxDocumentReport): void {
    this.events.message({ centrexFax: 1, type: 'report', id, report });
  }
}

/** A sandbox on fake workers; `workers` lists every worker it started. */
export function fakeSandbox(options: FaxSandboxOptions = {}): {
  sandbox: FaxDocumentSandbox;
  workers: FakeWorker[];
  nextWorker: () => Promise<FakeWorker>;
} {
  const workers: FakeWorker[] = [];
  const waiting: ((worker: FakeWorker) => void)[] = [];
  const start: StartFaxSandboxWorker = (events) => {
    const worker = new FakeWorker(events);
    workers.push(worker);
    for (const resolve of waiting.splice(0)) resolve(worker);
    return worker;
  };
  let seen = 0;
  const nextWorker = (): Promise<FakeWorker> => {
    const index = seen++;
    const existing = workers[index];
    return existing ? Promise.resolve(existing) : new Promise((resolve) => waiting.push(resolve));
  };
  return { sandbox: createFaxSandbox(start, options), workers, nextWorker };
}

/** A sandbox whose "worker" runs the real check in this thread, through the real message protocol. */
export function inThreadSandbox(): FaxDocumentSandbox {
  return createFaxSandbox((events) => {
    let stopped = false;
    const handle = serveFaxSandboxRequests((response) => {
      if (!stopped) queueMicrotask(() => events.message(structuredClone(response)));
    });
    return {
      post: (request) => handle(structuredClone(request)),
      terminate: () => {
        stopped = true;
      },
    };
  });
}
