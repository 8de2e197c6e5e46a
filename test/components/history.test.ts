import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/history/centrex-history.js';
import type { CentrexHistory } from '../../src/components/history/history.js';
import type { CallRequestDetail } from '../../src/components/shared/call-request.js';
import type { HistoryEntry } from '../../src/core/api/index.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import type { Call } from '../../src/core/phone/call.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import { signedInClient, signOutAll, textOf, until } from './support/pbx.js';

const root = (el: CentrexHistory): ShadowRoot => el.shadowRoot!;
const entryItems = (el: CentrexHistory): HTMLLIElement[] => [...root(el).querySelectorAll<HTMLLIElement>('li[part="entry"]')];
const itemFor = (el: CentrexHistory, id: string): HTMLLIElement | null => root(el).querySelector<HTMLLIElement>(`li[data-id="${id}"]`);

async function press(el: HTMLElement, key: string): Promise<void> {
  el.focus();
  await sendKeys({ press: key });
}

/** Clara calls David; David's phone answers the ringing call with `respond`. Resolves when Clara's call has ended. */
async function claraCallsDavid(clara: CentrexClient, david: CentrexClient, respond: (call: Call) => Promise<void>): Promise<void> {
  let incoming: Call | undefined;
  const stop = david.phone!.calls.on('incoming', ({ call }) => (incoming = call));
  try {
    const placed = await clara.call('13');
    await until(() => incoming !== undefined, 'David gets the call');
    await respond(incoming!);
    if (placed.via === 'web') await until(() => placed.call.state === 'ended', "Clara's call ends");
  } finally {
    stop();
  }
}

/** Replaces what the client reports as its call list (for texts no PBX account would carry). */
function withHistory(client: CentrexClient, entries: readonly HistoryEntry[]): CentrexClient {
  Object.defineProperty(client, 'history', { get: () => entries, configurable: true });
  return client;
}

