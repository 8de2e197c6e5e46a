import { html, nothing, type PropertyValues } from 'lit';
import { property, state, query } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { ClientArea } from '../../core/client/index.js';
import type { DeviceList } from '../../core/phone/index.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { controls, tokens } from '../shared/styles.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { phoneStyles } from './phone.styles.js';

/** The sections of the phone menu ("Telefon-Menü"). */
export type PhoneSection = 'dialer' | 'contacts' | 'history' | 'forwarding' | 'settings';

const SECTIONS: readonly PhoneSection[] = ['dialer', 'contacts', 'history', 'forwarding', 'settings'];

/** The drag data type a favorite or contact carries (`{ target, name }` as JSON). */
const TARGET_TYPE = 'application/x-centrex-target';

/** `detail` of `centrex-section-change`. */
export interface SectionChangeDetail {
  readonly section: PhoneSection;
}

/**
 * The whole web app in one element, laid out as the manual's "Aufbau der App": the app menu (name, "Call with"
 * device choice, adding an external number, the user's direct number, sign out), the search bar with shortcuts
 * (forwarding profile, do not disturb, ringtone, audio and video devices), the phone menu (dialer, contacts, call
 * lists, forwarding, settings), the favorites, and the call area with incoming calls and the call bar.
 *
 * It is made of the other Centrex elements, so a host can use the whole or any part. Signed out, it shows a
 * sign-in form. Drop a favorite or contact on the call area to call it (or, during a call, to transfer the call).
 *
 * @summary The complete Centrex web app.
 * @csspart app-menu - the top-left area with the user and the device calls are made with
 * @csspart search-bar - the search and the shortcuts
 * @csspart phone-menu - the section tabs
 * @csspart call-area - incoming calls, the call bar and the chosen section
 * @csspart favorites - the favorites (BLF keys)
 * @cssprop --centrex-phone-menu-width - width of the phone menu column
 * @cssprop --centrex-phone-favorites-width - width of the favorites column
 * @cssprop --centrex-phone-min-height - the app's minimum height
 * @fires centrex-section-change - the user chose another section ({@link SectionChangeDetail})
 * @slot sign-in-help - text under the sign-in form (where to get an account)
 */
export class CentrexPhone extends CentrexElement {
  static override styles = [tokens, controls, phoneStyles];
  static override clientAreas: readonly ClientArea[] = ['status', 'me', 'settings', 'devices', 'forwarding'];

  /** The section shown in the call area. */
  @property({ reflect: true }) section: PhoneSection = 'dialer';

  @state() private menuOpen = false;
  @state() private addingDevice = false;
  @state() private devicesOpen = false;
  @state() private mediaDevices: DeviceList | undefined;
  @state() private ringtoneOn = true;
  @state() private busy = false;
  @state() private error = '';
  @state() private status = '';
  @state() private dropping = false;

  @query('.menu-toggle') private menuToggle?: HTMLButtonElement;

  #stopPhoneEvents: (() => void) | undefined;

  protected override clientChanged(area: ClientArea): void {
    if (area !== 'status') return;
    this.#stopPhoneEvents?.();
    this.#stopPhoneEvents = undefined;
    const phone = this.activeClient?.phone;
    if (phone === undefined) return;
    // Calls change the call area's content (incoming popups, banner) through the child elements; the phone only
    // needs to know when the active call changes, to decide what a drop means.
    this.#stopPhoneEvents = phone.calls.on('activechange', () => this.requestUpdate());
    this.ringtoneOn = phone.ringer.volume > 0;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopPhoneEvents?.();
    this.#stopPhoneEvents = undefined;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('section')) dispatch<SectionChangeDetail>(this, 'centrex-section-change', { section: this.section });
  }

  protected override render() {
    const client = this.activeClient;
    if (client === undefined) {
      return html`<p role="status">${msg('Connecting…', { id: 'phone.no-client' })}</p>`;
    }
    if (client.status === 'signed-out' || client.me === undefined) return this.#renderSignIn();
    // Signed in, but the user's data is still loading: the areas would flash half-filled.
    if (client.settings === undefined) return html`<p role="status">${msg('Loading…', { id: 'phone.loading' })}</p>`;
    return html`
      <div class="layout">
        ${this.#renderAppMenu()} ${this.#renderSearchBar()} ${this.#renderPhoneMenu()}
        <main
          part="call-area"
          class=${this.dropping ? 'drop-target' : ''}
          aria-label=${msg('Call area', { id: 'phone.call-area' })}
          @dragover=${this.#onDragOver}
          @dragleave=${() => (this.dropping = false)}
          @drop=${this.#onDrop}
        >
          <centrex-incoming-call .client=${client}></centrex-incoming-call>
          <centrex-call-bar .client=${client}></centrex-call-bar>
          <p class="status-line" role="status">${this.status}</p>
          ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
          <div role="tabpanel" id="panel" aria-labelledby=${`tab-${this.section}`}>${this.#renderSection()}</div>
        </main>
        <aside part="favorites" aria-label=${msg('Favorites', { id: 'phone.favorites' })}>
          <centrex-favorites .client=${client}></centrex-favorites>
        </aside>
      </div>
    `;
  }

