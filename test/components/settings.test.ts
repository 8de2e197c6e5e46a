import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/settings/centrex-settings.js';
import type { CentrexSettings } from '../../src/components/settings/settings.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import { currentLanguage, setLanguage } from '../../src/components/shared/localize.js';
import { signOutAll, signedInClient, textOf, until } from './support/pbx.js';

// Every test puts back what it changed on the shared test PBX, newest change first.
const undo: (() => Promise<unknown>)[] = [];

async function settingsFor(client: CentrexClient): Promise<CentrexSettings> {
  const el = await fixture<CentrexSettings>(html`<centrex-settings .client=${client}></centrex-settings>`);
  await until(() => el.shadowRoot!.querySelector('#callWaiting') !== null, 'the settings are shown');
  return el;
}

function $<T extends Element = HTMLElement>(el: CentrexSettings, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
}

const statusOf = (el: CentrexSettings, key: string): string => textOf(el.shadowRoot!.getElementById(`${key}-status`));

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

describe('<centrex-settings>', () => {
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step().catch(() => undefined);
    await signOutAll();
    await setLanguage('en');
  });

  it('switches call waiting with the keyboard, says "Saved" and the server has it', async () => {
    const client = await signedInClient('david');
    const before = (await client.api.getSettings()).callWaiting;
    undo.push(() => client.api.updateSettings({ callWaiting: before }));
    const el = await settingsFor(client);
    const box = $<HTMLInputElement>(el, '#callWaiting');
    expect(box.checked).to.equal(before);
    expect(box.getAttribute('aria-describedby')).to.contain('callWaiting-status');
    expect($(el, '#callWaiting-status').getAttribute('role')).to.equal('status');

    box.focus();
    const saved = oneEvent(el, 'centrex-settings-saved');
    await sendKeys({ press: 'Space' });
    expect((await saved).detail.field).to.equal('callWaiting');
    expect((await client.api.getSettings()).callWaiting).to.equal(!before);
    await until(() => statusOf(el, 'callWaiting') === 'Saved', 'the field says Saved');
    expect(box.checked).to.equal(!before);

    box.click();
    await until(() => statusOf(el, 'callWaiting') === 'Saved' && client.settings?.callWaiting === before, 'switched back');
    expect((await client.api.getSettings()).callWaiting).to.equal(before);
  });

  it('refuses a 3-digit voicemail PIN next to the field, saves a good one and removes it again', async () => {
    const client = await signedInClient('david');
    const before = (await client.api.getSettings()).voicemail.pinSet;
    expect(before).to.equal(false);
    undo.push(() => client.api.updateSettings({ voicemail: { pin: null } }));
    const el = await settingsFor(client);
    const pin = $<HTMLInputElement>(el, '#pin');

    pin.focus();
    await sendKeys({ type: '123' });
    await sendKeys({ press: 'Enter' });
    await until(() => statusOf(el, 'voicemailPin') !== '', 'an error next to the PIN');
    expect(statusOf(el, 'voicemailPin')).to.equal('The PIN has 4 to 8 digits and nothing else.');
    expect(pin.getAttribute('aria-invalid')).to.equal('true');
    expect((await client.api.getSettings()).voicemail.pinSet).to.equal(false);

    type(pin, '480715');
    await el.updateComplete;
    expect(pin.getAttribute('aria-invalid')).to.equal('false');
    const saved = oneEvent(el, 'centrex-settings-saved');
    $<HTMLButtonElement>(el, '#pin + button').click();
    expect((await saved).detail.field).to.equal('voicemailPin');
    await until(() => statusOf(el, 'voicemailPin') === 'PIN saved', 'the PIN is saved');
    expect((await client.api.getSettings()).voicemail.pinSet).to.equal(true);
    expect(pin.value).to.equal('');

    const remove = [...el.shadowRoot!.querySelectorAll('button')].find((button) => textOf(button) === 'Remove PIN')!;
    remove.click();
    await until(() => statusOf(el, 'voicemailPin') === 'PIN removed', 'the PIN is removed');
    expect((await client.api.getSettings()).voicemail.pinSet).to.equal(false);
  });

  it('logs in to a queue and out again', async () => {
    // Clara is a member of the demo queue "Support" and logged out.
    const client = await signedInClient('clara');
    const support = client.queues.find((queue) => queue.name === 'Support')!;
    expect(support.member).to.equal(true);
    undo.push(() => client.setQueueLogin(support.id, support.loggedIn));
    const el = await settingsFor(client);
    const box = $<HTMLInputElement>(el, '#queue-0');
    expect(textOf(el.shadowRoot!.querySelector('label[for="queue-0"]'))).to.equal('Support (50)');
    expect(box.checked).to.equal(support.loggedIn);

    box.click();
    await until(() => statusOf(el, 'queue-0') === (support.loggedIn ? 'Logged out' : 'Logged in'), 'the queue status');
    expect((await client.api.listQueues()).find((queue) => queue.id === support.id)!.loggedIn).to.equal(!support.loggedIn);

    box.click();
    await until(() => statusOf(el, 'queue-0') === (support.loggedIn ? 'Logged in' : 'Logged out'), 'the queue status again');
    expect((await client.api.listQueues()).find((queue) => queue.id === support.id)!.loggedIn).to.equal(support.loggedIn);
  });

  it('adds a queue to the list by logging in to it', async () => {
    // David is in no queue yet.
    const client = await signedInClient('david');
    const support = client.queues.find((queue) => queue.name === 'Support')!;
    expect(support.member).to.equal(false);
    undo.push(() => client.api.leaveQueue(support.id));
    const el = await settingsFor(client);
    expect(el.shadowRoot!.querySelector('#queue-0')).to.equal(null);
    const join = $<HTMLSelectElement>(el, '#join-queue');
    expect(textOf(join.selectedOptions[0])).to.equal('Support (50)');
    join.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Enter' });
    await until(() => el.shadowRoot!.querySelector<HTMLInputElement>('#queue-0')?.checked === true, 'Support is listed, logged in');
    const stored = (await client.api.listQueues()).find((queue) => queue.id === support.id)!;
    expect(stored.member && stored.loggedIn).to.equal(true);
  });

  it("switches the user's language to German and back, on the server and in the labels", async () => {
    const client = await signedInClient('david');
    expect(client.me!.language).to.equal('en');
    undo.push(() => client.api.updateMe({ language: 'en' }));
    const el = await settingsFor(client);
    const language = $<HTMLSelectElement>(el, '#language');
    language.value = 'de';
    language.dispatchEvent(new Event('change'));
    await until(() => currentLanguage() === 'de' && textOf($(el, '#calls-title')) === 'Anrufe', 'German labels');
    expect(textOf(el.shadowRoot!.querySelector('label[for="callWaiting"]'))).to.equal('Anklopfen');
    expect(textOf(el.shadowRoot!.querySelector('label[for="primary-device"]'))).to.equal('Anrufen mit');
    expect((await client.api.getMe()).language).to.equal('de');
    await until(() => statusOf(el, 'language') === 'Gespeichert', 'the status in German');
    await until(() => client.me?.language === 'de', "the client's user follows");

    language.value = 'en';
    language.dispatchEvent(new Event('change'));
    await until(() => currentLanguage() === 'en' && textOf($(el, '#calls-title')) === 'Calls', 'English labels again');
    expect((await client.api.getMe()).language).to.equal('en');
  });

  it('adds an external number to call with, shows its name as text, chooses it and removes it', async () => {
    const client = await signedInClient('david');
    const primaryBefore = (await client.api.getSettings()).primaryDevice;
    undo.push(() => client.api.updateSettings({ primaryDevice: primaryBefore }));
    const el = await settingsFor(client);
    const evil = '<img src=x onerror=alert(1)>';
    type($<HTMLInputElement>(el, '#device-name'), evil);
    type($<HTMLInputElement>(el, '#device-number'), '030 1234567');
    const saved = oneEvent(el, 'centrex-settings-saved');
    $<HTMLButtonElement>(el, '#device-number').closest('.row')!.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    expect((await saved).detail.field).to.equal('devices');
    const device = client.devices.find((item) => item.name === evil)!;
    undo.push(() => client.api.deleteDevice(device.id));
    await until(() => textOf(el.shadowRoot).includes(`${evil} (030 1234567)`), 'the new number is listed');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);

    const select = $<HTMLSelectElement>(el, '#primary-device');
    select.value = device.id;
    select.dispatchEvent(new Event('change'));
    await until(() => statusOf(el, 'primaryDevice') === 'Saved', 'the calling device is saved');
    expect((await client.api.getSettings()).primaryDevice).to.equal(device.id);
    expect(client.callingDevice.id).to.equal(device.id);

    const remove = [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('.devices button')].find((button) => textOf(button).includes(evil))!;
    remove.click();
    await until(() => !client.devices.some((item) => item.id === device.id), 'the number is gone');
    await until(() => !textOf(el.shadowRoot!.querySelector('.devices')).includes(evil), 'the list no longer shows it');
    expect(statusOf(el, 'devices')).to.equal(`${evil} removed`);
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    undo.splice(undo.length - 1, 1);
  });

  it('explains a parallel call without a target next to the field and saves nothing', async () => {
    const client = await signedInClient('david');
    const before = (await client.api.getSettings()).parallelCall;
    undo.push(() => client.api.updateSettings({ parallelCall: before }));
    expect(before.enabled).to.equal(false);
    const el = await settingsFor(client);
    type($<HTMLInputElement>(el, '#parallel-target'), '');
    $<HTMLInputElement>(el, '#parallel-enabled').click();
    await until(() => statusOf(el, 'parallelCall') !== '', 'an error next to the target');
    expect(statusOf(el, 'parallelCall')).to.equal('Enter the extension or number to ring as well.');
    expect($<HTMLInputElement>(el, '#parallel-enabled').checked).to.equal(false);
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#parallel-target'));
    expect((await client.api.getSettings()).parallelCall.enabled).to.equal(false);

    // A premium-rate number is refused by the server; its refusal shows in the same place.
    type($<HTMLInputElement>(el, '#parallel-target'), '0900 3 123456');
    $<HTMLInputElement>(el, '#parallel-enabled').click();
    await until(() => statusOf(el, 'parallelCall').includes('does not allow'), 'the refusal next to the target');
    expect((await client.api.getSettings()).parallelCall).to.deep.equal(before);
  });

  it('passes axe, shows the function-keys slot and speaks German', async () => {
    const client = await signedInClient('clara');
    const el = await fixture<CentrexSettings>(html`<centrex-settings .client=${client}
      ><p slot="function-keys" id="keys">favorites editor here</p></centrex-settings
    >`);
    await until(() => el.shadowRoot!.querySelector('#callWaiting') !== null, 'the settings are shown');
    const slot = $<HTMLSlotElement>(el, 'slot[name="function-keys"]');
    expect(slot.assignedElements()[0]!.id).to.equal('keys');
    await expect(el).to.be.accessible();

    await setLanguage('de');
    await el.updateComplete;
    const headings = [...el.shadowRoot!.querySelectorAll('h2')].map((heading) => textOf(heading));
    expect(headings).to.deep.equal(['Benutzer', 'Anrufe', 'Voicemail', 'Warteschlangen', 'Funktionstasten']);
    expect(textOf(el.shadowRoot!.querySelector('label[for="dnd"]'))).to.equal('Nicht stören');
    await expect(el).to.be.accessible();
  });
});
