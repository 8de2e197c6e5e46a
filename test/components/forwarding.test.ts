import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { afterEach, describe, it } from '../support/harness.js';
import '../../src/components/forwarding/centrex-forwarding.js';
import type { CentrexForwarding } from '../../src/components/forwarding/forwarding.js';
import type { CentrexClient } from '../../src/core/client/index.js';
import type { ForwardingSettings } from '../../src/core/forwarding/index.js';
import { setLanguage } from '../../src/components/shared/localize.js';
import { signOutAll, signedInClient, textOf, until } from './support/pbx.js';

// Clara's demo forwarding has three profiles: 0 "Standard" (no answer → voicemail), 1 "Urlaub" (always → 11, with
// selective rules) and 2 "Homeoffice". Every test puts back what it changed.
const undo: (() => Promise<unknown>)[] = [];

async function claraWithRestore(): Promise<{ client: CentrexClient; original: ForwardingSettings }> {
  const client = await signedInClient('clara');
  const original = await client.api.getForwarding();
  undo.push(() => client.api.putForwarding(original));
  return { client, original };
}

async function forwardingFor(client: CentrexClient): Promise<CentrexForwarding> {
  const el = await fixture<CentrexForwarding>(html`<centrex-forwarding .client=${client}></centrex-forwarding>`);
  await until(() => el.shadowRoot!.querySelectorAll('[part="profile"]').length > 0, 'the profiles are shown');
  return el;
}

function $<T extends Element = HTMLElement>(el: CentrexForwarding, selector: string): T {
  const found = el.shadowRoot!.querySelector<T>(selector);
  if (found === null) throw new Error(`nothing matches ${selector}`);
  return found;
}

/** The general conditions of the profile in the editor, one condition's box. */
function condition(el: CentrexForwarding, name: string): HTMLElement {
  return $(el, `.editor > fieldset.conditions [data-condition="${name}"]`);
}

function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input'));
}

const previewText = (el: CentrexForwarding): string => textOf(el.shadowRoot!.querySelector('[part="preview-result"]'));
const sameSettings = (a: ForwardingSettings, b: ForwardingSettings): boolean => JSON.stringify(a) === JSON.stringify(b);

