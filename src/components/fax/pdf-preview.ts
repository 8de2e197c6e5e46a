/**
 * Page previews for `<centrex-fax>`: draws the pages of a PDF onto canvases with pdf.js. The element imports this
 * module only when it has something to show, and this module loads pdf.js only when it draws, so pages that never
 * preview a fax never download either.
 *
 * pdf.js parses in a worker started from a same-origin file (`pdf-preview.worker.js`) and never evaluates code
 * built from strings (`isEvalSupported: false`), so previews work under `script-src 'self'`.
 *
 * @packageDocumentation
 */
// Type-only: erased from the output, so it loads nothing.
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

type PdfJs = typeof PdfJsModule;

/** How {@link renderPdfPages} draws. */
export interface PdfPreviewOptions {
  /** Width of each page in CSS pixels; the canvas gets that many device pixels per CSS pixel. */
  readonly width: number;
  /** Pages to draw at most (from the first); default 1. */
  readonly maxPages?: number;
  /** Starts the worker pdf.js parses in; default `pdf-preview.worker.js` beside this module. */
  readonly createWorker?: (() => Worker) | undefined;
  /** Aborting stops drawing and the worker. */
  readonly signal?: AbortSignal | undefined;
  /** Milliseconds the whole preview may take before it is given up; default 30 000. */
  readonly timeoutMs?: number;
}

/** What {@link renderPdfPages} drew. */
export interface PdfPreview {
  /** Pages of the document (may be more than were drawn). */
  readonly pageCount: number;
  /** One canvas per drawn page, in order. */
  readonly canvases: readonly HTMLCanvasElement[];
}

let pdfJs: Promise<PdfJs> | undefined;

function loadPdfJs(): Promise<PdfJs> {
  // The legacy build is the one the SDK's document check loads too, so a bundler makes one pdf.js chunk for both.
  pdfJs ??= import('pdfjs-dist/legacy/build/pdf.mjs').catch((error: unknown) => {
    // A failed load (offline, blocked chunk) must not be remembered: the next preview tries again.
    pdfJs = undefined;
    throw error;
  });
  return pdfJs;
}

function defaultWorker(): Worker {
  return new Worker(new URL('./pdf-preview.worker.js', import.meta.url), { type: 'module' });
}

/**
 * Draws the first pages of a PDF onto new canvases (white background, as a fax prints).
 *
 * @param bytes - the PDF; the array is copied, the caller keeps it
 * @throws Error when the worker cannot start, the PDF cannot be read, time runs out, or the signal aborts
 */
export async function renderPdfPages(bytes: Uint8Array, options: PdfPreviewOptions): Promise<PdfPreview> {
  options.signal?.throwIfAborted();
  const lib = await loadPdfJs();
  const worker = (options.createWorker ?? defaultWorker)();
  const pdfWorker = lib.PDFWorker.create({ port: worker, verbosity: lib.VerbosityLevel.ERRORS });
  // pdf.js does not watch a worker it was handed: a script that fails to load would leave it waiting forever.
  let stop: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => undefined);
  const onError = (event: ErrorEvent): void => {
    event.preventDefault();
    stop(new Error(`The PDF preview worker failed: ${event.message || 'its script did not load'}.`));
  };
  const onAbort = (): void => stop(options.signal?.reason ?? new DOMException('The preview was aborted.', 'AbortError'));
  const timer = setTimeout(() => stop(new Error('The PDF preview took too long.')), options.timeoutMs ?? 30_000);
  worker.addEventListener('error', onError);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const guarded = <T>(work: Promise<T>): Promise<T> => Promise.race([work, stopped]);

  const task = lib.getDocument({
    data: bytes.slice(),
    worker: pdfWorker,
    isEvalSupported: false,
    enableXfa: false,
    verbosity: lib.VerbosityLevel.ERRORS,
  });
  try {
    const document = await guarded(task.promise);
    const count = Math.min(document.numPages, Math.max(1, options.maxPages ?? 1));
    const ratio = Math.min(globalThis.devicePixelRatio || 1, 3);
    const canvases: HTMLCanvasElement[] = [];
    for (let number = 1; number <= count; number++) {
      const page = await guarded(document.getPage(number));
      const natural = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (options.width * ratio) / natural.width });
      const canvas = globalThis.document.createElement('canvas');
      canvas.width = Math.max(1, Math.floor(viewport.width));
      canvas.height = Math.max(1, Math.floor(viewport.height));
      await guarded(page.render({ canvas, viewport, background: '#ffffff' }).promise);
      page.cleanup();
      canvases.push(canvas);
    }
    return { pageCount: document.numPages, canvases };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    worker.removeEventListener('error', onError);
    // Never wait for pdf.js to wind down: the worker is ours, and terminating it ends everything at once.
    void task.destroy().catch(() => undefined);
    pdfWorker.destroy();
    worker.terminate();
  }
}
