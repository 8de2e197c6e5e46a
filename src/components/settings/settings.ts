import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { live } from 'lit/directives/live.js';
import { msg, str } from '@lit/localize';
import type { Device, Language, Me, Queue, UserSettings, UserSettingsUpdate } from '../../core/api/index.js';
import type { CentrexClient, ClientArea } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import { formatNumber } from '../../core/numbers/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { setLanguage } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import { settingsStyles } from './settings.styles.js';

/** A setting `<centrex-settings>` changes; named in {@link SettingsSavedDetail}. */
export type SettingsField =
  | 'name'
  | 'language'
  | 'primaryDevice'
  | 'devices'
  | 'callWaiting'
  | 'intercom'
  | 'welcomeSound'
  | 'dnd'
  | 'parallelCall'
  | 'voicemailPin'
  | 'sendByEmail'
  | 'deleteAfterEmail'
  | 'queues';

/** `detail` of `centrex-settings-saved`: which setting the telephone system stored. */
export interface SettingsSavedDetail {
  readonly field: SettingsField;
}

/** The voicemail PIN's form (the API's rule): 4 to 8 digits. */
export const VOICEMAIL_PIN_PATTERN = /^\d{4,8}$/;

type Flag = 'callWaiting' | 'intercom' | 'welcomeSound' | 'dnd';

/**
 * The user's settings (manual B.3 "Einstellungen"), in sections:
 * - **User**: name and the language of the app (switching it switches the elements' language).
 * - **Calls**: the device calls are made with ("Anrufen mit"), external numbers to call with, call waiting,
 *   intercom, welcome sound, parallel call and global Do not disturb.
 * - **Voicemail**: set, change or remove the PIN (4–8 digits), send voicemails by e-mail, delete them once sent.
 * - **Queues**: log in to and out of the company's queues.
 * - **Function keys**: a slot for the favorites editor.
 *
 * Switches and menus save at once; texts save with their button (or Enter). Each field says "Saved" or what went
 * wrong right next to it, in a live region, so screen readers hear it too.
 *
 * @summary The user's settings: user, calls, voicemail, queues, function keys.
 * @fires centrex-settings-saved - a setting was stored ({@link SettingsSavedDetail})
 * @slot function-keys - the function key editor, e.g. `<centrex-favorites editing>`; without it a short hint shows
 * @csspart section - each section (also `user`, `calls`, `voicemail`, `queues`, `function-keys`)
 * @csspart heading - each section's heading
 * @csspart field - one setting with its label, control and status
 * @csspart status - the "Saved" / error text next to a setting (a live region)
 * @csspart error - a status that reports a failure
 * @csspart button - the save buttons
 * @cssprop --centrex-settings-gap - space between the sections (default `1rem`)
 * @cssprop --centrex-settings-section-background - background of a section
 * @cssprop --centrex-settings-saved-color - colour of the "Saved" status
 */
export class CentrexSettings extends CentrexElement {
  static override clientAreas: readonly ClientArea[] = ['status', 'me', 'settings', 'devices', 'queues'];
  static override styles = [tokens, controls, settingsStyles];

  @state() private busy: ReadonlySet<string> = new Set();
  @state() private errors: ReadonlyMap<string, string> = new Map();
  @state() private done: ReadonlyMap<string, string> = new Map();
  @state() private nameDraft: string | undefined;
  @state() private parallelDraft: string | undefined;
  @state() private pinDraft = '';
  @state() private deviceName = '';
  @state() private deviceNumber = '';
  @state() private queueToJoin = '';

  protected override render(): TemplateResult {
    const client = this.activeClient;
    const me = client?.me;
    const settings = client?.settings;
    if (client === undefined || client.status === 'signed-out') {
      return html`<p class="muted">${msg('Sign in to see your settings.', { id: 'settings.signed-out' })}</p>`;
    }
    if (me === undefined || settings === undefined) {
      return html`<p class="muted" role="status">${msg('Loading your settings…', { id: 'settings.loading' })}</p>`;
    }
    return html`
      ${this.#renderUser(client, me)} ${this.#renderCalls(client, settings)} ${this.#renderVoicemail(client, settings)}
      ${this.#renderQueues(client)} ${this.#renderFunctionKeys()}
    `;
  }

  // ——— sections ———

