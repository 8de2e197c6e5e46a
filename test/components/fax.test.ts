import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/fax/centrex-fax.js';
import type { CentrexFax, FaxDownloadDetail, FaxWorkers } from '../../src/components/fax/fax.js';
import { jobStateText, linkErrorText } from '../../src/components/fax/fax-text.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import { CentrexError } from '../../src/core/errors.js';
import { HttpFaxTransport } from '../../src/core/fax/http-transport.js';
import { createFaxJob, transitionFaxJob } from '../../src/core/fax/job.js';
import { formPdf, pdfText, plainPdf } from '../core/fax/fixtures.js';
import { signOutAll, signedInClient, textOf, until } from './support/pbx.js';

// The test server compiles TypeScript on request but does not map a worker's .js URL to its .ts source (a bundler
// or the npm build would): the element is told where the sources are.
const workers: FaxWorkers = {
  check: () => new Worker(new URL('../../src/core/fax/fax-document.worker.ts', import.meta.url), { type: 'module' }),
  preview: () => new Worker(new URL('../../src/components/fax/pdf-preview.worker.ts', import.meta.url), { type: 'module' }),
};

// The demo tenant's fax extensions (src/pbx/demo.ts): assigned, not linked.
const FAX = {
  anna: { login: 'fax-anna', pin: '2468', extension: '20', name: 'Fax Anna' },
  ben: { login: 'fax-ben', pin: '1357', extension: '21', name: 'Fax Ben' },
} as const;

/**
 * Tests that check, draw and deliver real PDFs may take longer than mocha's default: the first check of a run loads
 * pdf.js and pdf-lib into a fresh worker, in the page and in the PBX, which takes long on a busy machine.
 */
type Slow = { timeout(ms: number): void };

// Names on the shared test PBX must not collide with other runs or files.
const run = Math.random().toString(36).slice(2, 8);

// Every test puts back what it changed on the shared PBX (links, cover sheets), newest change first.
const undo: (() => Promise<unknown>)[] = [];

/** Unlinks the user's fax extensions when the test ends (whoever linked them: the element or the test). */
function unlinkAtEnd(client: CentrexClient): void {
  undo.push(async () => {
    for (const extension of await client.api.listFaxExtensions()) await client.api.unlinkFaxExtension(extension.id);
  });
}

/** Deletes the user's cover sheets whose names contain this run's mark when the test ends. */
function deleteCoversAtEnd(client: CentrexClient): void {
  undo.push(async () => {
    for (const sheet of await client.api.listFaxCoverSheets()) {
      if (sheet.name.includes(run)) await client.api.deleteFaxCoverSheet(sheet.id);
    }
  });
}

/** A signed-in user with their demo fax extension linked through the API, as another app would. */
async function withFax(user: 'anna' | 'ben'): Promise<CentrexClient> {
  const client = await signedInClient(user);
  unlinkAtEnd(client);
  await new HttpFaxTransport({ api: client.api }).linkExtension(FAX[user].login, FAX[user].pin);
  return client;
}

async function faxFor(client: CentrexClient): Promise<CentrexFax> {
  return fixture<CentrexFax>(html`<centrex-fax .client=${client} .workers=${workers}></centrex-fax>`);
}

/** Waits until the element can send (its linked extension is shown). */
async function ready(el: CentrexFax): Promise<void> {
  await until(() => el.shadowRoot!.querySelector('#to') !== null, 'the fax form is shown');
}

function $<T extends Element = HTMLElement>(el: CentrexFax, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
}

const text = (el: CentrexFax, selector: string): string => textOf(el.shadowRoot!.querySelector(selector));

function type(input: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

function pdfFile(bytes: Uint8Array, name: string): File {
  return new File([bytes.slice()], name, { type: 'application/pdf' });
}

/** Drops a file on the drop zone as a browser does after a drag from the desktop. */
function drop(el: CentrexFax, file: File): void {
  const zone = $(el, '[part="drop-zone"]');
  const data = new DataTransfer();
  data.items.add(file);
  for (const kind of ['dragenter', 'dragover', 'drop']) {
    zone.dispatchEvent(new DragEvent(kind, { dataTransfer: data, bubbles: true, composed: true, cancelable: true }));
  }
}

/** Whether a canvas shows anything but white: pdf.js really drew the page. */
function hasInk(canvas: HTMLCanvasElement): boolean {
  const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i]! < 128 && pixels[i + 3]! > 0) return true;
  return false;
}

const sentEntry = (el: CentrexFax, id: string): HTMLElement | null =>
  el.shadowRoot!.querySelector<HTMLElement>(`[part~="entry"][data-direction="outgoing"][data-id="${id}"]`);

