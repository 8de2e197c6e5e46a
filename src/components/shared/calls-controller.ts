/**
 * Follows the calls of a client's web phone for an element: re-renders it when a call is placed, rings, changes state,
 * is muted, changes media or ends, and reports those changes to the element. Used by `<centrex-call-bar>`,
 * `<centrex-incoming-call>` and `<centrex-dialer>`.
 *
 * @packageDocumentation
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CentrexClient } from '../../core/client/index.js';
import type { Call, CallEventMap, CallState, Conference, Phone, Unsubscribe } from '../../core/phone/index.js';

/** What an element may want to hear about besides "something changed" (which always re-renders it). */
export interface CallsListener {
  /** An incoming call started to ring (call waiting included). */
  incoming?(call: Call): void;
  /** A call moved from one state to another. */
  statechange?(call: Call, from: CallState, to: CallState): void;
  /** Progress of a transfer that this side started. */
  transfer?(event: CallEventMap['transfer']): void;
  /** A conference started (`conference`) or ended (`undefined`). */
  conference?(conference: Conference | undefined): void;
  /** The controller now follows another phone (or none): forget per-call state of the old one. */
  phoneChanged?(phone: Phone | undefined): void;
}

/**
 * Keeps an element subscribed to the calls of the web phone of its client. The phone appears after sign-in and is
 * replaced after a new sign-in, so the controller checks which phone to follow before every render.
 */
export class CallsController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #client: () => CentrexClient | undefined;
  readonly #listener: CallsListener;
  #phone: Phone | undefined;
  #offs: Unsubscribe[] = [];
  readonly #callOffs = new Map<Call, Unsubscribe[]>();

  /**
   * @param host - the element
   * @param client - reads the element's client (it can change at any time)
   * @param listener - optional callbacks for the changes the element acts on
   */
  constructor(host: ReactiveControllerHost, client: () => CentrexClient | undefined, listener: CallsListener = {}) {
    this.#host = host;
    this.#client = client;
    this.#listener = listener;
    host.addController(this);
  }

  /** The web phone being followed, if the client has one. */
  get phone(): Phone | undefined {
    return this.#phone;
  }

  /** The calls that have not ended, oldest first. */
  get calls(): readonly Call[] {
    return this.#phone?.calls.calls ?? [];
  }

  /** Follows the client's current phone; elements call it when their client's status changed. */
  refresh(): void {
    this.#follow(this.#client()?.phone);
  }

  /** Starts following the phone when the element enters a page (Lit calls it). */
  hostConnected(): void {
    this.refresh();
  }

  /** Checks before each render which phone to follow (Lit calls it). */
  hostUpdate(): void {
    this.refresh();
  }

  /** Lets go of the phone while the element is out of the page, so the phone does not keep it alive (Lit calls it). */
  hostDisconnected(): void {
    this.#follow(undefined);
  }

  #follow(phone: Phone | undefined): void {
    if (phone === this.#phone) return;
    for (const off of this.#offs) off();
    this.#offs = [];
    for (const offs of this.#callOffs.values()) for (const off of offs) off();
    this.#callOffs.clear();
    this.#phone = phone;
    if (phone !== undefined) {
      const manager = phone.calls;
      this.#offs = [
        manager.on('call', ({ call }) => {
          this.#watch(call);
          this.#changed();
        }),
        manager.on('incoming', ({ call }) => {
          this.#listener.incoming?.(call);
          this.#changed();
        }),
        manager.on('statechange', ({ call, from, to }) => {
          this.#listener.statechange?.(call, from, to);
          if (to === 'ended') this.#unwatch(call);
          this.#changed();
        }),
        manager.on('activechange', () => this.#changed()),
        manager.on('conference', ({ conference }) => {
          this.#listener.conference?.(conference);
          this.#changed();
        }),
      ];
      for (const call of manager.calls) this.#watch(call);
    }
    this.#listener.phoneChanged?.(phone);
    this.#changed();
  }

  #watch(call: Call): void {
    if (this.#callOffs.has(call)) return;
    const changed = (): void => this.#changed();
    this.#callOffs.set(call, [
      call.on('mute', changed),
      call.on('media', changed),
      call.on('remotehold', changed),
      call.on('transfer', (event) => {
        this.#listener.transfer?.(event);
        changed();
      }),
    ]);
  }

  #unwatch(call: Call): void {
    for (const off of this.#callOffs.get(call) ?? []) off();
    this.#callOffs.delete(call);
  }

  #changed(): void {
    this.#host.requestUpdate();
  }
}
