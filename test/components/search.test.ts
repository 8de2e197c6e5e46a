import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/search/centrex-search.js';
import type { CentrexSearch } from '../../src/components/search/search.js';
import type { CallRequestDetail } from '../../src/components/shared/call-request.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import type { Call } from '../../src/core/phone/call.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import { signedInClient, signOutAll, textOf, until } from './support/pbx.js';

const root = (el: CentrexSearch): ShadowRoot => el.shadowRoot!;
const input = (el: CentrexSearch): HTMLInputElement => root(el).querySelector<HTMLInputElement>('[part="input"]')!;
const options = (el: CentrexSearch): HTMLElement[] => [...root(el).querySelectorAll<HTMLElement>('[role="option"]')];

async function typeInto(el: CentrexSearch, text: string): Promise<void> {
  input(el).focus();
  await sendKeys({ type: text });
  await el.updateComplete;
}

async function removeContacts(client: CentrexClient, prefix: string): Promise<void> {
  for (const contact of await client.api.listContacts()) {
    if (contact.writable && contact.name.startsWith(prefix)) await client.api.deleteContact(contact.id);
  }
}

describe('<centrex-search>', () => {
  afterEach(async () => {
    await signOutAll();
    await setLanguage('en');
  });

  it('finds Clara among the colleagues as "cla" is typed, with the typed part highlighted', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexSearch>(html`<centrex-search .client=${ben}></centrex-search>`);
    expect(input(el).getAttribute('role')).to.equal('combobox');
    expect(input(el).getAttribute('aria-expanded')).to.equal('false');
    await typeInto(el, 'cla');
    await until(() => options(el).length > 0, 'results are shown');
    const colleagues = root(el).querySelector('[role="group"][data-kind="extension"]')!;
    expect(textOf(root(el).getElementById(colleagues.getAttribute('aria-labelledby')!))).to.equal('Colleagues');
    const clara = [...colleagues.querySelectorAll('[role="option"]')].find((option) => textOf(option).includes('Clara Schmidt'))!;
    expect(clara).to.not.equal(undefined);
    expect(textOf(clara.querySelector('mark'))).to.equal('Cla');
    expect(textOf(clara.querySelector('[part="option-detail"]'))).to.contain('12');
    expect(input(el).getAttribute('aria-expanded')).to.equal('true');
    expect(textOf(root(el).querySelector('.visually-hidden[role="status"]'))).to.match(/^\d+ results?/);
    await expect(el).to.be.accessible();
  });

  it('clusters results by category: a company word finds contacts, digits find numbers', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexSearch>(html`<centrex-search .client=${ben}></centrex-search>`);
    el.value = 'muster';
    await el.updateComplete;
    const kinds = [...root(el).querySelectorAll('[role="group"]')].map((group) => group.getAttribute('data-kind'));
    expect(kinds).to.deep.equal(['contact']);
    expect(options(el).map((option) => textOf(option.querySelector('[part="option-name"]')))).to.include.members(['Muster AG', 'Petra Kunde']);
    el.value = '0152 2881';
    await el.updateComplete;
    const petra = options(el).find((option) => textOf(option).includes('Petra Kunde'))!;
    expect(textOf(petra.querySelector('mark'))).to.equal('+49 152 28817999');
  });

  it('moves through the results with the arrow keys and calls the selected one with Enter', async () => {
    const [ben, clara] = await Promise.all([signedInClient('ben', { phone: true }), signedInClient('clara', { phone: true })]);
    const el = await fixture<CentrexSearch>(html`<centrex-search .client=${ben}></centrex-search>`);
    await typeInto(el, 'cla');
    await until(() => options(el).length > 0, 'results are shown');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    const first = options(el)[0]!;
    expect(input(el).getAttribute('aria-activedescendant')).to.equal(first.id);
    expect(first.getAttribute('aria-selected')).to.equal('true');
    expect(textOf(first)).to.contain('Clara Schmidt');
    // Up from the first wraps to the last, down again comes back.
    await sendKeys({ press: 'ArrowUp' });
    await el.updateComplete;
    expect(input(el).getAttribute('aria-activedescendant')).to.equal(options(el).at(-1)!.id);
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(input(el).getAttribute('aria-activedescendant')).to.equal(first.id);

    let incoming: Call | undefined;
    const stop = clara.phone!.calls.on('incoming', ({ call }) => (incoming = call));
    const announced = oneEvent(el, 'centrex-call');
    await sendKeys({ press: 'Enter' });
    const event = (await announced) as CustomEvent<CallRequestDetail>;
    expect(event.detail).to.deep.include({ number: '12', name: 'Clara Schmidt', source: 'search' });
    await until(() => incoming !== undefined, 'Clara hears the call');
    stop();
    expect(ben.phone!.calls.calls.length).to.equal(1);
    expect(ben.phone!.calls.calls[0]!.remote.user).to.equal('12');
    await until(() => textOf(root(el).querySelector('[part="status"]')) === 'Calling Clara Schmidt.', 'the call is announced');
    expect(input(el).value).to.equal('');
    // Declined before it is answered: no dialog to tear down afterwards.
    await incoming!.reject();
    await until(() => ben.phone!.calls.calls.length === 0, "Ben's call ends");
  });

  it('dials the typed number on Enter when nothing is selected, and clears with Escape', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexSearch>(html`<centrex-search .client=${ben}></centrex-search>`);
    await typeInto(el, '0171 555');
    el.addEventListener('centrex-call', (event) => event.preventDefault(), { once: true });
    const announced = oneEvent(el, 'centrex-call');
    await sendKeys({ press: 'Enter' });
    expect(((await announced) as CustomEvent<CallRequestDetail>).detail).to.deep.include({ number: '0171 555', name: '', source: 'search' });
    // The host page took over: the box keeps what was typed.
    expect(input(el).value).to.equal('0171 555');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(input(el).value).to.equal('');
    expect(el.value).to.equal('');
    expect(options(el)).to.have.length(0);
  });

  it('finds a contact added a moment ago and renders a hostile name as text', async () => {
    const ben = await signedInClient('ben');
    const hostile = 'Testkontakt <img src=x onerror="window.__pwned = true">';
    try {
      const el = await fixture<CentrexSearch>(html`<centrex-search .client=${ben}></centrex-search>`);
      await ben.addContact({ name: hostile, numbers: [{ label: 'mobil', number: '+49 152 28817002' }] });
      await typeInto(el, 'testkontakt img');
      await until(() => options(el).length > 0, 'the new contact is found');
      const option = options(el).find((item) => item.dataset['kind'] === 'contact')!;
      expect(textOf(option.querySelector('[part="option-name"]'))).to.equal(hostile);
      expect(root(el).querySelector('img')).to.equal(null);
      expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    } finally {
      await removeContacts(ben, 'Testkontakt ');
    }
  });

  it('shows colleagues’ availability and speaks German', async () => {
    const ben = await signedInClient('ben');
    await setLanguage('de');
    const el = await fixture<CentrexSearch>(html`<centrex-search .client=${ben}></centrex-search>`);
    // Clara's web phone registering makes her available; Ben's client hears it through the server's events.
    await signedInClient('clara', { phone: true });
    await until(() => ben.availability('12') !== undefined, "Ben's client knows Clara's availability");
    el.value = 'cla';
    await el.updateComplete;
    const group = root(el).querySelector('[role="group"][data-kind="extension"]')!;
    expect(textOf(root(el).getElementById(group.getAttribute('aria-labelledby')!))).to.equal('Nebenstellen');
    const badge = group.querySelector('centrex-presence')!;
    expect(badge.getAttribute('availability')).to.equal(ben.availability('12'));
    expect(textOf(badge.shadowRoot!.querySelector('[part="label"]'))).to.equal('Verfügbar');
    expect(input(el).getAttribute('aria-label')).to.equal('Nebenstellen, Kontakte, Konferenzräume und Gruppen durchsuchen');
    el.value = 'zzzz';
    await el.updateComplete;
    expect(textOf(root(el).querySelector('[part="empty"]'))).to.equal('Niemand gefunden.');
    el.value = 'cla';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