// The page loads hundreds of modules: keep every resource entry, so the library check below sees them all.
performance.setResourceTimingBufferSize(100_000);

/** pdf-lib and pdf.js files this page has fetched so far. */
const pdfLibraries = (): string[] =>
  performance
    .getEntriesByType('resource')
    .map((entry) => entry.name)
    .filter((name) => /pdf-lib|pdfjs-dist/.test(name));

const receivedIds = (el: CentrexFax): string[] =>
  [...el.shadowRoot!.querySelectorAll<HTMLElement>('[part~="entry"][data-direction="incoming"]')].map((entry) => entry.dataset['id']!);

describe('<centrex-fax>', () => {
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step().catch(() => undefined);
    await signOutAll();
    await setLanguage('en');
  });

  it('links a fax extension: a wrong PIN gets a clear error, the right one shows the extension', async () => {
    const anna = await signedInClient('anna');
    unlinkAtEnd(anna);
    expect(await anna.api.listFaxExtensions()).to.deep.equal([]);
    const el = await faxFor(anna);
    await until(() => text(el, '[part="extensions"]').includes('No fax extension yet'), 'the element says there is no fax yet');
    expect(el.shadowRoot!.querySelector('#to')).to.equal(null);

    $(el, '[part="add-extension"]').click();
    await until(() => el.shadowRoot!.activeElement?.id === 'fax-login', 'the login field has the focus');
    expect($(el, '[part="add-extension"]').getAttribute('aria-expanded')).to.equal('true');
    await sendKeys({ type: FAX.anna.login });
    $<HTMLInputElement>(el, '#fax-pin').focus();
    await sendKeys({ type: '0000' });
    await sendKeys({ press: 'Enter' });
    await until(() => text(el, '#link-error') !== '', 'an error under the form');
    expect(text(el, '#link-error')).to.equal('The fax login or the PIN is wrong. Check both: your administrator gave them to you.');
    expect($(el, '#link-error').getAttribute('role')).to.equal('alert');
    expect($(el, '#fax-pin').getAttribute('aria-invalid')).to.equal('true');
    expect($<HTMLInputElement>(el, '#fax-login').value).to.equal(FAX.anna.login);
    expect(await anna.api.listFaxExtensions()).to.deep.equal([]);

    // The PIN field was emptied and has the focus again: type the right one.
    expect(el.shadowRoot!.activeElement?.id).to.equal('fax-pin');
    const linked = oneEvent(el, 'centrex-fax-linked');
    await sendKeys({ type: FAX.anna.pin });
    await sendKeys({ press: 'Enter' });
    expect((await linked).detail.extension.name).to.equal(FAX.anna.name);
    await ready(el);
    expect(text(el, '[part="extension-name"]')).to.equal('Fax Anna (089 123456720)');
    expect(el.shadowRoot!.querySelector('[part="link-form"]')).to.equal(null);
    expect((await anna.api.listFaxExtensions()).map((extension) => extension.login)).to.deep.equal([FAX.anna.login]);
    // The first test of the file: nothing has checked or drawn a PDF yet, so neither library was loaded.
    expect(pdfLibraries()).to.deep.equal([]);
  });

  it('lets the user choose between several fax extensions', async () => {
    const anna = await withFax('anna');
    // A second fax extension, provisioned by Anna as the admin and linked by her as a user.
    const login = `fax-test-${run}`;
    let made: { id: string; extension: string } | undefined;
    for (let attempt = 0; made === undefined && attempt < 5; attempt++) {
      const extension = String(800 + Math.floor(Math.random() * 100));
      made = (await anna.api
        .request('POST', '/admin/fax-extensions', { body: { name: `Fax Test ${run}`, login, pin: '97531', extension, userIds: [anna.me!.id] } })
        .catch(() => undefined)) as { id: string; extension: string } | undefined;
    }
    expect(made, 'a free extension for the second fax').to.not.equal(undefined);
    undo.push(() => anna.api.request('DELETE', `/admin/fax-extensions/${made!.id}`));
    await anna.api.linkFaxExtension(login, '97531');

    const el = await faxFor(anna);
    await until(() => el.shadowRoot!.querySelector('#extension') !== null, 'a drop-down of the fax extensions');
    const select = $<HTMLSelectElement>(el, '#extension');
    expect([...select.options].map((option) => option.textContent)).to.have.members([
      'Fax Anna (089 123456720)',
      `Fax Test ${run} (089 1234567${made!.extension})`,
    ]);
    const other = [...select.options].find((option) => !option.selected)!;
    select.value = other.value;
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.faxClient?.selectedExtension?.id).to.equal(other.value);
    expect(select.selectedOptions[0]!.value).to.equal(other.value);
  });

  it('words a retry in the history (English and German)', async () => {
    // The demo line's busy numbers retry only after a minute: the words are checked on the job as the PBX sends it.
    const at = new Date();
    const queued = createFaxJob({ id: 'j1', extensionId: 'x', to: '+498999998166', pages: 1, coverSheet: false, at });
    const busy = transitionFaxJob(transitionFaxJob(queued, 'sending', { at }), 'queued', { at, failure: { reason: 'busy' } });
    const again = transitionFaxJob(busy, 'sending', { at });
    expect(jobStateText(queued)).to.equal('In the queue');
    expect(jobStateText(busy)).to.equal('Will try again: the line was busy (attempt 1 of 3)');
    expect(jobStateText(again)).to.equal('Sending (attempt 2 of 3)');
    await setLanguage('de');
    expect(jobStateText(busy)).to.equal('Neuer Versuch folgt: die Leitung war besetzt (Versuch 1 von 3)');
    expect(jobStateText(again)).to.equal('Wird gesendet (Versuch 2 von 3)');
  });

  it('says how long adding a fax is locked after too many wrong PINs (English and German)', async () => {
    // Not provoked on the shared PBX: ten wrong PINs would lock this address for everyone's PIN checks.
    const locked = new CentrexError('fax-login-locked', 'locked', { details: { retryAfter: 240 } });
    expect(linkErrorText(locked)).to.equal(
      'Too many wrong PINs: adding a fax is locked for 4 minutes. Check the login and PIN with your administrator.',
    );
    expect(linkErrorText(new CentrexError('fax-login-locked', 'locked', { details: { retryAfter: 30 } }))).to.contain('for 30 seconds');
    await setLanguage('de');
    expect(linkErrorText(locked)).to.equal(
      'Zu viele falsche PINs: „Fax hinzufügen“ ist für 4 Minuten gesperrt. Klären Sie Login und PIN mit Ihrem Administrator.',
    );
  });

  it("sends a dropped PDF with a new cover sheet to Ben's fax, which arrives live in Ben's list with the cover text", async function (this: Slow) {
    this.timeout(120000);
    const ben = await withFax('ben');
    const anna = await withFax('anna');
    deleteCoversAtEnd(anna);
    const benEl = await faxFor(ben);
    const annaEl = await faxFor(anna);
    await ready(benEl);
    await ready(annaEl);
    const before = receivedIds(benEl);

    // The document: dropped, checked, and its two pages drawn.
    drop(annaEl, pdfFile(await plainPdf(2, 'Angebot Seite'), 'angebot.pdf'));
    await until(() => annaEl.shadowRoot!.querySelectorAll('[part="page"] canvas').length === 2, 'both pages are previewed', 60000);
    expect(text(annaEl, '[part="document"] [role="status"]')).to.equal('2 pages, ready to send.');
    expect(hasInk(annaEl.shadowRoot!.querySelector<HTMLCanvasElement>('[part="page"] canvas')!)).to.equal(true);
    expect(text(annaEl, '[part="page"]')).to.equal('Page 1 of 2');
    // The preview loaded pdf.js into the page (and only now, see the first test).
    expect(pdfLibraries().some((name) => name.includes('pdfjs-dist'))).to.equal(true);

    // A new cover sheet, saved on the server and previewed.
    $<HTMLInputElement>(annaEl, '#with-cover').click();
    await until(() => annaEl.shadowRoot!.querySelector('[part="cover-add"]') !== null, 'the cover sheet choice is shown');
    $(annaEl, '[part="cover-add"]').click();
    await until(() => annaEl.shadowRoot!.querySelector('#cover-name') !== null, 'the cover sheet editor opens');
    type($(annaEl, '#cover-name'), `Angebot ${run}`);
    type($(annaEl, '#cover-subject'), 'Angebot Müßiggang');
    type($(annaEl, '#cover-message'), 'Grüße an Ben');
    $<HTMLButtonElement>(annaEl, '[part="cover-editor"] button[type="submit"]').click();
    await until(() => annaEl.shadowRoot!.querySelector('#cover-sheet') !== null, 'the saved cover sheet is chosen');
    expect($<HTMLSelectElement>(annaEl, '#cover-sheet').selectedOptions[0]!.textContent).to.equal(`Angebot ${run}`);
    expect((await anna.api.listFaxCoverSheets()).some((sheet) => sheet.subject === 'Angebot Müßiggang')).to.equal(true);

    type($(annaEl, '#to'), FAX.ben.extension);
    await until(() => text(annaEl, '#to-hint') === 'Internal fax extension 21', 'the number is read as a fax extension');
    await until(() => annaEl.shadowRoot!.querySelector('[part="cover-preview"] canvas') !== null, 'the cover page is previewed', 60000);
    expect(hasInk(annaEl.shadowRoot!.querySelector<HTMLCanvasElement>('[part="cover-preview"] canvas')!)).to.equal(true);

    const queued = oneEvent(annaEl, 'centrex-fax-queued');
    const arrived = oneEvent(benEl, 'centrex-fax-received');
    $(annaEl, '[part="send-button"]').click();
    await until(() => text(annaEl, '[part="snackbar"]') === 'Adding fax to queue', 'the snackbar says the fax is queued');
    expect($(annaEl, '[part="snackbar"]').getAttribute('role')).to.equal('status');
    const { job } = (await queued).detail;
    expect(job).to.include({ to: '21', pages: 3, coverSheet: true });
    await until(() => sentEntry(annaEl, job.id)?.dataset['state'] === 'sent', 'the job reaches "sent"', 60000);
    expect(textOf(sentEntry(annaEl, job.id)!.querySelector('[part="state"]'))).to.equal('Sent');
    expect(textOf(sentEntry(annaEl, job.id))).to.contain('To 21').and.contain('3 pages');
    // The form is ready for the next fax.
    expect(annaEl.shadowRoot!.querySelector('[part="document"]')).to.equal(null);

    // Ben's element shows the fax without being reloaded.
    const received = (await arrived).detail.fax;
    await until(() => receivedIds(benEl).includes(received.id), "the fax is in Ben's received list");
    expect(before).to.not.include(received.id);
    const entry = benEl.shadowRoot!.querySelector<HTMLElement>(`[data-id="${received.id}"]`)!;
    expect(textOf(entry)).to.contain('From 089 123456720').and.contain('3 pages');

    const download = oneEvent(benEl, 'centrex-fax-download');
    benEl.addEventListener('centrex-fax-download', (event) => event.preventDefault(), { once: true });
    entry.querySelector<HTMLButtonElement>('[part="download"]')!.click();
    const detail: FaxDownloadDetail = (await download).detail;
    expect(detail.filename).to.match(/^fax-received-\d+\.pdf$/);
    const pages = await pdfText(detail.document);
    expect(pages).to.have.length(3);
    expect(pages[0]).to.contain('Angebot Müßiggang').and.contain('Grüße an Ben').and.contain(anna.me!.name);
    expect(pages[1]).to.contain('Angebot Seite 1');
  });

  it('refuses a PDF with form fields before sending, in English and in German', async function (this: Slow) {
    this.timeout(90000);
    const anna = await withFax('anna');
    const jobsBefore = (await anna.api.listFaxJobs()).length;
    const el = await faxFor(anna);
    await ready(el);
    type($(el, '#to'), FAX.ben.extension);
    drop(el, pdfFile(await formPdf(), 'formular.pdf'));
    await until(() => text(el, '[part="document-error"]') !== '', 'the document is refused', 60000);
    expect(text(el, '[part="document-error"]')).to.equal(
      'This PDF has form fields that can still be edited, so it cannot be sent as a fax. Fill it in, then print it to a new PDF (for example with "Microsoft Print to PDF" or "Save as PDF"): the new file can no longer be edited and can be sent.',
    );
    expect($(el, '[part="document-error"]').getAttribute('role')).to.equal('alert');
    expect(el.shadowRoot!.querySelector('[part="pages"]')).to.equal(null);

    // Send does not send it: it says why instead.
    $(el, '[part="send-button"]').click();
    await until(() => text(el, '#send-error') !== '', 'Send explains why nothing was sent');
    expect(text(el, '#send-error')).to.contain('print it to a new PDF');
    expect(text(el, '[part="snackbar"]')).to.equal('');
    expect((await anna.api.listFaxJobs()).length).to.equal(jobsBefore);

    await setLanguage('de');
    await until(() => text(el, '[part="document-error"]').startsWith('Dieses PDF'), 'the refusal is shown in German');
    expect(text(el, '[part="document-error"]')).to.equal(
      'Dieses PDF enthält Formularfelder, die noch bearbeitet werden können, und kann deshalb nicht als Fax gesendet werden. Füllen Sie es aus und drucken Sie es dann als neues PDF (zum Beispiel mit „Microsoft Print to PDF“ oder „Als PDF speichern“): Die neue Datei lässt sich nicht mehr bearbeiten und kann gesendet werden.',
    );
    expect(text(el, '#send-error')).to.contain('als neues PDF');
    expect(text(el, '[part="send-button"]')).to.equal('Senden');
  });

  it('shows why a fax to an external number failed', async function (this: Slow) {
    this.timeout(90000);
    const anna = await withFax('anna');
    const el = await faxFor(anna);
    await ready(el);
    // The demo line refuses numbers ending in 13 for good.
    type($(el, '#to'), '089 99998 113');
    await until(() => text(el, '#to-hint') === 'Dials +49 89 99998113', 'the number is shown as it will be dialled');
    drop(el, pdfFile(await plainPdf(1), 'brief.pdf'));
    await until(() => text(el, '[part="document"] [role="status"]') === '1 page, ready to send.', 'the document is ready', 60000);
    const queued = oneEvent(el, 'centrex-fax-queued');
    $(el, '[part="send-button"]').click();
    const { job } = (await queued).detail;
    expect(job.to).to.equal('+498999998113');
    await until(() => sentEntry(el, job.id)?.dataset['state'] === 'failed', 'the job fails', 60000);
    expect(textOf(sentEntry(el, job.id)!.querySelector('[part="state"]'))).to.equal('Failed: the receiving fax refused it');
    await setLanguage('de');
    await until(
      () => textOf(sentEntry(el, job.id)!.querySelector('[part="state"]')) === 'Fehlgeschlagen: das empfangende Faxgerät hat es abgelehnt',
      'the reason in German',
    );
  });

  it('is operable with the keyboard: number, file button and Send', async function (this: Slow) {
    this.timeout(90000);
    const anna = await withFax('anna');
    const el = await faxFor(anna);
    await ready(el);
    const focused = (): Element | null => el.shadowRoot!.activeElement;

    $(el, '#to').focus();
    await sendKeys({ type: '21' });
    await sendKeys({ press: 'Tab' });
    expect(focused()?.id).to.equal('with-cover');
    await sendKeys({ press: 'Tab' });
    expect(focused()?.getAttribute('part')).to.equal('file-button');

    // Enter on the file button opens the file chooser (here the test takes the click and hands over a file).
    const input = $<HTMLInputElement>(el, '#file');
    let opened = 0;
    input.addEventListener('click', (event) => {
      opened++;
      event.preventDefault();
    });
    await sendKeys({ press: 'Enter' });
    expect(opened).to.equal(1);
    await sendKeys({ press: 'Space' });
    expect(opened).to.equal(2);
    const data = new DataTransfer();
    data.items.add(pdfFile(await plainPdf(1, 'Per Tastatur'), 'tastatur.pdf'));
    input.files = data.files;
    input.dispatchEvent(new Event('change'));
    await until(() => text(el, '[part="document"] [role="status"]') === '1 page, ready to send.', 'the chosen file is checked', 60000);

    // Tab on to Send (past the document's Remove button) and press it.
    for (let i = 0; i < 5 && focused()?.getAttribute('part') !== 'send-button'; i++) await sendKeys({ press: 'Tab' });
    expect(focused()?.getAttribute('part')).to.equal('send-button');
    const queued = oneEvent(el, 'centrex-fax-queued');
    await sendKeys({ press: 'Enter' });
    const { job } = (await queued).detail;
    expect(job.to).to.equal('21');
    await until(() => sentEntry(el, job.id) !== null, 'the fax is in the history');
  });

  it('is accessible and shows cover sheet names as text, never as markup', async function (this: Slow) {
    this.timeout(20000);
    const anna = await withFax('anna');
    deleteCoversAtEnd(anna);
    const name = `<img src=x onerror=alert(1)> ${run}`;
    await anna.api.createFaxCoverSheet({ name, subject: '<b>Betreff</b>', message: 'Hallo' });
    const el = await faxFor(anna);
    await ready(el);
    $<HTMLInputElement>(el, '#with-cover').click();
    await until(() => el.shadowRoot!.querySelector('#cover-sheet') !== null, 'the cover sheets are listed');
    const option = [...$<HTMLSelectElement>(el, '#cover-sheet').options].find((item) => item.textContent === name);
    expect(option, 'the name as typed').to.not.equal(undefined);
    option!.selected = true;
    option!.parentElement!.dispatchEvent(new Event('change'));
    $(el, '[part="cover-edit"]').click();
    await until(() => el.shadowRoot!.querySelector('#cover-name') !== null, 'the editor opens');
    expect($<HTMLInputElement>(el, '#cover-name').value).to.equal(name);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(el.shadowRoot!.querySelector('b')).to.equal(null);
    await expect(el).to.be.accessible();
  });
});
