import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/click-to-call/centrex-click-to-call.js';
import '../../src/components/provider/centrex-provider.js';
import type {
  CentrexClickToCall,
  ClickToCallFailedDetail,
  ClickToCallPlacedDetail,
  ClickToCallRequestDetail,
} from '../../src/components/click-to-call/centrex-click-to-call.js';
import type { CentrexProvider } from '../../src/components/provider/provider.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import type { Call } from '../../src/core/phone/index.js';
import { currentLanguage, setLanguage } from '../../src/components/shared/localize.js';
import { signedInClient, signOutAll, testPbx, textOf, until } from './support/pbx.js';

const buttonOf = (el: CentrexClickToCall): HTMLButtonElement => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="button"]')!;
const stateOf = (el: CentrexClickToCall): string => textOf(el.shadowRoot!.querySelector('[part="state"]'));
const hangupOf = (el: CentrexClickToCall): HTMLButtonElement | null => el.shadowRoot!.querySelector<HTMLButtonElement>('[part="hangup"]');
const shownNumber = (el: CentrexClickToCall): string => textOf(el.shadowRoot!.querySelector('.number'));
const isDisabled = (el: CentrexClickToCall): boolean => buttonOf(el).getAttribute('aria-disabled') === 'true';
/** The text the button's aria-describedby points at. */
const descriptionOf = (el: CentrexClickToCall): string => {
  const id = buttonOf(el).getAttribute('aria-describedby');
  return id === null ? '' : textOf(el.shadowRoot!.getElementById(id));
};

/**
 * Records every text the state line shows, so a test can check a passing state (like "Ended after 0:03", which fades
 * after a few seconds) even when the machine is slow to let it look.
 */
function recordStates(el: CentrexClickToCall): string[] {
  const seen: string[] = [];
  const line = el.shadowRoot!.querySelector('[part="state"]')!;
  new MutationObserver(() => seen.push(stateOf(el))).observe(line, { childList: true, characterData: true, subtree: true });
  return seen;
}

/** Waits until the state line shows (or showed) a text, saying what it showed instead when it never does. */
async function untilShown(seen: readonly string[], expected: RegExp, what: string): Promise<void> {
  await until(() => seen.some((text) => expected.test(text)), what).catch((error: unknown) => {
    throw new Error(`${String(error)}; the state line showed ${JSON.stringify(seen)}`);
  });
}

/** The next call that rings on a client's web phone. */
async function nextIncoming(client: CentrexClient): Promise<Call> {
  return (await client.phone!.calls.next('incoming', { timeout: 5000 })).call;
}

/** Chooses a calling device for the test and returns how to put the user's choice back. */
async function useDevice(client: CentrexClient, deviceId: string): Promise<() => Promise<void>> {
  const before = client.settings?.primaryDevice ?? null;
  await client.setCallingDevice(deviceId);
  return async () => {
    await client.updateSettings({ primaryDevice: before });
  };
}

