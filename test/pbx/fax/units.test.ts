// The fax pieces below the API: the demo sink's rules, the multipart reader, and the store's guarantees (one number
// space, compare-and-set job changes, a job lands only once).
import { after, before } from 'node:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import { ApiError } from '../../../src/pbx/api/errors.js';
import { multipartBoundary, parseMultipart } from '../../../src/pbx/api/multipart.js';
import { sinkOutcome } from '../../../src/pbx/fax/index.js';
import { isStoreError, openStore, type Store } from '../../../src/pbx/store/index.js';
import { seedFixture, tempDir, type Fixture } from '../store/fixture.js';

describe('the demo fax sink', () => {
  it('decides by the last digits of the number, and by the attempt for …7', () => {
    expect(sinkOutcome('+498999998100', 1)).to.deep.equal({ ok: true });
    expect(sinkOutcome('+498999998113', 1)).to.include({ ok: false, reason: 'rejected', permanent: true });
    expect(sinkOutcome('+498999998166', 3)).to.include({ ok: false, reason: 'busy', permanent: false });
    expect(sinkOutcome('+498999998107', 1)).to.include({ ok: false, reason: 'busy', permanent: false });
    expect(sinkOutcome('+498999998107', 2)).to.deep.equal({ ok: true });
  });
});

describe('multipart/form-data reader', () => {
  it('reads what fetch’s FormData writes: text fields and a binary file', async () => {
    const form = new FormData();
    form.append('to', '089 99998 100');
    form.append('coverMessage', 'Grüße\r\naus München');
    const file = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0xff]);
    form.append('document', new Blob([file], { type: 'application/pdf' }), 'brief "1".pdf');
    const response = new Response(form);
    const boundary = multipartBoundary(response.headers.get('content-type') ?? undefined);
    expect(boundary).to.be.a('string');
    const parts = parseMultipart(Buffer.from(await response.arrayBuffer()), boundary!);
    expect(parts.map((part) => part.name)).to.deep.equal(['to', 'coverMessage', 'document']);
    expect(parts[1]?.data.toString('utf8')).to.equal('Grüße\r\naus München');
    expect(parts[2]?.contentType).to.equal('application/pdf');
    expect([...(parts[2]?.data ?? [])]).to.deep.equal([...file]);
  });

  it('tells JSON from multipart and refuses broken bodies with 400 validation-failed', () => {
    expect(multipartBoundary('application/json')).to.equal(undefined);
    expect(() => multipartBoundary('multipart/form-data')).to.throw(ApiError);
    const broken = [
      'no boundary here',
      '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nnever closed',
      '--b\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--b--',
      '--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--',
      '--b\r\nno colon\r\n\r\nx\r\n--b--',
    ];
    for (const body of broken) {
      let caught: unknown;
      try {
        parseMultipart(Buffer.from(body, 'latin1'), 'b');
      } catch (error) {
        caught = error;
      }
      expect(caught instanceof ApiError && caught.status === 400 && caught.code === 'validation-failed', body).to.equal(true);
    }
  });
});

describe('fax store', () => {
  const dir = tempDir();
  let store: Store;
  let fixture: Fixture;
  before(async () => {
    store = openStore({ file: join(dir, 'fax.db') });
    fixture = await seedFixture(store);
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shares one number space with users, queues and rooms', () => {
    const { alpha } = fixture;
    const conflict = (fn: () => unknown): boolean => {
      try {
        fn();
        return false;
      } catch (error) {
        return isStoreError(error, 'conflict');
      }
    };
    expect(conflict(() => store.createFaxExtension(alpha.id, { name: 'Fax', login: 'fax-1', extension: '11', pinHash: 'x' }))).to.equal(true);
    store.createFaxExtension(alpha.id, { name: 'Fax', login: 'fax-1', extension: '30', pinHash: 'x' });
    expect(conflict(() => store.createUser(alpha.id, { name: 'N', email: 'n@alpha.test', extension: '30' }))).to.equal(true);
    expect(conflict(() => store.createQueue(alpha.id, { name: 'Q', extension: '30' }))).to.equal(true);
    // Another tenant has a number space of its own.
    store.createFaxExtension(fixture.beta.id, { name: 'Fax', login: 'fax-1', extension: '30', pinHash: 'x' });
  });

  it('changes a job only from the revision the writer saw, and lands an internal job once', () => {
    const { alpha, users } = fixture;
    const from = store.createFaxExtension(alpha.id, { name: 'Von', login: 'fax-von', extension: '31', pinHash: 'x' });
    const to = store.createFaxExtension(alpha.id, { name: 'An', login: 'fax-an', extension: '32', pinHash: 'x' });
    const job = store.createFaxJobRecord({
      tenantId: alpha.id,
      ownerId: users.ann.id,
      faxExtensionId: from.id,
      senderName: 'Ann Alpha',
      to: '32',
      toKind: 'internal',
      cover: { mode: 'none' },
      locale: 'de',
      document: new Uint8Array([1, 2, 3]),
      pages: 1,
      maxAttempts: 3,
    });
    expect(job).to.include({ state: 'queued', attempts: 0, revision: 0, fromNumber: '+49891234567' + '31' });
    const sending = { state: 'sending' as const, attempts: 1, revision: 1, failure: null, updatedAt: store.now() };
    expect(store.changeFaxJob(job.id, 0, sending)).to.equal(true);
    expect(store.changeFaxJob(job.id, 0, sending)).to.equal(false);
    const sent = { state: 'sent' as const, attempts: 1, revision: 2, failure: null, updatedAt: store.now() };
    const delivery = { faxExtensionId: to.id, from: job.fromNumber, pages: 1, document: new Uint8Array([1, 2, 3]) };
    expect(store.deliverFaxJobInternally(job.id, 1, sent, delivery)?.jobId).to.equal(job.id);
    expect(store.deliverFaxJobInternally(job.id, 1, sent, delivery)).to.equal(undefined);
    store.assignFaxExtension(alpha.id, to.id, [users.bob.id]);
    expect(store.listReceivedFaxes(users.bob.id)).to.have.length(0);
    store.linkFaxExtension(alpha.id, to.id, users.bob.id);
    expect(store.listReceivedFaxes(users.bob.id)).to.have.length(1);
    expect(store.getFaxJobRecord(job.id)?.state).to.equal('sent');
  });
});
