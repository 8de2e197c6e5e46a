import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/dialer/centrex-dialer.js';
import { dialStringFrom, type CentrexDialer, type DialerCallDetail, type DialerCallPlacedDetail } from '../../src/components/dialer/dialer.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import type { Call } from '../../src/core/phone/index.js';
import { signOutAll, signedInClient, textOf, until } from './support/pbx.js';

const part = (el: CentrexDialer, name: string): HTMLElement => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const keys = (el: CentrexDialer): HTMLButtonElement[] => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part~="key"]')];
const key = (el: CentrexDialer, value: string): HTMLButtonElement => keys(el).find((button) => button.dataset['key'] === value)!;
const focused = (el: CentrexDialer): Element | null => el.shadowRoot!.activeElement;

/** Ben calls Clara and she answers: Ben's call and Clara's, both established. */
async function connect(ben: CentrexClient, clara: CentrexClient): Promise<{ outgoing: Call; incoming: Call }> {
  const ringing = clara.phone!.calls.next('incoming', { timeout: 5000 });
  const placed = await ben.call('12');
  if (placed.via !== 'web') throw new Error('expected a web-phone call');
  const { call } = await ringing;
  await call.accept();
  await until(() => placed.call.state === 'established' && call.state === 'established', 'the call is connected');
  return { outgoing: placed.call, incoming: call };
}

