/**
 * Runs the PDF check in isolation. A hostile PDF must not freeze the page or the server, so the check runs in a
 * worker (a Web Worker in browsers, a worker thread in Node) that can be stopped: after a time limit, when it runs out
 * of the memory allowed to it, or when the caller aborts.
 *
 * The core knows no Node built-ins, so the runtime-specific part is small: a {@link StartFaxSandboxWorker} function that
 * starts a worker and reports its messages and failures. {@link createFaxSandbox} does everything else (queueing, time
 * limits, restarts) the same way in both runtimes.
 *
 * ```
 *  main thread / server                                   worker
 *  ───────────────────                                    ──────
 *  inspect(bytes) ── { type: 'inspect', id, bytes } ────▶ loads pdf.js + pdf-lib
 *       start timer ◀─────────── { type: 'started', id } ─┤ (startTimeoutMs until here)
 *                                                         │ inspectFaxDocument()   (limits.timeoutMs from here)
 *       resolve ◀─────── { type: 'report', id, report } ──┘
 *  timeout / out of memory / abort: terminate the worker; the next check starts a new one
 * ```
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import type { FaxDocumentLimits, FaxDocumentReport } from './limits.js';

/**
 * Checks PDFs in isolation. Create one per application (or per {@link FaxClient}) and reuse it: the worker stays
 * warm between checks and is stopped when idle.
 *
 * Implementations: {@link createWorkerFaxSandbox} (browsers: Web Worker) and `createNodeFaxSandbox()` from
 * `centrex-sdk/core/fax/node` (Node: worker thread with a heap limit). Tests may supply their own.
 */
export interface FaxDocumentSandbox {
  /**
   * Inspects a PDF. Resolves with a report for every document, good or bad, including `timeout` and
   * `out-of-memory` problems when the worker had to be stopped.
   *
   * @param bytes - the file; it is copied to the worker, the caller keeps its array
   * @param limits - complete limits (see `resolveFaxDocumentLimits`)
   * @param signal - aborting stops the check (and its worker) and rejects with the signal's reason
   * @throws CentrexError `not-supported` when the worker cannot be started
   */
  inspect(bytes: Uint8Array, limits: FaxDocumentLimits, signal?: AbortSignal): Promise<FaxDocumentReport>;
  /** Stops the worker; pending checks reject with an `AbortError`. The sandbox can be used again afterwards. */
  dispose(): void;
}

/** The message the sandbox sends to its worker (part of the contract for custom {@link StartFaxSandboxWorker}s). */
export interface FaxSandboxRequest {
  readonly centrexFax: 1;
  readonly type: 'inspect';
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly limits: FaxDocumentLimits;
}

/** The messages a worker sends back: `started` once the libraries are loaded, then the `report`. */
export type FaxSandboxResponse =
  | { readonly centrexFax: 1; readonly type: 'started'; readonly id: number }
  | { readonly centrexFax: 1; readonly type: 'report'; readonly id: number; readonly report: FaxDocumentReport };

/** Why a worker stopped on its own. */
export type FaxSandboxWorkerFailure =
  /** It hit its memory limit (Node's `ERR_WORKER_OUT_OF_MEMORY`). */
  | { readonly kind: 'out-of-memory' }
  /** It threw, could not load its script, or exited. */
  | { readonly kind: 'crashed'; readonly error: unknown };

/** What a started worker reports to the sandbox. */
export interface FaxSandboxWorkerEvents {
  /** A message from the worker (anything: pdf.js in the worker may post messages of its own). */
  message(data: unknown): void;
  /** The worker stopped on its own or failed to start. Called at most once. */
  failure(failure: FaxSandboxWorkerFailure): void;
}

/** A started worker, as the sandbox drives it. */
export interface FaxSandboxWorker {
  /** Sends a request (structured clone). */
  post(request: FaxSandboxRequest): void;
  /** Stops the worker at once. */
  terminate(): void;
  /** Told whether a check is running, so a Node worker keeps the process alive only while it works. */
  setBusy?(busy: boolean): void;
}

