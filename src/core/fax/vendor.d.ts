// Type declarations for the two pre-bundled library files the fax code loads.
//
// pdf-lib's `module` entry imports pako, a CommonJS package, which browsers cannot load without a bundler (the test
// runner and CDN pages have none). Its dist/pdf-lib.esm.js is the same library as one self-contained ES module, so
// that file is loaded everywhere; it has no .d.ts of its own, hence this mapping to the package's types.
declare module 'pdf-lib/dist/pdf-lib.esm.js' {
  export * from 'pdf-lib';
}

// pdf.js's worker module registers itself on globalThis.pdfjsWorker when imported, which lets pdf.js run its parser
// in the current thread (we are already inside our own sandbox worker). Only that side effect is used.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
