import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/provider/centrex-provider.js';
import '../../src/components/phone/centrex-phone.js';
import type { CentrexProvider } from '../../src/components/provider/provider.js';
import type { CentrexPhone } from '../../src/components/phone/phone.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import { signOutAll, testPbx, textOf, until } from './support/pbx.js';

const providers: CentrexProvider[] = [];

const part = (phone: CentrexPhone, name: string): HTMLElement | null => phone.shadowRoot!.querySelector(`[part="${name}"]`);

/** A provider with the phone, signed in through the phone's own form as a demo user (no web phone: data only). */
async function signedInPhone(user: string): Promise<{ provider: CentrexProvider; phone: CentrexPhone }> {
  const { url, password } = await testPbx();
  const provider = await fixture<CentrexProvider>(html`<centrex-provider server=${url} no-phone><centrex-phone></centrex-phone></centrex-provider>`);
  providers.push(provider);
  const phone = provider.querySelector('centrex-phone')!;
  await until(() => phone.shadowRoot!.querySelector('form.sign-in') !== null, 'the sign-in form shows');
  const form = phone.shadowRoot!.querySelector<HTMLFormElement>('form.sign-in')!;
  form.querySelector<HTMLInputElement>('input[name="email"]')!.value = `${user}@demo.test`;
  form.querySelector<HTMLInputElement>('input[name="password"]')!.value = password;
  form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
  await until(() => part(phone, 'app-menu') !== null, 'the app shows after signing in');
  return { provider, phone };
}

