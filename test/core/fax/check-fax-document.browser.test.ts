// checkFaxDocument in Chromium: the Web Worker sandbox, with PDFs and a bomb made in the page.
import { describe, it, expect } from '../../support/harness.js';
import { checkFaxDocument } from '../../../src/core/fax/check.js';
import { createWorkerFaxSandbox } from '../../../src/core/fax/worker-sandbox.js';
import { expectRejection } from './expect-error.js';
import { bombPdf, damagedPdf, formPdf, latin1, plainPdf } from './fixtures.js';

// The test server compiles TypeScript on request but does not map the worker's .js URL to its .ts source, which a
// bundler would do; so the tests point at the source.
const createWorker = (): Worker =>
  new Worker(new URL('../../../src/core/fax/fax-document.worker.ts', import.meta.url), { type: 'module' });

describe('checkFaxDocument with the Web Worker sandbox', () => {
  it('checks good and bad PDFs in a worker', async () => {
    const sandbox = createWorkerFaxSandbox({ createWorker });
    try {
      expect((await checkFaxDocument(await plainPdf(2), { sandbox })).pages).to.equal(2);
      expect((await checkFaxDocument(new Blob([(await plainPdf(1)).slice()]), { sandbox })).pages).to.equal(1);
      await expectRejection(checkFaxDocument(await formPdf(), { sandbox }), 'pdf-has-form-fields');
      await expectRejection(checkFaxDocument(await damagedPdf(), { sandbox }), 'pdf-invalid', 'damaged');
      await expectRejection(checkFaxDocument(latin1('<html>not a pdf</html>'), { sandbox }), 'pdf-invalid', 'not-pdf');
    } finally {
      sandbox.dispose();
    }
  });

  it('stops a decompression bomb of 300 MB in a 1 KB file without freezing the page', async () => {
    // Made with CompressionStream: 300 MiB of zeros, deflated twice.
    const bomb = await bombPdf(300);
    expect(bomb.length).to.be.below(2048);
    const sandbox = createWorkerFaxSandbox({ createWorker });
    // The page stays responsive: timer callbacks keep running while the worker works.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    try {
      await expectRejection(checkFaxDocument(bomb, { sandbox }), 'pdf-too-large', 'unpacks-too-large');
      await expectRejection(
        checkFaxDocument(bomb, { sandbox, limits: { maxDecodedBytes: Number.POSITIVE_INFINITY, timeoutMs: 50 } }),
        'pdf-too-large',
        'timeout',
      );
    } finally {
      clearInterval(ticker);
      sandbox.dispose();
    }
    expect(ticks).to.be.above(0);
  });

  it('says so when the worker script cannot be loaded', async () => {
    const sandbox = createWorkerFaxSandbox({
      createWorker: () => new Worker(new URL('./does-not-exist.worker.js', import.meta.url), { type: 'module' }),
    });
    try {
      await expectRejection(checkFaxDocument(await plainPdf(), { sandbox }), 'not-supported');
    } finally {
      sandbox.dispose();
    }
  });
});
