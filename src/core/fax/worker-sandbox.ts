/**
 * The browser sandbox: the PDF check runs in a module Web Worker, which the page can stop at any time.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { createFaxSandbox, type FaxDocumentSandbox, type FaxSandboxOptions } from './sandbox.js';

/** Options of {@link createWorkerFaxSandbox}. */
export interface WorkerFaxSandboxOptions extends FaxSandboxOptions {
  /**
   * Starts the worker. The default, `new Worker(new URL('./fax-document.worker.js', import.meta.url),
   * { type: 'module' })`, is the form bundlers (Vite, webpack, Parcel, esbuild with a plugin) recognise and build as
   * a worker chunk. Pass your own when the SDK is served without a bundler and the worker file lives elsewhere.
   */
  readonly createWorker?: () => Worker;
}

/**
 * Creates a sandbox that checks PDFs in a Web Worker (browsers, Deno, Bun). Browsers offer no memory limit for
 * workers, so here the protection against hostile files is the streaming size measurement inside the check plus the
 * time limit: a stuck check is stopped with `terminate()` and never blocks the page.
 *
 * @example
 * ```ts
 * const sandbox = createWorkerFaxSandbox();
 * const info = await checkFaxDocument(bytes, { sandbox });
 * sandbox.dispose(); // or keep it for the next document
 * ```
 */
export function createWorkerFaxSandbox(options: WorkerFaxSandboxOptions = {}): FaxDocumentSandbox {
  const create = options.createWorker ?? defaultWorker;
  return createFaxSandbox((events) => {
    const worker = create();
    worker.addEventListener('message', (event: MessageEvent<unknown>) => events.message(event.data));
    worker.addEventListener('error', (event: ErrorEvent) => {
      // Handled here: without preventDefault the browser also reports it as an uncaught error of the page.
      event.preventDefault();
      events.failure({
        kind: 'crashed',
        error: event.error ?? new Error(event.message || 'The worker script failed to load.'),
      });
    });
    worker.addEventListener('messageerror', () => {
      events.failure({ kind: 'crashed', error: new Error('A message from the worker could not be read.') });
    });
    return { post: (request) => worker.postMessage(request), terminate: () => worker.terminate() };
  }, options);
}

/** Whether this environment has Web Workers (browsers, Deno, Bun; not Node). */
export function hasWebWorkers(): boolean {
  return typeof (globalThis as { Worker?: unknown }).Worker === 'function';
}

function defaultWorker(): Worker {
  if (!hasWebWorkers()) {
    throw new CentrexError(
      'not-supported',
      'This environment has no Web Workers to check fax documents in. In Node, pass createNodeFaxSandbox() from ' +
        '"centrex-sdk/core/fax/node".',
    );
  }
  return new Worker(new URL('./fax-document.worker.js', import.meta.url), { type: 'module' });
}
