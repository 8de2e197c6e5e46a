/** Matches messages to transactions and owns their lifetimes. */
import type { SipRequest, SipResponse } from '../message/message.js';
import type { SipFlow } from '../transport/types.js';
import { ClientTransaction, type ClientTransactionHandlers } from './client-transaction.js';
import type { TimerScope } from './clock.js';
import { clientTransactionKey, serverTransactionKey } from './keys.js';
import { ServerTransaction } from './server-transaction.js';
import type { SipTimerValues } from './timers.js';

/** What happened to an incoming request at the transaction layer. */
export type IncomingRequestOutcome =
  /** A new transaction for the transaction user. */
  | { readonly kind: 'new'; readonly transaction: ServerTransaction }
  /** A retransmission or the ACK of a failed INVITE: handled here. */
  | { readonly kind: 'absorbed' }
  /** An ACK that belongs to no transaction here (ACK of a 2xx): for the transaction user, never answered. */
  | { readonly kind: 'ack' }
  /** A CANCEL: its own new transaction, and the INVITE transaction it cancels (if any). */
  | { readonly kind: 'cancel'; readonly transaction: ServerTransaction; readonly invite: ServerTransaction | undefined }
  /** No key could be computed (cannot happen for a request that parsed). */
  | { readonly kind: 'invalid' };

/** Options of the transaction layer. */
export interface TransactionLayerOptions {
  readonly scope: TimerScope;
  readonly timers: SipTimerValues;
  /** Sends a response of a server transaction towards its client. */
  readonly sendResponse: (response: SipResponse, transaction: ServerTransaction) => boolean;
}

/** The transaction layer: server and client transactions by key. */
export class TransactionLayer {
  readonly #options: TransactionLayerOptions;
  readonly #server = new Map<string, ServerTransaction>();
  readonly #client = new Map<string, ClientTransaction>();

  constructor(options: TransactionLayerOptions) {
    this.#options = options;
  }

  /** How many transactions are alive (for tests and metrics). */
  get size(): { readonly server: number; readonly client: number } {
    return { server: this.#server.size, client: this.#client.size };
  }

  /** Classifies an incoming request and creates a server transaction when it starts one. */
  receiveRequest(request: SipRequest, flow: SipFlow): IncomingRequestOutcome {
    const key = serverTransactionKey(request);
    if (key === undefined) return { kind: 'invalid' };
    const existing = this.#server.get(key);
    if (request.method === 'ACK') {
      if (existing?.receiveAck()) return { kind: 'absorbed' };
      return { kind: 'ack' };
    }
    if (existing) {
      existing.receiveRetransmission();
      return { kind: 'absorbed' };
    }
    const transaction = this.#createServer(request, flow, key);
    if (request.method === 'CANCEL') {
      const inviteKey = serverTransactionKey(request, 'INVITE');
      const invite = inviteKey === undefined ? undefined : this.#server.get(inviteKey);
      return { kind: 'cancel', transaction, invite };
    }
    return { kind: 'new', transaction };
  }

  /** Finds the server transaction a response of ours belongs to (for `send(response)` without a transaction). */
  serverTransactionFor(response: SipResponse): ServerTransaction | undefined {
    const via = response.topVia;
    const cseq = response.cseq;
    if (!via || !cseq) return undefined;
    const sentBy = `${via.host.toLowerCase()}:${via.port ?? ''}`;
    const direct = this.#server.get(`3261|${via.branch ?? ''}|${sentBy}|${cseq.method}`);
    if (direct) return direct;
    // RFC 2543 keys cannot be rebuilt from a response: compare with each pending request.
    for (const transaction of this.#server.values()) {
      const request = transaction.request;
      if (
        transaction.key.startsWith('2543|') &&
        request.headers.get('Via') === response.headers.get('Via') &&
        request.cseq?.seq === cseq.seq &&
        request.cseq?.method === cseq.method &&
        request.callId === response.callId
      ) {
        return transaction;
      }
    }
    return undefined;
  }

  /** Hands a response to its client transaction; false when none matches (the response is then dropped). */
  receiveResponse(response: SipResponse): boolean {
    const key = clientTransactionKey(response);
    const transaction = key === undefined ? undefined : this.#client.get(key);
    if (!transaction) return false;
    transaction.receiveResponse(response);
    return true;
  }

  /**
   * Creates a client transaction for a request that already carries our Via; `flow` may still be connecting.
   * The transaction is returned at once; sending happens when the flow is ready.
   */
  createClient(
    request: SipRequest,
    flow: SipFlow | Promise<SipFlow>,
    handlers: ClientTransactionHandlers,
  ): ClientTransaction {
    const key = clientTransactionKey(request) ?? `unkeyed|${Math.random()}`;
    const transaction = new ClientTransaction(request, key, handlers, {
      scope: this.#options.scope,
      timers: this.#options.timers,
      sendCancel: (cancel, cancelFlow) => {
        this.createClient(cancel, cancelFlow, {});
      },
      terminated: (ended) => {
        if (this.#client.get(ended.key) === ended) this.#client.delete(ended.key);
      },
    });
    this.#client.set(key, transaction);
    if (flow instanceof Promise) {
      flow.then(
        (ready) => transaction.start(ready),
        () => transaction.transportError(),
      );
    } else transaction.start(flow);
    return transaction;
  }

  /** Ends every transaction (timers stop; nothing more is sent). */
  close(): void {
    for (const transaction of [...this.#server.values()]) transaction.terminate();
    for (const transaction of [...this.#client.values()]) transaction.terminate();
    this.#server.clear();
    this.#client.clear();
  }

  #createServer(request: SipRequest, flow: SipFlow, key: string): ServerTransaction {
    const transaction: ServerTransaction = new ServerTransaction(request, flow, key, {
      scope: this.#options.scope,
      timers: this.#options.timers,
      send: (response) => this.#options.sendResponse(response, transaction),
      terminated: (ended) => {
        if (this.#server.get(ended.key) === ended) this.#server.delete(ended.key);
      },
    });
    this.#server.set(key, transaction);
    return transaction;
  }
}
