/** Client transactions (RFC 3261 §17.1, with the Accepted state of RFC 6026), for forwarding requests. */
import { SipHeaders } from '../message/headers.js';
import { SipRequest, type SipResponse } from '../message/message.js';
import { serializeMessage } from '../message/serialize.js';
import type { SipFlow } from '../transport/types.js';
import type { SipTimer, TimerScope } from './clock.js';
import type { SipTimerValues } from './timers.js';

/** States of a client transaction. */
export type ClientTransactionState =
  | 'calling'
  | 'trying'
  | 'proceeding'
  | 'completed'
  | 'accepted'
  | 'terminated';

/** Callbacks of the transaction user for one client transaction. */
export interface ClientTransactionHandlers {
  /** Every response the transaction user should see: provisional, final, and 2xx retransmissions of an INVITE. */
  readonly onResponse?: (response: SipResponse, transaction: ClientTransaction) => void;
  /** Timer B or F fired: no final response (treat as 408). */
  readonly onTimeout?: (transaction: ClientTransaction) => void;
  /** The request could not be sent (flow closed, connection refused): treat as 503 / 430 Flow Failed. */
  readonly onTransportError?: (transaction: ClientTransaction) => void;
}

/** What a client transaction needs from the layer that owns it. */
export interface ClientTransactionContext {
  readonly scope: TimerScope;
  readonly timers: SipTimerValues;
  /** Starts a CANCEL for this INVITE on the same flow (a client transaction of its own). */
  readonly sendCancel: (cancel: SipRequest, flow: SipFlow) => void;
  /** Called once when the transaction ends. */
  readonly terminated: (transaction: ClientTransaction) => void;
}

/** The client side of one request the PBX sends (a proxy's forwarded branch, a NOTIFY, an OPTIONS ping). */
export class ClientTransaction {
  /** The request, with our Via on top. */
  readonly request: SipRequest;
  /** Branch and method. */
  readonly key: string;
  /** Whether this is an INVITE transaction. */
  readonly isInvite: boolean;
  #state: ClientTransactionState;
  #flow: SipFlow | undefined;
  #bytes: Buffer | undefined;
  #cancelWanted = false;
  #cancelSent = false;
  readonly #handlers: ClientTransactionHandlers;
  readonly #context: ClientTransactionContext;
  readonly #timers: SipTimer[] = [];
  #retransmit: SipTimer | undefined;

