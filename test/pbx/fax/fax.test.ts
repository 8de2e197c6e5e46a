// The PBX's fax service end to end, over HTTP against the PBX of `npm start` (demo tenant): admins provision fax
// extensions, users link them with login and PIN, documents are checked again on the server, jobs go out through the
// worker (internally to another fax extension, externally through the demo sink, with retries), status arrives as
// server-sent events, and nobody sees another user's faxes.
import { after, before } from 'node:test';
import { existsSync, readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import type { ApiEventStream, ApiStreamItem, HttpApi } from '../../../src/core/api/index.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { FaxClient, HttpFaxTransport, type FaxJob, type ReceivedFax } from '../../../src/core/fax/index.js';
import { createNodeFaxSandbox } from '../../../src/core/fax/node/index.js';
import { buildPdf, damagedPdf, formPdf, latin1, pdfText, plainPdf } from '../../core/fax/fixtures.js';
import {
  apiFor,
  call,
  eventually,
  FAX,
  link,
  login,
  qpdfEncrypt,
  sendJson,
  sendMultipart,
  startFaxPbx,
  waitForJob,
  type TestPbx,
} from './support.js';

let server: TestPbx;
let url = '';
const tokens = { anna: '', ben: '', clara: '', outsider: '' };
const ids = { anna: '', ben: '', clara: '' };
const faxIds = { anna: '', ben: '' };
const streams: ApiEventStream[] = [];
const apis: HttpApi[] = [];

before(async () => {
  server = await startFaxPbx();
  url = server.url;
  tokens.anna = await login(url, 'anna@demo.test');
  tokens.ben = await login(url, 'ben@demo.test');
  tokens.clara = await login(url, 'clara@demo.test');
  tokens.outsider = await login(url, 'extern100@outside.test');
  for (const who of ['anna', 'ben', 'clara'] as const) ids[who] = String((await call(url, tokens[who], 'GET', '/me')).json['id']);
  faxIds.anna = await link(url, tokens.anna, FAX.anna);
  faxIds.ben = await link(url, tokens.ben, FAX.ben);
});

after(async () => {
  for (const stream of streams) stream.close();
  await Promise.all(apis.map((api) => api.logout().catch(() => undefined)));
  await server.close();
});

/** Collects the SSE items of a user's event stream (read with the SDK's own client). */
async function collect(email: string): Promise<ApiStreamItem[]> {
  const api = await apiFor(url, email);
  apis.push(api);
  const items: ApiStreamItem[] = [];
  const stream = api.events();
  streams.push(stream);
  stream.subscribe((item) => items.push(item));
  await eventually(() => (items.some((item) => item.type === 'ready') ? true : undefined), 'the event stream to open');
  return items;
}

function jobEvents(items: readonly ApiStreamItem[], id: string): FaxJob[] {
  return items.flatMap((item) => (item.type === 'fax-job' && item.data.id === id ? [item.data] : []));
}

describe('fax: provisioning and linking', () => {
  it('lists the demo fax extensions for the admin, never their PINs, and only for admins', async () => {
    const list = await call(url, tokens.anna, 'GET', '/admin/fax-extensions');
    expect(list.status).to.equal(200);
    const extensions = list.json['faxExtensions'] as Record<string, unknown>[];
    expect(extensions.map((fax) => `${String(fax['login'])} ${String(fax['extension'])}`)).to.deep.equal(['fax-anna 20', 'fax-ben 21']);
    expect(extensions[0]).to.include({ number: '+4989123456720', name: 'Fax Anna' });
    expect(extensions[0]?.['userIds']).to.deep.equal([ids.anna]);
    expect(extensions[0]?.['linkedUserIds']).to.deep.equal([ids.anna]);
    expect(JSON.stringify(list.json)).not.to.match(/pin|2468|scrypt/i);
    expect((await call(url, tokens.ben, 'GET', '/admin/fax-extensions')).status).to.equal(403);
  });

  it('provisions a fax extension for Clara, who links it with login and PIN', async () => {
    const made = await call(url, tokens.anna, 'POST', '/admin/fax-extensions', {
      name: 'Fax Clara',
      login: 'Fax-Clara',
      pin: '97531',
      extension: '22',
      userIds: [ids.clara],
    });
    expect(made.status).to.equal(201);
    expect(made.json).to.include({ login: 'Fax-Clara', extension: '22', number: '+4989123456722' });
    const duplicate = await call(url, tokens.anna, 'POST', '/admin/fax-extensions', { name: 'X', login: 'fax-clara', pin: '1111', extension: '23' });
    expect(duplicate.status).to.equal(409);
    expect(duplicate.json).to.include({ code: 'conflict', field: 'login' });
    const taken = await call(url, tokens.anna, 'POST', '/admin/fax-extensions', { name: 'X', login: 'fax-x', pin: '1111', extension: '11' });
    expect(taken.json).to.include({ code: 'conflict', field: 'extension' });
    const badPin = await call(url, tokens.anna, 'POST', '/admin/fax-extensions', { name: 'X', login: 'fax-x', pin: '12ab', extension: '23' });
    expect(badPin.json).to.include({ code: 'validation-failed', field: 'pin' });

    // The login is compared without case; the PIN must match.
    const linked = await call(url, tokens.clara, 'POST', '/fax/extensions', { login: 'FAX-CLARA', pin: '97531' });
    expect(linked.status).to.equal(200);
    expect(linked.json).to.deep.equal({ id: made.json['id'], name: 'Fax Clara', number: '+4989123456722', login: 'Fax-Clara' });
    const mine = await call(url, tokens.clara, 'GET', '/fax/extensions');
    expect((mine.json['extensions'] as unknown[]).length).to.equal(1);
  });

  it('answers a wrong PIN and an unknown login alike with 403 fax-login-failed', async () => {
    const wrongPin = await call(url, tokens.clara, 'POST', '/fax/extensions', { login: 'fax-clara', pin: '00000' });
    expect(wrongPin.status).to.equal(403);
    expect(wrongPin.json['code']).to.equal('fax-login-failed');
    const unknown = await call(url, tokens.clara, 'POST', '/fax/extensions', { login: 'fax-nobody', pin: '97531' });
    expect(unknown.status).to.equal(403);
    expect(unknown.json['message']).to.equal(wrongPin.json['message']);
  });

  it('refuses a fax extension that is not assigned to the user, even with the right PIN', async () => {
    const answer = await call(url, tokens.clara, 'POST', '/fax/extensions', { login: FAX.ben.login, pin: FAX.ben.pin });
    expect(answer.status).to.equal(403);
    expect(answer.json['code']).to.equal('forbidden');
  });

  it('takes the link away when the admin unassigns the user, and a new PIN replaces the old one', async () => {
    const list = (await call(url, tokens.anna, 'GET', '/admin/fax-extensions')).json['faxExtensions'] as Record<string, unknown>[];
    const clara = list.find((fax) => fax['login'] === 'Fax-Clara')!;
    const changed = await call(url, tokens.anna, 'PATCH', `/admin/fax-extensions/${String(clara['id'])}`, { pin: '24680', userIds: [] });
    expect(changed.status).to.equal(200);
    expect(changed.json['userIds']).to.deep.equal([]);
    expect(((await call(url, tokens.clara, 'GET', '/fax/extensions')).json['extensions'] as unknown[]).length).to.equal(0);
    await call(url, tokens.anna, 'PATCH', `/admin/fax-extensions/${String(clara['id'])}`, { userIds: [ids.clara] });
    expect((await call(url, tokens.clara, 'POST', '/fax/extensions', { login: 'fax-clara', pin: '24680' })).status).to.equal(200);
    expect((await call(url, tokens.anna, 'DELETE', `/admin/fax-extensions/${String(clara['id'])}`)).status).to.equal(204);
    expect(((await call(url, tokens.clara, 'GET', '/fax/extensions')).json['extensions'] as unknown[]).length).to.equal(0);
  });
});

describe('fax: cover-sheet templates', () => {
  let templateId = '';

  it('creates, lists, changes and deletes a user’s cover sheets', async () => {
    const made = await call(url, tokens.anna, 'POST', '/fax/cover-sheets', { name: 'Angebot', subject: 'Ihr Angebot', message: 'Sehr geehrte Damen und Herren,\nanbei unser Angebot.' });
    expect(made.status).to.equal(201);
    templateId = String(made.json['id']);
    expect(made.json).to.deep.equal({ id: templateId, name: 'Angebot', subject: 'Ihr Angebot', message: 'Sehr geehrte Damen und Herren,\nanbei unser Angebot.' });
    const other = await call(url, tokens.anna, 'POST', '/fax/cover-sheets', { name: 'Rechnung' });
    expect(other.json).to.include({ subject: '', message: '' });
    const changed = await call(url, tokens.anna, 'PUT', `/fax/cover-sheets/${String(other.json['id'])}`, { name: 'Rechnung', subject: 'Rechnung 42' });
    expect(changed.json['subject']).to.equal('Rechnung 42');
    const list = (await call(url, tokens.anna, 'GET', '/fax/cover-sheets')).json['coverSheets'] as Record<string, unknown>[];
    expect(list.map((sheet) => sheet['name'])).to.deep.equal(['Angebot', 'Rechnung']);
    expect((await call(url, tokens.anna, 'DELETE', `/fax/cover-sheets/${String(other.json['id'])}`)).status).to.equal(204);
    expect(((await call(url, tokens.anna, 'GET', '/fax/cover-sheets')).json['coverSheets'] as unknown[]).length).to.equal(1);
  });

  it('refuses duplicate names (ignoring case) and sheets too long for one page', async () => {
    const duplicate = await call(url, tokens.anna, 'POST', '/fax/cover-sheets', { name: 'ANGEBOT' });
    expect(duplicate.status).to.equal(409);
    expect(duplicate.json).to.include({ code: 'conflict', field: 'name' });
    const long = await call(url, tokens.anna, 'POST', '/fax/cover-sheets', { name: 'Lang', subject: 'x'.repeat(121) });
    expect(long.json).to.include({ code: 'validation-failed', field: 'subject' });
    const unknownField = await call(url, tokens.anna, 'POST', '/fax/cover-sheets', { name: 'X', colour: 'red' });
    expect(unknownField.json).to.include({ code: 'validation-failed', field: 'colour' });
  });

  it('keeps cover sheets private: another user gets 404', async () => {
    expect(((await call(url, tokens.ben, 'GET', '/fax/cover-sheets')).json['coverSheets'] as unknown[]).length).to.equal(0);
    expect((await call(url, tokens.ben, 'PUT', `/fax/cover-sheets/${templateId}`, { name: 'Meins' })).status).to.equal(404);
    expect((await call(url, tokens.ben, 'DELETE', `/fax/cover-sheets/${templateId}`)).status).to.equal(404);
    const sent = await sendJson(url, tokens.ben, { extensionId: faxIds.ben, to: '20', document: await plainPdf(), coverSheetId: templateId });
    expect(sent.status).to.equal(404);
    expect(sent.json['field']).to.equal('coverSheetId');
  });
});

describe('fax: the server checks every document again', () => {
  it('refuses an encrypted PDF with pdf-encrypted', async () => {
    const encrypted = qpdfEncrypt(await plainPdf(), 'geheim', 'owner-secret');
    const answer = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '21', document: encrypted });
    expect(answer.status).to.equal(422);
    expect(answer.json).to.include({ code: 'pdf-encrypted', field: 'document' });
    expect((answer.json['issues'] as Record<string, unknown>[])[0]?.['reason']).to.equal('password');
  });

  it('refuses a PDF whose permissions forbid page extraction with pdf-extraction-forbidden (multipart)', async () => {
    const locked = qpdfEncrypt(await plainPdf(), '', 'owner-secret', ['--extract=n']);
    const answer = await sendMultipart(url, tokens.anna, { extensionId: faxIds.anna, to: '21' }, locked);
    expect(answer.status).to.equal(422);
    expect(answer.json['code']).to.equal('pdf-extraction-forbidden');
  });

  it('refuses a PDF with editable form fields with pdf-has-form-fields', async () => {
    const answer = await sendMultipart(url, tokens.anna, { extensionId: faxIds.anna, to: '21' }, await formPdf());
    expect(answer.status).to.equal(422);
    expect(answer.json['code']).to.equal('pdf-has-form-fields');
    expect(String(answer.json['message'])).to.match(/print it to a new PDF/);
  });

  it('refuses a damaged PDF and a file that is no PDF at all with pdf-invalid', async () => {
    const damaged = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '21', document: await damagedPdf() });
    expect(damaged.status).to.equal(422);
    expect(damaged.json['code']).to.equal('pdf-invalid');
    // The parser's own words stay in the server.
    expect(JSON.stringify(damaged.json['issues'])).not.to.include('detail');
    const text = await sendMultipart(url, tokens.anna, { extensionId: faxIds.anna, to: '21' }, latin1('Dies ist kein PDF.'));
    expect(text.json['code']).to.equal('pdf-invalid');
  });

  it('refuses too many pages with pdf-too-large, and an upload beyond the limit with 413 at once', async () => {
    const long = await sendMultipart(url, tokens.anna, { extensionId: faxIds.anna, to: '21' }, await plainPdf(51));
    expect(long.status).to.equal(422);
    expect(long.json['code']).to.equal('pdf-too-large');
    expect((long.json['issues'] as Record<string, unknown>[])[0]).to.include({ reason: 'too-many-pages', limit: 50 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        `${url}/api/v1/fax/jobs`,
        { method: 'POST', headers: { authorization: `Bearer ${tokens.anna}`, 'content-type': 'application/json', 'content-length': String(200 * 1024 * 1024) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"document":"');
    });
    expect(status).to.equal(413);
  });

  it('stored none of the refused documents', async () => {
    expect(((await call(url, tokens.anna, 'GET', '/fax/jobs')).json['jobs'] as unknown[]).length).to.equal(0);
  });

  it('refuses bad requests before looking at the document', async () => {
    const pdf = await plainPdf();
    const notFax = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '12', document: pdf });
    expect(notFax.json).to.include({ code: 'validation-failed', field: 'to' });
    const premium = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '0900 1234567', document: pdf });
    expect(premium.status).to.equal(403);
    expect(premium.json).to.include({ code: 'destination-not-allowed', field: 'to' });
    const notMine = await sendJson(url, tokens.anna, { extensionId: faxIds.ben, to: '21', document: pdf });
    expect(notMine.status).to.equal(404);
    const base64 = await call(url, tokens.anna, 'POST', '/fax/jobs', { extensionId: faxIds.anna, to: '21', document: 'kein base64!' });
    expect(base64.json).to.include({ code: 'validation-failed', field: 'document' });
    const twoCovers = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '21', document: pdf, coverIncluded: true, coverSheet: { subject: 'a' } });
    expect(twoCovers.json).to.include({ code: 'validation-failed', field: 'coverSheet' });
    const form = await fetch(`${url}/api/v1/fax/jobs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.anna}`, 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(form.status).to.equal(415);
  });

  it('answers hostile bodies with a 4xx, never a 5xx', async () => {
    const hostile: [string, string][] = [
      ['application/json', '{}'],
      ['application/json', '[]'],
      ['application/json', 'null'],
      ['application/json', '{"extensionId":1,"to":[],"document":{}}'],
      ['application/json', JSON.stringify({ extensionId: 'x', to: '21', document: 'JVBERi0=', coverSheet: 'yes' })],
      ['application/json', '{"a":' + '['.repeat(3000) + ']'.repeat(3000) + '}'],
      ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="to"\r\n\r\n21\r\n--zz--'],
      ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="document"; filename="a.pdf"\r\n\r\n%PDF-1.7 broken'],
      ['multipart/form-data; boundary=zz', '--zz\r\nContent-Disposition: form-data; name="evil"\r\n\r\nx\r\n--zz--'],
      ['multipart/form-data', '--zz--'],
    ];
    for (const [type, body] of hostile) {
      const answer = await fetch(`${url}/api/v1/fax/jobs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.anna}`, 'content-type': type },
        body,
      });
      expect(answer.status, `${type} ${body.slice(0, 40)}`).to.be.within(400, 499);
      expect(((await answer.json()) as { code: string }).code).to.be.a('string');
    }
  });
});