  #renderSignIn() {
    return html`
      <form class="sign-in" @submit=${this.#signIn} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">${msg('Sign in', { id: 'phone.sign-in-title' })}</h2>
        <label>
          ${msg('E-mail address', { id: 'phone.email' })}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          ${msg('Password', { id: 'phone.password' })}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Sign in', { id: 'phone.sign-in' })}</button>
        ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
        <slot name="sign-in-help"></slot>
      </form>
    `;
  }

  #renderAppMenu() {
    const client = this.activeClient!;
    const me = client.me!;
    const calling = client.callingDevice;
    return html`
      <div part="app-menu">
        <button
          class="menu-toggle"
          aria-expanded=${this.menuOpen ? 'true' : 'false'}
          aria-controls="app-menu"
          @click=${() => (this.menuOpen = !this.menuOpen)}
        >
          <strong>${me.name}</strong>
          <span class="device">${msg(str`Call with: ${this.#deviceName(calling)}`, { id: 'phone.calling-with' })}</span>
        </button>
        ${this.menuOpen
          ? html`<div class="menu" id="app-menu" @keydown=${this.#menuKeydown}>
              <fieldset>
                <legend>${msg('Call with', { id: 'phone.call-with' })}</legend>
                ${client.devices.map(
                  (device) => html`<label>
                    <input
                      type="radio"
                      name="calling-device"
                      .checked=${device.id === calling.id}
                      @change=${() => void this.#chooseDevice(device.id)}
                    />
                    ${this.#deviceName(device)}${device.number ? html` <span class="device">${device.number}</span>` : nothing}
                  </label>`,
                )}
              </fieldset>
              ${this.addingDevice
                ? html`<form class="add-device" @submit=${this.#addDevice}>
                    <label>${msg('Name', { id: 'phone.device-name' })} <input name="name" required maxlength="60" /></label>
                    <label>${msg('Number', { id: 'phone.device-number' })} <input name="number" type="tel" required /></label>
                    <div class="shortcuts">
                      <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Add', { id: 'phone.add' })}</button>
                      <button type="button" @click=${() => (this.addingDevice = false)}>${msg('Cancel', { id: 'phone.cancel' })}</button>
                    </div>
                  </form>`
                : html`<button class="add-device-toggle" @click=${() => (this.addingDevice = true)}>+ ${msg('Add', { id: 'phone.add' })}</button>`}
              ${me.directNumber
                ? html`<p>${msg('Your direct number', { id: 'phone.direct-number' })}: <span>${me.directNumber}</span></p>`
                : nothing}
              <button @click=${() => void this.#signOut()}>${msg('Sign out', { id: 'phone.sign-out' })}</button>
            </div>`
          : nothing}
      </div>
    `;
  }

  #renderSearchBar() {
    const client = this.activeClient!;
    const forwarding = client.forwarding;
    const settings = client.settings;
    const phone = client.phone;
    return html`
      <div part="search-bar">
        <centrex-search .client=${client}></centrex-search>
        <div class="shortcuts">
          ${forwarding
            ? html`<label>
                <span class="visually-hidden">${msg('Forwarding profile', { id: 'phone.forwarding-profile' })}</span>
                <select
                  title=${msg('Forwarding profile', { id: 'phone.forwarding-profile' })}
                  @change=${(event: Event) => void this.#chooseProfile(Number((event.target as HTMLSelectElement).value))}
                >
                  ${forwarding.profiles.map(
                    (profile) =>
                      html`<option value=${String(profile.number)} ?selected=${profile.number === forwarding.activeProfile}>${profile.title}</option>`,
                  )}
                </select>
              </label>`
            : nothing}
          ${settings
            ? html`<button aria-pressed=${settings.dnd ? 'true' : 'false'} @click=${() => void this.#toggleDnd()}>
                ${msg('Do not disturb', { id: 'phone.dnd' })}
              </button>`
            : nothing}
          ${phone
            ? html`<button aria-pressed=${this.ringtoneOn ? 'true' : 'false'} @click=${this.#toggleRingtone}>
                  ${msg('Ringtone', { id: 'phone.ringtone' })}
                </button>
                <button aria-expanded=${this.devicesOpen ? 'true' : 'false'} aria-controls="devices" @click=${() => void this.#toggleDevices()}>
                  ${msg('Devices', { id: 'phone.devices' })}
                </button>`
            : nothing}
        </div>
        ${this.devicesOpen && this.mediaDevices ? this.#renderDevices(this.mediaDevices) : nothing}
      </div>
    `;
  }

  #renderDevices(list: DeviceList) {
    const media = this.activeClient!.phone!.media;
    const choice = (kind: 'microphone' | 'camera' | 'speaker' | 'ringer', label: string, devices: readonly MediaDeviceInfo[]) => html`
      <label>
        ${label}
        <select @change=${(event: Event) => void this.#chooseMedia(kind, (event.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${media.selection[kind] === undefined}>${msg('System default', { id: 'phone.default-device' })}</option>
          ${devices.map(
            (device, index) =>
              html`<option value=${device.deviceId} ?selected=${media.selection[kind] === device.deviceId}>
                ${device.label || `${label} ${index + 1}`}
              </option>`,
          )}
        </select>
      </label>
    `;
    return html`<div class="devices-panel" id="devices">
      ${choice('microphone', msg('Microphone', { id: 'phone.microphone' }), list.microphones)}
      ${choice('camera', msg('Camera', { id: 'phone.camera' }), list.cameras)}
      ${media.canChooseSpeaker
        ? html`${choice('speaker', msg('Speaker', { id: 'phone.speaker' }), list.speakers)}
          ${choice('ringer', msg('Ringtone output', { id: 'phone.ringer-output' }), list.speakers)}`
        : nothing}
    </div>`;
  }

  #renderPhoneMenu() {
    const labels: Record<PhoneSection, string> = {
      dialer: msg('Phone', { id: 'phone.section.dialer' }),
      contacts: msg('Contacts', { id: 'phone.section.contacts' }),
      history: msg('Call lists', { id: 'phone.section.history' }),
      forwarding: msg('Forwarding', { id: 'phone.section.forwarding' }),
      settings: msg('Settings', { id: 'phone.section.settings' }),
    };
    return html`
      <nav part="phone-menu" role="tablist" aria-orientation="vertical" aria-label=${msg('Phone menu', { id: 'phone.menu' })} @keydown=${this.#tabKeydown}>
        ${SECTIONS.map(
          (section) => html`<button
            role="tab"
            id=${`tab-${section}`}
            aria-selected=${section === this.section ? 'true' : 'false'}
            aria-controls="panel"
            tabindex=${section === this.section ? '0' : '-1'}
            @click=${() => (this.section = section)}
          >
            ${labels[section]}
          </button>`,
        )}
      </nav>
    `;
  }

  #renderSection() {
    const client = this.activeClient;
    switch (this.section) {
      case 'dialer':
        return html`<centrex-dialer .client=${client}></centrex-dialer>`;
      case 'contacts':
        return html`<centrex-contacts .client=${client}></centrex-contacts>`;
      case 'history':
        return html`<centrex-history .client=${client}></centrex-history>`;
      case 'forwarding':
        return html`<centrex-forwarding .client=${client}></centrex-forwarding>`;
      case 'settings':
        return html`<centrex-settings .client=${client}><centrex-favorites slot="function-keys" editable .client=${client}></centrex-favorites></centrex-settings>`;
    }
  }

  #deviceName(device: { kind: string; name: string }): string {
    return device.kind === 'web' ? msg('This app', { id: 'phone.web-device' }) : device.name;
  }

  #tabKeydown(event: KeyboardEvent): void {
    const index = SECTIONS.indexOf(this.section);
    let next: number | undefined;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight') next = (index + 1) % SECTIONS.length;
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft') next = (index - 1 + SECTIONS.length) % SECTIONS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = SECTIONS.length - 1;
    if (next === undefined) return;
    event.preventDefault();
    this.section = SECTIONS[next]!;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#tab-${this.section}`)?.focus());
  }

  #menuKeydown(event: KeyboardEvent): void {
    if (event.key !== 'Escape') return;
    this.menuOpen = false;
    this.menuToggle?.focus();
  }

  async #run(action: () => Promise<unknown>, done?: string): Promise<void> {
    this.busy = true;
    this.error = '';
    try {
      await action();
      if (done !== undefined) this.status = done;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = false;
    }
  }

  async #signIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    await this.#run(() => this.activeClient!.signIn(String(data.get('email') ?? ''), String(data.get('password') ?? '')));
  }

  async #signOut(): Promise<void> {
    this.menuOpen = false;
    await this.#run(() => this.activeClient!.signOut());
  }

  async #chooseDevice(id: string): Promise<void> {
    const client = this.activeClient!;
    await this.#run(async () => {
      await client.setCallingDevice(id);
      this.status = msg(str`Calls are now made with: ${this.#deviceName(client.callingDevice)}`, { id: 'phone.device-chosen' });
    });
  }

  async #addDevice(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.target as HTMLFormElement);
    await this.#run(async () => {
      await this.activeClient!.addExternalDevice(String(data.get('name') ?? '').trim(), String(data.get('number') ?? '').trim());
      this.addingDevice = false;
    }, msg('Number added.', { id: 'phone.device-added' }));
  }

  async #chooseProfile(number: number): Promise<void> {
    const client = this.activeClient!;
    const forwarding = client.forwarding;
    if (forwarding === undefined) return;
    const title = forwarding.profiles.find((profile) => profile.number === number)?.title ?? String(number);
    await this.#run(
      () => client.saveForwarding({ ...forwarding, activeProfile: number }),
      msg(str`Forwarding profile active: ${title}`, { id: 'phone.profile-active' }),
    );
  }

  async #toggleDnd(): Promise<void> {
    const client = this.activeClient!;
    const on = !(client.settings?.dnd ?? false);
    await this.#run(
      () => client.updateSettings({ dnd: on }),
      on ? msg('Do not disturb is on.', { id: 'phone.dnd-on' }) : msg('Do not disturb is off.', { id: 'phone.dnd-off' }),
    );
  }

  #toggleRingtone(): void {
    const ringer = this.activeClient?.phone?.ringer;
    if (ringer === undefined) return;
    // With the ringtone off the app stays silent and only the popup (and a browser notification) tells of a call.
    this.ringtoneOn = !this.ringtoneOn;
    ringer.volume = this.ringtoneOn ? 1 : 0;
    this.status = this.ringtoneOn ? msg('Ringtone on.', { id: 'phone.ringtone-on' }) : msg('Ringtone off.', { id: 'phone.ringtone-off' });
  }

  async #toggleDevices(): Promise<void> {
    this.devicesOpen = !this.devicesOpen;
    if (this.devicesOpen) await this.#run(async () => (this.mediaDevices = await this.activeClient!.phone!.media.listDevices()));
  }

  async #chooseMedia(kind: 'microphone' | 'camera' | 'speaker' | 'ringer', deviceId: string): Promise<void> {
    await this.#run(() => this.activeClient!.phone!.media.select(kind, deviceId === '' ? undefined : deviceId));
  }

  #onDragOver(event: DragEvent): void {
    const types = event.dataTransfer?.types ?? [];
    if (!types.includes(TARGET_TYPE) && !types.includes('text/plain')) return;
    event.preventDefault();
    this.dropping = true;
  }

  async #onDrop(event: DragEvent): Promise<void> {
    this.dropping = false;
    if (event.defaultPrevented) return; // the call bar took it (a transfer dropped on the banner)
    const target = readDropTarget(event.dataTransfer);
    if (target === undefined) return;
    event.preventDefault();
    const client = this.activeClient!;
    const active = client.phone?.calls.active;
    if (active !== undefined && active.state === 'established') {
      await this.#run(() => active.transfer(target), msg(str`Transferred to ${target}`, { id: 'phone.transferred' }));
    } else {
      await this.#run(() => client.call(target));
    }
  }
}

/** The number or extension a drop carries: a Centrex target (favorite, contact) or plain text that looks dialable. */
function readDropTarget(data: DataTransfer | null): string | undefined {
  if (data === null) return undefined;
  const rich = data.getData(TARGET_TYPE);
  if (rich) {
    try {
      const parsed = JSON.parse(rich) as { target?: unknown };
      if (typeof parsed.target === 'string' && parsed.target.trim() !== '') return parsed.target.trim();
    } catch {
      // Not ours after all; fall back to the plain text.
    }
  }
  const text = data.getData('text/plain').trim();
  return /^[+*#\d][\d\s()./-]{0,40}$/.test(text) ? text : undefined;
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-phone': CentrexPhone;
  }
  interface HTMLElementEventMap {
    'centrex-section-change': CustomEvent<SectionChangeDetail>;
  }
}
