/**
 * Media work done before it is needed: the next outgoing call's audio offer, made before anyone dials, and an
 * incoming call's offer, applied while the phone rings.
 *
 * In Chromium, creating a peer connection, its offer and the first ICE candidate takes 5–10 ms of every call's
 * setup (with STUN, the round trip to the server besides). A registered phone keeps one session description handler
 * whose offer is already made; dialling takes it and sends the INVITE as soon as the microphone track is on it. The
 * next one is made when the call ends, so it is not competing with the call's own setup for the CPU.
 *
 * For an incoming call, the handler is made and the caller's offer applied when the INVITE arrives; answering then
 * only makes the answer (in Chromium that saves the peer connection and `setRemoteDescription`, a few ms).
 *
 * Nothing leaves the browser while an offer waits (no media, and ICE only gathers its own candidates, or asks the
 * configured STUN/TURN servers). An offer older than the maximum age is made anew, so its candidates stay current.
 *
 * @packageDocumentation
 */
import type { Invitation } from 'sip.js';
import type { Clock, TimerHandle } from './clock.js';
import type { Logger } from './logger.js';
import type { PhoneSessionDescriptionHandler } from './session-description-handler.js';

/** Keeps at most one prepared handler. @internal */
export class OfferPreparer {
  readonly #create: () => PhoneSessionDescriptionHandler;
  readonly #clock: Clock;
  readonly #maxAgeMs: number;
  readonly #logger: Logger;
  #handler: PhoneSessionDescriptionHandler | undefined;
  #madeAt = 0;
  #ready = false;
  #refresh: TimerHandle | undefined;

  /**
   * @param create - makes a new handler (throws where there is no WebRTC)
   * @param clock - for the age limit
   * @param maxAgeMs - how long a prepared offer may wait
   * @param logger - diagnostics
   */
  constructor(create: () => PhoneSessionDescriptionHandler, clock: Clock, maxAgeMs: number, logger: Logger) {
    this.#create = create;
    this.#clock = clock;
    this.#maxAgeMs = maxAgeMs;
    this.#logger = logger;
  }

  /** Whether an offer is ready to go (made, with a usable candidate). */
  get ready(): boolean {
    return this.#ready && this.#handler !== undefined;
  }

  /** Starts making an offer unless a fresh one is there or on its way. */
  prepare(): void {
    if (this.#handler && this.#clock.now() - this.#madeAt < this.#maxAgeMs) return;
    this.discard();
    let handler: PhoneSessionDescriptionHandler;
    try {
      handler = this.#create();
    } catch (error) {
      this.#logger.debug('phone: no offer prepared', error);
      return;
    }
    this.#handler = handler;
    this.#madeAt = this.#clock.now();
    handler.prepareOffer().then(
      () => {
        if (this.#handler === handler) this.#ready = true;
      },
      (error: unknown) => {
        this.#logger.warn('phone: preparing the next call failed; calls set up their media as usual', error);
        if (this.#handler === handler) this.discard();
        else handler.close();
      },
    );
    this.#refresh = this.#clock.setTimeout(() => {
      this.#refresh = undefined;
      this.discard();
      this.prepare();
    }, this.#maxAgeMs);
  }

  /**
   * Hands the prepared handler to a new outgoing call (also while its offer is still being made: the call then
   * waits for it, which is never slower than starting over). Undefined when there is none or it is too old.
   */
  take(): PhoneSessionDescriptionHandler | undefined {
    const handler = this.#handler;
    const fresh = this.#clock.now() - this.#madeAt < this.#maxAgeMs;
    this.#forget();
    if (!handler) return undefined;
    if (!fresh || !handler.hasPreparedOffer) {
      handler.close();
      return undefined;
    }
    return handler;
  }

  /** Closes the prepared handler, if any (the phone stopped, or the network changed). */
  discard(): void {
    const handler = this.#handler;
    this.#forget();
    handler?.close();
  }

  #forget(): void {
    if (this.#refresh !== undefined) this.#clock.clearTimeout(this.#refresh);
    this.#refresh = undefined;
    this.#handler = undefined;
    this.#ready = false;
  }
}

/** Handlers of ringing calls that applied the call's offer early. @internal */
export class RingingOffers {
  readonly #create: () => PhoneSessionDescriptionHandler;
  readonly #logger: Logger;
  readonly #handlers = new WeakMap<object, PhoneSessionDescriptionHandler>();

  /**
   * @param create - makes a new handler (throws where there is no WebRTC)
   * @param logger - diagnostics
   */
  constructor(create: () => PhoneSessionDescriptionHandler, logger: Logger) {
    this.#create = create;
    this.#logger = logger;
  }

  /** Makes a handler for a new incoming call and applies its offer (INVITEs without an SDP offer are left alone). */
  apply(invitation: Invitation): void {
    const request = invitation.request;
    const sdp = request.body;
    if (!sdp || !/^application\/sdp\b/i.test(request.getHeader('content-type') ?? '')) return;
    try {
      const handler = this.#create();
      handler.applyOfferEarly(sdp);
      this.#handlers.set(invitation, handler);
    } catch (error) {
      this.#logger.debug('phone: the offer of a ringing call was not applied early', error);
    }
  }

  /** The handler made for `session`, handed over once. */
  take(session: object): PhoneSessionDescriptionHandler | undefined {
    const handler = this.#handlers.get(session);
    this.#handlers.delete(session);
    return handler;
  }

  /** Closes the handler of a call that ended without being answered (rejected, cancelled, forwarded). */
  release(session: object): void {
    this.take(session)?.close();
  }
}