describe('fax: delivery', () => {
  let benItems: ApiStreamItem[] = [];
  let annaItems: ApiStreamItem[] = [];
  let received: ReceivedFax | undefined;
  let internalJob = '';

  before(async () => {
    [benItems, annaItems] = await Promise.all([collect('ben@demo.test'), collect('anna@demo.test')]);
  });

  it('answers 202 queued at once and delivers to Ben’s fax extension, cover page first', async () => {
    const answer = await sendMultipart(
      url,
      tokens.anna,
      { extensionId: faxIds.anna, to: '21', coverSubject: 'Angebot Nr. 4711', coverMessage: 'Grüße aus München – Straße' },
      await plainPdf(1, 'Seite'),
    );
    expect(answer.status).to.equal(202);
    expect(answer.json).to.include({ state: 'queued', direction: 'outgoing', to: '21', attempt: 0, revision: 0, pages: 2, coverSheet: true });
    internalJob = String(answer.json['id']);
    const job = await waitForJob(url, tokens.anna, internalJob, (j) => j.state === 'sent');
    expect(job.attempt).to.equal(1);

    const list = (await call(url, tokens.ben, 'GET', '/fax/received')).json['faxes'] as ReceivedFax[];
    expect(list).to.have.length(1);
    received = list[0]!;
    expect(received).to.include({ direction: 'incoming', extensionId: faxIds.ben, from: '+4989123456720', pages: 2 });
    const pushed = await eventually(
      () => benItems.find((item) => item.type === 'fax-received'),
      'Ben’s fax-received event',
    );
    expect(pushed.type === 'fax-received' && pushed.data.id).to.equal(received.id);
  });

  it('lets Ben download it as a PDF attachment whose first page carries the cover text, date and sender', async () => {
    const answer = await call(url, tokens.ben, 'GET', `/fax/received/${received!.id}/document`);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('content-type')).to.equal('application/pdf');
    expect(answer.headers.get('content-disposition')).to.match(/^attachment; filename="fax-[\w-]+\.pdf"$/);
    expect(answer.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(answer.headers.get('content-security-policy')).to.include("default-src 'none'").and.include('sandbox');
    expect(answer.headers.get('cache-control')).to.equal('no-store');
    const pages = await pdfText(answer.bytes);
    expect(pages).to.have.length(2);
    expect(pages[0]).to.include('Angebot Nr. 4711').and.include('Grüße aus München – Straße').and.include('Anna Admin');
    expect(pages[0]).to.include('Von').and.include('+49 89 123456720').and.include(String(new Date().getFullYear()));
    expect(pages[1]).to.include('Seite 1');
    const sent = await call(url, tokens.anna, 'GET', `/fax/jobs/${internalJob}/document`);
    expect((await pdfText(sent.bytes))[0]).to.include('Angebot Nr. 4711');
  });

  it('treats the company’s own number followed by a fax extension as internal, and takes JSON bodies over 64 KiB', async () => {
    // A content stream with a long comment: a valid one-page PDF of about 200 KB, 270 KB in base64.
    const big = buildPdf([{ dict: '', data: latin1(`% ${'x'.repeat(200_000)}\n`) }]);
    const answer = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '089 1234567 21', document: big });
    expect(answer.status).to.equal(202);
    expect(answer.json['to']).to.equal('21');
    await waitForJob(url, tokens.anna, String(answer.json['id']), (job) => job.state === 'sent');
  });

  it('sends to an external number through the sink, with a saved cover sheet', async () => {
    const template = ((await call(url, tokens.anna, 'GET', '/fax/cover-sheets')).json['coverSheets'] as { id: string }[])[0]!;
    const answer = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '089 99998 100', document: await plainPdf(), coverSheetId: template.id });
    expect(answer.json).to.include({ state: 'queued', to: '+498999998100', pages: 2 });
    const id = String(answer.json['id']);
    const job = await waitForJob(url, tokens.anna, id, (j) => j.state === 'sent');
    expect(job.attempt).to.equal(1);
    const file = join(server.sinkDir, `${id}.pdf`);
    expect(existsSync(file)).to.equal(true);
    expect((await pdfText(new Uint8Array(readFileSync(file))))[0]).to.include('Ihr Angebot').and.include('anbei unser Angebot.');
  });

  it('retries a busy number and reports every step as a fax-job event', async () => {
    const answer = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '089 99998 107', document: await plainPdf() });
    const id = String(answer.json['id']);
    const job = await waitForJob(url, tokens.anna, id, (j) => j.state === 'sent');
    expect(job.attempt).to.equal(2);
    const events = await eventually(() => {
      const seen = jobEvents(annaItems, id);
      return seen.some((event) => event.state === 'sent') ? seen : undefined;
    }, 'the events of the retried job');
    expect(events.map((event) => `${event.revision} ${event.state} ${event.attempt}`)).to.deep.equal([
      '0 queued 0',
      '1 sending 1',
      '2 queued 1',
      '3 sending 2',
      '4 sent 2',
    ]);
    expect(events[2]?.failure?.reason).to.equal('busy');
    expect(events[4]?.failure).to.equal(undefined);
  });

  it('fails a refused number at once, with the reason, and a number that stays busy after the last attempt', async () => {
    const refused = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '089 99998 113', document: await plainPdf() });
    const refusedId = String(refused.json['id']);
    const failed = await waitForJob(url, tokens.anna, refusedId, (j) => j.state === 'failed');
    expect(failed.attempt).to.equal(1);
    expect(failed.failure?.reason).to.equal('rejected');
    expect(failed.failure?.message).to.be.a('string');
    expect(existsSync(join(server.sinkDir, `${refusedId}.pdf`))).to.equal(false);

    const busy = await sendJson(url, tokens.anna, { extensionId: faxIds.anna, to: '089 99998 166', document: await plainPdf() });
    const gaveUp = await waitForJob(url, tokens.anna, String(busy.json['id']), (j) => j.state === 'failed');
    expect(gaveUp).to.include({ attempt: 3, maxAttempts: 3 });
    expect(gaveUp.failure?.reason).to.equal('busy');
    const pushed = await eventually(
      () => jobEvents(annaItems, refusedId).find((event) => event.state === 'failed'),
      'the failed event',
    );
    expect(pushed.failure?.reason).to.equal('rejected');
  });

  it('lists the user’s jobs newest first with their states', async () => {
    const jobs = (await call(url, tokens.anna, 'GET', '/fax/jobs')).json['jobs'] as FaxJob[];
    expect(jobs.map((job) => job.state)).to.deep.equal(['failed', 'failed', 'sent', 'sent', 'sent', 'sent']);
    expect(jobs.at(-1)?.id).to.equal(internalJob);
  });

  it('keeps faxes private: other users and other tenants get 404', async () => {
    const annaJob = internalJob;
    const benReceived = received!.id;
    for (const token of [tokens.ben, tokens.clara, tokens.outsider]) {
      expect((await call(url, token, 'GET', `/fax/jobs/${annaJob}`)).status).to.equal(404);
      expect((await call(url, token, 'GET', `/fax/jobs/${annaJob}/document`)).status).to.equal(404);
      expect(((await call(url, token, 'GET', '/fax/jobs')).json['jobs'] as unknown[]).length).to.equal(0);
    }
    for (const token of [tokens.anna, tokens.clara, tokens.outsider]) {
      const answer = await call(url, token, 'GET', `/fax/received/${benReceived}/document`);
      expect(answer.status).to.equal(404);
      expect(answer.json['code']).to.equal('not-found');
    }
    // The link is what gives access: unlinked, Ben no longer sees his extension's faxes; linked again, he does.
    expect((await call(url, tokens.ben, 'DELETE', `/fax/extensions/${faxIds.ben}`)).status).to.equal(204);
    expect(((await call(url, tokens.ben, 'GET', '/fax/received')).json['faxes'] as unknown[]).length).to.equal(0);
    expect((await call(url, tokens.ben, 'GET', `/fax/received/${benReceived}/document`)).status).to.equal(404);
    await link(url, tokens.ben, FAX.ben);
    expect((await call(url, tokens.ben, 'GET', `/fax/received/${benReceived}/document`)).status).to.equal(200);
  });
});