describe('<centrex-click-to-call>', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
    await signOutAll();
    await setLanguage('en');
  });

  it('shows the number in the dial plan’s format and says whom and which number it calls', async () => {
    const ben = await signedInClient('ben');
    // Blanks inside the tag, as hand-written HTML has them, must not hide the number.
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="+49 30 5550100" name="Müller GmbH">
      </centrex-click-to-call>`);
    // The demo company is German: a Berlin number is written nationally.
    await until(() => shownNumber(el) === '030 5550100', 'the number is formatted');
    // What the button shows (for speech input), and the number as given.
    expect(buttonOf(el).getAttribute('aria-label')).to.equal('Call Müller GmbH, 030 5550100 (+49 30 5550100)');
    expect(buttonOf(el).tagName).to.equal('BUTTON');
    await expect(el).to.be.accessible();

    el.removeAttribute('name');
    el.number = '12';
    await el.updateComplete;
    expect(buttonOf(el).getAttribute('aria-label')).to.equal('Call 12');
  });

  it('calls a colleague on the web phone inside a provider, in the user’s language, and hangs up', async () => {
    const [ben, clara] = await Promise.all([signedInClient('ben', { phone: true }), signedInClient('clara', { phone: true })]);
    expect(ben.callingDevice.kind).to.equal('web');
    // Ben's language setting in the demo tenant is German; the provider makes the elements speak it.
    expect(ben.language).to.equal('de');
    const provider = await fixture<CentrexProvider>(html`
      <centrex-provider .client=${ben}><centrex-click-to-call number="12" name="Clara Schmidt"></centrex-click-to-call></centrex-provider>
    `);
    const el = provider.querySelector('centrex-click-to-call')!;
    await until(() => currentLanguage() === 'de', "the provider applies Ben's language");
    await until(() => !isDisabled(el), 'the button can call');
    expect(shownNumber(el)).to.equal('12');
    expect(buttonOf(el).getAttribute('aria-label')).to.equal('Clara Schmidt anrufen, 12');
    const seen = recordStates(el);

    const incoming = nextIncoming(clara);
    const placed = oneEvent(el, 'centrex-call-placed') as Promise<CustomEvent<ClickToCallPlacedDetail>>;
    buttonOf(el).click();
    const { detail } = await placed;
    expect(detail.placed.via).to.equal('web');
    expect(detail.number).to.equal('12');
    expect(['Anruf wird aufgebaut …', 'Es klingelt …']).to.include(stateOf(el));
    expect(isDisabled(el)).to.equal(true);
    expect(descriptionOf(el)).to.equal('Dieser Anruf läuft noch. Legen Sie zuerst auf.');

    const atClara = await incoming;
    expect(atClara.remote.user).to.equal('11');
    await untilShown(seen, /^Es klingelt …$/, 'the state says it rings');
    await atClara.accept();
    await untilShown(seen, /^Verbunden \d+:\d\d$/, 'the state says connected with the talk time');
    expect(el.shadowRoot!.querySelector('[part="state"]')!.getAttribute('role')).to.equal('status');
    expect(textOf(hangupOf(el))).to.equal('Auflegen');
    await expect(el).to.be.accessible();

    hangupOf(el)!.click();
    await untilShown(seen, /^Beendet nach \d+:\d\d$/, 'the state says the call ended');
    await until(() => atClara.state === 'ended', "the call ends on Clara's phone too");
    expect(hangupOf(el)).to.equal(null);
    expect(el.shadowRoot!.activeElement).to.equal(buttonOf(el));
    expect(isDisabled(el)).to.equal(false);
  });

  it('starts a call with Enter and with Space', async () => {
    const ben = await signedInClient('ben', { phone: true });
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="12"></centrex-click-to-call>`);
    await until(() => !isDisabled(el), 'the button can call');
    const requests: string[] = [];
    // Cancelled, so no real call is made: the test is about the keys.
    el.addEventListener('centrex-call', (event) => {
      requests.push(event.detail.number);
      event.preventDefault();
    });
    buttonOf(el).focus();
    await sendKeys({ press: 'Enter' });
    await until(() => requests.length === 1, 'Enter asks to call');
    await sendKeys({ press: 'Space' });
    await until(() => requests.length === 2, 'Space asks to call');
    expect(requests).to.deep.equal(['12', '12']);
  });

  it('places no call when a listener cancels centrex-call', async () => {
    const ben = await signedInClient('ben', { phone: true });
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="12" name="Clara"></centrex-click-to-call>`);
    await until(() => !isDisabled(el), 'the button can call');
    let placed = false;
    el.addEventListener('centrex-call-placed', () => (placed = true));
    const asked = oneEvent(el, 'centrex-call') as Promise<CustomEvent<ClickToCallRequestDetail>>;
    el.addEventListener('centrex-call', (event) => event.preventDefault());
    buttonOf(el).click();
    const { detail } = await asked;
    expect(detail).to.deep.include({ number: '12', name: 'Clara' });
    expect(detail.device.kind).to.equal('web');
    expect(await el.placeCall()).to.equal(undefined);
    expect(ben.phone!.calls.calls.length).to.equal(0);
    expect(placed).to.equal(false);
    expect(stateOf(el)).to.equal('');
  });

  it('asks the PBX to ring the desk phone when that is the calling device', async () => {
    const ben = await signedInClient('ben', { phone: true });
    const desk = ben.devices.find((device) => device.kind === 'desk');
    expect(desk, 'Ben has a desk phone in the demo tenant').to.not.equal(undefined);
    cleanups.push(await useDevice(ben, desk!.id));
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="12"></centrex-click-to-call>`);
    await until(() => !isDisabled(el), 'the button can call');

    const asked = oneEvent(el, 'centrex-call') as Promise<CustomEvent<ClickToCallRequestDetail>>;
    const failed = oneEvent(el, 'centrex-call-failed') as Promise<CustomEvent<ClickToCallFailedDetail>>;
    buttonOf(el).click();
    expect((await asked).detail.device.id).to.equal(desk!.id);
    // No desk phone registers with the test PBX, so its click-to-dial answer is "device unavailable"; the request
    // went to the API for that device, and the person reads why nothing rings.
    const { detail } = await failed;
    expect(detail.error.code).to.equal('api-call-failed');
    expect(detail.error.details?.['apiCode']).to.equal('device-unavailable');
    expect(ben.phone!.calls.calls.length).to.equal(0);
    await until(() => stateOf(el) === detail.error.message, 'the state shows why');
    expect(stateOf(el)).to.contain('Tischtelefon');
  });

  it('says which device rings when a click-to-dial device is rung first', async () => {
    const [ben, clara] = await Promise.all([signedInClient('ben', { phone: true }), signedInClient('clara', { phone: true })]);
    // An "Anrufen mit" number that reaches Clara's direct line: the PBX rings it first, as it would a mobile.
    const name = `CTC test ${Date.now().toString(36)}`;
    const device = await ben.addExternalDevice(name, '+49 89 1234567 12');
    cleanups.push(() => ben.api.deleteDevice(device.id));
    cleanups.push(await useDevice(ben, device.id));
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="13" name="David"></centrex-click-to-call>`);
    await until(() => !isDisabled(el), 'the button can call');

    const ringing = nextIncoming(clara);
    const placed = oneEvent(el, 'centrex-call-placed') as Promise<CustomEvent<ClickToCallPlacedDetail>>;
    buttonOf(el).click();
    const { detail } = await placed;
    expect(detail.placed.via).to.equal('device');
    if (detail.placed.via === 'device') {
      expect(detail.placed.device.id).to.equal(device.id);
      expect(detail.placed.result.to).to.equal('13');
    }
    expect(stateOf(el)).to.equal(`Ringing on ${name}: pick up there`);
    expect(hangupOf(el)).to.equal(null);
    const atClara = await ringing;
    await atClara.reject();
  });

  it('is disabled with a reason while nobody is signed in', async () => {
    const { url } = await testPbx();
    const provider = await fixture<CentrexProvider>(html`
      <centrex-provider server=${url} no-phone><centrex-click-to-call number="+49 30 5550100"></centrex-click-to-call></centrex-provider>
    `);
    const el = provider.querySelector('centrex-click-to-call')!;
    await el.updateComplete;
    expect(isDisabled(el)).to.equal(true);
    expect(buttonOf(el).title).to.equal('Sign in to make calls.');
    expect(descriptionOf(el)).to.equal('Sign in to make calls.');
    // Still focusable, so keyboard and screen reader users can learn why.
    buttonOf(el).focus();
    expect(el.shadowRoot!.activeElement).to.equal(buttonOf(el));
    let asked = false;
    el.addEventListener('centrex-call', () => (asked = true));
    buttonOf(el).click();
    await sendKeys({ press: 'Enter' });
    expect(asked).to.equal(false);
    expect(shownNumber(el)).to.equal('+49 30 5550100');
    await expect(el).to.be.accessible();
  });

  it('is disabled with a reason when the number cannot be called', async () => {
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="call me maybe"></centrex-click-to-call>`);
    await until(() => descriptionOf(el) === 'This is not a number that can be called.', 'the reason is given');
    expect(isDisabled(el)).to.equal(true);
    expect(buttonOf(el).title).to.equal('This is not a number that can be called.');
    let asked = false;
    el.addEventListener('centrex-call', () => (asked = true));
    buttonOf(el).click();
    expect(asked).to.equal(false);
    expect(shownNumber(el)).to.equal('call me maybe');
    await expect(el).to.be.accessible();

    el.number = '';
    await until(() => descriptionOf(el) === 'There is no number to call.', 'an empty number is named as such');
  });

  it('renders a hostile name as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.__ctcPwned = true">';
    const ben = await signedInClient('ben');
    const el = await fixture<CentrexClickToCall>(html`<centrex-click-to-call .client=${ben} number="12" name=${hostile}></centrex-click-to-call>`);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    expect(buttonOf(el).getAttribute('aria-label')).to.equal(`Call ${hostile}, 12`);
    expect((window as { __ctcPwned?: boolean }).__ctcPwned).to.equal(undefined);
  });

  it('looks like a link with appearance="link" and takes custom content and theme properties', async () => {
    const ben = await signedInClient('ben', { phone: true });
    const el = await fixture<CentrexClickToCall>(html`
      <centrex-click-to-call .client=${ben} number="+49 30 5550100" appearance="link" style="--centrex-click-to-call-link-color: rgb(1, 2, 3)">
        <span>Anrufen</span>
      </centrex-click-to-call>
    `);
    const button = buttonOf(el);
    const slot = el.shadowRoot!.querySelector<HTMLSlotElement>('slot:not([name])')!;
    expect(slot.assignedElements().map((node) => node.textContent)).to.deep.equal(['Anrufen']);
    // The host's content replaces the number on the button and leads the accessible name.
    await until(() => button.getAttribute('aria-label') === 'Anrufen: Call +49 30 5550100', 'the own content is named');
    expect(el.shadowRoot!.querySelector('.number')).to.equal(null);
    await until(() => !isDisabled(el), 'the button can call');
    expect(getComputedStyle(button).color).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(button).backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    await expect(el).to.be.accessible();
  });

  it('speaks German', async () => {
    const { url } = await testPbx();
    // The provider speaks the page's language until someone signs in.
    const page = await fixture<HTMLElement>(html`
      <div lang="de">
        <centrex-provider server=${url} no-phone><centrex-click-to-call number="+49 30 5550100" name="Müller GmbH"></centrex-click-to-call></centrex-provider>
      </div>
    `);
    const el = page.querySelector('centrex-click-to-call')!;
    await until(() => buttonOf(el)?.getAttribute('aria-label') === 'Müller GmbH anrufen, +49 30 5550100', 'the German name');
    expect(descriptionOf(el)).to.equal('Melden Sie sich an, um zu telefonieren.');
    expect(buttonOf(el).title).to.equal('Melden Sie sich an, um zu telefonieren.');

    const ben = await signedInClient('ben');
    el.client = ben;
    el.number = 'keine Nummer';
    await until(() => descriptionOf(el) === 'Diese Rufnummer kann nicht gewählt werden.', 'the German reason');
    await expect(el).to.be.accessible();
  });
});