/** Starts a worker that runs the fax check (see the module comment for the protocol). */
export type StartFaxSandboxWorker = (events: FaxSandboxWorkerEvents) => FaxSandboxWorker;

/** Options of {@link createFaxSandbox} and the runtime-specific sandboxes built on it. */
export interface FaxSandboxOptions {
  /** Milliseconds a worker may take to load pdf.js and pdf-lib before it is given up; default 60 000. */
  readonly startTimeoutMs?: number;
  /** Milliseconds an idle worker is kept for the next check before it is stopped; default 30 000. */
  readonly idleTimeoutMs?: number;
}

/** Default of {@link FaxSandboxOptions.startTimeoutMs}: generous, loading the libraries is slow on a busy machine. */
export const DEFAULT_FAX_SANDBOX_START_TIMEOUT_MS = 60_000;
/** Default of {@link FaxSandboxOptions.idleTimeoutMs}. */
export const DEFAULT_FAX_SANDBOX_IDLE_TIMEOUT_MS = 30_000;

interface Job {
  readonly id: number;
  readonly bytes: Uint8Array;
  readonly limits: FaxDocumentLimits;
  readonly signal: AbortSignal | undefined;
  readonly resolve: (report: FaxDocumentReport) => void;
  readonly reject: (error: unknown) => void;
  readonly onAbort: () => void;
}

type Timer = ReturnType<typeof setTimeout>;

/**
 * Builds a {@link FaxDocumentSandbox} on a function that starts workers. One check runs at a time; others wait in
 * order. A worker that was stopped (time limit, memory, abort) is replaced by a new one for the next check.
 */
