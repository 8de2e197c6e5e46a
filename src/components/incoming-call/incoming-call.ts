import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { classMap } from 'lit/directives/class-map.js';
import { ifDefined } from 'lit/directives/if-defined.js';
import { msg, str } from '@lit/localize';
import type { ClientArea } from '../../core/client/index.js';
import { isCentrexError } from '../../core/errors.js';
import type { Call, CallState } from '../../core/phone/index.js';
import { CallsController } from '../shared/calls-controller.js';
import { directoryName, displayNumber, labelParty, partyNumber, rememberHostName } from '../shared/party.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { errorText } from '../shared/error-text.js';
import { dispatch } from '../shared/events.js';
import { controls, tokens } from '../shared/styles.js';
import { incomingCallStyles } from './incoming-call.styles.js';

/** What a host's caller lookup (a CRM "screen pop") returns. Both fields are shown as plain text. */
export interface CallerInfo {
  /** The caller's name as the host knows it (shown instead of the name the telephone system sent). */
  readonly name?: string | undefined;
  /** One more line: a company, a customer number, an open ticket. */
  readonly detail?: string | undefined;
}

/**
 * Looks a caller up in the host's data. Gets the caller's number as the telephone system sent it (an extension or
 * an E.164 number; empty for anonymous callers) and the call.
 */
export type CallerLookup = (number: string, call: Call) => CallerInfo | undefined | Promise<CallerInfo | undefined>;

/** `detail` of `centrex-incoming`: a call rings. */
export interface IncomingCallDetail {
  /** The ringing call (accept, reject, forward it, or follow its events). */
  readonly call: Call;
  /** The caller's number as sent (extension or E.164), empty when hidden. */
  readonly number: string;
  /** The caller's name as sent by the telephone system, else from the user's directory; may be empty. */
  readonly name: string;
}

interface CardState {
  /** The user pressed Escape: the call keeps ringing in a small, non-modal box. */
  background: boolean;
  forwardOpen: boolean;
  forwardTarget: string;
  error: string;
  busy: boolean;
  info: CallerInfo | undefined;
  /** The caller offered video: "Accept with video" makes sense. */
  readonly video: boolean;
}

function isRingingIn(call: Call): boolean {
  return call.direction === 'incoming' && call.state === 'ringing';
}

/** The element that has the focus, looking into shadow roots. */
function deepActiveElement(): HTMLElement | undefined {
  let element: Element | null = document.activeElement;
  while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
  return element instanceof HTMLElement ? element : undefined;
}

/**
 * The pop-up for incoming calls of the web phone: who calls (name and number, or what the host's `lookup` found),
 * who transferred or forwarded the call, and the choices: accept, accept with video (when the caller offers video),
 * reject, send to voicemail, or forward before answering to a number typed in. A second call while in a call (call waiting) gets its own pop-up;
 * they stack. A pop-up goes away when the call is answered (here or on another device), the caller gives up, or the
 * call is forwarded.
 *
 * Each pop-up is an `alertdialog`: screen readers announce it, and the focus moves to it (not to a button, so that
 * a key pressed while typing elsewhere does not answer or reject the call). Escape does not reject: it moves the
 * pop-up into the background (a small non-modal box; the call keeps ringing) and gives the focus back, as Escape
 * does with any dialog; rejecting is always an explicit button. When the pop-up goes away the focus returns to where
 * it was.
 *
 * Browser notifications while the tab is hidden come from the phone (`phone.notifications`); with `notify` set the
 * element offers a button that asks the browser's permission for them.
 *
 * @summary Incoming-call pop-up: accept, reject, voicemail, forward.
 * @fires centrex-incoming - a call rings (cancelable: `preventDefault()` and no pop-up is shown for it); {@link IncomingCallDetail}
 * @csspart stack - the column of pop-ups
 * @csspart popup - one pop-up (also `background` while moved aside with Escape)
 * @csspart title - "Incoming call" (or "Incoming video call")
 * @csspart name - the caller's name (or number)
 * @csspart number - the caller's number, when a name is shown
 * @csspart detail - the line from the host's `lookup`
 * @csspart via - who transferred or forwarded the call
 * @csspart actions - the buttons
 * @csspart forward - the form for forwarding before answering
 * @csspart error - what went wrong
 * @csspart notify - the button asking for notification permission (with `notify`)
 * @cssprop --centrex-incoming-call-position - `fixed` (default: over the page, top right) or `static` (in the flow)
 * @cssprop --centrex-incoming-call-top - distance from the top (default 1rem)
 * @cssprop --centrex-incoming-call-end - distance from the right (left in right-to-left pages; default 1rem)
 * @cssprop --centrex-incoming-call-width - the pop-ups' width (default 22rem)
 * @cssprop --centrex-incoming-call-z-index - stacking (default 1000)
 * @cssprop --centrex-incoming-call-background - pop-up background
 * @cssprop --centrex-incoming-call-accent - the coloured edge of a pop-up
 * @cssprop --centrex-incoming-call-via - the mark beside "transferred by" / "forwarded by"
 * @cssprop --centrex-incoming-call-accept - the accept button's colour (default the in-call green)
 * @cssprop --centrex-incoming-call-accept-text - the accept button's text colour
 */
