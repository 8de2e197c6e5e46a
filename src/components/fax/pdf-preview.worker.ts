/**
 * The worker `<centrex-fax>` renders previews with: pdf.js's parser in a thread of its own, so a large document
 * never blocks the page while its pages are drawn. Importing pdf.js's worker module is all it takes: inside a worker
 * it answers on the worker's own message port.
 *
 * It is a file of its own (rather than a `blob:` URL or pdf.js's CDN wrapper) so that a page with a strict Content
 * Security Policy (`script-src 'self'`, no `blob:`) can start it from its own origin.
 *
 * @packageDocumentation
 */
import 'pdfjs-dist/legacy/build/pdf.worker.mjs';