export function createFaxSandbox(
  startWorker: StartFaxSandboxWorker,
  options: FaxSandboxOptions = {},
): FaxDocumentSandbox {
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_FAX_SANDBOX_START_TIMEOUT_MS;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_FAX_SANDBOX_IDLE_TIMEOUT_MS;
  const queue: Job[] = [];
  let nextId = 1;
  let worker: FaxSandboxWorker | undefined;
  let current: Job | undefined;
  let started = false; // whether `current` is past loading (its time limit runs)
  let timer: Timer | undefined;
  let idleTimer: Timer | undefined;

  const clearTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const stopWorker = (): void => {
    const stopping = worker;
    worker = undefined;
    stopping?.terminate();
  };

  const finish = (settle: (job: Job) => void): void => {
    const job = current;
    current = undefined;
    clearTimer();
    if (!job) return;
    job.signal?.removeEventListener('abort', job.onAbort);
    worker?.setBusy?.(false);
    settle(job);
    pump();
  };

  const onMessage = (data: unknown): void => {
    if (!isFaxSandboxMessage(data) || data.type === 'inspect' || !current || data.id !== current.id) return;
    if (data.type === 'started') {
      started = true;
      clearTimer();
      const limit = current.limits.timeoutMs;
      if (Number.isFinite(limit)) {
        timer = setTimeout(() => {
          stopWorker();
          finish((job) => job.resolve({ ok: false, problem: { kind: 'timeout', limit } }));
        }, limit);
      }
      return;
    }
    finish((job) => job.resolve(data.report));
  };

  const onFailure = (from: FaxSandboxWorker, failure: FaxSandboxWorkerFailure): void => {
    if (worker !== from) return; // a worker we stopped ourselves
    worker = undefined;
    // A browser worker keeps running after an uncaught error; it is of no further use.
    from.terminate();
    if (!current) return;
    if (!started) {
      finish((job) =>
        job.reject(
          new CentrexError(
            'not-supported',
            'The PDF check could not start' +
              (failure.kind === 'out-of-memory' ? ': it ran out of memory while loading. ' : '. ') +
              'Fax documents cannot be checked in this environment.',
            { cause: failure.kind === 'crashed' ? failure.error : undefined, details: { failure: failure.kind } },
          ),
        ),
      );
      return;
    }
    finish((job) =>
      job.resolve(
        failure.kind === 'out-of-memory'
          ? { ok: false, problem: { kind: 'out-of-memory' } }
          : { ok: false, problem: { kind: 'damaged', detail: `the checker stopped: ${messageOf(failure.error)}` } },
      ),
    );
  };

  const pump = (): void => {
    if (current) return;
    const job = queue.shift();
    if (!job) {
      if (worker && idleTimer === undefined && Number.isFinite(idleTimeoutMs)) {
        idleTimer = setTimeout(() => {
          idleTimer = undefined;
          if (!current) stopWorker();
        }, idleTimeoutMs);
        // In Node an idle worker must not keep the process alive; browsers return a number without unref.
        (idleTimer as { unref?: () => void }).unref?.();
      }
      return;
    }
    if (idleTimer !== undefined) clearTimeout(idleTimer);
    idleTimer = undefined;
    current = job;
    started = false;
    try {
      if (!worker) {
        let startedWorker: FaxSandboxWorker | undefined = undefined;
        const events: FaxSandboxWorkerEvents = {
          message: onMessage,
          // A worker may fail synchronously inside startWorker, before `startedWorker` is assigned.
          failure: (failure) => queueMicrotask(() => onFailure(startedWorker!, failure)),
        };
        startedWorker = startWorker(events);
        worker = startedWorker;
      }
      worker.setBusy?.(true);
      worker.post({ centrexFax: 1, type: 'inspect', id: job.id, bytes: job.bytes, limits: job.limits });
    } catch (error) {
      stopWorker();
      finish((failed) =>
        failed.reject(
          new CentrexError('not-supported', 'The PDF check could not start: workers are not available here.', {
            cause: error,
          }),
        ),
      );
      return;
    }
    const seconds = startTimeoutMs / 1000;
    timer = setTimeout(() => {
      stopWorker();
      finish((late) =>
        late.reject(
          new CentrexError(
            'not-supported',
            `The PDF check did not start within ${seconds} seconds. Try again when the computer is less busy.`,
            { details: { startTimeoutMs } },
          ),
        ),
      );
    }, startTimeoutMs);
  };

  return {
    inspect(bytes, limits, signal) {
      return new Promise<FaxDocumentReport>((resolve, reject) => {
        signal?.throwIfAborted();
        const job: Job = {
          id: nextId++,
          // Posting a view copies its whole underlying buffer; a view into a large buffer is copied down first.
          bytes: bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice(),
          limits,
          signal,
          resolve,
          reject,
          onAbort: () => {
            const reason: unknown = signal?.reason;
            if (current === job) {
              stopWorker();
              finish((aborted) => aborted.reject(reason));
            } else {
              const index = queue.indexOf(job);
              if (index >= 0) queue.splice(index, 1);
              reject(reason);
            }
          },
        };
        signal?.addEventListener('abort', job.onAbort, { once: true });
        queue.push(job);
        pump();
      });
    },
    dispose() {
      if (idleTimer !== undefined) clearTimeout(idleTimer);
      idleTimer = undefined;
      const pending = [...queue];
      queue.length = 0;
      stopWorker();
      const abort = (): Error => new DOMException('The fax document sandbox was disposed.', 'AbortError');
      if (current) finish((job) => job.reject(abort()));
      for (const job of pending) {
        job.signal?.removeEventListener('abort', job.onAbort);
        job.reject(abort());
      }
    },
  };
}

/** Whether a message is one of ours (pdf.js in the worker posts messages of its own). @internal */
export function isFaxSandboxMessage(data: unknown): data is FaxSandboxRequest | FaxSandboxResponse {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { centrexFax?: unknown }).centrexFax === 1 &&
    typeof (data as { id?: unknown }).id === 'number'
  );
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