describe('<centrex-history>', () => {
  afterEach(async () => {
    await signOutAll();
    await setLanguage('en');
  });

  it('shows a call between two clients live with its result, expands its details, and deletes it with the keyboard', async () => {
    const [clara, david] = await Promise.all([signedInClient('clara', { phone: true }), signedInClient('david', { phone: true })]);
    const el = await fixture<CentrexHistory>(html`<centrex-history .client=${clara}></centrex-history>`);
    const before = new Set(clara.history.map((entry) => entry.id));

    await claraCallsDavid(clara, david, (call) => call.reject({ status: 603 }));
    await until(() => clara.history.some((entry) => !before.has(entry.id)), "the call reaches Clara's list");
    const entry = clara.history.find((item) => !before.has(item.id))!;
    await until(() => itemFor(el, entry.id) !== null, 'the entry is shown');
    const item = itemFor(el, entry.id)!;
    expect(entryItems(el)[0]).to.equal(item);
    expect(item.dataset['result']).to.equal('rejected');
    expect(item.querySelector('[part="direction"]')!.getAttribute('aria-label')).to.equal('Outgoing call');
    expect(textOf(item.querySelector('[part="peer"]'))).to.equal('David Müller');
    expect(textOf(item.querySelector('[part="result"]'))).to.equal('Rejected');
    expect(item.querySelector('[part="duration"]')).to.equal(null);
    await expect(el).to.be.accessible();

    const info = item.querySelector<HTMLButtonElement>('button.info')!;
    expect(info.getAttribute('aria-expanded')).to.equal('false');
    await press(info, 'Enter');
    await el.updateComplete;
    expect(info.getAttribute('aria-expanded')).to.equal('true');
    const details = root(el).getElementById(info.getAttribute('aria-controls')!)!;
    expect(details.hidden).to.equal(false);
    expect(textOf(details)).to.contain('Extension 13');

    // Call back, vetoed by the host page.
    el.addEventListener('centrex-call', (event) => event.preventDefault(), { once: true });
    const announced = oneEvent(el, 'centrex-call');
    await press(item.querySelector<HTMLButtonElement>('button.call-back')!, 'Enter');
    expect(((await announced) as CustomEvent<CallRequestDetail>).detail).to.deep.include({ number: '13', name: 'David Müller', source: 'history' });

    await press(item.querySelector<HTMLButtonElement>('button.delete')!, 'Enter');
    await until(() => itemFor(el, entry.id) === null, 'the entry is gone');
    expect(clara.history.some((item) => item.id === entry.id)).to.equal(false);
    expect(textOf(root(el).querySelector('[part="status"]'))).to.equal('Entry deleted.');
    // The PBX forgot it too.
    expect((await clara.api.listHistory()).some((item) => item.id === entry.id)).to.equal(false);
  });

  it('filters missed calls and announces a new one', async () => {
    const [clara, david] = await Promise.all([signedInClient('clara', { phone: true }), signedInClient('david', { phone: true })]);
    const el = await fixture<CentrexHistory>(html`<centrex-history .client=${david}></centrex-history>`);
    const before = new Set(david.history.map((entry) => entry.id));
    await press(root(el).querySelector<HTMLButtonElement>('button.filter[data-filter="missed"]')!, 'Enter');
    await until(() => el.filter === 'missed', 'the missed filter is on');

    // Clara gives up before David answers.
    let incoming: Call | undefined;
    const stop = david.phone!.calls.on('incoming', ({ call }) => (incoming = call));
    const placed = await clara.call('13');
    await until(() => incoming !== undefined, 'David gets the call');
    stop();
    if (placed.via === 'web') await placed.call.hangup();
    await until(() => david.history.some((entry) => !before.has(entry.id)), "the call reaches David's list");
    const entry = david.history.find((item) => !before.has(item.id))!;
    expect(entry).to.deep.include({ direction: 'in', result: 'missed' });
    await until(() => itemFor(el, entry.id) !== null, 'the missed call is shown');
    expect(entryItems(el).every((item) => item.dataset['result'] === 'missed' && item.dataset['direction'] === 'in')).to.equal(true);
    expect(itemFor(el, entry.id)!.querySelector('[part="direction"]')!.getAttribute('aria-label')).to.equal('Missed call');
    expect(textOf(root(el).querySelector('[part="status"]'))).to.equal('Missed call from Clara Schmidt.');
    await david.deleteHistoryEntry(entry.id);
    const claraEntry = clara.history.find((item) => item.peer.extension === '13' && item.startedAt === entry.startedAt);
    if (claraEntry !== undefined) await clara.deleteHistoryEntry(claraEntry.id);
  });

  it('copies the number to the clipboard, and says so when the page has no clipboard', async () => {
    const anna = await signedInClient('anna');
    const el = await fixture<CentrexHistory>(html`<centrex-history .client=${anna}></centrex-history>`);
    const entry = anna.history.find((item) => item.peer.number !== null)!;
    const copy = itemFor(el, entry.id)!.querySelector<HTMLButtonElement>('button.copy')!;
    const clipboard = navigator.clipboard;
    const original = Object.getOwnPropertyDescriptor(clipboard, 'writeText');
    let copied: string | undefined;
    Object.defineProperty(clipboard, 'writeText', { value: (text: string) => ((copied = text), Promise.resolve()), configurable: true });
    try {
      await press(copy, 'Enter');
      await until(() => copied !== undefined, 'the number is copied');
      expect(copied).to.equal(entry.peer.extension ?? entry.peer.number);
      await until(() => textOf(root(el).querySelector('[part="status"]')) === `${copied} copied to the clipboard.`, 'copying is confirmed');
    } finally {
      if (original === undefined) delete (clipboard as { writeText?: unknown }).writeText;
      else Object.defineProperty(clipboard, 'writeText', original);
    }
    Object.defineProperty(navigator, 'clipboard', { value: undefined, configurable: true });
    try {
      await press(copy, 'Enter');
      await until(() => textOf(root(el).querySelector('[part="status"]')).startsWith('This page cannot use the clipboard.'), 'the missing clipboard is reported');
      expect(textOf(root(el).querySelector('[part="status"]'))).to.contain(entry.peer.number!);
    } finally {
      delete (navigator as { clipboard?: unknown }).clipboard;
    }
    expect(navigator.clipboard).to.equal(clipboard);
  });

  it('writes dates, times and talk time the German way', async () => {
    const anna = await signedInClient('anna');
    await setLanguage('de');
    const el = await fixture<CentrexHistory>(html`<centrex-history .client=${anna}></centrex-history>`);
    const answered = anna.history.find((entry) => entry.result === 'answered' && entry.durationS > 0)!;
    const item = itemFor(el, answered.id)!;
    const time = item.querySelector('[part="time"]')!;
    expect(textOf(time)).to.match(/^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    expect(time.getAttribute('datetime')).to.equal(answered.startedAt);
    const minutes = Math.floor(answered.durationS / 60);
    const seconds = String(answered.durationS % 60).padStart(2, '0');
    expect(textOf(item.querySelector('[part="duration"]'))).to.equal(`Gesprächsdauer ${minutes}:${seconds}`);
    expect(textOf(item.querySelector('[part="result"]'))).to.equal('Angenommen');
    expect(textOf(root(el).querySelector('h2'))).to.equal('Anrufe');
    expect([...root(el).querySelectorAll('button.filter')].map((button) => textOf(button))).to.deep.equal(['Alle', 'Verpasst']);
    expect(textOf(item.querySelector('button.call-back'))).to.match(/^Zurückrufen/);
    await expect(el).to.be.accessible();
  });

  it('renders hostile caller names as text', async () => {
    const anna = await signedInClient('anna');
    const hostile = '<img src=x onerror="window.__pwned = true">';
    withHistory(anna, [
      {
        id: 'x1',
        direction: 'in',
        peer: { name: hostile, number: '+49 89 99998 101', extension: null },
        forwardedBy: { name: `<b>${hostile}</b>`, number: null, extension: '12' },
        result: 'missed',
        startedAt: new Date().toISOString(),
        durationS: 0,
      },
    ]);
    const el = await fixture<CentrexHistory>(html`<centrex-history .client=${anna}></centrex-history>`);
    await press(root(el).querySelector<HTMLButtonElement>('button.info')!, ' ');
    await el.updateComplete;
    expect(textOf(root(el).querySelector('[part="peer"]'))).to.equal(hostile);
    expect(textOf(root(el).querySelector('[part="forwarded-by"]'))).to.equal(`forwarded by <b>${hostile}</b>`);
    expect(root(el).querySelector('img, b')).to.equal(null);
    expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
  });
});
