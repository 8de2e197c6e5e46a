// The check itself, run in the current thread (the sandbox tests run it in workers). Same file in Node and Chromium.
import { describe, it, expect } from '../../support/harness.js';
import { inspectFaxDocument } from '../../../src/core/fax/inspect.js';
import { FAX_DOCUMENT_LIMITS, type FaxDocumentLimits } from '../../../src/core/fax/limits.js';
import {
  bombPdf,
  buildPdf,
  damagedPdf,
  formPdf,
  giantImagePdf,
  latin1,
  plainPdf,
  pushButtonPdf,
  truncatedPdf,
} from './fixtures.js';
import { loadPdfJs } from '../../../src/core/fax/libraries.js';

const limits = (changes: Partial<FaxDocumentLimits> = {}): FaxDocumentLimits => ({
  ...FAX_DOCUMENT_LIMITS,
  ...changes,
});

describe('inspectFaxDocument', () => {
  it('reports page count, size and version of a good PDF', async () => {
    const pdf = await plainPdf(3);
    const report = await inspectFaxDocument(pdf, limits());
    expect(report.ok).to.equal(true);
    if (!report.ok) return;
    expect(report.info).to.include({ pages: 3, bytes: pdf.length, version: '1.7' });
    expect(report.info.decodedBytes).to.be.above(0);
  });

  it('refuses bytes that are not a PDF', async () => {
    expect(await inspectFaxDocument(latin1('GIF89a not a pdf'), limits())).to.deep.equal({
      ok: false,
      problem: { kind: 'not-pdf' },
    });
  });

  it('refuses truncated and garbled PDFs as damaged', async () => {
    for (const pdf of [await truncatedPdf(), latin1('%PDF-1.7\n' + 'garbage '.repeat(200))]) {
      const report = await inspectFaxDocument(pdf, limits());
      expect(report.ok).to.equal(false);
      if (!report.ok) expect(report.problem.kind).to.equal('damaged');
    }
  });

  it('refuses a PDF with a broken object that pdf.js would silently repair', async () => {
    const pdf = await damagedPdf();
    // pdf.js opens it...
    const pdfjs = await loadPdfJs();
    const task = pdfjs.getDocument({ data: pdf.slice(), isEvalSupported: false, verbosity: 0 });
    expect((await task.promise).numPages).to.equal(1);
    await task.destroy();
    // ...but pdf-lib, told to throw on invalid objects, does not.
    const report = await inspectFaxDocument(pdf, limits());
    expect(report.ok).to.equal(false);
    if (!report.ok) expect(report.problem.kind).to.equal('damaged');
  });

  it('refuses editable form fields and names them', async () => {
    const report = await inspectFaxDocument(await formPdf(), limits());
    expect(report).to.deep.equal({
      ok: false,
      problem: { kind: 'form-fields', count: 2, fields: ['customer.name', 'agree'] },
    });
  });

  it('accepts form fields that are read-only, and push buttons', async () => {
    expect((await inspectFaxDocument(await formPdf(true), limits())).ok).to.equal(true);
    expect((await inspectFaxDocument(await pushButtonPdf(), limits())).ok).to.equal(true);
  });

  it('applies the byte and page limits', async () => {
    const pdf = await plainPdf(4);
    expect(await inspectFaxDocument(pdf, limits({ maxBytes: 100 }))).to.deep.equal({
      ok: false,
      problem: { kind: 'too-many-bytes', bytes: pdf.length, limit: 100 },
    });
    expect(await inspectFaxDocument(pdf, limits({ maxPages: 3 }))).to.deep.equal({
      ok: false,
      problem: { kind: 'too-many-pages', pages: 4, limit: 3 },
    });
  });

  it('refuses an image with more pixels than the limit, before decoding it', async () => {
    expect(await inspectFaxDocument(giantImagePdf(60_000, 60_000), limits())).to.deep.equal({
      ok: false,
      problem: { kind: 'image-too-large', width: 60_000, height: 60_000, limit: FAX_DOCUMENT_LIMITS.maxImagePixels },
    });
  });

  it('stops a decompression bomb at the unpacked-size limit', async () => {
    const bomb = await bombPdf(64);
    expect(bomb.length).to.be.below(2048);
    const report = await inspectFaxDocument(bomb, limits({ maxDecodedBytes: 16 * 1024 * 1024 }));
    expect(report).to.deep.equal({ ok: false, problem: { kind: 'unpacks-too-large', limit: 16 * 1024 * 1024 } });
  });

  it('accepts a hand-built PDF whose content unpacks within the limit', async () => {
    const report = await inspectFaxDocument(
      buildPdf([{ dict: '', data: latin1('BT /F1 12 Tf (Hi) Tj ET') }]),
      limits(),
    );
    expect(report.ok).to.equal(true);
  });
});