describe('<centrex-forwarding>', () => {
  afterEach(async () => {
    for (const step of undo.splice(0).reverse()) await step();
    await signOutAll();
    await setLanguage('en');
  });

  it("loads the user's profiles and switches the active one with one click", async () => {
    const { client, original } = await claraWithRestore();
    expect(original.activeProfile).to.equal(0);
    const el = await forwardingFor(client);
    const names = [...el.shadowRoot!.querySelectorAll('[part="profile"] .title')].map((node) => textOf(node));
    expect(names).to.deep.equal(['Standard', 'Urlaub', 'Homeoffice']);
    expect($<HTMLInputElement>(el, '#active-0').checked).to.equal(true);

    const saved = oneEvent(el, 'centrex-forwarding-saved');
    $<HTMLInputElement>(el, '#active-1').click();
    const { detail } = await saved;
    expect(detail.change).to.equal('active-profile');
    expect(detail.settings.activeProfile).to.equal(1);
    expect((await client.api.getForwarding()).activeProfile).to.equal(1);
    await until(() => textOf($(el, '[part="status"]')).includes('Urlaub'), 'the status names the active profile');
    // Only the active profile changed on the server.
    expect(sameSettings(await client.api.getForwarding(), { ...original, activeProfile: 1 })).to.equal(true);
  });

  it('switches the active profile with the arrow keys', async () => {
    const { client } = await claraWithRestore();
    const el = await forwardingFor(client);
    $(el, '#active-0').focus();
    let saved = oneEvent(el, 'centrex-forwarding-saved');
    await sendKeys({ press: 'ArrowDown' });
    expect((await saved).detail.settings.activeProfile).to.equal(1);
    expect((await client.api.getForwarding()).activeProfile).to.equal(1);
    saved = oneEvent(el, 'centrex-forwarding-saved');
    await sendKeys({ press: 'ArrowUp' });
    expect((await saved).detail.settings.activeProfile).to.equal(0);
    expect((await client.api.getForwarding()).activeProfile).to.equal(0);

    // "Edit" takes the keyboard into the editor.
    $(el, '[part="profile"][data-number="2"] button.edit').focus();
    await sendKeys({ press: 'Enter' });
    await until(() => (el.shadowRoot!.activeElement as HTMLInputElement | null)?.value === 'Homeoffice', 'the title field has the focus');
    expect(textOf($(el, '#editor-title'))).to.equal('Profile 2: Homeoffice');
  });

  it('adds "always to 13"; the preview says calls go to 13 before saving, and Save stores it', async () => {
    const { client } = await claraWithRestore();
    const el = await forwardingFor(client);
    await until(() => previewText(el).includes('Your phones ring'), 'the preview shows ringing first');

    condition(el, 'always').querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await el.updateComplete;
    expect(previewText(el)).to.contain('The call goes to your voicemail');
    choose(condition(el, 'always').querySelector('select')!, 'number');
    await el.updateComplete;
    const number = condition(el, 'always').querySelector<HTMLInputElement>('input[type="tel"]')!;
    // Choosing "number" puts the focus into the number field, so typing goes there.
    await until(() => el.shadowRoot!.activeElement === number, 'the number field has the focus');
    await sendKeys({ type: '13' });
    await until(() => previewText(el).includes('David Müller (extension 13)'), 'the preview forwards to 13');
    expect(previewText(el)).to.contain('Because calls are always forwarded');

    const saved = oneEvent(el, 'centrex-forwarding-saved');
    $<HTMLButtonElement>(el, '[part="save-button"]').click();
    expect((await saved).detail.change).to.equal('settings');
    const stored = await client.api.getForwarding();
    expect(stored.profiles.find((profile) => profile.number === 0)!.forwarding.always).to.deep.equal({ type: 'number', number: '13' });
    expect(textOf($(el, '[part="status"]'))).to.equal('Saved.');
  });

  it('adds a profile as a copy, saves it, and deletes it again', async () => {
    const { client } = await claraWithRestore();
    const el = await forwardingFor(client);
    const form = $<HTMLFormElement>(el, '[part="new-profile"]');
    $<HTMLButtonElement>(el, '[part="new-profile"] button[type="submit"]').click();
    await el.updateComplete;
    expect(textOf($(el, '#new-error'))).to.equal('Give the new profile a title.');
    expect(el.shadowRoot!.activeElement).to.equal($(el, '#new-title'));

    await sendKeys({ type: 'Messe' });
    choose(form.querySelector<HTMLSelectElement>('select[name="from"]')!, '1');
    await sendKeys({ press: 'Enter' });
    await until(() => textOf($(el, '#editor-title')) === 'Profile 3: Messe', 'the new profile is in the editor');
    // A copy of "Urlaub": its forwarding and its rules.
    expect(el.shadowRoot!.querySelectorAll('[part="rule"]').length).to.equal(2);
    expect(condition(el, 'always').querySelector<HTMLInputElement>('input[type="tel"]')!.value).to.equal('11');

    let saved = oneEvent(el, 'centrex-forwarding-saved');
    $<HTMLButtonElement>(el, '[part="save-button"]').click();
    await saved;
    const stored = (await client.api.getForwarding()).profiles.find((profile) => profile.number === 3)!;
    expect(stored.title).to.equal('Messe');
    expect(stored.selective.length).to.equal(2);

    $<HTMLButtonElement>(el, '.delete-profile').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="profile"][data-number="3"]')).to.equal(null);
    saved = oneEvent(el, 'centrex-forwarding-saved');
    $<HTMLButtonElement>(el, '[part="save-button"]').click();
    await saved;
    expect((await client.api.getForwarding()).profiles.map((profile) => profile.number)).to.deep.equal([0, 1, 2]);
  });

  it('shows an empty destination next to the field and saves nothing', async () => {
    const { client, original } = await claraWithRestore();
    const el = await forwardingFor(client);
    condition(el, 'busy').querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await el.updateComplete;
    choose(condition(el, 'busy').querySelector('select')!, 'number');
    await el.updateComplete;
    const number = condition(el, 'busy').querySelector<HTMLInputElement>('input[type="tel"]')!;
    expect(number.getAttribute('aria-invalid')).to.equal('true');
    const error = condition(el, 'busy').querySelector('[part="error"]')!;
    expect(textOf(error)).to.equal('Enter an extension or a phone number.');
    expect(number.getAttribute('aria-describedby')).to.contain(error.id);

    let stored = false;
    el.addEventListener('centrex-forwarding-saved', () => (stored = true));
    $<HTMLButtonElement>(el, '[part="save-button"]').click();
    await until(() => textOf($(el, '[part="status"]')).startsWith('Nothing was saved'), 'the status says nothing was saved');
    expect(el.shadowRoot!.activeElement).to.equal(number);
    expect(stored).to.equal(false);
    expect(sameSettings(await client.api.getForwarding(), original)).to.equal(true);

    type(number, '0171 3921234');
    await el.updateComplete;
    expect(number.getAttribute('aria-invalid')).to.equal('false');
    expect(textOf(condition(el, 'busy').querySelector('[part="error"]'))).to.equal('');
  });

  it('shows the server refusing a premium-rate number next to the profile, and nothing is saved', async () => {
    const { client, original } = await claraWithRestore();
    const el = await forwardingFor(client);
    condition(el, 'always').querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await el.updateComplete;
    choose(condition(el, 'always').querySelector('select')!, 'number');
    await el.updateComplete;
    type(condition(el, 'always').querySelector<HTMLInputElement>('input[type="tel"]')!, '0900 3 123456');
    await el.updateComplete;
    // The core accepts the number's form; the tenant's toll-fraud policy on the server does not.
    expect(textOf(condition(el, 'always').querySelector('[part="error"]'))).to.equal('');

    $<HTMLButtonElement>(el, '[part="save-button"]').click();
    await until(() => textOf($(el, '[role="alert"]')) !== '', 'the refusal is shown');
    expect(textOf($(el, '[role="alert"]'))).to.contain('does not allow forwarding to this number');
    expect(textOf($(el, '.editor > fieldset.conditions > [part="error"]'))).to.contain('does not allow forwarding');
    expect(textOf($(el, '[part="status"]'))).to.equal('Nothing was saved.');
    expect(sameSettings(await client.api.getForwarding(), original)).to.equal(true);
  });

  it('edits selective rules and previews them for a caller and profile the user picks', async () => {
    const client = await signedInClient('clara');
    const el = await forwardingFor(client);
    $<HTMLButtonElement>(el, '[part="profile"][data-number="1"] button.edit').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('[part="rule"]').length).to.equal(2);

    $<HTMLButtonElement>(el, '#add-rule').click();
    await el.updateComplete;
    const rule = el.shadowRoot!.querySelectorAll<HTMLElement>('[part="rule"]')[2]!;
    await until(() => el.shadowRoot!.activeElement === rule.querySelector('select'), 'the new rule has the focus');
    choose(rule.querySelector('select')!, 'prefix');
    await el.updateComplete;
    type(rule.querySelector<HTMLInputElement>('input[type="tel"]')!, '+4989');
    const always = rule.querySelector<HTMLElement>('[data-condition="always"]')!;
    always.querySelector<HTMLInputElement>('input[type="checkbox"]')!.click();
    await el.updateComplete;
    choose(always.querySelector('select')!, 'number');
    await el.updateComplete;
    type(always.querySelector<HTMLInputElement>('input[type="tel"]')!, '13');
    await el.updateComplete;
    expect(textOf(rule.querySelector('legend'))).to.equal('Rule 3: numbers starting with +4989');

    const preview = $(el, '[part="preview"]');
    const [callerKind, profile] = [...preview.querySelectorAll<HTMLSelectElement>(':scope > label > select')];
    choose(profile!, '1');
    type(preview.querySelector<HTMLInputElement>('input[type="tel"]')!, '089 99998 101');
    await el.updateComplete;
    expect(previewText(el)).to.contain('The call goes to David Müller (extension 13).');
    expect(previewText(el)).to.contain('Decided by the selective rule for numbers starting with +4989.');

    choose(callerKind!, 'anonymous');
    await el.updateComplete;
    expect(previewText(el)).to.contain('The call goes to your voicemail.');
    expect(previewText(el)).to.contain('anonymous callers');

    // Do not disturb decides over every rule.
    $<HTMLInputElement>(el, '#callee-dnd').click();
    await el.updateComplete;
    expect(previewText(el)).to.contain('Because Do not disturb is on.');
    expect(el.dirty).to.equal(true);
  });

  it('shows a notice and the new settings when the forwarding is changed in another session', async () => {
    const { client, original } = await claraWithRestore();
    const el = await forwardingFor(client);
    const other = await signedInClient('clara');
    await other.saveForwarding({ ...original, activeProfile: 2 });
    await until(() => textOf(el.shadowRoot!.querySelector('[part="notice"]')).includes('another window or app'), 'the notice appears');
    await until(() => $<HTMLInputElement>(el, '#active-2').checked, 'profile 2 is shown as active');
    $<HTMLButtonElement>(el, '[part="notice"] button').click();
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('[part="notice"]')).to.equal(null);
  });

  it('shows a notice when a star code dialled on a phone switches the profile', async () => {
    const { client } = await claraWithRestore();
    const el = await forwardingFor(client);
    const help = textOf($(el, '[part="star-codes"]'));
    expect(help).to.contain('*102').and.contain('Activate profile "Homeoffice"');
    const phone = await signedInClient('clara', { phone: true });
    await phone.phone!.calls.dial('*102');
    await until(() => textOf(el.shadowRoot!.querySelector('[part="notice"]')).includes('star code dialled on a phone'), 'the star-code notice appears');
    await until(() => $<HTMLInputElement>(el, '#active-2').checked, 'profile 2 is shown as active');
    expect((await client.api.getForwarding()).activeProfile).to.equal(2);
  });

  it('renders profile titles as text, passes axe and speaks German', async () => {
    const { client, original } = await claraWithRestore();
    const evil = '<img src=x onerror=alert(1)>';
    await client.api.putForwarding({
      ...original,
      profiles: original.profiles.map((profile) => (profile.number === 2 ? { ...profile, title: evil } : profile)),
    });
    const el = await forwardingFor(client);
    await until(() => textOf(el.shadowRoot).includes(evil), 'the title shows as text');
    expect(el.shadowRoot!.querySelector('img')).to.equal(null);
    await expect(el).to.be.accessible();

    await setLanguage('de');
    await el.updateComplete;
    const text = textOf(el.shadowRoot);
    expect(text).to.contain('Rufumleitungsprofile').and.contain('Wer erreicht mich?').and.contain('Sterncodes');
    expect(textOf(condition(el, 'always').querySelector('label'))).to.equal('Immer');
    await expect(el).to.be.accessible();
  });
});