describe('<centrex-dialer>', () => {
  afterEach(async () => {
    await signOutAll();
    await setLanguage('en');
  });

  it('shows a labelled number field, twelve keys with their letters and a call button, and is accessible', async () => {
    const el = await fixture<CentrexDialer>(html`<centrex-dialer></centrex-dialer>`);
    expect(keys(el).map((button) => button.dataset['key'])).to.deep.equal(['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']);
    expect(textOf(key(el, '7'))).to.equal('7 PQRS');
    expect(key(el, '*').getAttribute('aria-label')).to.equal('Star');
    expect(el.shadowRoot!.querySelector('label[for="number"]')!.textContent).to.equal('Number');
    expect(textOf(part(el, 'call-button'))).to.equal('Call');
    // One tab stop for the whole keypad.
    expect(keys(el).filter((button) => button.tabIndex === 0)).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('is used with the keyboard: arrows move between keys, typed digits go in, Backspace deletes, Enter calls', async () => {
    const el = await fixture<CentrexDialer>(html`<centrex-dialer></centrex-dialer>`);
    key(el, '1').focus();
    await sendKeys({ press: 'ArrowRight' });
    expect(focused(el)).to.equal(key(el, '2'));
    await sendKeys({ press: 'ArrowDown' });
    expect(focused(el)).to.equal(key(el, '5'));
    await sendKeys({ press: 'End' });
    expect(focused(el)).to.equal(key(el, '#'));
    await el.updateComplete;
    expect(key(el, '#').tabIndex).to.equal(0);
    expect(key(el, '1').tabIndex).to.equal(-1);

    // Digits, star and hash typed while on the keypad go into the number; Enter/Space press the focused key.
    await sendKeys({ type: '0*3' });
    await sendKeys({ press: 'Enter' });
    expect(el.value).to.equal('0*3#');
    await sendKeys({ press: 'Backspace' });
    expect(el.value).to.equal('0*3');

    // In the number field Enter calls: without a client the dialer says so instead of failing silently.
    const input = part(el, 'input') as HTMLInputElement;
    input.focus();
    await sendKeys({ type: '1' });
    expect(el.value).to.equal('0*31');
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    // No client: the person learns why nothing happens.
    expect(textOf(part(el, 'error'))).to.equal('Sign in to make calls.');
  });

  it('keeps the number of pasted text (international formats, star codes, "Tel.:" prefixes)', async () => {
    expect(dialStringFrom('+49 (0)89 123-456')).to.equal('+49 (0)89 123-456');
    expect(dialStringFrom('Tel.: +49 30 5550100\n')).to.equal('+49 30 5550100');
    expect(dialStringFrom('  *21#  ')).to.equal('*21#');
    expect(dialStringFrom('sip:clara@pbx.example.com')).to.equal('sip:clara@pbx.example.com');
    expect(dialStringFrom('clara')).to.equal('clara');

    const el = await fixture<CentrexDialer>(html`<centrex-dialer></centrex-dialer>`);
    const input = part(el, 'input') as HTMLInputElement;
    input.focus();
    const data = new DataTransfer();
    data.setData('text/plain', 'Mobil: 0171 / 392 12-34');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true, composed: true }));
    expect(el.value).to.equal('0171 / 392 12-34');
    expect(input.value).to.equal('0171 / 392 12-34');
  });

  it('calls through client.call with Enter, firing centrex-call and centrex-call-placed; a host can veto', async () => {
    const [ben, clara] = await Promise.all([signedInClient('ben', { phone: true }), signedInClient('clara', { phone: true })]);
    const el = await fixture<CentrexDialer>(html`<centrex-dialer .client=${ben}></centrex-dialer>`);
    const input = part(el, 'input') as HTMLInputElement;

    // A host that handles the call itself: nothing is placed.
    const veto = (event: Event): void => event.preventDefault();
    el.addEventListener('centrex-call', veto);
    input.focus();
    await sendKeys({ type: '12' });
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    expect(ben.phone!.calls.calls).to.have.length(0);
    el.removeEventListener('centrex-call', veto);

    const ringing = clara.phone!.calls.next('incoming', { timeout: 5000 });
    const request = oneEvent(el, 'centrex-call') as Promise<CustomEvent<DialerCallDetail>>;
    const placedEvent = oneEvent(el, 'centrex-call-placed') as Promise<CustomEvent<DialerCallPlacedDetail>>;
    input.focus();
    await sendKeys({ press: 'Enter' });
    expect((await request).detail.target).to.equal('12');
    const { placed } = (await placedEvent).detail;
    expect(placed.via).to.equal('web');
    const { call } = await ringing;
    expect(call.remote.displayName).to.equal('Ben Berger');
    expect(el.value).to.equal('');
  });

  it('sends DTMF on the call during a call instead of editing the number; the far end receives the tones', async () => {
    const [ben, clara] = await Promise.all([signedInClient('ben', { phone: true }), signedInClient('clara', { phone: true })]);
    const el = await fixture<CentrexDialer>(html`<centrex-dialer .client=${ben} dtmf-method="info"></centrex-dialer>`);
    const { outgoing, incoming } = await connect(ben, clara);
    const tones: string[] = [];
    incoming.on('dtmf', ({ tone }) => tones.push(tone));

    await until(() => el.toneCall !== undefined && el.shadowRoot!.querySelector('#tones') !== null, 'the dialer switches to tones');
    expect(el.shadowRoot!.querySelector('[part="call-button"]')).to.equal(null);
    expect(el.shadowRoot!.querySelector('label[for="tones"]')!.textContent).to.equal('Tones sent to Clara Schmidt');

    key(el, '4').click();
    key(el, '2').focus();
    await sendKeys({ type: '#' });
    await until(() => tones.length === 2, 'Clara receives two tones');
    expect(tones).to.deep.equal(['4', '#']);
    expect(el.value).to.equal('');
    await until(() => (part(el, 'input') as HTMLInputElement).value === '4#', 'the tones sent are shown');

    // Held, the call takes no tones: the dialer dials again (a consultation call before an attended transfer).
    await outgoing.hold();
    await until(() => el.shadowRoot!.querySelector('#number') !== null, 'the dialer dials again');
    expect(el.toneCall).to.equal(undefined);
  });

  it('speaks German', async () => {
    await setLanguage('de');
    const el = await fixture<CentrexDialer>(html`<centrex-dialer></centrex-dialer>`);
    expect(el.shadowRoot!.querySelector('label[for="number"]')!.textContent).to.equal('Rufnummer');
    expect(textOf(part(el, 'call-button'))).to.equal('Anrufen');
    expect(part(el, 'keypad').getAttribute('aria-label')).to.equal('Tastenfeld');
    expect(key(el, '#').getAttribute('aria-label')).to.equal('Raute');
    expect(part(el, 'backspace').getAttribute('aria-label')).to.equal('Letzte Ziffer löschen');
    (part(el, 'call-button') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(textOf(part(el, 'error'))).to.equal('Geben Sie eine Rufnummer ein.');
    await expect(el).to.be.accessible();
  });
});