export class CentrexIncomingCall extends CentrexElement {
  static override styles = [tokens, controls, incomingCallStyles];
  static override clientAreas: readonly ClientArea[] = ['status', 'directory', 'contacts'];

  /**
   * The host's caller lookup (screen pop): called once per incoming call with the caller's number; what it returns
   * is shown in the pop-up. Errors and slow answers never hold the pop-up up.
   */
  @property({ attribute: false }) lookup: CallerLookup | undefined;

  /**
   * Offer browser notifications for incoming calls while the tab is hidden: shows a button asking the browser's
   * permission until it was given or refused. The notifications themselves come from `phone.notifications`.
   */
  @property({ type: Boolean, reflect: true }) notify = false;

  @state() private _announcement = '';

  readonly #cards = new Map<Call, CardState>();
  /** Calls a `centrex-incoming` listener took over: no pop-up. */
  readonly #vetoed = new WeakSet<Call>();
  /** Where the focus was before a pop-up took it. */
  #returnFocus: HTMLElement | undefined;
  /** A pop-up to focus after the next render. */
  #focusCall: Call | undefined;
  /** The focus was in a pop-up that went away: put it back after the next render. */
  #restoreFocus = false;

  readonly #calls = new CallsController(this, () => this.activeClient, {
    incoming: (call) => this.#onIncoming(call),
    statechange: (call, from, to) => this.#onStateChange(call, from, to),
    phoneChanged: () => this.#cards.clear(),
  });

  /** The ringing incoming calls that have a pop-up, oldest first. */
  get calls(): readonly Call[] {
    return this.#calls.calls.filter((call) => isRingingIn(call) && !this.#vetoed.has(call));
  }

  /**
   * Asks the browser for permission to show notifications for incoming calls (call it from a click). Resolves the
   * browser's answer, or `unsupported` without a web phone or notification support.
   */
  async requestNotifications(): Promise<NotificationPermission | 'unsupported'> {
    const notifier = this.#calls.phone?.notifications;
    const answer = notifier === undefined ? 'unsupported' : await notifier.requestPermission();
    this.requestUpdate();
    return answer;
  }

  protected override clientChanged(area: ClientArea): void {
    if (area === 'status') this.#calls.refresh();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    const focus = this.#focusCall;
    this.#focusCall = undefined;
    if (focus !== undefined && this.calls.includes(focus)) {
      this.#popupOf(focus)?.focus();
      this.#restoreFocus = false;
      return;
    }
    if (!this.#restoreFocus) return;
    this.#restoreFocus = false;
    const next = this.calls.find((call) => !this.#card(call).background);
    if (next !== undefined) {
      this.#popupOf(next)?.focus();
      return;
    }
    const back = this.#returnFocus;
    this.#returnFocus = undefined;
    if (back?.isConnected) back.focus();
  }

  protected override render() {
    const calls = this.calls;
    const notifier = this.#calls.phone?.notifications;
    return html`
      <div class="visually-hidden" role="status" aria-live="polite">${this._announcement}</div>
      ${calls.length > 0 ? html`<div part="stack" class="stack">${calls.map((call) => this.#renderPopup(call))}</div>` : nothing}
      ${this.notify && notifier?.permission === 'default'
        ? html`<button type="button" part="notify" @click=${() => void this.requestNotifications()}>
            ${msg('Show incoming calls as browser notifications', { id: 'incoming-call.notify' })}
          </button>`
        : nothing}
    `;
  }

  #renderPopup(call: Call): TemplateResult {
    const card = this.#card(call);
    const id = `call-${call.id}`;
    const caller = this.#caller(call);
    const vias: string[] = [];
    if (call.referredBy) {
      vias.push(msg(str`Transferred by ${labelParty(this.activeClient, call.referredBy).name}`, { id: 'incoming-call.referred-by' }));
    }
    const hops = call.forwardedBy.map((hop) => labelParty(this.activeClient, hop.from).name).filter((name) => name !== '');
    if (hops.length > 0) vias.push(msg(str`Forwarded by ${hops.join(', ')}`, { id: 'incoming-call.forwarded-by' }));
    return html`<div
      part=${card.background ? 'popup background' : 'popup'}
      class=${classMap({ popup: true, background: card.background })}
      data-call=${call.id}
      role=${card.background ? 'group' : 'alertdialog'}
      aria-modal=${ifDefined(card.background ? undefined : 'false')}
      aria-labelledby=${`${id}-title ${id}-name`}
      aria-describedby=${`${id}-caller`}
      tabindex="-1"
      @keydown=${(event: KeyboardEvent) => this.#onKeydown(event, call)}
    >
      <p part="title" id=${`${id}-title`}>
        ${card.video ? msg('Incoming video call', { id: 'incoming-call.title-video' }) : msg('Incoming call', { id: 'incoming-call.title' })}
      </p>
      <div id=${`${id}-caller`}>
        <p part="name" id=${`${id}-name`}>${caller.name || msg('Unknown caller', { id: 'incoming-call.unknown' })}</p>
        ${caller.number ? html`<p part="number">${caller.number}</p>` : nothing}
        ${caller.detail ? html`<p part="detail">${caller.detail}</p>` : nothing}
        ${vias.map((line) => html`<p part="via">${line}</p>`)}
      </div>
      <div part="actions">
        <button type="button" class="accept" aria-disabled=${card.busy ? 'true' : 'false'} @click=${() => this.#act(call, () => call.accept())}>
          ${msg('Accept', { id: 'incoming-call.accept' })}
        </button>
        ${card.video
          ? html`<button
              type="button"
              class="accept-video"
              aria-disabled=${card.busy ? 'true' : 'false'}
              @click=${() => this.#act(call, () => call.accept({ video: true }))}
            >
              ${msg('Accept with video', { id: 'incoming-call.accept-video' })}
            </button>`
          : nothing}
        <button type="button" class="danger reject" aria-disabled=${card.busy ? 'true' : 'false'} @click=${() => this.#act(call, () => call.reject())}>
          ${msg('Reject', { id: 'incoming-call.reject' })}
        </button>
        <button type="button" class="voicemail" aria-disabled=${card.busy ? 'true' : 'false'} @click=${() => this.#act(call, () => this.#toVoicemail(call))}>
          ${msg('To voicemail', { id: 'incoming-call.voicemail' })}
        </button>
        <button
          type="button"
          class="forward"
          aria-expanded=${card.forwardOpen ? 'true' : 'false'}
          aria-controls=${`${id}-forward`}
          aria-disabled=${card.busy ? 'true' : 'false'}
          @click=${() => this.#toggleForward(call)}
        >
          ${msg('Forward', { id: 'incoming-call.forward' })}
        </button>
      </div>
      ${card.forwardOpen
        ? html`<form part="forward" id=${`${id}-forward`} @submit=${(event: SubmitEvent) => this.#onForward(event, call)}>
            <label for=${`${id}-target`}>${msg('Forward the call to', { id: 'incoming-call.forward-to' })}</label>
            <input
              id=${`${id}-target`}
              type="tel"
              inputmode="tel"
              autocomplete="off"
              .value=${card.forwardTarget}
              @input=${(event: InputEvent) => (card.forwardTarget = (event.target as HTMLInputElement).value)}
            />
            <button type="submit" class="primary" aria-disabled=${card.busy ? 'true' : 'false'}>${msg('Forward now', { id: 'incoming-call.forward-now' })}</button>
          </form>`
        : nothing}
      <p part="error" class="error" role="alert">${card.error}</p>
    </div>`;
  }

  /** Name, number and the host's extra line for a caller. */
  #caller(call: Call): { name: string; number: string; detail: string } {
    const info = this.#card(call).info;
    const label = labelParty(this.activeClient, call.remote);
    const found = info?.name?.trim();
    if (found) {
      const number = displayNumber(partyNumber(call.remote), this.activeClient?.dialPlan);
      return { name: found, number: number === found ? '' : number, detail: info?.detail?.trim() ?? '' };
    }
    return { name: label.name, number: label.number, detail: info?.detail?.trim() ?? '' };
  }

  #card(call: Call): CardState {
    let card = this.#cards.get(call);
    if (card === undefined) {
      card = { background: false, forwardOpen: false, forwardTarget: '', error: '', busy: false, info: undefined, video: call.remoteOffersVideo };
      this.#cards.set(call, card);
    }
    return card;
  }

  #popupOf(call: Call): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>(`[data-call="${CSS.escape(call.id)}"]`);
  }

  #onIncoming(call: Call): void {
    const label = labelParty(this.activeClient, call.remote);
    const detail: IncomingCallDetail = { call, number: partyNumber(call.remote), name: call.remote.displayName?.trim() || label.name };
    if (!dispatch(this, 'centrex-incoming', detail, true)) {
      this.#vetoed.add(call);
      return;
    }
    const focused = deepActiveElement();
    // Keep the first place the user was at: a second pop-up must not send the focus back to the first one.
    if (this.#returnFocus === undefined && focused !== undefined && !this.#contains(focused)) this.#returnFocus = focused;
    this.#focusCall = call;
    void this.#lookUp(call, detail.number);
  }

  async #lookUp(call: Call, number: string): Promise<void> {
    const lookup = this.lookup;
    if (lookup === undefined) return;
    try {
      const info = await lookup(number, call);
      if (info === undefined || call.state === 'ended') return;
      this.#card(call).info = { name: typeof info.name === 'string' ? info.name : undefined, detail: typeof info.detail === 'string' ? info.detail : undefined };
      if (typeof info.name === 'string') rememberHostName(call, info.name);
      this.requestUpdate();
    } catch {
      // The host's lookup failing must not disturb the call: the pop-up keeps what the phone knows.
    }
  }

  #onStateChange(call: Call, from: CallState, to: CallState): void {
    if (call.direction !== 'incoming' || from !== 'ringing' || to === 'ringing') return;
    const popup = this.#popupOf(call);
    const active = this.shadowRoot?.activeElement;
    if (popup !== null && active != null && popup.contains(active)) this.#restoreFocus = true;
    const name = this.#caller(call).name;
    this.#cards.delete(call);
    if (this.#vetoed.has(call) || to !== 'ended') return;
    switch (call.endReason) {
      case 'missed':
        this.#announce(msg(str`Missed call from ${name}.`, { id: 'incoming-call.missed' }));
        break;
      case 'answered-elsewhere':
        this.#announce(msg(str`The call from ${name} was answered on another device.`, { id: 'incoming-call.elsewhere' }));
        break;
      case 'rejected':
        this.#announce(msg(str`Call from ${name} rejected.`, { id: 'incoming-call.rejected' }));
        break;
      case 'voicemail':
        this.#announce(msg(str`Call from ${name} sent to voicemail.`, { id: 'incoming-call.to-voicemail' }));
        break;
      default:
        break;
    }
  }

  #onKeydown(event: KeyboardEvent, call: Call): void {
    if (event.key !== 'Escape') return;
    const card = this.#card(call);
    event.stopPropagation();
    if (card.forwardOpen) {
      // First Escape closes the forwarding field, as with any nested popup.
      card.forwardOpen = false;
      this.requestUpdate();
      void this.updateComplete.then(() => this.#popupOf(call)?.querySelector<HTMLElement>('button.forward')?.focus());
      return;
    }
    if (card.background) return;
    card.background = true;
    this.#restoreFocus = true;
    this.#announce(msg('The call keeps ringing in the background.', { id: 'incoming-call.background' }));
    this.requestUpdate();
  }

  #toggleForward(call: Call): void {
    const card = this.#card(call);
    if (card.busy) return;
    card.forwardOpen = !card.forwardOpen;
    card.error = '';
    this.requestUpdate();
    if (card.forwardOpen) {
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLInputElement>(`#call-${CSS.escape(call.id)}-target`)?.focus());
    }
  }

  #onForward(event: SubmitEvent, call: Call): void {
    event.preventDefault();
    const card = this.#card(call);
    const target = card.forwardTarget.trim();
    if (target === '') {
      card.error = msg('Enter the number to forward the call to.', { id: 'incoming-call.no-target' });
      this.requestUpdate();
      return;
    }
    const caller = this.#caller(call).name;
    const to = directoryName(this.activeClient, target) ?? target;
    void this.#act(call, () => call.forward(target), msg(str`Call from ${caller} forwarded to ${to}.`, { id: 'incoming-call.forwarded' }));
  }

  async #toVoicemail(call: Call): Promise<void> {
    try {
      await call.sendToVoicemail();
    } catch (error) {
      // The phone has no voicemail address configured (the core's "not-supported"): say so in the user's words.
      if (isCentrexError(error) && error.code === 'not-supported') {
        throw new Error(msg('Voicemail is not set up for this web phone.', { id: 'incoming-call.no-voicemail' }), { cause: error });
      }
      throw error;
    }
  }

  async #act(call: Call, action: () => Promise<unknown>, done?: string): Promise<void> {
    const card = this.#card(call);
    // Buttons stay enabled while an action runs (a disabled button would drop the keyboard focus); a second press
    // is ignored here instead.
    if (card.busy) return;
    card.error = '';
    card.busy = true;
    this.requestUpdate();
    try {
      await action();
      if (done) this.#announce(done);
    } catch (error) {
      card.error = this.#describe(error);
    } finally {
      card.busy = false;
      this.requestUpdate();
    }
  }

  #announce(text: string): void {
    this._announcement = text;
  }

  #contains(element: Element): boolean {
    return element === this || this.contains(element) || (this.shadowRoot?.contains(element) ?? false);
  }

  #describe(error: unknown): string {
    if (isCentrexError(error)) {
      switch (error.code) {
        case 'invalid-number':
          return msg('This number cannot be dialled. Check the digits.', { id: 'incoming-call.invalid-number' });
        case 'invalid-call-state':
          return msg('The call is no longer ringing.', { id: 'incoming-call.not-ringing' });
        default:
          break;
      }
    }
    if (error instanceof Error && isCentrexError(error.cause)) return error.message;
    return errorText(error);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-incoming-call': CentrexIncomingCall;
  }
  interface HTMLElementEventMap {
    'centrex-incoming': CustomEvent<IncomingCallDetail>;
  }
}
