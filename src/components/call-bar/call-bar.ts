import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { live } from 'lit/directives/live.js';
import { msg, str } from '@lit/localize';
import type { ClientArea } from '../../core/client/index.js';
import { CentrexError, isCentrexError } from '../../core/errors.js';
import type { Call, CallEndReason, CallEventMap, CallState, Conference } from '../../core/phone/index.js';
import '../dialer/centrex-dialer.js';
import { dialStringFrom } from '../dialer/dialer.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { formatDuration } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import { callBarStyles } from './call-bar.styles.js';
import { CallsController } from '../shared/calls-controller.js';
import { directoryName, labelCall, labelParty, type PartyLabel } from '../shared/party.js';

/** What the banner shows: no call, a call being set up, a call being talked on (green), only held calls (yellow). */
export type CallBarState = 'idle' | 'connecting' | 'in-call' | 'on-hold';

/** The drag data type of a call target (a favorite, a contact): JSON `{ "target": "13", "name": "David" }`. */
export const TARGET_DRAG_TYPE = 'application/x-centrex-target';

/** The drag data type of a call of this bar (its id): drop a held call on "Conference" or "Transfer". */
export const CALL_DRAG_TYPE = 'application/x-centrex-call';

/** `detail` of `centrex-transfer` (before) and `centrex-transferred` (after): a call is handed to `target`. */
export interface CallBarTransferDetail {
  /** The call handed over. */
  readonly call: Call;
  /** Where to: a dial string for a blind transfer, or the other call for an attended one. */
  readonly target: string | Call;
  /** A name for the target when one is known (from a dropped favorite, or the other call's party). */
  readonly name: string;
}

const ANSWERED: readonly CallState[] = ['established', 'held', 'transferring'];
const SETTING_UP: readonly CallState[] = ['dialling', 'ringing', 'early-media'];

/** How long the note about a call that just ended stays on screen. */
const ENDED_NOTE_MS = 6000;

function isRingingIn(call: Call): boolean {
  return call.direction === 'incoming' && call.state === 'ringing';
}

/**
 * The status banner of the web phone's calls ("Anrufleiste"): green while a call is being talked on, with the other
 * party's name or number and the running talk time; yellow when every call is held; a neutral banner while a call is
 * being set up. Under it the buttons for the call: hold, mute, keypad (DTMF), transfer (to a typed number, or to the
 * other call after a consultation), conference and swap when there are two calls, video, screen sharing, hang up.
 * With several calls (call waiting) all are listed; choosing a held one swaps to it. Who transferred or forwarded a
 * call is shown under the name.
 *
 * Drop a favorite or a number on the bar (`application/x-centrex-target` or `text/plain`) to transfer the call;
 * drag a held call onto "Conference" or "Transfer" to join or connect the two. Hosts can do the same with
 * {@link CentrexCallBar.transferTo}. Changes of state are announced to screen readers.
 *
 * @summary The current calls: status banner, talk time and in-call buttons.
 * @fires centrex-transfer - before a transfer (cancelable); {@link CallBarTransferDetail}
 * @fires centrex-transferred - the transfer worked; {@link CallBarTransferDetail}
 * @csspart banner - the coloured status line (name, number, talk time)
 * @csspart status - the state in words, inside the banner
 * @csspart name - the other party's name or number
 * @csspart number - the other party's number, when a name is shown
 * @csspart duration - the talk time
 * @csspart via - "Transferred by …" / "Forwarded by …" under the banner
 * @csspart actions - the buttons for the current call
 * @csspart transfer - the transfer form
 * @csspart keypad - the keypad for tones (a `<centrex-dialer mode="dtmf">`)
 * @csspart calls - the list of calls when there are several
 * @csspart video - the video area; `remote-video` and `local-video` inside it
 * @csspart remote-video - the other party's video
 * @csspart local-video - the own camera or shared screen
 * @csspart ended - the note about a call that just ended
 * @csspart error - what went wrong
 * @cssprop --centrex-call-bar-in-call - the banner colour in a call (default the `--centrex-color-in-call` green)
 * @cssprop --centrex-call-bar-on-hold - the banner colour on hold (default the `--centrex-color-on-hold` yellow)
 * @cssprop --centrex-call-bar-in-call-text - the text colour on the in-call banner
 * @cssprop --centrex-call-bar-on-hold-text - the text colour on the on-hold banner
 * @cssprop --centrex-call-bar-video-background - the video area's background while no picture arrives
 */
