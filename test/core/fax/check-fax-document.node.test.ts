// checkFaxDocument in Node: the worker-thread sandbox, PDFs encrypted by qpdf, and a bomb made with node:zlib.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { createDeflate, deflateSync } from 'node:zlib';
import { describe, it, expect } from '../../support/harness.js';
import { checkFaxDocument } from '../../../src/core/fax/check.js';
import { createNodeFaxSandbox } from '../../../src/core/fax/node/index.js';
import { prependCoverSheet } from '../../../src/core/fax/cover-render.js';
import { expectRejection } from './expect-error.js';
import { buildPdf, damagedPdf, formPdf, latin1, plainPdf } from './fixtures.js';

const sandbox = createNodeFaxSandbox();
let dir = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'centrex-fax-'));
});
after(() => {
  sandbox.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Encrypts a PDF with qpdf: `qpdf --encrypt USER OWNER 256 [restrictions] -- in out`. */
function qpdfEncrypt(pdf: Uint8Array, user: string, owner: string, restrictions: string[] = []): Uint8Array {
  const input = join(dir, `in-${Math.random().toString(36).slice(2)}.pdf`);
  const output = `${input}.encrypted.pdf`;
  writeFileSync(input, pdf);
  execFileSync('qpdf', ['--encrypt', user, owner, '256', ...restrictions, '--', input, output]);
  return new Uint8Array(readFileSync(output));
}

/** `megabytes` MiB of zeros through zlib, streamed so the zeros never sit in memory together. */
async function zlibZeros(megabytes: number): Promise<Uint8Array> {
  const deflate = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) {
    if (!deflate.write(zeros)) await new Promise((resolve) => deflate.once('drain', resolve));
  }
  deflate.end();
  await done;
  return new Uint8Array(Buffer.concat(chunks));
}

/** A page whose content is `megabytes` MiB of zeros, deflated twice with zlib: a file of about a kilobyte. */
async function zlibBomb(megabytes: number): Promise<Uint8Array> {
  const twice = new Uint8Array(deflateSync(await zlibZeros(megabytes), { level: 9 }));
  return buildPdf([{ dict: '/Filter [/FlateDecode /FlateDecode]', data: twice }]);
}

describe('checkFaxDocument with the Node sandbox', () => {
  it('accepts a plain PDF and reports its pages', async () => {
    const pdf = await plainPdf(3);
    const info = await checkFaxDocument(pdf, { sandbox });
    expect(info).to.include({ pages: 3, bytes: pdf.length, version: '1.7' });
    // ArrayBuffer and Blob work too (a dropped File is a Blob).
    expect((await checkFaxDocument(pdf.slice().buffer, { sandbox })).pages).to.equal(3);
    expect((await checkFaxDocument(new Blob([pdf.slice()]), { sandbox })).pages).to.equal(3);
  });

  it('refuses a PDF that needs a password to open (pdf-encrypted)', async () => {
    const pdf = qpdfEncrypt(await plainPdf(), 'secret', 'owner-secret');
    const error = await expectRejection(checkFaxDocument(pdf, { sandbox }), 'pdf-encrypted', 'password');
    expect(error.message).to.contain('File > Properties > Security');
  });

  it('refuses a PDF whose owner password forbids extraction (pdf-extraction-forbidden)', async () => {
    const pdf = qpdfEncrypt(await plainPdf(), '', 'owner-secret', ['--extract=n']);
    const error = await expectRejection(checkFaxDocument(pdf, { sandbox }), 'pdf-extraction-forbidden', 'restricted');
    expect(error.message).to.contain('Page Extraction: Not Allowed');
    expect(error.details).to.include({ extraction: false, printing: true });
  });

  it('refuses a PDF encrypted with an owner password even when extraction is allowed', async () => {
    const pdf = qpdfEncrypt(await plainPdf(), '', 'owner-secret');
    const error = await expectRejection(checkFaxDocument(pdf, { sandbox }), 'pdf-encrypted', 'restricted');
    expect(error.message).to.contain('print it to a new PDF');
    // pdf-lib cannot decrypt, so a cover sheet could not be put in front of it either.
    await expectRejection(
      prependCoverSheet(pdf, { subject: '', message: '' }, { sender: { name: 'A' }, date: new Date() }),
      'pdf-invalid',
    );
  });

  it('checks the password before the permissions', async () => {
    const pdf = qpdfEncrypt(await plainPdf(), 'secret', 'owner-secret', ['--extract=n']);
    await expectRejection(checkFaxDocument(pdf, { sandbox }), 'pdf-encrypted', 'password');
  });

  it('refuses editable form fields (pdf-has-form-fields)', async () => {
    const error = await expectRejection(
      checkFaxDocument(await formPdf(), { sandbox }),
      'pdf-has-form-fields',
      'form-fields',
    );
    expect(error.message).to.contain('2 form fields');
    expect(error.details?.['fields']).to.deep.equal(['customer.name', 'agree']);
  });

  it('refuses files that are not PDFs or are damaged (pdf-invalid)', async () => {
    await expectRejection(checkFaxDocument(latin1('PK\u0003\u0004 a zip file'), { sandbox }), 'pdf-invalid', 'not-pdf');
    await expectRejection(checkFaxDocument(await damagedPdf(), { sandbox }), 'pdf-invalid', 'damaged');
    const plain = await plainPdf();
    await expectRejection(checkFaxDocument(plain.slice(0, plain.length / 2), { sandbox }), 'pdf-invalid', 'damaged');
    await expectRejection(checkFaxDocument('not bytes' as unknown as Uint8Array, { sandbox }), 'invalid-argument');
  });

  it('applies configurable byte and page limits (pdf-too-large)', async () => {
    const pdf = await plainPdf(5);
    await expectRejection(
      checkFaxDocument(pdf, { sandbox, limits: { maxPages: 4 } }),
      'pdf-too-large',
      'too-many-pages',
    );
    await expectRejection(
      checkFaxDocument(pdf, { sandbox, limits: { maxBytes: 1000 } }),
      'pdf-too-large',
      'too-many-bytes',
    );
    await expectRejection(
      checkFaxDocument(new Blob([pdf.slice()]), { limits: { maxBytes: 1000 } }),
      'pdf-too-large',
      'too-many-bytes',
    );
    await expectRejection(checkFaxDocument(pdf, { sandbox, limits: { maxPages: 0 } }), 'invalid-argument');
  });

  it('stops a decompression bomb of 300 MB in a 1 KB file with the default limits', async () => {
    const bomb = await zlibBomb(300);
    expect(bomb.length).to.be.below(2048);
    const started = performance.now();
    const error = await expectRejection(checkFaxDocument(bomb, { sandbox }), 'pdf-too-large', 'unpacks-too-large');
    expect(error.message).to.contain('unpacks to more than 256 MB');
    // Measured as a stream and stopped at the limit: it never takes the time (or memory) of unpacking it all.
    expect(performance.now() - started).to.be.below(10_000);
  });

  it('stops a check at its time limit, and the sandbox goes on working', async () => {
    const bomb = await zlibBomb(300);
    const error = await expectRejection(
      checkFaxDocument(bomb, { sandbox, limits: { maxDecodedBytes: Number.POSITIVE_INFINITY, timeoutMs: 50 } }),
      'pdf-too-large',
      'timeout',
    );
    expect(error.message).to.contain('took longer than');
    expect((await checkFaxDocument(await plainPdf(), { sandbox })).pages).to.equal(1);
  });

  it('stops a check that exhausts the worker heap', async () => {
    // 3 million numbers in one (unused) array: cheap as bytes, millions of objects for a parser.
    const heapBomb = buildPdf([`[${'0 '.repeat(3_000_000)}]`]);
    const small = createNodeFaxSandbox({ maxHeapMb: 192 });
    try {
      await expectRejection(
        checkFaxDocument(heapBomb, { sandbox: small, limits: { timeoutMs: 120_000 } }),
        'pdf-too-large',
        'out-of-memory',
      );
    } finally {
      small.dispose();
    }
  });

  it('can be aborted', async () => {
    const bomb = await zlibBomb(300);
    const controller = new AbortController();
    const check = checkFaxDocument(bomb, {
      sandbox,
      signal: controller.signal,
      limits: { maxDecodedBytes: Number.POSITIVE_INFINITY, timeoutMs: 120_000 },
    });
    controller.abort();
    let caught: unknown;
    try {
      await check;
    } catch (error) {
      caught = error;
    }
    expect((caught as DOMException).name).to.equal('AbortError');
  });

  it('needs a sandbox in Node, which has no Web Workers', async () => {
    const error = await expectRejection(checkFaxDocument(await plainPdf()), 'not-supported');
    expect(error.message).to.contain('createNodeFaxSandbox');
  });
});
