import { describe, it, expect } from '../../support/harness.js';
import { FaxClient, type FaxClientEventMap } from '../../../src/core/fax/client.js';
import { transitionFaxJob, type FaxJob, type ReceivedFax } from '../../../src/core/fax/job.js';
import type { FaxTransport } from '../../../src/core/fax/transport.js';
import { expectCentrexError, expectRejection } from './expect-error.js';
import { FakeFaxTransport } from './fake-transport.js';
import { formPdf, pdfText, plainPdf } from './fixtures.js';
import { inThreadSandbox } from './sandbox-fakes.js';

const ANNA = { id: 'fx-1', name: 'Vertrieb', number: '+49891234500', login: 'anna.fax', pin: '1234' };
const BOB = { id: 'fx-2', name: 'Einkauf', number: '+49891234501', login: 'bob.fax', pin: '9876' };
const at = (minute: number): Date => new Date(Date.UTC(2025, 2, 1, 10, minute));

function setup(linked = [ANNA]) {
  const transport = new FakeFaxTransport([ANNA, BOB]);
  for (const { pin: _pin, ...extension } of linked) transport.linked.push(extension);
  const sandbox = inThreadSandbox();
  const client = new FaxClient({
    transport,
    dialPlan: { country: 'DE' },
    sandbox,
    senderName: 'Anna Schmidt',
    locale: 'de',
    timeZone: 'Europe/Berlin',
    now: () => at(30),
  });
  const events: { type: keyof FaxClientEventMap; event: unknown }[] = [];
  for (const type of ['extensions', 'job', 'received', 'error'] as const) {
    client.on(type, (event) => events.push({ type, event }));
  }
  const dispose = (): void => {
    client.dispose();
    sandbox.dispose();
  };
  return { transport, client, events, dispose };
}

describe('FaxClient construction', () => {
  it('refuses a missing transport and a bad dial plan at once', () => {
    expectCentrexError(
      () => new FaxClient({ dialPlan: { country: 'DE' } } as unknown as ConstructorParameters<typeof FaxClient>[0]),
      'invalid-argument',
    );
    const transport = new FakeFaxTransport();
    expectCentrexError(
      () =>
        new FaxClient({ transport, dialPlan: { country: 'XX' } } as unknown as ConstructorParameters<
          typeof FaxClient
        >[0]),
      'invalid-dial-plan',
    );
    expectCentrexError(
      () => new FaxClient({ transport, dialPlan: { country: 'DE' }, limits: { maxPages: -1 } }),
      'invalid-argument',
    );
  });

  it('says when the transport cannot download', async () => {
    const transport = new FakeFaxTransport();
    const bare: FaxTransport = {
      listExtensions: () => transport.listExtensions(),
      linkExtension: (login, pin) => transport.linkExtension(login, pin),
      send: (request) => transport.send(request),
      jobs: () => transport.jobs(),
      onStatus: (listener) => transport.onStatus(listener),
    };
    const client = new FaxClient({ transport: bare, dialPlan: { country: 'DE' } });
    await expectRejection(client.download('x'), 'not-supported');
  });
});

describe('FaxClient extensions', () => {
  it('loads the linked extensions and selects the first', async () => {
    const { client, dispose } = setup([ANNA, BOB]);
    await client.start();
    expect(client.extensions.map((extension) => extension.id)).to.deep.equal(['fx-1', 'fx-2']);
    expect(client.selectedExtension?.id).to.equal('fx-1');
    client.selectExtension('fx-2');
    expect(client.selectedExtension?.name).to.equal('Einkauf');
    expectCentrexError(() => client.selectExtension('fx-9'), 'fax-no-extension');
    dispose();
  });

  it('links an extension with login and PIN, passing the server refusal through', async () => {
    const { client, transport, dispose } = setup([]);
    await client.start();
    expect(client.selectedExtension).to.equal(undefined);
    await expectRejection(client.linkExtension('anna.fax', '0000'), 'fax-login-failed');
    await expectRejection(client.linkExtension(' ', '1234'), 'invalid-argument');
    const linked = await client.linkExtension(' anna.fax ', '1234');
    expect(linked).to.deep.equal({ id: 'fx-1', name: 'Vertrieb', number: '+49891234500', login: 'anna.fax' });
    expect(client.selectedExtension?.id).to.equal('fx-1');
    transport.failNext = new TypeError('Failed to fetch');
    const wrapped = await expectRejection(client.linkExtension('bob.fax', '9876'), 'fax-request-failed');
    expect((wrapped.cause as Error).message).to.equal('Failed to fetch');
    dispose();
  });
});

