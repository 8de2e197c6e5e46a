/**
 * Loads pdf-lib and pdf.js on demand. Nothing else in the SDK imports them, so pages that never use fax never
 * download them, and bundlers put them into chunks of their own.
 *
 * @packageDocumentation
 */
// Type-only: erased from the output, so these load nothing.
import type * as PdfLibModule from 'pdf-lib';
import type * as PdfJsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

/** pdf-lib's module namespace. */
export type PdfLib = typeof PdfLibModule;
/** pdf.js's module namespace (the legacy build, which runs in Node 20 and in every browser). */
export type PdfJs = typeof PdfJsModule;

let pdfLib: Promise<PdfLib> | undefined;
let pdfJs: Promise<PdfJs> | undefined;

/** Loads pdf-lib once (see vendor.d.ts for why this file of the package). */
export function loadPdfLib(): Promise<PdfLib> {
  pdfLib ??= import('pdf-lib/dist/pdf-lib.esm.js').catch((error: unknown) => {
    // A failed load (offline, blocked chunk) must not be cached forever.
    pdfLib = undefined;
    throw error;
  });
  return pdfLib;
}

/**
 * Loads pdf.js once, with its parser set up to run in the current thread.
 *
 * pdf.js normally starts a worker of its own from a URL the page must configure. The fax check already runs inside a
 * sandbox worker, so pdf.js's "fake worker" (the parser in this thread) is what we want: importing the worker module
 * puts its message handler on `globalThis.pdfjsWorker`, where pdf.js looks first.
 */
export function loadPdfJs(): Promise<PdfJs> {
  pdfJs ??= (async () => {
    const [api] = await Promise.all([
      import('pdfjs-dist/legacy/build/pdf.mjs'),
      import('pdfjs-dist/legacy/build/pdf.worker.mjs'),
    ]);
    return api;
  })().catch((error: unknown) => {
    pdfJs = undefined;
    throw error;
  });
  return pdfJs;
}
