import { html, nothing, svg, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { msg, str } from '@lit/localize';
import type { ClientArea, PlacedCall } from '../../core/client/index.js';
import type { Device } from '../../core/api/index.js';
import type { Call } from '../../core/phone/index.js';
import type * as Numbers from './number-format.js';
import { CentrexError, isCentrexError } from '../../core/errors.js';
import { CentrexElement } from '../shared/centrex-element.js';
import { dispatch } from '../shared/events.js';
import { errorText } from '../shared/error-text.js';
import { formatDuration } from '../shared/localize.js';
import { controls, tokens } from '../shared/styles.js';
import { clickToCallStyles } from './click-to-call.styles.js';
import type { CallRequestDetail } from '../shared/call-request.js';

/** `detail` of `centrex-call` from this element: the shared {@link CallRequestDetail} with `source: 'click-to-call'`. */
export type ClickToCallRequestDetail = CallRequestDetail;

/** `detail` of `centrex-call-placed`: the call was started. */
export interface ClickToCallPlacedDetail {
  /** The number as given in the `number` attribute. */
  readonly number: string;
  /** The `name` attribute (empty when not set). */
  readonly name: string;
  /** A call on the web phone, or the device that rings first (click-to-dial). */
  readonly placed: PlacedCall;
}

/** `detail` of `centrex-call-failed`: the call could not be started. */
export interface ClickToCallFailedDetail {
  /** The number as given in the `number` attribute. */
  readonly number: string;
  /** The `name` attribute (empty when not set). */
  readonly name: string;
  /** Why; its `code` is stable (e.g. `not-registered`, `api-call-failed`). */
  readonly error: CentrexError;
}

/** How the element looks: a filled button, or a button that reads like a link inside text. */
export type ClickToCallAppearance = 'button' | 'link';

/** What the element is doing; drives the state line. */
type Activity =
  | { readonly kind: 'idle' }
  | { readonly kind: 'placing' }
  | { readonly kind: 'web'; readonly call: Call }
  | { readonly kind: 'device'; readonly device: Device }
  | { readonly kind: 'ended'; readonly call: Call }
  | { readonly kind: 'failed'; readonly error: CentrexError };

// How long the last outcome stays on screen before the element goes quiet again.
const ENDED_VISIBLE_MS = 5000;
// The PBX rings the chosen device for up to a minute; the hint stays while it plausibly still rings.
const DEVICE_RINGING_VISIBLE_MS = 30_000;

// The numbers engine (libphonenumber-js and its metadata) is needed only once a dial plan is known, i.e. after
// sign-in, so it is loaded then instead of with the element. One copy serves every instance on the page.
let numbers: typeof Numbers | undefined;
let numbersState: 'idle' | 'loading' | 'ready' | 'failed' = 'idle';
let numbersLoading: Promise<void> | undefined;
function loadNumbers(): Promise<void> {
  if (numbersLoading === undefined) {
    numbersState = 'loading';
    numbersLoading = import('./number-format.js').then(
      (module) => {
        numbers = module;
        numbersState = 'ready';
      },
      () => {
        // Without the engine the raw number is shown and the PBX judges it when the call is placed.
        numbersState = 'failed';
      },
    );
  }
  return numbersLoading;
}

const phoneIcon = svg`<path d="M6.6 10.8a15.2 15.2 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"/>`;

/**
 * A button (or link) that calls one number with the user's chosen device ("Anrufen mit"): on the web phone
 * directly, or by click-to-dial on a desk phone or mobile, which rings first. Shows the number as the tenant's dial
 * plan writes it, and a small state line ("Calling…", "Connected 0:12", "Ringing on Tischtelefon") with a hang-up
 * button while a web-phone call it started lasts; so it works on a page without `<centrex-phone>`.
 *
 * Put it inside `<centrex-provider>` or give it a client with `.client`. It is disabled (still focusable, with the
 * reason as tooltip and accessible description) while nobody is signed in and when the number cannot be called.
 *
 * @summary Calls a number with one click.
 * @slot - replaces the shown number (e.g. a text like "Call" or an icon); the accessible name still says whom and which
 *   number
 * @slot icon - replaces the phone icon
 * @csspart button - the call button
 * @csspart state - the state line (a live region)
 * @csspart hangup - the hang-up button, present during a web-phone call
 * @cssprop --centrex-click-to-call-background - button background (default: the accent colour)
 * @cssprop --centrex-click-to-call-color - button text colour
 * @cssprop --centrex-click-to-call-radius - button corner radius
 * @cssprop --centrex-click-to-call-padding - button padding
 * @cssprop --centrex-click-to-call-link-color - text colour with `appearance="link"`
 * @cssprop --centrex-click-to-call-disabled-background - button background while it cannot call
 * @cssprop --centrex-click-to-call-disabled-color - text colour while it cannot call
 * @cssprop --centrex-click-to-call-icon-size - size of the phone icon (default 1em)
 * @cssprop --centrex-click-to-call-state-color - colour of the state line
 * @cssprop --centrex-click-to-call-state-font-size - size of the state line (default 0.875em)
 * @cssprop --centrex-click-to-call-in-call-color - colour of the state line while connected
 * @fires centrex-call - before calling; cancelable ({@link ClickToCallRequestDetail})
 * @fires centrex-call-placed - the call was started ({@link ClickToCallPlacedDetail})
 * @fires centrex-call-failed - the call could not be started ({@link ClickToCallFailedDetail})
 */
export class CentrexClickToCall extends CentrexElement {
  static override styles = [tokens, controls, clickToCallStyles];

  static override clientAreas: readonly ClientArea[] = ['status', 'me', 'settings', 'devices'];

  /** The number to call, as any dial string the tenant's dial plan reads (`+49 30 5550100`, `030 5550100`, `12`). */
  @property() number = '';

  /** Whom the number reaches (`Müller GmbH`); part of the accessible name and shown to the web phone. Text only. */
  @property() name = '';

  /** `button` (default) or `link`. */
  @property({ reflect: true }) appearance: ClickToCallAppearance = 'button';

  @state() private activity: Activity = { kind: 'idle' };

  /** The text of the host's slotted content, if it gave any (it becomes part of the accessible name). */
  @state() private customContent: string | undefined;

  #ticker: ReturnType<typeof setInterval> | undefined;
  #settle: ReturnType<typeof setTimeout> | undefined;
  #stopFollowing: (() => void) | undefined;

  // Removing an attribute sets its property to null; the element treats that as empty.
  get #number(): string {
    return typeof this.number === 'string' ? this.number.trim() : '';
  }

  get #name(): string {
    return typeof this.name === 'string' ? this.name.trim() : '';
  }

  /** The web-phone call this element started, while it lasts. */
  get call(): Call | undefined {
    return this.activity.kind === 'web' ? this.activity.call : undefined;
  }

  /** Why the element cannot call right now, in the current language; `undefined` when it can. */
  get disabledReason(): string | undefined {
    const client = this.activeClient;
    if (client === undefined || client.status === 'signed-out') return msg('Sign in to make calls.', { id: 'click-to-call.signed-out' });
    const dialPlan = client.dialPlan;
    if (client.status === 'connecting' || dialPlan === undefined || numbersState === 'idle' || numbersState === 'loading') {
      return msg('Connecting to the telephone system…', { id: 'click-to-call.connecting' });
    }
    if (numbers !== undefined && !this.#readable(numbers, dialPlan)) {
      return this.#number === ''
        ? msg('There is no number to call.', { id: 'click-to-call.no-number' })
        : msg('This is not a number that can be called.', { id: 'click-to-call.unreadable' });
    }
    if (this.activity.kind === 'web') return msg('This call is in progress. Hang up first.', { id: 'click-to-call.busy' });
    if (this.activity.kind === 'placing') return msg('Calling…', { id: 'click-to-call.calling' });
    if (client.callingDevice.kind === 'web' && client.phone?.registered !== true) {
      return errorText(new CentrexError('not-registered', 'The web phone is not registered.'));
    }
    return undefined;
  }

  /**
   * Calls the number with the chosen device, as a click does: fires `centrex-call` first (a listener may cancel),
   * then `centrex-call-placed` or `centrex-call-failed`.
   *
   * @returns what was placed; `undefined` when the element cannot call now or a listener cancelled
   */
  async placeCall(): Promise<PlacedCall | undefined> {
    const client = this.activeClient;
    if (client === undefined || this.disabledReason !== undefined) return undefined;
    const number = this.#number;
    const name = this.#name;
    if (!dispatch<ClickToCallRequestDetail>(this, 'centrex-call', { number, name, device: client.callingDevice, source: 'click-to-call' }, true)) return undefined;
    this.#show({ kind: 'placing' });
    try {
      const placed = await client.call(number, name === '' ? {} : { displayName: name });
      if (placed.via === 'web') this.#follow(placed.call);
      else this.#show({ kind: 'device', device: placed.device }, DEVICE_RINGING_VISIBLE_MS);
      dispatch<ClickToCallPlacedDetail>(this, 'centrex-call-placed', { number, name, placed });
      return placed;
    } catch (caught) {
      const error = isCentrexError(caught) ? caught : new CentrexError('call-failed', String(caught), { cause: caught });
      this.#show({ kind: 'failed', error }, ENDED_VISIBLE_MS * 2);
      dispatch<ClickToCallFailedDetail>(this, 'centrex-call-failed', { number, name, error });
      return undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#syncTicker();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    // A call goes on when the element leaves the page (the host may re-render its table); only the clock stops.
    this.#stopTicker();
  }

  protected override clientChanged(area: ClientArea): void {
    const client = this.activeClient;
    if (area === 'status' && (client === undefined || client.status === 'signed-out') && this.activity.kind !== 'web') {
      this.#show({ kind: 'idle' });
    }
    if (client?.dialPlan !== undefined && (numbersState === 'idle' || numbersState === 'loading')) void loadNumbers().then(() => this.requestUpdate());
  }

  protected override updated(): void {
    this.#syncTicker();
  }

  protected override render(): TemplateResult {
    const number = this.#number;
    const name = this.#name;
    const reason = this.disabledReason;
    const shown = this.#displayNumber(number);
    const { text, tone } = this.#stateLine();
    return html`<button
        part="button"
        type="button"
        aria-label=${this.#accessibleName(number, name, shown)}
        aria-disabled=${reason === undefined ? nothing : 'true'}
        aria-describedby=${reason === undefined ? nothing : 'reason'}
        title=${reason ?? nothing}
        @click=${this.#onClick}
      >
        <slot name="icon"><svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${phoneIcon}</svg></slot>
        <slot @slotchange=${this.#onSlotChange}></slot>${this.customContent === undefined ? html`<span class="number">${shown}</span>` : nothing}
      </button>
      ${reason === undefined ? nothing : html`<span id="reason" class="visually-hidden">${reason}</span>`}
      <span part="state" role="status" class=${tone}>${text}</span>
      ${this.activity.kind === 'web'
        ? html`<button part="hangup" type="button" class="danger" @click=${this.#onHangup}>${msg('Hang up', { id: 'click-to-call.hangup' })}</button>`
        : nothing}`;
  }

  /**
   * "Call Müller GmbH, 030 5550100 (+49 30 5550100)": what the button shows comes first (speech input users say what
   * they see), the number as given follows when it is written differently, so a screen reader hears it unambiguous.
   * Content of the host's own replaces the shown number in front.
   */
  #accessibleName(number: string, name: string, shown: string): string {
    const custom = this.customContent;
    const spoken = custom === undefined ? shown : number;
    let sentence = name === '' ? msg(str`Call ${spoken}`, { id: 'click-to-call.label' }) : msg(str`Call ${name}, ${spoken}`, { id: 'click-to-call.label-named' });
    if (spoken !== number) sentence = `${sentence} (${number})`;
    if (custom === undefined || custom === '' || sentence.toLocaleLowerCase().includes(custom.toLocaleLowerCase())) return sentence;
    return `${custom}: ${sentence}`;
  }

  // Not slot fallback content: the blanks around a host's markup would be slotted and hide the number.
  #onSlotChange = (event: Event): void => {
    const nodes = (event.target as HTMLSlotElement).assignedNodes({ flatten: true });
    const text = nodes
      .map((node) => node.textContent ?? '')
      .join('')
      .replace(/\s+/g, ' ')
      .trim();
    const own = text !== '' || nodes.some((node) => node.nodeType === Node.ELEMENT_NODE);
    this.customContent = own ? text : undefined;
  };

  #displayNumber(number: string): string {
    const dialPlan = this.activeClient?.dialPlan;
    if (numbers === undefined || dialPlan === undefined) return number;
    try {
      return numbers.formatNumber(number, dialPlan);
    } catch {
      // A dial plan the engine does not know: the number as written is still right.
      return number;
    }
  }

  #readable(engine: typeof Numbers, dialPlan: Numbers.DialPlan): boolean {
    try {
      return engine.normalizeNumber(this.#number, dialPlan).kind !== 'invalid';
    } catch {
      return true;
    }
  }

  #stateLine(): { text: string; tone: string } {
    const activity = this.activity;
    switch (activity.kind) {
      case 'idle':
        return { text: '', tone: '' };
      case 'placing':
        return { text: msg('Calling…', { id: 'click-to-call.calling' }), tone: '' };
      case 'device':
        return { text: msg(str`Ringing on ${activity.device.name}: pick up there`, { id: 'click-to-call.device-ringing' }), tone: '' };
      case 'failed':
        return { text: errorText(activity.error), tone: 'failed' };
      case 'ended':
        return { text: this.#endedText(activity.call), tone: '' };
      case 'web': {
        const call = activity.call;
        const talked = formatDuration(call.duration / 1000);
        switch (call.state) {
          case 'dialling':
            return { text: msg('Calling…', { id: 'click-to-call.calling' }), tone: '' };
          case 'ringing':
          case 'early-media':
            return { text: msg('Ringing…', { id: 'click-to-call.ringing' }), tone: '' };
          case 'held':
            return { text: msg(str`On hold ${talked}`, { id: 'click-to-call.held' }), tone: 'in-call' };
          case 'transferring':
            return { text: msg('Transferring…', { id: 'click-to-call.transferring' }), tone: 'in-call' };
          default:
            return { text: msg(str`Connected ${talked}`, { id: 'click-to-call.connected' }), tone: 'in-call' };
        }
      }
    }
  }

  #endedText(call: Call): string {
    switch (call.endReason) {
      case 'busy':
        return msg('Busy', { id: 'click-to-call.ended-busy' });
      case 'no-answer':
        return msg('No answer', { id: 'click-to-call.ended-no-answer' });
      case 'refused':
        return msg('The call was not accepted', { id: 'click-to-call.ended-refused' });
      default:
        return call.answeredAt === undefined
          ? msg('Ended', { id: 'click-to-call.ended' })
          : msg(str`Ended after ${formatDuration(call.duration / 1000)}`, { id: 'click-to-call.ended-after' });
    }
  }

  #onClick = (event: Event): void => {
    // aria-disabled keeps the button focusable (so its reason can be read) but it must not act.
    if (this.disabledReason !== undefined) {
      event.preventDefault();
      return;
    }
    void this.placeCall();
  };

  #onHangup = async (): Promise<void> => {
    const call = this.call;
    if (call === undefined) return;
    try {
      await call.hangup();
    } catch (caught) {
      const error = isCentrexError(caught) ? caught : new CentrexError('call-failed', String(caught), { cause: caught });
      this.#show({ kind: 'failed', error }, ENDED_VISIBLE_MS);
    }
    // The hang-up button is gone now; keep the keyboard where the person was.
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLButtonElement>('[part="button"]')?.focus();
  };

  #follow(call: Call): void {
    this.#stopFollowing?.();
    if (call.state === 'ended') {
      this.#show({ kind: 'ended', call }, ENDED_VISIBLE_MS);
      return;
    }
    const stops = [
      call.on('statechange', () => this.requestUpdate()),
      call.on('ended', () => {
        this.#stopFollowing?.();
        this.#show({ kind: 'ended', call }, ENDED_VISIBLE_MS);
      }),
    ];
    this.#stopFollowing = () => {
      for (const stop of stops) stop();
      this.#stopFollowing = undefined;
    };
    this.#show({ kind: 'web', call });
  }

  /** Shows an activity; with `forMs`, goes back to idle after that long (unless something newer is shown). */
  #show(activity: Activity, forMs?: number): void {
    clearTimeout(this.#settle);
    this.#settle = undefined;
    if (activity.kind !== 'web') this.#stopFollowing?.();
    this.activity = activity;
    if (forMs !== undefined) {
      this.#settle = setTimeout(() => {
        if (this.activity === activity) this.activity = { kind: 'idle' };
      }, forMs);
    }
  }

  #syncTicker(): void {
    const activity = this.activity;
    const talking = this.isConnected && activity.kind === 'web' && activity.call.answeredAt !== undefined;
    if (talking && this.#ticker === undefined) this.#ticker = setInterval(() => this.requestUpdate(), 1000);
    else if (!talking) this.#stopTicker();
  }

  #stopTicker(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'centrex-click-to-call': CentrexClickToCall;
  }
  interface HTMLElementEventMap {
    'centrex-call-placed': CustomEvent<ClickToCallPlacedDetail>;
    'centrex-call-failed': CustomEvent<ClickToCallFailedDetail>;
  }
}