export class CentrexCallBar extends CentrexElement {
  static override styles = [tokens, controls, callBarStyles];
  static override clientAreas: readonly ClientArea[] = ['status', 'directory', 'contacts'];

  /** The state the banner shows; reflected as the `state` attribute for styling by the host page. Read-only. */
  @property({ reflect: true }) state: CallBarState = 'idle';

  @state() private _panel: 'none' | 'transfer' | 'keypad' = 'none';
  @state() private _transferTarget = '';
  @state() private _error = '';
  @state() private _announcement = '';
  @state() private _ended = '';
  @state() private _dropReady = false;

  #ticker: ReturnType<typeof setInterval> | undefined;
  #endedTimer: ReturnType<typeof setTimeout> | undefined;
  /** Names of calls as last shown, to announce their end after the call left the phone's list. */
  readonly #names = new WeakMap<Call, string>();

  readonly #calls = new CallsController(this, () => this.activeClient, {
    statechange: (call, from, to) => this.#onStateChange(call, from, to),
    transfer: (event) => this.#onTransfer(event),
    conference: (conference) => this.#onConference(conference),
    phoneChanged: () => {
      this._panel = 'none';
      this._error = '';
    },
  });

  constructor() {
    super();
    // On the host, so that a drop anywhere on the bar (and a host page's synthetic drop) is seen.
    this.addEventListener('dragover', (event) => this.#onDragOver(event));
    this.addEventListener('dragleave', () => (this._dropReady = false));
    this.addEventListener('drop', (event) => void this.#onDrop(event));
  }

  /** The calls the bar shows (ringing incoming calls are `<centrex-incoming-call>`'s), oldest first. */
  get calls(): readonly Call[] {
    return this.#calls.calls.filter((call) => !isRingingIn(call));
  }

  /** The call the buttons act on: the one being talked on, else one being set up or transferred, else the newest. */
  get currentCall(): Call | undefined {
    const calls = this.calls;
    return (
      this.#calls.phone?.calls.active ??
      calls.find((call) => call.state === 'transferring') ??
      [...calls].reverse().find((call) => SETTING_UP.includes(call.state)) ??
      calls.at(-1)
    );
  }

  /**
   * Transfers the current call without consultation ("blind") to a number, extension or SIP address: fires the
   * cancelable `centrex-transfer`, then asks the other party's phone to call `target` and leaves the call. For
   * drag and drop from favorites, contacts and search results.
   *
   * @param target - a dial string (`13`, `+49 30 5550100`)
   * @param name - the target's name, for the announcement
   * @returns whether the transfer was made (false when a listener vetoed it)
   * @throws CentrexError `invalid-call-state` without an answered call; `transfer-failed` and the phone's errors
   *   (the error is shown in the bar as well)
   */
  async transferTo(target: string, name = ''): Promise<boolean> {
    const call = this.#transferable();
    const text = target.trim();
    if (call === undefined) {
      const error = new CentrexError('invalid-call-state', 'There is no answered call to transfer.');
      this._error = this.#describe(error);
      throw error;
    }
    if (text === '') {
      const error = new CentrexError('invalid-argument', 'Enter the number to transfer the call to.');
      this._error = this.#describe(error);
      throw error;
    }
    const detail: CallBarTransferDetail = { call, target: text, name: name.trim() };
    if (!dispatch(this, 'centrex-transfer', detail, true)) return false;
    this._error = '';
    try {
      await call.transfer(text);
    } catch (error) {
      this._error = this.#describe(error);
      throw error;
    }
    this._panel = 'none';
    this._transferTarget = '';
    const to = detail.name || directoryName(this.activeClient, text) || text;
    this.#announce(msg(str`Call transferred to ${to}.`, { id: 'call-bar.transferred-to' }));
    dispatch(this, 'centrex-transferred', detail);
    return true;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopTicker();
    clearTimeout(this.#endedTimer);
  }

  protected override clientChanged(area: ClientArea): void {
    if (area === 'status') this.#calls.refresh();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.state = this.#barState();
    if (this.state === 'idle') this._panel = 'none';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // The talk time moves on every second, but only while a call that was answered is shown.
    if (this.calls.some((call) => call.answeredAt !== undefined)) this.#startTicker();
    else this.#stopTicker();
    this.#attachVideo();
  }

  protected override render() {
    const calls = this.calls;
    const current = this.currentCall;
    return html`
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
      ${current === undefined
        ? this._ended
          ? html`<p part="ended">${this._ended}</p>`
          : nothing
        : html`<section
            class=${classMap({ bar: true, 'drop-ready': this._dropReady })}
            aria-label=${msg('Current call', { id: 'call-bar.region' })}
          >
            ${this.#renderBanner(current)} ${this.#renderVia(current)}
            ${current.remoteHeld
              ? html`<p class="note">${msg(str`${this.#label(current).name} has put the call on hold.`, { id: 'call-bar.remote-hold' })}</p>`
              : nothing}
            ${this.#renderVideo(current)} ${this.#renderActions(current, calls)} ${this.#renderPanel(current)}
            ${this.#renderList(current)}
            ${this._dropReady
              ? html`<p class="drop-hint">${msg('Drop to transfer the call.', { id: 'call-bar.drop-hint' })}</p>`
              : nothing}
            <p part="error" class="error" role="alert">${this._error}</p>
          </section>`}
    `;
  }

  #renderBanner(current: Call): TemplateResult {
    const conference = this.#conferenceOf(current);
    const label = conference
      ? { name: conference.calls.map((call) => this.#label(call).name).join(', '), number: '' }
      : this.#label(current);
    const answered = current.answeredAt !== undefined && current.state !== 'ended';
    return html`<div part="banner" class=${this.state}>
      <span part="status" class="status">${conference ? msg('Conference', { id: 'call-bar.conference-state' }) : this.#stateText(current)}</span>
      <span part="name" class="name">${label.name}</span>
      ${label.number ? html`<span part="number">${label.number}</span>` : nothing}
      ${answered
        ? html`<span part="duration"
            ><span class="visually-hidden">${msg('Talk time', { id: 'call-bar.duration' })} </span>${formatDuration(current.duration / 1000)}</span
          >`
        : nothing}
    </div>`;
  }

  #renderVia(call: Call): TemplateResult | typeof nothing {
    const lines: string[] = [];
    if (call.referredBy) lines.push(msg(str`Transferred by ${this.#labelOf(call.referredBy).name}`, { id: 'call-bar.referred-by' }));
    const hops = call.forwardedBy.map((hop) => this.#labelOf(hop.from).name).filter((name) => name !== '');
    if (hops.length > 0) lines.push(msg(str`Forwarded by ${hops.join(', ')}`, { id: 'call-bar.forwarded-by' }));
    if (lines.length === 0) return nothing;
    return html`${lines.map((line) => html`<p class="via" part="via">${line}</p>`)}`;
  }

  #renderActions(current: Call, calls: readonly Call[]): TemplateResult {
    const manager = this.#calls.phone?.calls;
    const answered = ANSWERED.includes(current.state);
    const talking = current.state === 'established';
    const conference = this.#conferenceOf(current);
    const partner = this.#partner(current, calls);
    const muted = conference ? conference.muted : current.muted;
    return html`<div part="actions" role="group" aria-label=${msg('Call actions', { id: 'call-bar.actions' })}>
      ${answered
        ? html`<button
            type="button"
            class="hold"
            aria-pressed=${current.held ? 'true' : 'false'}
            ?disabled=${current.state === 'transferring'}
            @click=${() => this.#run(() => (current.held ? current.resume() : manager?.holdAll()))}
          >
            ${msg('Hold', { id: 'call-bar.hold' })}
          </button>`
        : nothing}
      <button type="button" class="mute" aria-pressed=${muted ? 'true' : 'false'} @click=${() => this.#run(() => this.#toggleMute(current))}>
        ${msg('Mute', { id: 'call-bar.mute' })}
      </button>
      ${answered
        ? html`<button
              type="button"
              class="keypad"
              aria-expanded=${this._panel === 'keypad' ? 'true' : 'false'}
              aria-controls="panel"
              ?disabled=${!talking}
              @click=${() => this.#toggle('keypad')}
            >
              ${msg('Keypad', { id: 'call-bar.keypad' })}
            </button>
            <button
              type="button"
              class="transfer"
              aria-expanded=${this._panel === 'transfer' ? 'true' : 'false'}
              aria-controls="panel"
              ?disabled=${current.state === 'transferring' || conference !== undefined}
              @click=${() => this.#toggle('transfer')}
              @dragover=${(event: DragEvent) => this.#onCallDragOver(event)}
              @drop=${(event: DragEvent) => this.#onCallDrop(event, 'transfer')}
            >
              ${msg('Transfer', { id: 'call-bar.transfer' })}
            </button>`
        : nothing}
      ${partner !== undefined && conference === undefined && talking
        ? html`<button
              type="button"
              class="conference"
              @click=${() => this.#run(() => manager?.conference(current, partner))}
              @dragover=${(event: DragEvent) => this.#onCallDragOver(event)}
              @drop=${(event: DragEvent) => this.#onCallDrop(event, 'conference')}
            >
              ${msg('Conference', { id: 'call-bar.conference' })}
            </button>
            <button type="button" class="swap" @click=${() => this.#run(() => manager?.swap(partner))}>
              ${msg('Swap', { id: 'call-bar.swap' })}
            </button>`
        : nothing}
      ${answered
        ? html`<button
              type="button"
              class="video"
              aria-pressed=${current.sendingVideo ? 'true' : 'false'}
              ?disabled=${!talking}
              @click=${() => this.#run(() => (current.sendingVideo ? current.stopVideo() : current.startVideo()))}
            >
              ${msg('Video', { id: 'call-bar.video' })}
            </button>
            <button
              type="button"
              class="screen"
              aria-pressed=${current.screenSharing ? 'true' : 'false'}
              ?disabled=${!talking}
              @click=${() => this.#run(() => (current.screenSharing ? current.stopScreenShare() : current.startScreenShare()))}
            >
              ${msg('Share screen', { id: 'call-bar.screen' })}
            </button>
            ${current.screenSharing
              ? html`<button type="button" class="switch-screen" @click=${() => this.#run(() => current.switchScreenShare())}>
                  ${msg('Switch screen', { id: 'call-bar.switch-screen' })}
                </button>`
              : nothing}`
        : nothing}
      <button
        type="button"
        class="danger hangup"
        @click=${() => this.#run(() => (conference ? conference.hangup() : current.hangup()))}
      >
        ${msg('Hang up', { id: 'call-bar.hangup' })}
      </button>
    </div>`;
  }

  #renderPanel(current: Call): TemplateResult | typeof nothing {
    if (this._panel === 'keypad' && current.state === 'established') {
      return html`<div id="panel" class="panel">
        <centrex-dialer part="keypad" mode="dtmf" .client=${this.client} .call=${current}></centrex-dialer>
      </div>`;
    }
    if (this._panel !== 'transfer' || !ANSWERED.includes(current.state)) return nothing;
    const manager = this.#calls.phone?.calls;
    // Connecting the current call with another one: a held call after a consultation, or a caller still ringing
    // ("transfer before answering with consultation").
    const others = this.#calls.calls.filter((call) => call !== current && (ANSWERED.includes(call.state) || isRingingIn(call)));
    return html`<form id="panel" part="transfer" class="panel" @submit=${this.#onTransferSubmit}>
      <label for="transfer-target">${msg('Transfer to', { id: 'call-bar.transfer-to' })}</label>
      <div class="row">
        <input
          id="transfer-target"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          .value=${live(this._transferTarget)}
          @input=${(event: InputEvent) => (this._transferTarget = (event.target as HTMLInputElement).value)}
        />
        <button type="submit" class="primary">${msg('Transfer now', { id: 'call-bar.transfer-now' })}</button>
      </div>
      ${others.map((other) => {
        const from = this.#label(other).name;
        const to = this.#label(current).name;
        return html`<button
          type="button"
          class="attended"
          @click=${() =>
            this.#run(async () => {
              await manager?.attendedTransfer(other, current);
              this._panel = 'none';
            }, msg(str`${from} is now connected with ${to}.`, { id: 'call-bar.connected' }))}
        >
          ${msg(str`Connect ${from} with ${to}`, { id: 'call-bar.connect' })}
        </button>`;
      })}
    </form>`;
  }

  #renderList(current: Call): TemplateResult | typeof nothing {
    const all = this.#calls.calls;
    if (all.length < 2) return nothing;
    const manager = this.#calls.phone?.calls;
    return html`<ul part="calls" class="plain" aria-label=${msg('All calls', { id: 'call-bar.all-calls' })}>
      ${all.map((call) => {
        const label = this.#label(call);
        const held = call.state === 'held';
        const rowState = call.state === 'established' ? 'in-call' : held ? 'on-hold' : 'other';
        return html`<li
          class=${classMap({ [rowState]: true, current: call === current })}
          draggable=${held ? 'true' : 'false'}
          @dragstart=${(event: DragEvent) => this.#onCallDragStart(event, call)}
        >
          <span class="row-name">${label.name}</span>
          <span class="row-state">${isRingingIn(call) ? msg('Incoming call', { id: 'call-bar.incoming' }) : this.#stateText(call)}</span>
          ${call.answeredAt !== undefined ? html`<span class="row-duration">${formatDuration(call.duration / 1000)}</span>` : nothing}
          <span class="row-actions">
            ${held
              ? html`<button type="button" class="switch" @click=${() => this.#run(() => manager?.swap(call))}>
                  ${msg(str`Switch to ${label.name}`, { id: 'call-bar.switch-to' })}
                </button>`
              : nothing}
            ${isRingingIn(call)
              ? nothing
              : html`<button
                  type="button"
                  class="row-hangup"
                  aria-label=${msg(str`Hang up ${label.name}`, { id: 'call-bar.hangup-one' })}
                  @click=${() => this.#run(() => call.hangup())}
                >
                  ${msg('Hang up', { id: 'call-bar.hangup' })}
                </button>`}
          </span>
        </li>`;
      })}
    </ul>`;
  }

  #renderVideo(current: Call): TemplateResult | typeof nothing {
    if (current.state === 'ended' || (!current.sendingVideo && !current.receivingVideo)) return nothing;
    const name = this.#label(current).name;
    return html`<div part="video">
      <video
        part="remote-video"
        class="remote"
        autoplay
        playsinline
        .muted=${true}
        aria-label=${msg(str`Video of ${name}`, { id: 'call-bar.remote-video' })}
        @dblclick=${this.#toggleFullscreen}
      ></video>
      ${current.sendingVideo
        ? html`<video
            part="local-video"
            class="local"
            autoplay
            playsinline
            .muted=${true}
            aria-label=${current.screenSharing ? msg('Your shared screen', { id: 'call-bar.local-screen' }) : msg('Your video', { id: 'call-bar.local-video' })}
          ></video>`
        : nothing}
      <button type="button" class="fullscreen" @click=${this.#toggleFullscreen}>${msg('Full screen', { id: 'call-bar.fullscreen' })}</button>
    </div>`;
  }

  #barState(): CallBarState {
    const calls = this.calls;
    if (calls.length === 0) return 'idle';
    if (calls.some((call) => call.state === 'established' || call.state === 'transferring')) return 'in-call';
    if (calls.some((call) => SETTING_UP.includes(call.state))) return 'connecting';
    return 'on-hold';
  }

  #stateText(call: Call): string {
    switch (call.state) {
      case 'dialling':
        return msg('Calling', { id: 'call-bar.dialling' });
      case 'ringing':
        return msg('Ringing', { id: 'call-bar.ringing' });
      case 'early-media':
        return msg('Connecting', { id: 'call-bar.early-media' });
      case 'established':
        return msg('In call', { id: 'call-bar.in-call' });
      case 'held':
        return msg('On hold', { id: 'call-bar.on-hold' });
      case 'transferring':
        return msg('Transferring', { id: 'call-bar.transferring' });
      case 'ended':
        return msg('Ended', { id: 'call-bar.ended' });
    }
  }

  #label(call: Call): PartyLabel {
    const label = labelCall(this.activeClient, call);
    this.#names.set(call, label.name);
    return label;
  }

  #labelOf(identity: Call['remote']): PartyLabel {
    return labelParty(this.activeClient, identity);
  }

  /** The other answered call the current one can be swapped with or joined to. */
  #partner(current: Call, calls: readonly Call[]): Call | undefined {
    return calls.find((call) => call !== current && call.state === 'held');
  }

  #conferenceOf(call: Call): Conference | undefined {
    const conference = this.#calls.phone?.calls.conferenceInProgress;
    return conference && !conference.ended && conference.calls.includes(call) ? conference : undefined;
  }

  #transferable(): Call | undefined {
    const current = this.currentCall;
    if (current && (current.state === 'established' || current.state === 'held')) return current;
    return this.calls.find((call) => call.state === 'established' || call.state === 'held');
  }

  #toggleMute(call: Call): void {
    const conference = this.#conferenceOf(call);
    if (conference) {
      if (conference.muted) conference.unmute();
      else conference.mute();
      return;
    }
    if (call.muted) call.unmute();
    else call.mute();
  }

  #toggle(panel: 'transfer' | 'keypad'): void {
    this._panel = this._panel === panel ? 'none' : panel;
    if (this._panel === 'transfer') {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>('#transfer-target')?.focus());
    }
  }

  async #run(action: () => unknown, done?: string): Promise<void> {
    this._error = '';
    const hadFocus = this.shadowRoot?.activeElement != null;
    try {
      await action();
      if (done) this.#announce(done);
    } catch (error) {
      this._error = this.#describe(error);
    } finally {
      this.requestUpdate();
    }
    // A button that went away with the change (Conference, Swap) took the keyboard focus with it: keep it in the bar.
    await this.updateComplete;
    if (hadFocus && this.shadowRoot?.activeElement == null && (document.activeElement === document.body || document.activeElement === null)) {
      this.renderRoot.querySelector<HTMLButtonElement>('[part="actions"] button:not([disabled])')?.focus();
    }
  }

  #onTransferSubmit(event: SubmitEvent): void {
    event.preventDefault();
    // The error is shown by transferTo; nothing else to do with it here.
    this.transferTo(this._transferTarget).catch(() => undefined);
  }

  #onDragOver(event: DragEvent): void {
    const types = event.dataTransfer?.types ?? [];
    if (types.includes(CALL_DRAG_TYPE)) return;
    if (!types.includes(TARGET_DRAG_TYPE) && !types.includes('text/plain')) return;
    if (this.#transferable() === undefined) return;
    event.preventDefault();
    this._dropReady = true;
  }

  async #onDrop(event: DragEvent): Promise<void> {
    this._dropReady = false;
    const data = event.dataTransfer;
    if (data === null || data.types.includes(CALL_DRAG_TYPE) || this.#transferable() === undefined) return;
    let target = '';
    let name = '';
    const json = data.getData(TARGET_DRAG_TYPE);
    if (json !== '') {
      try {
        const parsed = JSON.parse(json) as { target?: unknown; name?: unknown };
        if (typeof parsed.target === 'string') target = parsed.target;
        if (typeof parsed.name === 'string') name = parsed.name;
      } catch {
        // Not ours after all: fall back to the plain text below.
      }
    }
    if (target === '') target = dialStringFrom(data.getData('text/plain'));
    if (target === '') return;
    event.preventDefault();
    await this.transferTo(target, name).catch(() => undefined);
  }

  #onCallDragStart(event: DragEvent, call: Call): void {
    if (call.state !== 'held' || event.dataTransfer === null) return;
    event.dataTransfer.setData(CALL_DRAG_TYPE, call.id);
    event.dataTransfer.effectAllowed = 'move';
  }

  #onCallDragOver(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes(CALL_DRAG_TYPE)) return;
    event.preventDefault();
    event.stopPropagation();
  }

  #onCallDrop(event: DragEvent, what: 'conference' | 'transfer'): void {
    const id = event.dataTransfer?.getData(CALL_DRAG_TYPE);
    if (!id) return;
    event.preventDefault();
    event.stopPropagation();
    const manager = this.#calls.phone?.calls;
    const dropped = manager?.get(id);
    const current = this.currentCall;
    if (!manager || !dropped || !current || dropped === current) return;
    if (what === 'conference') void this.#run(() => manager.conference(current, dropped));
    else {
      const from = this.#label(dropped).name;
      const to = this.#label(current).name;
      void this.#run(() => manager.attendedTransfer(dropped, current), msg(str`${from} is now connected with ${to}.`, { id: 'call-bar.connected' }));
    }
  }

  #toggleFullscreen(): void {
    const video = this.renderRoot.querySelector<HTMLVideoElement>('video.remote');
    if (!video) return;
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void video.requestFullscreen?.().catch(() => undefined);
  }

  #attachVideo(): void {
    const current = this.currentCall;
    const remote = this.renderRoot.querySelector<HTMLVideoElement>('video.remote');
    const local = this.renderRoot.querySelector<HTMLVideoElement>('video.local');
    const remoteStream = current?.remoteStream ?? null;
    const localStream = current?.localStream ?? null;
    if (remote && remote.srcObject !== remoteStream) remote.srcObject = remoteStream;
    if (local && local.srcObject !== localStream) local.srcObject = localStream;
  }

  #startTicker(): void {
    this.#ticker ??= setInterval(() => this.requestUpdate(), 1000);
  }

  #stopTicker(): void {
    if (this.#ticker === undefined) return;
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }

  #announce(text: string): void {
    this._announcement = text;
  }

  #onStateChange(call: Call, from: CallState, to: CallState): void {
    if (isRingingIn(call) && to === 'ringing') return;
    const name = this.#names.get(call) ?? this.#labelOf(call.remote).name;
    this.#names.set(call, name);
    if (to === 'ended') {
      // A ringing call that stops ringing is <centrex-incoming-call>'s to announce.
      if (call.direction === 'incoming' && from === 'ringing') return;
      const text = this.#endText(name, call.endReason);
      this.#announce(text);
      this._ended = text;
      clearTimeout(this.#endedTimer);
      this.#endedTimer = setTimeout(() => (this._ended = ''), ENDED_NOTE_MS);
      return;
    }
    this._ended = '';
    switch (to) {
      case 'dialling':
        this.#announce(msg(str`Calling ${name}.`, { id: 'call-bar.announce-dialling' }));
        break;
      case 'ringing':
        this.#announce(msg(str`${name} is ringing.`, { id: 'call-bar.announce-ringing' }));
        break;
      case 'established':
        // Joining a conference resumes the held call; "Conference started" follows and says it all.
        if (from === 'held' && this.#conferenceOf(call)) break;
        this.#announce(
          from === 'held'
            ? msg(str`Call with ${name} resumed.`, { id: 'call-bar.announce-resumed' })
            : msg(str`Connected with ${name}.`, { id: 'call-bar.announce-connected' }),
        );
        break;
      case 'held':
        this.#announce(msg(str`Call with ${name} on hold.`, { id: 'call-bar.announce-held' }));
        break;
      default:
        break;
    }
  }

  #endText(name: string, reason: CallEndReason | undefined): string {
    switch (reason) {
      case 'busy':
        return msg(str`${name} is busy.`, { id: 'call-bar.end-busy' });
      case 'refused':
      case 'rejected':
        return msg(str`${name} did not take the call.`, { id: 'call-bar.end-refused' });
      case 'no-answer':
        return msg(str`${name} did not answer.`, { id: 'call-bar.end-no-answer' });
      case 'transferred':
      case 'replaced':
        return msg(str`Call with ${name} handed over.`, { id: 'call-bar.end-transferred' });
      case 'failed':
        return msg(str`Call with ${name} failed.`, { id: 'call-bar.end-failed' });
      default:
        return msg(str`Call with ${name} ended.`, { id: 'call-bar.end' });
    }
  }

  #onTransfer(event: CallEventMap['transfer']): void {
    if (event.status === 'failed') {
      this.#announce(msg('The transfer did not work. The call is still connected.', { id: 'call-bar.transfer-failed' }));
    }
  }

  #onConference(conference: Conference | undefined): void {
    this.#announce(
      conference
        ? msg('Conference started.', { id: 'call-bar.announce-conference' })
        : msg('Conference ended.', { id: 'call-bar.announce-conference-ended' }),
    );
  }

  #describe(error: unknown): string {
    if (isCentrexError(error)) {
      switch (error.code) {
        case 'transfer-failed':
          return msg('The transfer did not work. The call is still connected; try again or hang up.', { id: 'call-bar.error-transfer' });
        case 'invalid-number':
          return msg('This number cannot be dialled. Check the digits.', { id: 'call-bar.error-number' });
        case 'invalid-argument':
          return msg('Enter the number to transfer the call to.', { id: 'call-bar.error-no-target' });
        case 'invalid-call-state':
          return msg('That is not possible in the call’s current state.', { id: 'call-bar.error-state' });
        case 'screen-share-denied':
          return msg('Nothing is shared: no screen, window or tab was chosen.', { id: 'call-bar.error-screen' });
        default:
          break;
      }
    }
    return errorText(error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-call-bar': CentrexCallBar;
  }
  interface HTMLElementEventMap {
    'centrex-transfer': CustomEvent<CallBarTransferDetail>;
    'centrex-transferred': CustomEvent<CallBarTransferDetail>;
  }
}