describe('FaxClient.send', () => {
  it('needs a linked extension and a number the dial plan understands', async () => {
    const empty = setup([]);
    await empty.client.start();
    await expectRejection(empty.client.send({ to: '089 1234567', document: await plainPdf() }), 'fax-no-extension');
    empty.dispose();

    const { client, transport, dispose } = setup();
    await client.start();
    for (const [to, reason] of [
      ['', 'empty'],
      ['089-ABC', 'not-a-number'],
      ['7', 'unknown-format'],
    ] as const) {
      const error = await expectRejection(client.send({ to, document: await plainPdf() }), 'invalid-number', reason);
      expect(error.details?.['field']).to.equal('to');
    }
    expect(transport.sent).to.deep.equal([]);
    dispose();
  });

  it('normalizes the number, checks the PDF and returns the queued job', async () => {
    const { client, transport, events, dispose } = setup();
    await client.start();
    const document = await plainPdf(2);
    const job = await client.send({ to: '089 / 123 456-7', document });
    expect(job).to.include({ state: 'queued', to: '+49891234567', pages: 2, coverSheet: false, extensionId: 'fx-1' });
    expect(transport.sent).to.have.length(1);
    expect(transport.sent[0]!.document).to.equal(document);
    const internal = await client.send({ to: '33', document });
    expect(internal.to).to.equal('33');
    expect(events.filter((e) => e.type === 'job')).to.have.length(2);
    dispose();
  });

  it('puts the cover sheet with date and sender in front', async () => {
    const { client, transport, dispose } = setup();
    await client.start();
    const job = await client.send({
      to: '030 987654',
      document: await plainPdf(1, 'Vertrag'),
      coverSheet: { subject: 'Grüße aus München – Straße', message: 'Bitte unterschreiben.' },
    });
    expect(job).to.include({ pages: 2, coverSheet: true });
    const pages = await pdfText(transport.sent[0]!.document);
    expect(pages).to.have.length(2);
    expect(pages[0]).to.contain('Von Anna Schmidt Fax 089 1234500');
    expect(pages[0]).to.contain('An 030 987654');
    expect(pages[0]).to.contain('Datum 1. März 2025 um 11:30');
    expect(pages[0]).to.contain('Betreff Grüße aus München – Straße');
    expect(pages[1]).to.equal('Vertrag 1');
    dispose();
  });

  it('refuses a PDF with form fields before anything reaches the server', async () => {
    const { client, transport, dispose } = setup();
    await client.start();
    const error = await expectRejection(
      client.send({ to: '089 1234567', document: await formPdf() }),
      'pdf-has-form-fields',
    );
    expect(error.message).to.contain('print it to a new PDF');
    expect(transport.sent).to.deep.equal([]);
    dispose();
  });
});