describe('<centrex-phone>', () => {
  afterEach(async () => {
    await setLanguage('en');
    await signOutAll();
    // Sessions signed in through the phone's own form end with the test, too.
    await Promise.all(providers.splice(0).map((provider) => provider.signOut().catch(() => undefined)));
  });

  it('signs in with its form and lays out the five areas of the app', async () => {
    const { provider, phone } = await signedInPhone('ben');
    for (const name of ['app-menu', 'search-bar', 'phone-menu', 'call-area', 'favorites']) {
      expect(part(phone, name), name).to.not.equal(null);
    }
    expect(textOf(part(phone, 'app-menu'))).to.contain(provider.client.me!.name);
    expect(phone.shadowRoot!.querySelector('centrex-dialer')).to.not.equal(null);
    expect(phone.shadowRoot!.querySelector('centrex-favorites')).to.not.equal(null);
    await expect(phone).to.be.accessible();
    await provider.signOut();
    await until(() => phone.shadowRoot!.querySelector('form.sign-in') !== null, 'the form shows again after signing out');
  });

  it('tells a wrong password in words and stays on the form', async () => {
    const { url } = await testPbx();
    const provider = await fixture<CentrexProvider>(html`<centrex-provider server=${url} no-phone><centrex-phone></centrex-phone></centrex-provider>`);
    const phone = provider.querySelector('centrex-phone')!;
    await until(() => phone.shadowRoot!.querySelector('form.sign-in') !== null, 'the sign-in form shows');
    const form = phone.shadowRoot!.querySelector<HTMLFormElement>('form.sign-in')!;
    form.querySelector<HTMLInputElement>('input[name="email"]')!.value = 'ben@demo.test';
    form.querySelector<HTMLInputElement>('input[name="password"]')!.value = 'not-the-password';
    form.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await until(() => phone.shadowRoot!.querySelector('[role="alert"]') !== null, 'an error shows');
    expect(textOf(phone.shadowRoot!.querySelector('[role="alert"]'))).to.equal('E-mail address or password is wrong.');
    expect(part(phone, 'app-menu')).to.equal(null);
  });

  it('moves between sections with the arrow keys of the phone menu', async () => {
    const { phone } = await signedInPhone('clara');
    const sections: string[] = [];
    phone.addEventListener('centrex-section-change', (event) => sections.push(event.detail.section));
    phone.shadowRoot!.querySelector<HTMLElement>('#tab-dialer')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await until(() => phone.section === 'contacts', 'contacts is chosen');
    expect(phone.shadowRoot!.querySelector('centrex-contacts')).to.not.equal(null);
    await sendKeys({ press: 'ArrowDown' });
    await until(() => phone.section === 'history', 'call lists are chosen');
    expect(phone.shadowRoot!.querySelector('centrex-history')).to.not.equal(null);
    await sendKeys({ press: 'End' });
    await until(() => phone.section === 'settings', 'settings are chosen');
    expect(phone.shadowRoot!.activeElement?.id).to.equal('tab-settings');
    expect(phone.shadowRoot!.querySelector('centrex-settings centrex-favorites[slot="function-keys"]')).to.not.equal(null);
    expect(sections).to.deep.equal(['contacts', 'history', 'settings']);
  });

  it('switches do not disturb and the forwarding profile from the search bar, saved on the server', async () => {
    const { provider, phone } = await signedInPhone('david');
    const client = provider.client;
    const dnd = [...phone.shadowRoot!.querySelectorAll<HTMLButtonElement>('[part="search-bar"] button')].find((b) => textOf(b) === 'Do not disturb')!;
    expect(dnd.getAttribute('aria-pressed')).to.equal('false');
    dnd.click();
    await until(() => dnd.getAttribute('aria-pressed') === 'true', 'the toggle shows DND on');
    expect((await client.api.getSettings()).dnd).to.equal(true);
    dnd.click();
    await until(() => dnd.getAttribute('aria-pressed') === 'false', 'the toggle shows DND off');
    expect((await client.api.getSettings()).dnd).to.equal(false);

    // A second profile to switch to (David has only the default one), removed again at the end.
    const original = client.forwarding!;
    await client.saveForwarding({
      ...original,
      profiles: [...original.profiles, { number: 7, title: 'Phone test', forwarding: {}, selective: [] }],
    });
    try {
      await until(() => [...phone.shadowRoot!.querySelectorAll('[part="search-bar"] option')].some((o) => textOf(o) === 'Phone test'), 'the new profile is offered');
      const select = phone.shadowRoot!.querySelector<HTMLSelectElement>('[part="search-bar"] select')!;
      select.value = '7';
      select.dispatchEvent(new Event('change'));
      await until(() => client.forwarding!.activeProfile === 7, 'the profile is switched');
      expect((await client.api.getForwarding()).activeProfile).to.equal(7);
      await until(() => textOf(phone.shadowRoot!.querySelector('.status-line')).includes('Phone test'), 'the switch is announced');
    } finally {
      await client.saveForwarding(original);
    }
  });

  it('chooses the device to call with in the app menu and adds an external number', async () => {
    const { provider, phone } = await signedInPhone('ben');
    const client = provider.client;
    phone.shadowRoot!.querySelector<HTMLButtonElement>('.menu-toggle')!.click();
    await until(() => phone.shadowRoot!.querySelector('#app-menu') !== null, 'the menu opens');
    const desk = client.devices.find((device) => device.kind === 'desk')!;
    const radios = [...phone.shadowRoot!.querySelectorAll<HTMLInputElement>('input[name="calling-device"]')];
    const deskRadio = radios.find((radio) => textOf(radio.parentElement).startsWith(desk.name))!;
    deskRadio.click();
    await until(() => client.callingDevice.id === desk.id, 'the desk phone is chosen');
    expect(textOf(phone.shadowRoot!.querySelector('.menu-toggle .device'))).to.contain(desk.name);

    phone.shadowRoot!.querySelector<HTMLButtonElement>('#app-menu .add-device-toggle')!.click();
    await until(() => phone.shadowRoot!.querySelector('form.add-device') !== null, 'the add form shows');
    const form = phone.shadowRoot!.querySelector<HTMLFormElement>('form.add-device')!;
    form.querySelector<HTMLInputElement>('input[name="name"]')!.value = 'Hotel <b>Adlon</b>';
    form.querySelector<HTMLInputElement>('input[name="number"]')!.value = '030 2261 0';
    form.requestSubmit();
    await until(() => client.devices.some((device) => device.name === 'Hotel <b>Adlon</b>'), 'the number is added');
    await until(() => textOf(phone.shadowRoot!.querySelector('#app-menu')).includes('Hotel <b>Adlon</b>'), 'the menu lists it as text');
    expect(phone.shadowRoot!.querySelector('#app-menu b')).to.equal(null);

    const hotel = client.devices.find((device) => device.name === 'Hotel <b>Adlon</b>')!;
    await client.removeDevice(hotel.id);
    await client.updateSettings({ primaryDevice: null });
    await sendKeys({ press: 'Escape' });
  });

  it("speaks the user's language", async () => {
    const { phone } = await signedInPhone('clara');
    // Clara's language setting is German; the provider switches to it once she is signed in.
    await until(() => textOf(phone.shadowRoot!.querySelector('#tab-history')) === 'Ruflisten', 'the menu speaks German');
    expect(textOf(phone.shadowRoot!.querySelector('.menu-toggle .device'))).to.match(/^Anrufen mit: /);
  });
});
