import { describe, it, expect } from '../../support/harness.js';
import { FAX_DOCUMENT_LIMITS, type FaxDocumentReport } from '../../../src/core/fax/limits.js';
import { createFaxSandbox } from '../../../src/core/fax/sandbox.js';
import { expectRejection } from './expect-error.js';
import { fakeSandbox } from './sandbox-fakes.js';

const OK: FaxDocumentReport = { ok: true, info: { pages: 1, bytes: 3, decodedBytes: 0, version: '1.7' } };
const bytes = (): Uint8Array => Uint8Array.from([1, 2, 3]);
const limits = FAX_DOCUMENT_LIMITS;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createFaxSandbox', () => {
  it('runs one check at a time, in order, on one warm worker', async () => {
    const { sandbox, workers, nextWorker } = fakeSandbox();
    const first = sandbox.inspect(bytes(), limits);
    const second = sandbox.inspect(bytes(), limits);
    const worker = await nextWorker();
    const [a] = await worker.requests(1);
    expect(worker.posted).to.have.length(1);
    worker.started(a!.id);
    worker.report(a!.id, OK);
    expect(await first).to.deep.equal(OK);
    const [, b] = await worker.requests(2);
    worker.started(b!.id);
    worker.report(b!.id, { ok: false, problem: { kind: 'not-pdf' } });
    expect(await second).to.deep.equal({ ok: false, problem: { kind: 'not-pdf' } });
    expect(workers).to.have.length(1);
    expect(worker.busy).to.deep.equal([true, false, true, false]);
    sandbox.dispose();
    expect(worker.terminated).to.equal(true);
  });

  it('ignores messages that are not answers to the running check', async () => {
    const { sandbox, nextWorker } = fakeSandbox();
    const result = sandbox.inspect(bytes(), limits);
    const worker = await nextWorker();
    const [request] = await worker.requests(1);
    // pdf.js's own worker code announces itself on the same channel.
    worker.events.message({ sourceName: 'worker', targetName: 'main', action: 'ready' });
    worker.events.message(null);
    worker.report(request!.id + 1, { ok: false, problem: { kind: 'not-pdf' } });
    worker.started(request!.id);
    worker.report(request!.id, OK);
    expect(await result).to.deep.equal(OK);
    sandbox.dispose();
  });

  it('stops a check at its time limit and starts a new worker for the next one', async () => {
    const { sandbox, workers, nextWorker } = fakeSandbox();
    const result = sandbox.inspect(bytes(), { ...limits, timeoutMs: 5 });
    const worker = await nextWorker();
    const [request] = await worker.requests(1);
    worker.started(request!.id); // and then never answers
    expect(await result).to.deep.equal({ ok: false, problem: { kind: 'timeout', limit: 5 } });
    expect(worker.terminated).to.equal(true);
    const next = sandbox.inspect(bytes(), limits);
    const fresh = await nextWorker();
    const [again] = await fresh.requests(1);
    fresh.started(again!.id);
    fresh.report(again!.id, OK);
    expect(await next).to.deep.equal(OK);
    expect(workers).to.have.length(2);
    sandbox.dispose();
  });

  it('gives up with not-supported when the worker does not start in time or fails while starting', async () => {
    const slow = fakeSandbox({ startTimeoutMs: 5 });
    await expectRejection(slow.sandbox.inspect(bytes(), limits), 'not-supported');
    expect(slow.workers[0]!.terminated).to.equal(true);

    const broken = fakeSandbox();
    const result = broken.sandbox.inspect(bytes(), limits);
    (await broken.nextWorker()).events.failure({ kind: 'crashed', error: new Error('404 worker script') });
    const error = await expectRejection(result, 'not-supported');
    expect((error.cause as Error).message).to.equal('404 worker script');

    const throwing = createFaxSandbox(() => {
      throw new Error('no workers here');
    });
    await expectRejection(throwing.inspect(bytes(), limits), 'not-supported');
  });

  it('reports running out of memory and crashes during a check as problems of the document', async () => {
    const { sandbox, nextWorker } = fakeSandbox();
    const oom = sandbox.inspect(bytes(), limits);
    const first = await nextWorker();
    first.started((await first.requests(1))[0]!.id);
    first.events.failure({ kind: 'out-of-memory' });
    expect(await oom).to.deep.equal({ ok: false, problem: { kind: 'out-of-memory' } });
    expect(first.terminated).to.equal(true);

    const crash = sandbox.inspect(bytes(), limits);
    const second = await nextWorker();
    second.started((await second.requests(1))[0]!.id);
    second.events.failure({ kind: 'crashed', error: new Error('boom') });
    const report = await crash;
    expect(report.ok).to.equal(false);
    if (!report.ok) expect(report.problem).to.deep.equal({ kind: 'damaged', detail: 'the checker stopped: boom' });
    sandbox.dispose();
  });

  it('aborts a running check (stopping its worker) and a waiting one', async () => {
    const { sandbox, nextWorker } = fakeSandbox();
    const running = new AbortController();
    const waiting = new AbortController();
    const first = sandbox.inspect(bytes(), limits, running.signal);
    const second = sandbox.inspect(bytes(), limits, waiting.signal);
    const third = sandbox.inspect(bytes(), limits);
    const worker = await nextWorker();
    await worker.requests(1);
    waiting.abort(new Error('user dropped another file'));
    expect(((await rejection(second)) as Error).message).to.equal('user dropped another file');
    running.abort();
    expect(((await rejection(first)) as DOMException).name).to.equal('AbortError');
    expect(worker.terminated).to.equal(true);
    // The third check runs on a new worker.
    const fresh = await nextWorker();
    const [request] = await fresh.requests(1);
    fresh.started(request!.id);
    fresh.report(request!.id, OK);
    expect(await third).to.deep.equal(OK);
    const aborted = AbortSignal.abort(new Error('too late'));
    expect(((await rejection(sandbox.inspect(bytes(), limits, aborted))) as Error).message).to.equal('too late');
    sandbox.dispose();
  });

  it('rejects pending checks on dispose and can be used again', async () => {
    const { sandbox, nextWorker } = fakeSandbox();
    const first = sandbox.inspect(bytes(), limits);
    const second = sandbox.inspect(bytes(), limits);
    await (await nextWorker()).requests(1);
    sandbox.dispose();
    expect(((await rejection(first)) as DOMException).name).to.equal('AbortError');
    expect(((await rejection(second)) as DOMException).name).to.equal('AbortError');
    const again = sandbox.inspect(bytes(), limits);
    const worker = await nextWorker();
    const [request] = await worker.requests(1);
    worker.started(request!.id);
    worker.report(request!.id, OK);
    expect(await again).to.deep.equal(OK);
    sandbox.dispose();
  });

  it('stops an idle worker after the idle time', async () => {
    const { sandbox, nextWorker } = fakeSandbox({ idleTimeoutMs: 5 });
    const result = sandbox.inspect(bytes(), limits);
    const worker = await nextWorker();
    const [request] = await worker.requests(1);
    worker.started(request!.id);
    worker.report(request!.id, OK);
    await result;
    // The idle timer is unref'd in Node (an idle sandbox must not keep a process alive); this keeps the test alive.
    const keepAlive = setInterval(() => undefined, 1000);
    try {
      await worker.whenTerminated();
    } finally {
      clearInterval(keepAlive);
    }
    expect(worker.terminated).to.equal(true);
  });

  it('copies a view into a larger buffer before posting it', async () => {
    const { sandbox, nextWorker } = fakeSandbox();
    const big = new Uint8Array(1000);
    void sandbox.inspect(big.subarray(10, 20), limits).catch(() => undefined);
    const [request] = await (await nextWorker()).requests(1);
    expect(request!.bytes.buffer.byteLength).to.equal(10);
    sandbox.dispose();
  });
});
