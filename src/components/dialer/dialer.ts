import type { CallRequestDetail } from '../shared/call-request.js';
import { html, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { live } from 'lit/directives/live.js';
import { msg, str } from '@lit/localize';
import type { Device } from '../../core/api/index.js';
import type { ClientArea, PlacedCall } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import type { Call, DtmfMethod } from '../../core/phone/index.js';
import { CallsController } from '../shared/calls-controller.js';
import { labelParty } from '../shared/party.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { controls, tokens } from '../shared/styles.js';
import { dialerStyles } from './dialer.styles.js';

/**
 * What the keypad does:
 * - `auto`: dials, and sends DTMF tones instead while the web phone has a call being talked on;
 * - `dial`: always edits the number to call;
 * - `dtmf`: always sends tones (on `.call`, else on the call being talked on).
 */
export type DialerMode = 'auto' | 'dial' | 'dtmf';

/**
 * `detail` of `centrex-call` from the dialer: the shared {@link CallRequestDetail}, plus `target` (the same as
 * `number`).
 */
export interface DialerCallDetail extends CallRequestDetail {
  /** What will be dialled, as typed (the core reads blanks, dashes, `+49 (0)…` and star codes). */
  readonly target: string;
  /** The same as `target`. */
  readonly number: string;
  /** Empty: the dialer knows no name for a typed number. */
  readonly name: string;
  /** The device the call will be made with ("Call with"). */
  readonly device: Device;
  /** Which element asked: the dialer. */
  readonly source: 'dialer';
}

/** `detail` of `centrex-call-placed`: the call was placed. */
export interface DialerCallPlacedDetail {
  /** What was dialled. */
  readonly target: string;
  /** The same as `target`. */
  readonly number: string;
  /** Empty: the dialer knows no name for a typed number. */
  readonly name: string;
  /** The call on the web phone, or the device that rings first (click-to-dial). */
  readonly placed: PlacedCall;
}

/** The twelve keys with the letters printed under them (ITU E.161). */
const KEYS: readonly { readonly key: string; readonly letters: string }[] = [
  { key: '1', letters: '' },
  { key: '2', letters: 'ABC' },
  { key: '3', letters: 'DEF' },
  { key: '4', letters: 'GHI' },
  { key: '5', letters: 'JKL' },
  { key: '6', letters: 'MNO' },
  { key: '7', letters: 'PQRS' },
  { key: '8', letters: 'TUV' },
  { key: '9', letters: 'WXYZ' },
  { key: '*', letters: '' },
  { key: '0', letters: '+' },
  { key: '#', letters: '' },
];

const COLUMNS = 3;

/**
 * Takes the dialable part of pasted text: a whole number as people write it (`+49 (0)89 123-456`, `0171/3921234`),
 * a star code, a `sip:`/`tel:` address, or else the first run of digits in it (`Tel.: +49 89 1234` → `+49 89 1234`).
 * Text without digits (a SIP user name) is kept as it is. Line breaks become blanks.
 */
export function dialStringFrom(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  if (flat === '') return '';
  if (/^(sips?|tel):/i.test(flat)) return flat.split(/\s/)[0] ?? flat;
  if (/^[+\d*#\s\u00a0\u2010-\u2015./()-]+$/.test(flat)) return flat;
  const run = /\+?\(?\d[\d\s\u00a0\u2010-\u2015./()-]*\d/.exec(flat);
  return run ? run[0].trim() : flat;
}

/**
 * A number field with a 12-key keypad (digits with their letters, `*`, `#`), a call button and backspace. It takes
 * typed, pasted and international numbers (`+49 …`, blanks, dashes, parentheses) and star codes; Enter calls. The
 * call goes through `client.call()`, so with the device chosen under "Call with": the web phone, or another device
 * that rings first (click-to-dial).
 *
 * While the web phone has a call being talked on, the keypad sends DTMF tones on that call instead (for menus and
 * conference PINs), unless `mode="dial"`. The keypad has one tab stop: arrow keys, Home and End move between keys,
 * and typing `0`–`9`, `*`, `#` anywhere on it presses that key.
 *
 * @summary Number field and keypad: dial, or send tones during a call.
 * @fires centrex-call - before calling (cancelable: `preventDefault()` and the host places the call itself); {@link DialerCallDetail}
 * @fires centrex-call-placed - the call was placed; {@link DialerCallPlacedDetail}
 * @csspart form - the whole dialer
 * @csspart input - the number field (or, when sending tones, the field showing the tones sent)
 * @csspart backspace - the button deleting the last character
 * @csspart keypad - the group of twelve keys
 * @csspart key - each key
 * @csspart call-button - the call button
 * @csspart device - the note naming the device that rings first, when it is not the web phone
 * @csspart error - what went wrong
 * @cssprop --centrex-dialer-width - the dialer's largest width (default 18rem)
 * @cssprop --centrex-dialer-key-size - the height of a key (default 3.25rem)
 * @cssprop --centrex-dialer-key-background - the keys' background (default the surface colour)
 * @cssprop --centrex-dialer-call-background - the call button's background (default the in-call green)
 * @cssprop --centrex-dialer-call-color - the call button's text colour
 */
export class CentrexDialer extends CentrexElement {
  static override styles = [tokens, controls, dialerStyles];
  static override clientAreas: readonly ClientArea[] = ['status', 'devices', 'settings', 'directory'];
  static override shadowRootOptions: ShadowRootInit = { ...CentrexElement.shadowRootOptions, delegatesFocus: true };

  /** The number in the field. */
  @property() value = '';

  /** What the keypad does; see {@link DialerMode}. Default `auto`. */
  @property({ reflect: true }) mode: DialerMode = 'auto';

  /** The call tones go to; default: the web phone's call being talked on. */
  @property({ attribute: false }) call: Call | undefined;

  /**
   * How tones are sent: `rtp` (in the audio), `info` (SIP INFO, for systems that read tones from signalling), or
   * `auto`. Default: the phone's setting.
   */
  @property({ attribute: 'dtmf-method' }) dtmfMethod: DtmfMethod | undefined;

  @state() private _error = '';
  @state() private _busy = false;
  @state() private _tones = '';
  @state() private _focusIndex = 0;

  #tonesFor: Call | undefined;

  readonly #calls = new CallsController(this, () => this.activeClient);

  /** The call the keypad sends tones to now, or `undefined` while it dials. */
  get toneCall(): Call | undefined {
    if (this.mode === 'dial') return undefined;
    const call = this.call ?? this.#calls.phone?.calls.active;
    if (call === undefined || call.state === 'ended') return undefined;
    if (this.mode === 'dtmf') return call;
    return call.state === 'established' ? call : undefined;
  }

  /**
   * Calls a number (default: the one in the field): fires `centrex-call`, then places the call with the client and
   * fires `centrex-call-placed`. Errors are shown in the element; resolves `undefined` when nothing was placed.
   */
  async dial(target: string = this.value): Promise<PlacedCall | undefined> {
    const text = target.trim();
    this._error = '';
    if (text === '') {
      this._error = msg('Enter a number to call.', { id: 'dialer.empty' });
      return undefined;
    }
    const client = this.activeClient;
    if (client === undefined || client.status === 'signed-out') {
      this._error = msg('Sign in to make calls.', { id: 'dialer.signed-out' });
      return undefined;
    }
    const request: DialerCallDetail = { target: text, number: text, name: '', device: client.callingDevice, source: 'dialer' };
    if (!dispatch(this, 'centrex-call', request, true)) return undefined;
    this._busy = true;
    try {
      const placed = await client.call(text);
      if (this.value.trim() === text) this.value = '';
      dispatch<DialerCallPlacedDetail>(this, 'centrex-call-placed', { target: text, number: text, name: '', placed });
      return placed;
    } catch (error) {
      this._error = this.#describe(error);
      return undefined;
    } finally {
      this._busy = false;
    }
  }

  /** Presses a key as if it was clicked: adds it to the number, or sends it as a tone during a call. */
  async press(key: string): Promise<void> {
    const call = this.toneCall;
    if (call !== undefined) {
      await this.#sendTone(call, key);
      return;
    }
    this._error = '';
    this.value += key;
  }

  protected override willUpdate(): void {
    // Tones shown belong to one call: a new call starts with an empty line.
    const call = this.toneCall;
    if (call !== this.#tonesFor) {
      this.#tonesFor = call;
      this._tones = '';
    }
  }

  protected override render() {
    const call = this.toneCall;
    const device = this.activeClient?.callingDevice;
    return html`
      <form part="form" novalidate @submit=${this.#onSubmit}>
        ${call === undefined ? this.#renderNumber() : this.#renderTones(call)}
        <div part="keypad" role="group" aria-label=${msg('Keypad', { id: 'dialer.keypad' })} @keydown=${this.#onKeypadKeydown}>
          ${KEYS.map(({ key, letters }, index) => {
            const name = key === '*' ? msg('Star', { id: 'dialer.key-star' }) : key === '#' ? msg('Hash', { id: 'dialer.key-hash' }) : undefined;
            return html`<button
              type="button"
              part="key"
              data-key=${key}
              tabindex=${index === this._focusIndex ? 0 : -1}
              aria-label=${ifDefined(name)}
              ?disabled=${call !== undefined && call.state !== 'established'}
              @focus=${() => (this._focusIndex = index)}
              @click=${() => void this.press(key)}
            >
              <span class="digit" aria-hidden=${ifDefined(name === undefined ? undefined : 'true')}>${key}</span>
              <span class="letters" aria-hidden="true">${letters}</span>
            </button>`;
          })}
        </div>
        ${call === undefined
          ? html`<button type="submit" part="call-button" ?disabled=${this._busy}>${msg('Call', { id: 'dialer.call' })}</button>`
          : nothing}
        ${call === undefined && device !== undefined && device.kind !== 'web'
          ? html`<p part="device" class="device">${msg(str`Calls with ${device.name}`, { id: 'dialer.calling-device' })}</p>`
          : nothing}
        <p part="error" class="error" role="alert">${this._error}</p>
      </form>
    `;
  }

  #renderNumber() {
    return html`
      <label for="number">${msg('Number', { id: 'dialer.number' })}</label>
      <div class="field">
        <input
          id="number"
          part="input"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          enterkeyhint="go"
          spellcheck="false"
          .value=${live(this.value)}
          @input=${this.#onInput}
          @paste=${this.#onPaste}
        />
        <button
          type="button"
          part="backspace"
          aria-label=${msg('Delete last digit', { id: 'dialer.backspace' })}
          ?disabled=${this.value === ''}
          @click=${this.#backspace}
        >
          <span aria-hidden="true">⌫</span>
        </button>
      </div>
    `;
  }

  #renderTones(call: Call) {
    const who = labelParty(this.activeClient, call.remote).name;
    return html`
      <label for="tones" class="tones-label">${msg(str`Tones sent to ${who}`, { id: 'dialer.tones-to' })}</label>
      <div class="field">
        <input id="tones" part="input" readonly autocomplete="off" .value=${live(this._tones)} @keydown=${this.#onTonesKeydown} />
      </div>
    `;
  }

  #onInput(event: InputEvent): void {
    this.value = (event.target as HTMLInputElement).value;
    this._error = '';
  }

  #onPaste(event: ClipboardEvent): void {
    const text = event.clipboardData?.getData('text/plain');
    if (text === undefined) return;
    // Pasted text often carries more than the number ("Tel.: …", line breaks): keep what can be dialled.
    event.preventDefault();
    const input = event.target as HTMLInputElement;
    input.setRangeText(dialStringFrom(text), input.selectionStart ?? input.value.length, input.selectionEnd ?? input.value.length, 'end');
    this.value = input.value;
    this._error = '';
  }

  #backspace(): void {
    this.value = this.value.slice(0, -1);
    this._error = '';
  }

  #onSubmit(event: SubmitEvent): void {
    event.preventDefault();
    if (this.toneCall !== undefined) return;
    void this.dial();
  }

  #onKeypadKeydown(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const last = KEYS.length - 1;
    let index = this._focusIndex;
    switch (event.key) {
      case 'ArrowRight':
        index = Math.min(last, index + 1);
        break;
      case 'ArrowLeft':
        index = Math.max(0, index - 1);
        break;
      case 'ArrowDown':
        index = index + COLUMNS <= last ? index + COLUMNS : index;
        break;
      case 'ArrowUp':
        index = index - COLUMNS >= 0 ? index - COLUMNS : index;
        break;
      case 'Home':
        index = 0;
        break;
      case 'End':
        index = last;
        break;
      case 'Backspace':
        if (this.toneCall !== undefined) return;
        event.preventDefault();
        this.#backspace();
        return;
      default:
        if (/^[0-9*#]$/.test(event.key) || (event.key === '+' && this.toneCall === undefined)) {
          event.preventDefault();
          void this.press(event.key);
        }
        return;
    }
    event.preventDefault();
    this._focusIndex = index;
    this.renderRoot.querySelectorAll<HTMLButtonElement>('[part~="key"]')[index]?.focus();
  }

  #onTonesKeydown(event: KeyboardEvent): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (!/^[0-9*#a-d]$/i.test(event.key)) return;
    event.preventDefault();
    void this.press(event.key.toUpperCase());
  }

  async #sendTone(call: Call, key: string): Promise<void> {
    this._error = '';
    try {
      await call.sendDtmf(key, this.dtmfMethod === undefined ? {} : { method: this.dtmfMethod });
      if (this.#tonesFor === call) this._tones += key;
    } catch (error) {
      this._error = this.#describe(error);
    }
  }

  #describe(error: unknown): string {
    if (isCentrexError(error)) {
      if (error.code === 'invalid-number') {
        return msg('This number cannot be dialled. Check the digits, or write it with the country code (+49 …).', { id: 'dialer.invalid-number' });
      }
      if (error.code === 'invalid-call-state') return msg('Tones can only be sent while the call is connected.', { id: 'dialer.not-connected' });
    }
    return errorText(error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-dialer': CentrexDialer;
  }
  // `centrex-call` and `centrex-call-placed` are declared in HTMLElementEventMap by <centrex-click-to-call> with
  // details whose fields these details include; a second declaration with another type would not compile.
}