  /** @internal Created by the transaction layer. */
  constructor(request: SipRequest, key: string, handlers: ClientTransactionHandlers, context: ClientTransactionContext) {
    this.request = request;
    this.key = key;
    this.isInvite = request.method === 'INVITE';
    this.#state = this.isInvite ? 'calling' : 'trying';
    this.#handlers = handlers;
    this.#context = context;
    // Timer B / F run from creation, also while a TCP connection is still being opened.
    this.#later(64 * context.timers.t1, () => {
      if (this.#state === 'calling' || this.#state === 'trying' || (!this.isInvite && this.#state === 'proceeding')) {
        this.#terminate();
        this.#call(() => this.#handlers.onTimeout?.(this));
      }
    });
  }

  /** The current state. */
  get state(): ClientTransactionState {
    return this.#state;
  }

  /** The flow the request went out on (once sent). */
  get flow(): SipFlow | undefined {
    return this.#flow;
  }

  /**
   * Cancels a pending INVITE (RFC 3261 §9.1): the CANCEL goes out once a provisional response has arrived, and not
   * at all if a final response comes first.
   */
  cancel(): void {
    if (!this.isInvite || this.#cancelWanted) return;
    this.#cancelWanted = true;
    if (this.#state === 'proceeding') this.#sendCancel();
  }

  /** @internal Sends the request on `flow` and starts the retransmission timer on unreliable flows. */
  start(flow: SipFlow): void {
    if (this.#state === 'terminated') return;
    this.#flow = flow;
    this.#bytes = serializeMessage(this.request);
    if (!flow.send(this.#bytes)) {
      this.transportError();
      return;
    }
    if (!flow.reliable) this.#scheduleRetransmit(this.#context.timers.t1);
  }

  /** @internal The flow could not be opened or failed. */
  transportError(): void {
    if (this.#state === 'terminated') return;
    this.#terminate();
    this.#call(() => this.#handlers.onTransportError?.(this));
  }

  /** @internal A response matched this transaction. */
  receiveResponse(response: SipResponse): void {
    const status = response.status;
    const state = this.#state;
    if (state === 'terminated') return;
    if (status < 200) {
      if (state !== 'calling' && state !== 'trying' && state !== 'proceeding') return;
      if (this.isInvite) this.#stopRetransmit();
      this.#state = 'proceeding';
      this.#deliver(response);
      if (this.#cancelWanted) this.#sendCancel();
      return;
    }
    if (state === 'completed') {
      // A retransmitted final response: for a failed INVITE, our ACK was lost; send it again.
      if (this.isInvite && status >= 300) this.#sendAck(response);
      return;
    }
    if (state === 'accepted') {
      if (status < 300) this.#deliver(response);
      return;
    }
    this.#clearTimers();
    const { t1, t4 } = this.#context.timers;
    const reliable = this.#flow?.reliable ?? true;
    if (!this.isInvite) {
      this.#state = 'completed';
      this.#later(reliable ? 0 : t4, () => this.#terminate()); // Timer K
    } else if (status < 300) {
      this.#state = 'accepted';
      this.#later(64 * t1, () => this.#terminate()); // Timer M (RFC 6026)
    } else {
      this.#state = 'completed';
      this.#sendAck(response);
      this.#later(reliable ? 0 : 32_000, () => this.#terminate()); // Timer D
    }
    this.#deliver(response);
  }

  /** @internal Ends the transaction now (server shutdown). */
  terminate(): void {
    this.#terminate();
  }

  #deliver(response: SipResponse): void {
    this.#call(() => this.#handlers.onResponse?.(response, this));
  }

  #call(callback: () => void): void {
    try {
      callback();
    } catch {
      // The transaction user's faults must not break the transaction layer or the transport.
    }
  }

  /** The ACK for a non-2xx final response (RFC 3261 §17.1.1.3): same branch, the response's To. */
  #sendAck(response: SipResponse): void {
    if (!this.#flow) return;
    const headers = new SipHeaders();
    const via = this.request.headers.get('Via');
    if (via !== undefined) headers.append('Via', via);
    headers.append('Max-Forwards', '70');
    for (const route of this.request.headers.getAll('Route')) headers.append('Route', route);
    headers.append('From', this.request.headers.get('From') ?? '');
    headers.append('To', response.headers.get('To') ?? this.request.headers.get('To') ?? '');
    headers.append('Call-ID', this.request.callId);
    headers.append('CSeq', `${this.request.cseq?.seq ?? 0} ACK`);
    this.#flow.send(serializeMessage(new SipRequest('ACK', this.request.uri, headers)));
  }

  /** The CANCEL (RFC 3261 §9.1): same Request-URI, Call-ID, From, To, CSeq number, top Via and Route. */
  #sendCancel(): void {
    if (this.#cancelSent || !this.#flow) return;
    this.#cancelSent = true;
    const headers = new SipHeaders();
    const via = this.request.headers.get('Via');
    if (via !== undefined) headers.append('Via', via);
    headers.append('Max-Forwards', '70');
    for (const route of this.request.headers.getAll('Route')) headers.append('Route', route);
    headers.append('From', this.request.headers.get('From') ?? '');
    headers.append('To', this.request.headers.get('To') ?? '');
    headers.append('Call-ID', this.request.callId);
    headers.append('CSeq', `${this.request.cseq?.seq ?? 0} CANCEL`);
    this.#context.sendCancel(new SipRequest('CANCEL', this.request.uri, headers), this.#flow);
    // RFC 3261 §9.1: without a final response 64·T1 after the CANCEL, the INVITE counts as cancelled and its
    // transaction ends, so a callee that never answers the CANCEL cannot keep it (and its call) alive.
    this.#later(64 * this.#context.timers.t1, () => {
      if (this.#state !== 'proceeding') return;
      this.#terminate();
      this.#call(() => this.#handlers.onTimeout?.(this));
    });
  }

  #scheduleRetransmit(interval: number): void {
    this.#retransmit = this.#context.scope.setTimer(() => {
      const state = this.#state;
      const active = this.isInvite ? state === 'calling' : state === 'trying' || state === 'proceeding';
      if (!active || !this.#flow || !this.#bytes) return;
      this.#flow.send(this.#bytes);
      // Timer A doubles without limit; Timer E doubles up to T2, and stays at T2 once a provisional came.
      const { t2 } = this.#context.timers;
      const next = this.isInvite ? 2 * interval : state === 'proceeding' ? t2 : Math.min(2 * interval, t2);
      this.#scheduleRetransmit(next);
    }, interval);
  }

  #stopRetransmit(): void {
    this.#retransmit?.cancel();
    this.#retransmit = undefined;
  }

  #later(delay: number, callback: () => void): void {
    this.#timers.push(this.#context.scope.setTimer(callback, delay));
  }

  #clearTimers(): void {
    for (const timer of this.#timers.splice(0)) timer.cancel();
    this.#stopRetransmit();
  }

  #terminate(): void {
    if (this.#state === 'terminated') return;
    this.#clearTimers();
    this.#state = 'terminated';
    this.#context.terminated(this);
  }
}