describe('fax: the SDK’s FaxClient over HttpFaxTransport', () => {
  const sandbox = createNodeFaxSandbox();
  const clients: FaxClient[] = [];
  after(() => {
    for (const client of clients) client.dispose();
    sandbox.dispose();
  });

  async function clientFor(email: string, senderName: string): Promise<{ client: FaxClient; transport: HttpFaxTransport }> {
    const api = await apiFor(url, email);
    apis.push(api);
    // A stream the app already has open, shared with the transport (and open before anything is sent).
    const events = api.events();
    streams.push(events);
    const ready = new Promise<void>((resolve) => events.subscribe((item) => item.type === 'ready' && resolve()));
    await ready;
    const transport = new HttpFaxTransport({ api, events });
    const client = new FaxClient({ transport, dialPlan: { country: 'DE', extensionDigits: [2, 4] }, sandbox, senderName, locale: 'de', timeZone: 'Europe/Berlin' });
    clients.push(client);
    await client.start();
    return { client, transport };
  }

  it('sends with a cover sheet rendered by the client; the job follows the events to sent and arrives at Ben', async () => {
    const anna = await clientFor('anna@demo.test', 'Anna Admin');
    const ben = await clientFor('ben@demo.test', 'Ben Berger');
    expect(anna.client.extensions.map((extension) => extension.login)).to.deep.equal(['fax-anna']);
    expect(anna.client.history.length).to.be.greaterThan(0);
    const arrived = new Promise<ReceivedFax>((resolve) => ben.client.on('received', ({ fax }) => resolve(fax)));
    const job = await anna.client.send({ to: '21', document: await plainPdf(), coverSheet: { subject: 'Per SDK gesendet', message: 'Hallo Ben' } });
    expect(job.state).to.equal('queued');
    expect(job.coverSheet).to.equal(true);
    await eventually(() => (anna.client.job(job.id)?.state === 'sent' ? true : undefined), 'the job to be sent');
    const fax = await arrived;
    const pages = await pdfText(await ben.client.download(fax.id));
    expect(pages[0]).to.include('Per SDK gesendet').and.include('Hallo Ben');
    const own = await pdfText(await anna.client.download(job.id));
    expect(own).to.have.length(2);
  });

  it('passes the server’s refusals on with the core’s codes', async () => {
    const anna = await clientFor('anna@demo.test', 'Anna Admin');
    let caught: unknown;
    try {
      await anna.transport.send({ extensionId: faxIds.anna, to: '21', document: await formPdf(), pages: 1, coverSheet: false });
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'pdf-has-form-fields'), String(caught)).to.equal(true);
    try {
      await anna.client.linkExtension(FAX.anna.login, '0000');
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'fax-login-failed'), String(caught)).to.equal(true);
  });
});