describe('FaxClient status and history', () => {
  async function sentJob() {
    const context = setup();
    await context.client.start();
    const job = await context.client.send({ to: '089 1234567', document: await plainPdf() });
    context.events.length = 0;
    return { ...context, job };
  }

  it('follows a job through sending, a retry and delivery', async () => {
    const { client, transport, events, job, dispose } = await sentJob();
    let server: FaxJob = job;
    const step = (to: FaxJob['state'], minute: number, failure?: FaxJob['failure']): void => {
      server = transitionFaxJob(server, to, { at: at(minute), ...(failure ? { failure } : {}) });
      transport.push({ type: 'job', job: server });
    };
    step('sending', 1);
    step('queued', 2, { reason: 'busy' });
    step('sending', 3);
    step('sent', 4);
    const states = events.filter((e) => e.type === 'job').map((e) => (e.event as FaxClientEventMap['job']).job.state);
    expect(states).to.deep.equal(['sending', 'queued', 'sending', 'sent']);
    expect(client.job(job.id)).to.include({ state: 'sent', attempt: 2, revision: 4 });
    expect(events.filter((e) => e.type === 'error')).to.deep.equal([]);
    dispose();
  });

  it('drops stale and duplicate events, and takes a newer one that skipped ahead', async () => {
    const { client, transport, events, job, dispose } = await sentJob();
    const sending = transitionFaxJob(job, 'sending', { at: at(1) });
    const sent = transitionFaxJob(sending, 'sent', { at: at(2) });
    transport.push({ type: 'job', job: sent });
    transport.push({ type: 'job', job: sending }); // arrived late
    transport.push({ type: 'job', job: sent }); // duplicate
    expect(client.job(job.id)?.state).to.equal('sent');
    expect(events.filter((e) => e.type === 'job')).to.have.length(1);
    expect(events.filter((e) => e.type === 'error')).to.deep.equal([]);
    dispose();
  });

  it('reports an impossible transition from the server but shows the server state', async () => {
    const { client, transport, events, job, dispose } = await sentJob();
    transport.push({ type: 'job', job: { ...job, state: 'sent', revision: 1 } });
    const errors = events.filter((e) => e.type === 'error').map((e) => (e.event as FaxClientEventMap['error']).error);
    expect(errors.map((error) => error.code)).to.deep.equal(['invalid-transition']);
    expect(errors[0]!.details).to.include({ from: 'queued', to: 'sent' });
    expect(client.job(job.id)?.state).to.equal('sent');
    transport.push({ type: 'job', job: { nonsense: true } as unknown as FaxJob });
    expect(
      events.filter((e) => e.type === 'error').map((e) => (e.event as FaxClientEventMap['error']).error.code),
    ).to.deep.equal(['invalid-transition', 'unexpected-document']);
    dispose();
  });

  it('lists sent and received faxes newest first, and downloads them', async () => {
    const { client, transport, events, job, dispose } = await sentJob();
    const received: ReceivedFax = {
      id: 'in-1',
      direction: 'incoming',
      extensionId: 'fx-1',
      from: '+4930987654',
      pages: 1,
      receivedAt: '2025-03-01T12:00:00.000Z',
    };
    transport.push({ type: 'received', fax: received });
    transport.push({ type: 'received', fax: received });
    expect(events.filter((e) => e.type === 'received')).to.have.length(1);
    expect(client.history.map((entry) => entry.id)).to.deep.equal(['in-1', job.id]);
    expect((await client.download(job.id)).length).to.be.above(0);
    dispose();
  });

  it('loads the history on start, keeping newer versions it already has', async () => {
    const { client, transport, dispose } = setup();
    const document = await plainPdf();
    await client.start();
    const job = await client.send({ to: '089 1234567', document });
    const sending = transitionFaxJob(job, 'sending', { at: at(1) });
    transport.push({ type: 'job', job: sending });
    await client.refresh(); // the server's list still has the job at revision 0
    expect(client.job(job.id)?.state).to.equal('sending');
    dispose();
  });

  it('stops listening on dispose', async () => {
    const { client, transport, dispose } = setup();
    await client.start();
    expect(transport.listenerCount).to.equal(1);
    dispose();
    expect(transport.listenerCount).to.equal(0);
    expect(client.history).to.deep.equal([]);
  });
});
