/** Server transactions (RFC 3261 §17.2, with the Accepted state of RFC 6026). */
import { createResponse, type CreateResponseOptions } from '../message/response.js';
import type { SipRequest, SipResponse } from '../message/message.js';
import type { SipFlow } from '../transport/types.js';
import type { SipTimer, TimerScope } from './clock.js';
import { INVITE_SERVER_GUARD_MS, type SipTimerValues } from './timers.js';

/** States of a server transaction. */
export type ServerTransactionState = 'trying' | 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

/** What a server transaction needs from the layer that owns it. */
export interface ServerTransactionContext {
  readonly scope: TimerScope;
  readonly timers: SipTimerValues;
  /** Sends a response towards the client (on the request's flow or per its Via). */
  readonly send: (response: SipResponse) => boolean;
  /** Called once when the transaction ends, so that the owner can forget it. */
  readonly terminated: (transaction: ServerTransaction) => void;
}

/**
 * The server side of one request: absorbs retransmissions, retransmits final responses over UDP, waits for the ACK
 * of a failed INVITE. The transaction user answers through {@link ServerTransaction.respond} or
 * {@link ServerTransaction.reply}.
 */
export class ServerTransaction {
  /** The request that created the transaction. */
  readonly request: SipRequest;
  /** The flow the request arrived on. */
  readonly flow: SipFlow;
  /** The matching key (branch, sent-by, method). */
  readonly key: string;
  /** Whether this is an INVITE transaction. */
  readonly isInvite: boolean;
  #state: ServerTransactionState;
  #last: SipResponse | undefined;
  #final: SipResponse | undefined;
  #cancelled = false;
  readonly #cancelListeners: Array<() => void> = [];
  readonly #context: ServerTransactionContext;
  readonly #timers: SipTimer[] = [];

  /** @internal Created by the transaction layer. */
  constructor(request: SipRequest, flow: SipFlow, key: string, context: ServerTransactionContext) {
    this.request = request;
    this.flow = flow;
    this.key = key;
    this.isInvite = request.method === 'INVITE';
    this.#state = this.isInvite ? 'proceeding' : 'trying';
    this.#context = context;
    const guard = this.isInvite ? INVITE_SERVER_GUARD_MS : 64 * context.timers.t1;
    this.#later(guard, () => {
      // The transaction user never answered: an INVITE gets 408, a non-INVITE is forgotten (its client gave up).
      if (this.isInvite && this.#final === undefined) this.reply(408);
      else if (this.#final === undefined) this.#terminate();
    });
  }

  /** The current state. */
  get state(): ServerTransactionState {
    return this.#state;
  }

  /** The final response sent, if any. */
  get finalResponse(): SipResponse | undefined {
    return this.#final;
  }

  /** The last response sent (provisional or final), if any. */
  get lastResponse(): SipResponse | undefined {
    return this.#last;
  }

  /** Whether a CANCEL for this INVITE arrived before the final response. */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Registers a listener for a CANCEL of this INVITE (the routing layer cancels its branches and answers 487). */
  onCancel(listener: () => void): void {
    if (this.#cancelled) listener();
    else this.#cancelListeners.push(listener);
  }

  /**
   * Sends a response. Provisional responses may repeat; the first final response completes the transaction.
   * After a 2xx to an INVITE, further 2xx (retransmissions forwarded by a proxy) are still sent.
   * Returns false when the response was not sent (the transaction is past the point where it could be).
   */
  respond(response: SipResponse): boolean {
    const status = response.status;
    if (!Number.isInteger(status) || status < 100 || status > 699) return false;
    if (this.#state === 'accepted') return status >= 200 && status < 300 ? this.#context.send(response) : false;
    if (this.#state !== 'trying' && this.#state !== 'proceeding') return false;
    const sent = this.#context.send(response);
    this.#last = response;
    if (status < 200) {
      this.#state = 'proceeding';
      return sent;
    }
    this.#final = response;
    this.#clearTimers();
    const { t1, t2 } = this.#context.timers;
    const reliable = this.flow.reliable;
    if (!this.isInvite) {
      this.#state = 'completed';
      this.#later(reliable ? 0 : 64 * t1, () => this.#terminate()); // Timer J
    } else if (status < 300) {
      this.#state = 'accepted';
      this.#later(64 * t1, () => this.#terminate()); // Timer L (RFC 6026)
    } else {
      this.#state = 'completed';
      if (!reliable) this.#scheduleG(t1, t2);
      this.#later(64 * t1, () => this.#terminate()); // Timer H: no ACK came
    }
    return sent;
  }

  /** Builds a response with {@link createResponse} and sends it; returns the response. */
  reply(status: number, options?: CreateResponseOptions): SipResponse {
    const response = createResponse(this.request, status, options);
    this.respond(response);
    return response;
  }

  /** @internal A retransmission of the request arrived. */
  receiveRetransmission(): void {
    if (this.#state === 'proceeding' || (this.#state === 'completed' && this.#last)) {
      if (this.#last) this.#context.send(this.#last);
    }
  }

  /**
   * @internal An ACK matched this transaction. Returns true when it was absorbed (ACK of a non-2xx final response),
   * false when it belongs to the transaction user (an ACK of a 2xx seen by an RFC 2543 key).
   */
  receiveAck(): boolean {
    if (!this.isInvite) return false;
    if (this.#state === 'completed') {
      this.#clearTimers();
      this.#state = 'confirmed';
      this.#later(this.flow.reliable ? 0 : this.#context.timers.t4, () => this.#terminate()); // Timer I
      return true;
    }
    return this.#state === 'confirmed';
  }

  /** @internal A CANCEL matched this INVITE; listeners run only while no final response was sent. */
  receiveCancel(): void {
    if (!this.isInvite || this.#final !== undefined || this.#cancelled) return;
    this.#cancelled = true;
    for (const listener of this.#cancelListeners.splice(0)) {
      try {
        listener();
      } catch {
        // A faulty listener must not stop the others or the transport.
      }
    }
  }

  /** @internal Ends the transaction now (server shutdown). */
  terminate(): void {
    this.#terminate();
  }

  #scheduleG(interval: number, t2: number): void {
    const timer = this.#context.scope.setTimer(() => {
      if (this.#state !== 'completed' || !this.#final) return;
      this.#context.send(this.#final);
      this.#scheduleG(Math.min(2 * interval, t2), t2);
    }, interval);
    this.#timers.push(timer);
  }

  #later(delay: number, callback: () => void): void {
    this.#timers.push(this.#context.scope.setTimer(callback, delay));
  }

  #clearTimers(): void {
    for (const timer of this.#timers.splice(0)) timer.cancel();
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    this.#clearTimers();
    this.#state = 'terminated';
    this.#context.terminated(this);
  }
}