describe('fax: PIN lockout', () => {
  it('locks an address out after repeated wrong PINs, even for the right PIN, with Retry-After', async () => {
    let answer = await call(url, tokens.clara, 'POST', '/fax/extensions', { login: FAX.anna.login, pin: '0000' });
    let failures = 0;
    while (answer.status === 403 && failures < 20) {
      expect(answer.json['code']).to.equal('fax-login-failed');
      failures += 1;
      answer = await call(url, tokens.clara, 'POST', '/fax/extensions', { login: FAX.anna.login, pin: '0000' });
    }
    expect(answer.status).to.equal(429);
    expect(answer.json['code']).to.equal('rate-limited');
    expect(Number(answer.headers.get('retry-after'))).to.be.greaterThan(0);
    const right = await call(url, tokens.ben, 'POST', '/fax/extensions', { login: FAX.ben.login, pin: FAX.ben.pin });
    expect(right.status).to.equal(429);
  });

  it('tells the SDK the link is locked (fax-login-locked with the seconds to wait)', async () => {
    const api = await apiFor(url, 'ben@demo.test');
    apis.push(api);
    let caught: unknown;
    try {
      await new HttpFaxTransport({ api }).linkExtension(FAX.ben.login, FAX.ben.pin);
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'fax-login-locked'), String(caught)).to.equal(true);
    expect((caught as { details?: Record<string, unknown> }).details?.['retryAfter']).to.be.a('number');
  });
});
