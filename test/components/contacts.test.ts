import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/contacts/centrex-contacts.js';
import type { CentrexContacts } from '../../src/components/contacts/contacts.js';
import type { CallRequestDetail } from '../../src/components/shared/call-request.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import { signedInClient, signOutAll, textOf, until } from './support/pbx.js';

const root = (el: CentrexContacts): ShadowRoot => el.shadowRoot!;
const names = (el: CentrexContacts): string[] => [...root(el).querySelectorAll('[part="name"]')].map((node) => textOf(node));
const itemOf = (el: CentrexContacts, name: string): HTMLLIElement | undefined =>
  [...root(el).querySelectorAll<HTMLLIElement>('li[part="contact"]')].find((li) => textOf(li.querySelector('[part="name"]')) === name);

/** Deletes the user's own contacts whose name starts with `prefix` (the PBX database is shared by all test files). */
async function removeContacts(client: CentrexClient, prefix: string): Promise<void> {
  for (const contact of await client.api.listContacts()) {
    if (contact.writable && contact.name.startsWith(prefix)) await client.api.deleteContact(contact.id);
  }
}

async function press(el: HTMLElement, key: string): Promise<void> {
  el.focus();
  await sendKeys({ press: key });
}

describe('<centrex-contacts>', () => {
  afterEach(async () => {
    await signOutAll();
    await setLanguage('en');
  });

  it('lists global and private contacts alphabetically, filters them, and is accessible', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexContacts>(html`<centrex-contacts .client=${ben}></centrex-contacts>`);
    const all = names(el);
    expect(all).to.include.members(['Muster AG', 'Petra Kunde', 'Werkstatt Huber']);
    expect(all).to.deep.equal([...all].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })));
    // Anna's private contact is hers alone.
    expect(all).to.not.include('Dr. Weber (Steuerberater)');
    await expect(el).to.be.accessible();

    await press(root(el).querySelector<HTMLButtonElement>('button.scope[data-scope="private"]')!, 'Enter');
    await until(() => el.scope === 'private', 'the private filter is on');
    await el.updateComplete;
    expect(names(el)).to.include('Werkstatt Huber');
    expect(names(el)).to.not.include('Muster AG');
    expect(root(el).querySelector('button.scope[data-scope="private"]')!.getAttribute('aria-pressed')).to.equal('true');

    el.scope = 'global';
    await el.updateComplete;
    expect(names(el)).to.include('Muster AG');
    expect(names(el)).to.not.include('Werkstatt Huber');

    // Text filter: a company word, and digits of a number written differently from how it is stored.
    el.scope = 'all';
    root(el).querySelector<HTMLInputElement>('[part="query"]')!.focus();
    await sendKeys({ type: 'muster' });
    await until(() => names(el).every((name) => name === 'Muster AG' || name === 'Petra Kunde'), 'the list is filtered');
    expect(names(el)).to.have.members(['Muster AG', 'Petra Kunde']);
    el.query = '0221 4710';
    await el.updateComplete;
    expect(names(el)).to.deep.equal(['Werkstatt Huber']);
  });

  it('adds a private contact with the keyboard that only its owner sees, then deletes it', async () => {
    const [ben, clara] = await Promise.all([signedInClient('ben'), signedInClient('clara')]);
    const name = `Test Privat ${Date.now()}`;
    try {
      const el = await fixture<CentrexContacts>(html`<centrex-contacts .client=${ben}></centrex-contacts>`);
      await press(root(el).querySelector<HTMLButtonElement>('button.add')!, 'Enter');
      await until(() => root(el).activeElement?.id === 'name', 'the name field has the focus');
      await sendKeys({ type: name });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'Testfirma' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'test@example.com' });
      await sendKeys({ press: 'Tab' });
      expect(root(el).activeElement?.id).to.equal('number-label-0');
      await sendKeys({ type: 'mobil' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: 'kein Anschluss' });
      await sendKeys({ press: 'Enter' });
      // The PBX refuses the number; the error sits at that number's field.
      await until(() => root(el).querySelector('.field-error[data-field="numbers.0.number"]') !== null, 'the number field shows the error');
      const number = root(el).querySelector<HTMLInputElement>('#number-0')!;
      expect(number.getAttribute('aria-invalid')).to.equal('true');
      expect(number.getAttribute('aria-describedby')).to.equal('numbers-0-number-error');
      expect(root(el).activeElement).to.equal(number);
      await expect(el).to.be.accessible();

      number.select();
      await sendKeys({ type: '+49 152 28817000' });
      await sendKeys({ press: 'Enter' });
      await until(() => names(el).includes(name), 'the new contact is listed');
      const item = itemOf(el, name)!;
      expect(item.dataset['scope']).to.equal('private');
      expect(textOf(item.querySelector('[part="company"]'))).to.equal('Testfirma');
      expect(textOf(item.querySelector('[part="number"]'))).to.contain('+49 152 28817000');
      expect(root(el).activeElement).to.equal(item.querySelector('button.select'));

      // Change it: a second number.
      await press(item.querySelector<HTMLButtonElement>('button.change')!, 'Enter');
      await until(() => root(el).activeElement?.id === 'name', 'the form opens on the name');
      expect(root(el).querySelector<HTMLInputElement>('#company')!.value).to.equal('Testfirma');
      await press(root(el).querySelector<HTMLButtonElement>('button.add-number')!, 'Enter');
      await until(() => root(el).activeElement?.id === 'number-label-1', 'the new number row has the focus');
      await sendKeys({ type: 'Büro' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ type: '0221 4710 100' });
      await sendKeys({ press: 'Enter' });
      await until(() => itemOf(el, name)?.querySelectorAll('[part="number"]').length === 2, 'the contact has two numbers');
      expect(ben.contacts.find((contact) => contact.name === name)!.numbers).to.deep.equal([
        { label: 'mobil', number: '+49 152 28817000' },
        { label: 'Büro', number: '0221 4710 100' },
      ]);
      expect(root(el).activeElement).to.equal(itemOf(el, name)!.querySelector('button.select'));

      // Clara does not see Ben's private contact.
      const other = await fixture<CentrexContacts>(html`<centrex-contacts .client=${clara}></centrex-contacts>`);
      await clara.reload();
      await other.updateComplete;
      expect(names(other)).to.not.include(name);
      expect(names(other)).to.include('Muster AG');

      await press(itemOf(el, name)!.querySelector<HTMLButtonElement>('button.delete')!, 'Enter');
      await until(() => !names(el).includes(name), 'the contact is gone');
      expect(textOf(root(el).querySelector('[part="status"]'))).to.equal(`${name} deleted.`);
    } finally {
      await removeContacts(ben, 'Test Privat ');
    }
  });

  it('keeps global contacts read-only for a normal user', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexContacts>(html`<centrex-contacts .client=${ben}></centrex-contacts>`);
    const global = itemOf(el, 'Muster AG')!;
    expect(global.querySelector('button.delete')).to.equal(null);
    expect(global.querySelector('button.change')).to.equal(null);
    expect(textOf(global)).to.contain('(read-only)');
    expect(itemOf(el, 'Werkstatt Huber')!.querySelector('button.delete')).to.not.equal(null);
    // The PBX agrees: deleting it through the API is refused.
    const id = ben.contacts.find((contact) => contact.name === 'Muster AG')!.id;
    let refused: unknown;
    await ben.deleteContact(id).catch((error: unknown) => (refused = error));
    expect(refused).to.have.property('code').that.matches(/^api-(forbidden|not-found)$/);
    expect(ben.contacts.some((contact) => contact.id === id)).to.equal(true);
  });

  it('calls a number and selects a contact', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexContacts>(html`<centrex-contacts .client=${ben}></centrex-contacts>`);
    const petra = itemOf(el, 'Petra Kunde')!;
    const mobile = [...petra.querySelectorAll<HTMLButtonElement>('button.call')].find((button) => textOf(button.querySelector('.label')) === 'mobil')!;
    expect(textOf(mobile)).to.equal('Call Petra Kunde, mobil +49 152 28817999');
    el.addEventListener('centrex-call', (event) => event.preventDefault(), { once: true });
    const called = oneEvent(el, 'centrex-call');
    await press(mobile, 'Enter');
    const call = (await called) as CustomEvent<CallRequestDetail>;
    expect(call.detail).to.deep.include({ number: '+49 152 28817999', name: 'Petra Kunde', source: 'contacts' });

    const selected = oneEvent(el, 'centrex-contact-selected');
    await press(petra.querySelector<HTMLButtonElement>('button.select')!, ' ');
    expect((await selected).detail.contact.name).to.equal('Petra Kunde');
    await el.updateComplete;
    expect(petra.getAttribute('aria-current')).to.equal('true');
  });

  it('renders a hostile contact name as text', async () => {
    const ben = await signedInClient('ben');
    const hostile = 'Test XSS <img src=x onerror="window.__pwned = true">';
    try {
      await ben.addContact({ name: hostile, company: '<b>bold</b>', numbers: [{ label: '<i>x</i>', number: '+49 152 28817001' }] });
      const el = await fixture<CentrexContacts>(html`<centrex-contacts .client=${ben}></centrex-contacts>`);
      expect(names(el)).to.include(hostile);
      expect(root(el).querySelector('img, b, i')).to.equal(null);
      expect((window as { __pwned?: boolean }).__pwned).to.equal(undefined);
    } finally {
      await removeContacts(ben, 'Test XSS ');
    }
  });

  it('speaks German', async () => {
    const ben = await signedInClient('ben');
    await setLanguage('de');
    const el = await fixture<CentrexContacts>(html`<centrex-contacts .client=${ben}></centrex-contacts>`);
    expect(textOf(root(el).querySelector('h2'))).to.equal('Kontakte');
    expect(textOf(root(el).querySelector('button.add'))).to.equal('Kontakt hinzufügen');
    expect([...root(el).querySelectorAll('button.scope')].map((button) => textOf(button))).to.deep.equal(['Alle', 'Global', 'Privat']);
    expect(textOf(itemOf(el, 'Muster AG')!.querySelector('[part="scope-tag"]'))).to.equal('Global');
    expect(textOf(itemOf(el, 'Werkstatt Huber')!.querySelector('button.delete'))).to.equal('Löschen');
    await expect(el).to.be.accessible();
  });
});
