/**
 * The Node sandbox: the PDF check runs in a worker thread with a heap limit, which the server stops when it takes too
 * long or runs out of memory.
 *
 * This folder is the one place in `src/core` that uses Node built-ins. It is a separate entry point
 * (`centrex-sdk/core/fax/node`) that `src/core/index.ts` never imports, so browser bundles never see it; the
 * reference PBX and Node scripts import it explicitly.
 *
 * @packageDocumentation
 */
// Node-only entry point (see the module comment): worker threads are how Node isolates the check.
// eslint-disable-next-line no-restricted-imports -- the one allowed Node built-in import, see above
import { Worker } from 'node:worker_threads';
import { createFaxSandbox, type FaxDocumentSandbox, type FaxSandboxOptions } from '../sandbox.js';

/** Options of {@link createNodeFaxSandbox}. */
export interface NodeFaxSandboxOptions extends FaxSandboxOptions {
  /**
   * Heap limit of the worker thread in MiB (V8's old generation); default {@link DEFAULT_FAX_SANDBOX_HEAP_MB}. Loading
   * pdf.js and pdf-lib takes about 100 MiB of it. Typed arrays live outside the heap and are not counted; the
   * streaming size measurement of the check keeps those small.
   */
  readonly maxHeapMb?: number;
}

/** Default of {@link NodeFaxSandboxOptions.maxHeapMb}. */
export const DEFAULT_FAX_SANDBOX_HEAP_MB = 512;

/**
 * Creates a sandbox that checks PDFs in a worker thread with a heap limit. The worker is kept between checks
 * (stopped after `idleTimeoutMs`) and never keeps the process alive while idle.
 *
 * @example
 * ```ts
 * import { checkFaxDocument } from 'centrex-sdk/core';
 * import { createNodeFaxSandbox } from 'centrex-sdk/core/fax/node';
 * const sandbox = createNodeFaxSandbox({ maxHeapMb: 256 });
 * const info = await checkFaxDocument(bytes, { sandbox });
 * ```
 */
export function createNodeFaxSandbox(options: NodeFaxSandboxOptions = {}): FaxDocumentSandbox {
  const maxHeapMb = options.maxHeapMb ?? DEFAULT_FAX_SANDBOX_HEAP_MB;
  return createFaxSandbox((events) => {
    const worker = startWorker(maxHeapMb);
    worker.on('message', (data: unknown) => events.message(data));
    worker.on('error', (error: Error & { code?: string }) => {
      events.failure(
        error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? { kind: 'out-of-memory' } : { kind: 'crashed', error },
      );
    });
    worker.on('exit', (code) =>
      events.failure({ kind: 'crashed', error: new Error(`The worker exited with code ${code}.`) }),
    );
    worker.unref();
    return {
      post: (request) => worker.postMessage(request),
      terminate: () => void worker.terminate(),
      setBusy: (busy) => (busy ? worker.ref() : worker.unref()),
    };
  }, options);
}

function startWorker(maxHeapMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: maxHeapMb };
  if (import.meta.url.endsWith('.ts')) {
    // Running from the TypeScript sources (tests, tsx). Node 20 does not hand the parent's --import loader to worker
    // threads, so the worker registers tsx itself before loading the TypeScript entry point.
    const entry = new URL('./fax-document.node-worker.ts', import.meta.url).href;
    const bootstrap = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(
      entry,
    )}); });`;
    return new Worker(bootstrap, { eval: true, resourceLimits });
  }
  return new Worker(new URL('./fax-document.node-worker.js', import.meta.url), { resourceLimits });
}