  #renderUser(client: CentrexClient, me: Me): TemplateResult {
    const name = this.nameDraft ?? me.name;
    // Each language is named in itself, so people find theirs whatever language is shown now.
    return html`<section part="section user" aria-labelledby="user-title">
      <h2 id="user-title" part="heading">${msg('User', { id: 'settings.user.title' })}</h2>
      <p class="muted">
        ${msg(str`${me.email}, extension ${me.extension}`, { id: 'settings.user.identity' })}
      </p>
      <form part="field" class="field" @submit=${(event: SubmitEvent) => this.#saveName(event, client)}>
        <label for="name">${msg('Name', { id: 'settings.user.name' })}</label>
        <div class="row">
          <input
            id="name"
            autocomplete="name"
            maxlength="100"
            .value=${live(name)}
            aria-invalid=${this.errors.has('name') ? 'true' : 'false'}
            aria-describedby="name-status"
            @input=${(event: Event) => (this.nameDraft = (event.target as HTMLInputElement).value)}
          />
          <button part="button" type="submit" ?disabled=${this.busy.has('name') || name.trim() === me.name}>
            ${msg('Save', { id: 'settings.save' })}
          </button>
        </div>
        ${this.#status('name')}
      </form>
      <div part="field" class="field">
        <label for="language">${msg('Language', { id: 'settings.user.language' })}</label>
        <select
          id="language"
          aria-describedby="language-status"
          ?disabled=${this.busy.has('language')}
          @change=${(event: Event) => void this.#saveLanguage(client, (event.target as HTMLSelectElement).value as Language)}
        >
          <option value="de" lang="de" .selected=${live(me.language === 'de')}>${msg('Deutsch', { id: 'settings.user.language-de' })}</option>
          <option value="en" lang="en" .selected=${live(me.language === 'en')}>${msg('English', { id: 'settings.user.language-en' })}</option>
        </select>
        ${this.#status('language')}
      </div>
    </section>`;
  }

  #renderCalls(client: CentrexClient, settings: UserSettings): TemplateResult {
    const devices = client.devices;
    const calling = client.callingDevice;
    const external = devices.filter((device) => device.kind === 'external');
    const parallel = settings.parallelCall;
    const target = this.parallelDraft ?? parallel.target ?? '';
    return html`<section part="section calls" aria-labelledby="calls-title">
      <h2 id="calls-title" part="heading">${msg('Calls', { id: 'settings.calls.title' })}</h2>
      <div part="field" class="field">
        <label for="primary-device">${msg('Call with', { id: 'settings.calls.device' })}</label>
        <select
          id="primary-device"
          aria-describedby="primary-device-hint primaryDevice-status"
          ?disabled=${this.busy.has('primaryDevice')}
          @change=${(event: Event) => {
            const id = (event.target as HTMLSelectElement).value;
            void this.#run('primaryDevice', 'primaryDevice', () => client.setCallingDevice(id));
          }}
        >
          ${devices.map((device) => html`<option value=${device.id} .selected=${live(device.id === calling.id)}>${this.#deviceLabel(client, device)}</option>`)}
        </select>
        <p class="hint" id="primary-device-hint">
          ${msg('Calls you start here ring this device first. Queue calls reach you only on it.', { id: 'settings.calls.device-hint' })}
        </p>
        ${this.#status('primaryDevice')}
      </div>

      <form part="field" class="field" @submit=${(event: SubmitEvent) => this.#addDevice(event, client)}>
        <fieldset>
          <legend>${msg('Add an external number to call with', { id: 'settings.calls.add-device' })}</legend>
          ${external.length > 0
            ? html`<ul class="plain devices">
                ${external.map(
                  (device) =>
                    html`<li>
                      <span>${this.#deviceLabel(client, device)}</span>
                      <button
                        type="button"
                        ?disabled=${this.busy.has('devices')}
                        @click=${() => void this.#removeDevice(client, device)}
                      >
                        ${msg('Remove', { id: 'settings.calls.remove-device' })}<span class="visually-hidden"> ${device.name}</span>
                      </button>
                    </li>`,
                )}
              </ul>`
            : nothing}
          <div class="row">
            <label
              >${msg('Name', { id: 'settings.calls.device-name' })}
              <input
                id="device-name"
                autocomplete="off"
                maxlength="100"
                placeholder=${msg('e.g. Mobile', { id: 'settings.calls.device-name-example' })}
                .value=${live(this.deviceName)}
                aria-describedby="devices-status"
                @input=${(event: Event) => (this.deviceName = (event.target as HTMLInputElement).value)}
            /></label>
            <label
              >${msg('Number', { id: 'settings.calls.device-number' })}
              <input
                id="device-number"
                type="tel"
                autocomplete="tel"
                .value=${live(this.deviceNumber)}
                aria-invalid=${this.errors.has('devices') ? 'true' : 'false'}
                aria-describedby="devices-status"
                @input=${(event: Event) => (this.deviceNumber = (event.target as HTMLInputElement).value)}
            /></label>
            <button part="button" type="submit" ?disabled=${this.busy.has('devices')}>${msg('Add', { id: 'settings.calls.add' })}</button>
          </div>
          ${this.#status('devices')}
        </fieldset>
      </form>

      ${this.#flag(client, settings, 'callWaiting', msg('Call waiting', { id: 'settings.calls.call-waiting' }), msg('Hear a short tone when a second call arrives while you are on the phone, instead of the caller hearing busy.', { id: 'settings.calls.call-waiting-hint' }))}
      ${this.#flag(client, settings, 'intercom', msg('Intercom', { id: 'settings.calls.intercom' }), msg('Colleagues who dial *80 and your extension are put through without ringing.', { id: 'settings.calls.intercom-hint' }))}
      ${this.#flag(client, settings, 'welcomeSound', msg('Welcome sound', { id: 'settings.calls.welcome-sound' }), msg('Play a short sound when the app starts.', { id: 'settings.calls.welcome-sound-hint' }))}
      ${this.#flag(client, settings, 'dnd', msg('Do not disturb', { id: 'settings.calls.dnd' }), msg('No call rings; callers go to your "always" or "busy" forwarding, else hear busy.', { id: 'settings.calls.dnd-hint' }))}

      <form part="field" class="field" @submit=${(event: SubmitEvent) => this.#saveParallelTarget(event, client, parallel.enabled)}>
        <fieldset>
          <legend>${msg('Parallel call', { id: 'settings.calls.parallel' })}</legend>
          <div class="switch">
            <input
              type="checkbox"
              id="parallel-enabled"
              .checked=${live(parallel.enabled)}
              ?disabled=${this.busy.has('parallelCall')}
              aria-describedby="parallel-hint parallelCall-status"
              @change=${(event: Event) =>
                // Read at event time: the target may have been typed after the last render.
                void this.#saveParallel(client, (event.target as HTMLInputElement).checked, this.parallelDraft ?? client.settings?.parallelCall.target ?? '')}
            />
            <label for="parallel-enabled">${msg('Also ring another phone', { id: 'settings.calls.parallel-enabled' })}</label>
          </div>
          <p class="hint" id="parallel-hint">
            ${msg('Incoming calls ring your phones and this extension or number at the same time.', { id: 'settings.calls.parallel-hint' })}
          </p>
          <div class="row">
            <label
              >${msg('Extension or number', { id: 'settings.calls.parallel-target' })}
              <input
                id="parallel-target"
                type="tel"
                autocomplete="off"
                .value=${live(target)}
                aria-invalid=${this.errors.has('parallelCall') ? 'true' : 'false'}
                aria-describedby="parallelCall-status"
                @input=${(event: Event) => (this.parallelDraft = (event.target as HTMLInputElement).value)}
            /></label>
            <button part="button" type="submit" ?disabled=${this.busy.has('parallelCall') || target.trim() === (parallel.target ?? '')}>
              ${msg('Save', { id: 'settings.save' })}
            </button>
          </div>
          ${this.#status('parallelCall')}
        </fieldset>
      </form>
    </section>`;
  }

  #renderVoicemail(client: CentrexClient, settings: UserSettings): TemplateResult {
    const voicemail = settings.voicemail;
    return html`<section part="section voicemail" aria-labelledby="voicemail-title">
      <h2 id="voicemail-title" part="heading">${msg('Voicemail', { id: 'settings.voicemail.title' })}</h2>
      <form part="field" class="field" @submit=${(event: SubmitEvent) => this.#savePin(event, client)}>
        <label for="pin">${voicemail.pinSet ? msg('New PIN', { id: 'settings.voicemail.new-pin' }) : msg('PIN', { id: 'settings.voicemail.pin' })}</label>
        <p class="hint" id="pin-hint">
          ${voicemail.pinSet
            ? msg('A PIN is set. It protects your voicemail when you listen from another phone.', { id: 'settings.voicemail.pin-set' })
            : msg('No PIN is set. A PIN protects your voicemail when you listen from another phone.', { id: 'settings.voicemail.pin-unset' })}
          ${msg('4 to 8 digits.', { id: 'settings.voicemail.pin-rule' })}
        </p>
        <div class="row">
          <input
            id="pin"
            type="password"
            inputmode="numeric"
            autocomplete="new-password"
            maxlength="8"
            .value=${live(this.pinDraft)}
            aria-invalid=${this.errors.has('voicemailPin') ? 'true' : 'false'}
            aria-describedby="pin-hint voicemailPin-status"
            @input=${(event: Event) => {
              this.pinDraft = (event.target as HTMLInputElement).value;
              this.#clear('voicemailPin');
            }}
          />
          <button part="button" type="submit" ?disabled=${this.busy.has('voicemailPin') || this.pinDraft === ''}>
            ${voicemail.pinSet ? msg('Change PIN', { id: 'settings.voicemail.change-pin' }) : msg('Set PIN', { id: 'settings.voicemail.set-pin' })}
          </button>
          ${voicemail.pinSet
            ? html`<button part="button" type="button" ?disabled=${this.busy.has('voicemailPin')} @click=${() => void this.#removePin(client)}>
                ${msg('Remove PIN', { id: 'settings.voicemail.remove-pin' })}
              </button>`
            : nothing}
        </div>
        ${this.#status('voicemailPin')}
      </form>
      ${this.#voicemailFlag(client, 'sendByEmail', voicemail.sendByEmail, false, msg('Send voicemails by e-mail', { id: 'settings.voicemail.send' }))}
      ${this.#voicemailFlag(
        client,
        'deleteAfterEmail',
        voicemail.deleteAfterEmail,
        !voicemail.sendByEmail,
        msg('Delete voicemails once e-mailed', { id: 'settings.voicemail.delete' }),
      )}
    </section>`;
  }

  #renderQueues(client: CentrexClient): TemplateResult {
    const queues = client.queues;
    const mine = queues.filter((queue) => queue.member);
    const others = queues.filter((queue) => !queue.member);
    const toJoin = others.some((queue) => queue.id === this.queueToJoin) ? this.queueToJoin : (others[0]?.id ?? '');
    return html`<section part="section queues" aria-labelledby="queues-title">
      <h2 id="queues-title" part="heading">${msg('Queues', { id: 'settings.queues.title' })}</h2>
      ${queues.length === 0
        ? html`<p class="muted">${msg('Your company has no queues.', { id: 'settings.queues.none' })}</p>`
        : nothing}
      ${mine.length > 0
        ? html`<fieldset part="field" class="field">
            <legend>${msg('Logged in to', { id: 'settings.queues.logged-in' })}</legend>
            <ul class="plain">
              ${mine.map((queue, index) => this.#queue(client, queue, index))}
            </ul>
          </fieldset>`
        : nothing}
      ${others.length > 0
        ? html`<form part="field" class="field" @submit=${(event: SubmitEvent) => this.#joinQueue(event, client)}>
            <label for="join-queue">${msg('Add a queue', { id: 'settings.queues.add' })}</label>
            <div class="row">
              <select id="join-queue" aria-describedby="queues-status" @change=${(event: Event) => (this.queueToJoin = (event.target as HTMLSelectElement).value)}>
                ${others.map((queue) => html`<option value=${queue.id} .selected=${live(queue.id === toJoin)}>${this.#queueLabel(queue)}</option>`)}
              </select>
              <button part="button" type="submit" ?disabled=${this.busy.has('queues')}>${msg('Log in', { id: 'settings.queues.log-in' })}</button>
            </div>
            ${this.#status('queues')}
          </form>`
        : nothing}
    </section>`;
  }

  #renderFunctionKeys(): TemplateResult {
    return html`<section part="section function-keys" aria-labelledby="keys-title">
      <h2 id="keys-title" part="heading">${msg('Function keys', { id: 'settings.keys.title' })}</h2>
      <slot name="function-keys">
        <p class="muted">${msg('Your function keys are edited in the favorites list.', { id: 'settings.keys.hint' })}</p>
      </slot>
    </section>`;
  }

  // ——— pieces ———

  #flag(client: CentrexClient, settings: UserSettings, key: Flag, label: string, hint: string): TemplateResult {
    return html`<div part="field" class="field">
      <div class="switch">
        <input
          type="checkbox"
          id=${key}
          .checked=${live(settings[key])}
          ?disabled=${this.busy.has(key)}
          aria-describedby="${key}-hint ${key}-status"
          @change=${(event: Event) => {
            const on = (event.target as HTMLInputElement).checked;
            void this.#run(key, key, () => client.updateSettings({ [key]: on } satisfies UserSettingsUpdate));
          }}
        />
        <label for=${key}>${label}</label>
      </div>
      <p class="hint" id="${key}-hint">${hint}</p>
      ${this.#status(key)}
    </div>`;
  }

  #voicemailFlag(client: CentrexClient, key: 'sendByEmail' | 'deleteAfterEmail', checked: boolean, disabled: boolean, label: string): TemplateResult {
    return html`<div part="field" class="field">
      <div class="switch">
        <input
          type="checkbox"
          id=${key}
          .checked=${live(checked)}
          ?disabled=${disabled || this.busy.has(key)}
          aria-describedby="${key}-status"
          @change=${(event: Event) => {
            const on = (event.target as HTMLInputElement).checked;
            void this.#run(key, key, () => client.updateSettings({ voicemail: { [key]: on } }));
          }}
        />
        <label for=${key}>${label}</label>
      </div>
      ${this.#status(key)}
    </div>`;
  }

  #queue(client: CentrexClient, queue: Queue, index: number): TemplateResult {
    const key = `queue:${queue.id}`;
    const id = `queue-${index}`;
    return html`<li class="switch">
      <input
        type="checkbox"
        id=${id}
        .checked=${live(queue.loggedIn)}
        ?disabled=${this.busy.has(key)}
        aria-describedby="${id}-status"
        @change=${(event: Event) => {
          const on = (event.target as HTMLInputElement).checked;
          void this.#run(key, 'queues', () => client.setQueueLogin(queue.id, on), on ? msg('Logged in', { id: 'settings.queues.done-in' }) : msg('Logged out', { id: 'settings.queues.done-out' }));
        }}
      />
      <label for=${id}>${this.#queueLabel(queue)}</label>
      ${this.#status(key, id)}
    </li>`;
  }

  /** The status next to a field: "Saved", "Saving…" or what went wrong; a live region. */
  #status(key: string, id = key): TemplateResult {
    const error = this.errors.get(key);
    const text = error ?? (this.busy.has(key) ? msg('Saving…', { id: 'settings.saving' }) : (this.done.get(key) ?? ''));
    return html`<span class="status ${error === undefined ? 'ok' : 'error'}" part=${error === undefined ? 'status' : 'status error'} id="${id}-status" role="status"
      >${text}</span
    >`;
  }

  #deviceLabel(client: CentrexClient, device: Device): string {
    const dialPlan = client.dialPlan;
    if (device.number === null || device.number === '') return device.name;
    const number = dialPlan === undefined ? device.number : formatNumber(device.number, dialPlan);
    return msg(str`${device.name} (${number})`, { id: 'settings.calls.device-with-number' });
  }

  #queueLabel(queue: Queue): string {
    return msg(str`${queue.name} (${queue.extension})`, { id: 'settings.queues.label' });
  }

  // ——— saving ———

  /**
   * Runs one change and reports it next to the field: "Saving…", then "Saved" (or `doneText`) or the error.
   * @returns whether it succeeded
   */
  async #run(key: string, field: SettingsField, action: () => Promise<unknown>, doneText?: string): Promise<boolean> {
    this.busy = new Set([...this.busy, key]);
    this.#clear(key);
    try {
      await action();
      this.done = new Map([...this.done, [key, doneText ?? msg('Saved', { id: 'settings.saved' })]]);
      dispatch<SettingsSavedDetail>(this, 'centrex-settings-saved', { field });
      return true;
    } catch (error) {
      this.errors = new Map([...this.errors, [key, this.#errorMessage(error)]]);
      return false;
    } finally {
      const busy = new Set(this.busy);
      busy.delete(key);
      this.busy = busy;
    }
  }

  #fail(key: string, message: string, focus: string): void {
    this.#clear(key);
    this.errors = new Map([...this.errors, [key, message]]);
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${focus}`)?.focus());
  }

  #clear(key: string): void {
    if (this.errors.has(key)) {
      const errors = new Map(this.errors);
      errors.delete(key);
      this.errors = errors;
    }
    if (this.done.has(key)) {
      const done = new Map(this.done);
      done.delete(key);
      this.done = done;
    }
  }

  #errorMessage(error: unknown): string {
    if (isCentrexError(error) && error.details?.['apiCode'] === 'destination-not-allowed') {
      return msg('Your company does not allow this number (premium-rate or foreign numbers are blocked).', {
        id: 'settings.error.destination-not-allowed',
      });
    }
    return errorText(error);
  }

  async #saveName(event: SubmitEvent, client: CentrexClient): Promise<void> {
    event.preventDefault();
    const name = (this.nameDraft ?? '').trim();
    if (this.nameDraft === undefined) return;
    if (name === '') {
      this.#fail('name', msg('Enter your name.', { id: 'settings.user.name-missing' }), 'name');
      return;
    }
    const ok = await this.#run('name', 'name', async () => {
      await client.updateMe({ name });
    });
    if (ok) this.nameDraft = undefined;
  }

  async #saveLanguage(client: CentrexClient, language: Language): Promise<void> {
    await this.#run('language', 'language', async () => {
      await client.updateMe({ language });
      // The provider follows the client's user; switching here too makes it immediate, also without a provider.
      await setLanguage(language);
    });
  }

  async #addDevice(event: SubmitEvent, client: CentrexClient): Promise<void> {
    event.preventDefault();
    const name = this.deviceName.trim();
    const number = this.deviceNumber.trim();
    if (name === '') {
      this.#fail('devices', msg('Give the number a name, e.g. Mobile.', { id: 'settings.calls.device-name-missing' }), 'device-name');
      return;
    }
    if (number === '') {
      this.#fail('devices', msg('Enter the number to call with.', { id: 'settings.calls.device-number-missing' }), 'device-number');
      return;
    }
    const ok = await this.#run('devices', 'devices', () => client.addExternalDevice(name, number), msg('Added', { id: 'settings.calls.added' }));
    if (ok) {
      this.deviceName = '';
      this.deviceNumber = '';
    }
  }

  async #removeDevice(client: CentrexClient, device: Device): Promise<void> {
    await this.#run(
      'devices',
      'devices',
      async () => {
        await client.removeDevice(device.id);
      },
      msg(str`${device.name} removed`, { id: 'settings.calls.removed' }),
    );
  }

  async #saveParallel(client: CentrexClient, enabled: boolean, target: string): Promise<void> {
    const trimmed = target.trim();
    if (enabled && trimmed === '') {
      this.#fail('parallelCall', msg('Enter the extension or number to ring as well.', { id: 'settings.calls.parallel-missing' }), 'parallel-target');
      return;
    }
    const ok = await this.#run('parallelCall', 'parallelCall', () =>
      client.updateSettings({ parallelCall: { enabled, target: trimmed === '' ? null : trimmed } }),
    );
    if (ok) this.parallelDraft = undefined;
  }

  async #saveParallelTarget(event: SubmitEvent, client: CentrexClient, enabled: boolean): Promise<void> {
    event.preventDefault();
    const settings = client.settings;
    if (settings === undefined) return;
    await this.#saveParallel(client, enabled, this.parallelDraft ?? settings.parallelCall.target ?? '');
  }

  async #savePin(event: SubmitEvent, client: CentrexClient): Promise<void> {
    event.preventDefault();
    const pin = this.pinDraft.trim();
    if (!VOICEMAIL_PIN_PATTERN.test(pin)) {
      this.#fail('voicemailPin', msg('The PIN has 4 to 8 digits and nothing else.', { id: 'settings.voicemail.pin-invalid' }), 'pin');
      return;
    }
    const ok = await this.#run('voicemailPin', 'voicemailPin', () => client.updateSettings({ voicemail: { pin } }), msg('PIN saved', { id: 'settings.voicemail.pin-saved' }));
    if (ok) this.pinDraft = '';
  }

  async #removePin(client: CentrexClient): Promise<void> {
    const ok = await this.#run(
      'voicemailPin',
      'voicemailPin',
      () => client.updateSettings({ voicemail: { pin: null } }),
      msg('PIN removed', { id: 'settings.voicemail.pin-removed' }),
    );
    if (ok) this.pinDraft = '';
  }

  async #joinQueue(event: SubmitEvent, client: CentrexClient): Promise<void> {
    event.preventDefault();
    // The menu's value as it is now; the last render may be older than the choice.
    const id = (event.target as HTMLFormElement).querySelector('select')?.value ?? '';
    if (id === '') return;
    await this.#run('queues', 'queues', () => client.setQueueLogin(id, true), msg('Logged in', { id: 'settings.queues.done-in' }));
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-settings': CentrexSettings;
  }
  interface HTMLElementEventMap {
    'centrex-settings-saved': CustomEvent<SettingsSavedDetail>;
  }
}
