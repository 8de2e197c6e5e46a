/**
 * The browser worker that checks fax documents (see {@link createWorkerFaxSandbox}). Bundlers find it through
 * `new URL('./fax-document.worker.js', import.meta.url)` and build it as a worker chunk of its own, with pdf.js and
 * pdf-lib inside; the page itself never loads them for the check.
 *
 * @packageDocumentation
 */
import { serveFaxSandboxRequests } from './serve.js';

// The DOM typings describe a window; a dedicated worker's global scope has this shape.
const scope = globalThis as unknown as {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<unknown>) => void): void;
};

const handle = serveFaxSandboxRequests((response) => scope.postMessage(response));
scope.addEventListener('message', (event) => handle(event.data));
