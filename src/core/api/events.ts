/**
 * The Centrex API's server-sent events, read with `fetch` streaming (an `EventSource` cannot send the bearer token),
 * with automatic reconnects.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';
import { SseParser, type SseRecord } from './sse.js';
import { API_EVENT_NAMES, type ApiEvent, type ApiEventName } from './types.js';

/** Timers and randomness, injected so that tests can drive reconnects and timeouts without waiting. */
export interface ApiTimers {
  /** Calls `callback` once after `ms` milliseconds; returns a handle for {@link ApiTimers.clearTimeout}. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer; ignores handles that fired already. */
  clearTimeout(handle: unknown): void;
  /** A number in [0, 1), for reconnect jitter. */
  random(): number;
}

/** The global timers and `Math.random`. */
export const systemTimers: ApiTimers = Object.freeze({
  setTimeout: (callback: () => void, ms: number): unknown => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle: unknown): void => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
  random: () => Math.random(),
});

/** How an event stream reconnects and notices a dead connection. All durations in milliseconds. */
export interface ApiEventStreamOptions {
  /**
   * The shortest reconnect delay, whatever the server's `retry` field says; default 1000. Delays grow from the
   * server's `retry` (3000 until it sends one), doubling per failed attempt, each between half and all of its bound.
   */
  readonly minRetryMs?: number;
  /** The longest reconnect delay; default 60 000. A `Retry-After` from the server may wait longer. */
  readonly maxRetryMs?: number;
  /**
   * Reconnect when nothing (not even a heartbeat comment) arrived for this long; default 60 000 (the reference PBX
   * sends a heartbeat every 25 s); 0 turns it off. Catches connections that died without closing.
   */
  readonly idleTimeoutMs?: number;
  /** The event id to resume after (sent as `Last-Event-ID` on the first connection); default none. */
  readonly lastEventId?: string;
}

/** The states of an {@link ApiEventStream}. */
export const EVENT_STREAM_STATES = Object.freeze({
  /** Waiting for the server to answer the request. */
  connecting: 'connecting',
  /** The server answered with an event stream; events are arriving. */
  open: 'open',
  /** The connection failed or ended; a reconnect is scheduled. */
  waiting: 'waiting',
  /** Closed for good: by the app, by logout, or by an error retrying cannot fix (such as 401). */
  closed: 'closed',
} as const);

/** One of {@link EVENT_STREAM_STATES}. */
export type EventStreamState = (typeof EVENT_STREAM_STATES)[keyof typeof EVENT_STREAM_STATES];

const TRANSITIONS: Readonly<Record<EventStreamState, readonly EventStreamState[]>> = {
  connecting: ['open', 'waiting', 'closed'],
  open: ['waiting', 'closed'],
  waiting: ['connecting', 'closed'],
  closed: [],
};

/** An event the SDK does not know (a newer server), or a known one whose data is not a JSON object. */
export interface ApiUnknownEvent {
  readonly type: 'unknown';
  /** The SSE event name. */
  readonly name: string;
  readonly id: string;
  /** The parsed JSON, or the raw text when it is not JSON. */
  readonly data: unknown;
}

/** What the stream says about its connection, between the server's events. */
export type ApiStreamStatus =
  /** Connected; `reconnected` is true after a reconnect, when events may have been missed: reload what is shown. */
  | { readonly type: 'open'; readonly reconnected: boolean }
  /** The connection failed or ended; the stream tries again after `delayMs`. */
  | { readonly type: 'reconnecting'; readonly attempt: number; readonly delayMs: number; readonly error: CentrexError }
  /** The stream stopped for good because of `error` (`api-unauthorized` after logout or expiry, among others). */
  | { readonly type: 'error'; readonly error: CentrexError };

/** Everything an {@link ApiEventStream} delivers: the server's typed events, unknown events and status changes. */
export type ApiStreamItem = ApiEvent | ApiUnknownEvent | ApiStreamStatus;

/** A listener of {@link ApiEventStream.subscribe}. */
export type ApiStreamListener = (item: ApiStreamItem) => void;

/**
 * Opens one connection of an event stream; {@link HttpApi} provides it (with the token in force at that moment).
 * Resolves with a 2xx response; rejects with a {@link CentrexError} (or the signal's reason when aborted).
 */
export type EventStreamConnector = (lastEventId: string, signal: AbortSignal) => Promise<Response>;

const DEFAULT_RETRY_MS = 3000;
const DEFAULT_MIN_RETRY_MS = 1000;
const DEFAULT_MAX_RETRY_MS = 60_000;
const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

// Failures that retrying cannot fix: the session is gone, the account may not, or the server is not the API.
const RETRYABLE = new Set(['server-unreachable', 'timeout', 'api-rate-limited', 'api-unavailable', 'api-server-error']);

function checkDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) {
    throw new CentrexError('invalid-argument', `${name} must be a number of milliseconds, 0 or more.`, { details: { [name]: value } });
  }
  return value;
}

function isJsonObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A live stream of the signed-in user's events (`GET /events`), from {@link HttpApi.events}.
 *
 * Read it with `for await` or {@link ApiEventStream.subscribe}; both see the items that arrive after they attach (the
 * first connection is made asynchronously, so attaching right after creating the stream misses nothing). Breaking
 * out of a `for await` loop closes the stream.
 *
 * It reconnects by itself after network failures, server errors and a server that ended the stream, with growing,
 * jittered delays and `Last-Event-ID` when the server sent ids; an `open` item with `reconnected: true` tells that
 * events may have been missed meanwhile. It stops for good on {@link ApiEventStream.close}, when the signal aborts,
 * on {@link HttpApi.logout}, and on errors retrying cannot fix (401, 403, an answer that is not an event stream),
 * which arrive as a last `error` item.
 *
 * ```
 *   connecting ──2xx──▶ open ──ended / failed──▶ waiting ──delay over──▶ connecting
 *        └───────────failed (retryable)─────────────┘
 *   any state ──close / abort / logout / 401──▶ closed
 * ```
 *
 * @example
 * ```ts
 * const stream = api.events(controller.signal);
 * for await (const item of stream) {
 *   if (item.type === 'forwarding') showProfile(item.data.settings.activeProfile);
 *   else if (item.type === 'open' && item.reconnected) reloadEverything();
 *   else if (item.type === 'error') askToSignIn(item.error);
 * }
 * ```
 */
export class ApiEventStream implements AsyncIterable<ApiStreamItem> {
  readonly #connect: EventStreamConnector;
  readonly #timers: ApiTimers;
  readonly #minRetryMs: number;
  readonly #maxRetryMs: number;
  readonly #idleTimeoutMs: number;
  readonly #parser: SseParser;
  readonly #abort = new AbortController();
  readonly #listeners = new Set<ApiStreamListener>();
  readonly #endListeners = new Set<() => void>();
  readonly #onEnd: (() => void) | undefined;
  #state: EventStreamState = 'connecting';
  #serverRetryMs: number | undefined;
  #resolveClosed: (error: CentrexError | undefined) => void = () => undefined;

  /**
   * Resolves when the stream has stopped for good: with the error that stopped it, or `undefined` when it was
   * closed or aborted.
   */
  readonly closed: Promise<CentrexError | undefined>;

  /**
   * Starts connecting at once. Apps get streams from {@link HttpApi.events}; constructing one directly is for tests
   * and for other transports.
   *
   * @param connect - opens one connection
   * @param options - reconnect policy and idle timeout
   * @param signal - aborting it closes the stream
   * @param timers - timers and randomness (default the global ones)
   * @param onEnd - called once when the stream has closed (the API uses it to forget the stream)
   * @throws CentrexError `invalid-argument` for a negative or non-numeric duration
   */
  constructor(
    connect: EventStreamConnector,
    options: ApiEventStreamOptions = {},
    signal?: AbortSignal,
    timers: ApiTimers = systemTimers,
    onEnd?: () => void,
  ) {
    this.#connect = connect;
    this.#timers = timers;
    this.#minRetryMs = checkDuration('minRetryMs', options.minRetryMs, DEFAULT_MIN_RETRY_MS);
    this.#maxRetryMs = Math.max(this.#minRetryMs, checkDuration('maxRetryMs', options.maxRetryMs, DEFAULT_MAX_RETRY_MS));
    this.#idleTimeoutMs = checkDuration('idleTimeoutMs', options.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS);
    this.#parser = new SseParser(options.lastEventId === undefined ? {} : { lastEventId: options.lastEventId });
    this.#onEnd = onEnd;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    if (signal?.aborted) {
      this.#finish(undefined);
      return;
    }
    if (signal !== undefined) {
      const onAbort = (): void => this.close();
      signal.addEventListener('abort', onAbort, { once: true });
      // The caller's signal may outlive the stream by far (a page-wide controller): do not keep the stream alive.
      this.#endListeners.add(() => signal.removeEventListener('abort', onAbort));
    }
    void this.#run();
  }

  /** Where the stream is; see {@link EVENT_STREAM_STATES}. */
  get state(): EventStreamState {
    return this.#state;
  }

  /** The last event id the server sent; sent as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#parser.lastEventId;
  }

  /**
   * Calls `listener` with every item from now on, until the returned function is called or the stream closes.
   * Listeners must not throw; if one does, the error is dropped so the others and the stream carry on.
   */
  subscribe(listener: ApiStreamListener): () => void {
    if (this.#state === 'closed') return () => undefined;
    // Wrapped, so that the same function can subscribe twice and unsubscribe each independently.
    const entry: ApiStreamListener = (item) => listener(item);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Stops the stream for good (idempotent). Pending iterations end; `closed` resolves with `undefined`. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#finish(undefined);
  }

  /** Iterates over the items that arrive from now on; ends when the stream closes. Breaking out closes the stream. */
  [Symbol.asyncIterator](): AsyncIterator<ApiStreamItem> {
    const queue: ApiStreamItem[] = [];
    let ended = this.#state === 'closed';
    let wake: (() => void) | undefined;
    const unsubscribe = this.subscribe((item) => {
      queue.push(item);
      wake?.();
    });
    const onEnd = (): void => {
      ended = true;
      wake?.();
    };
    this.#endListeners.add(onEnd);
    const stop = (): IteratorReturnResult<undefined> => {
      unsubscribe();
      this.#endListeners.delete(onEnd);
      return { done: true, value: undefined };
    };
    return {
      next: async (): Promise<IteratorResult<ApiStreamItem>> => {
        for (;;) {
          const item = queue.shift();
          if (item !== undefined) return { done: false, value: item };
          if (ended) return stop();
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      },
      return: async (): Promise<IteratorResult<ApiStreamItem>> => {
        this.close();
        return stop();
      },
    };
  }

  #isClosed(): boolean {
    return this.#state === 'closed';
  }

  #transition(to: EventStreamState): void {
    if (!TRANSITIONS[this.#state].includes(to)) {
      throw new CentrexError('invalid-transition', `An event stream cannot go from ${this.#state} to ${to}.`, {
        details: { from: this.#state, to },
      });
    }
    this.#state = to;
  }

  #emit(item: ApiStreamItem): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(item);
      } catch {
        // A broken listener must not starve the others or stop the stream; the core has no console to report to.
      }
    }
  }

  #finish(error: CentrexError | undefined): void {
    if (this.#state === 'closed') return;
    this.#transition('closed');
    if (error !== undefined) this.#emit({ type: 'error', error });
    this.#listeners.clear();
    this.#abort.abort(new DOMException('The event stream was closed.', 'AbortError'));
    for (const end of [...this.#endListeners]) end();
    this.#endListeners.clear();
    this.#resolveClosed(error);
    this.#onEnd?.();
  }

  async #run(): Promise<void> {
    let attempt = 0;
    let opened = false;
    while (!this.#isClosed()) {
      const connection = new AbortController();
      const stop = (): void => connection.abort(this.#abort.signal.reason);
      this.#abort.signal.addEventListener('abort', stop, { once: true });
      let failure: CentrexError;
      try {
        const response = await this.#connect(this.#parser.lastEventId, connection.signal);
        const body = this.#streamBody(response);
        if (this.#isClosed()) return;
        this.#transition('open');
        attempt = 0;
        this.#emit({ type: 'open', reconnected: opened });
        opened = true;
        await this.#read(body, connection);
        failure = new CentrexError('server-unreachable', 'The server ended the event stream; reconnecting.', {
          details: { reason: 'ended' },
        });
      } catch (error) {
        failure =
          error instanceof CentrexError
            ? error
            : new CentrexError('server-unreachable', 'The event stream broke off; reconnecting.', { cause: error });
      } finally {
        this.#abort.signal.removeEventListener('abort', stop);
      }
      if (this.#isClosed()) return;
      if (!RETRYABLE.has(failure.code)) {
        this.#finish(failure);
        return;
      }
      attempt += 1;
      const delayMs = this.#delay(attempt, failure);
      this.#transition('waiting');
      this.#emit({ type: 'reconnecting', attempt, delayMs, error: failure });
      await this.#sleep(delayMs);
      if (this.#isClosed()) return;
      this.#transition('connecting');
    }
  }

  /** The body of a response that must be an event stream (the standard fails the connection otherwise). */
  #streamBody(response: Response): ReadableStream<Uint8Array> {
    const type = (response.headers.get('content-type') ?? '').toLowerCase();
    if (!type.startsWith('text/event-stream') || response.body === null) {
      void response.body?.cancel().catch(() => undefined);
      throw new CentrexError(
        'api-invalid-response',
        `GET /events answered with ${type === '' ? 'no content type' : type} instead of an event stream; check that the base URL points at the PBX.`,
        { details: { method: 'GET', path: '/events', problem: 'not text/event-stream', contentType: type } },
      );
    }
    return response.body;
  }

  async #read(body: ReadableStream<Uint8Array>, connection: AbortController): Promise<void> {
    const reader = body.getReader();
    let idle: unknown;
    let finished = false;
    const armIdle = (): void => {
      if (this.#idleTimeoutMs <= 0) return;
      this.#timers.clearTimeout(idle);
      idle = this.#timers.setTimeout(() => {
        connection.abort(
          new CentrexError('timeout', `The event stream sent nothing for ${this.#idleTimeoutMs / 1000} s; reconnecting.`, {
            details: { idleTimeoutMs: this.#idleTimeoutMs },
          }),
        );
      }, this.#idleTimeoutMs);
    };
    // Cancelling the reader ends a pending read at once, whatever fetch implementation produced the body.
    const cancel = (): void => {
      void reader.cancel().catch(() => undefined);
    };
    connection.signal.addEventListener('abort', cancel, { once: true });
    try {
      armIdle();
      for (;;) {
        const { done, value } = await reader.read();
        if (connection.signal.aborted) throw connection.signal.reason;
        if (done) {
          finished = true;
          return;
        }
        armIdle();
        for (const record of this.#parser.feedBytes(value)) {
          this.#handle(record);
          if (this.#isClosed()) return;
        }
      }
    } catch (error) {
      if (connection.signal.aborted) throw connection.signal.reason;
      throw error;
    } finally {
      this.#timers.clearTimeout(idle);
      connection.signal.removeEventListener('abort', cancel);
      if (!finished) cancel();
      // What was left unfinished belongs to a connection that is gone; only a trailing `retry` still counts.
      for (const record of this.#parser.end()) if (record.kind === 'retry') this.#serverRetryMs = record.ms;
    }
  }

  #handle(record: SseRecord): void {
    if (record.kind === 'retry') {
      this.#serverRetryMs = record.ms;
      return;
    }
    if (record.kind === 'comment') return;
    const { name, data: raw, lastEventId: id } = record;
    let data: unknown = raw;
    let json = false;
    try {
      data = JSON.parse(raw) as unknown;
      json = true;
    } catch {
      // Not JSON: handed on as text in an `unknown` item rather than dropped.
    }
    if (json && isJsonObject(data) && (API_EVENT_NAMES as readonly string[]).includes(name)) {
      // The name is one of the map's keys and the data an object: the contract's shape for that event.
      this.#emit({ type: name as ApiEventName, id, data } as ApiEvent);
    } else {
      this.#emit({ type: 'unknown', name, id, data });
    }
  }

  #delay(attempt: number, failure: CentrexError): number {
    const base = Math.min(this.#maxRetryMs, Math.max(this.#minRetryMs, this.#serverRetryMs ?? DEFAULT_RETRY_MS));
    const bound = Math.min(this.#maxRetryMs, base * 2 ** Math.min(attempt - 1, 20));
    const random = Math.min(Math.max(this.#timers.random(), 0), 1);
    let delay = Math.round(bound / 2 + (bound / 2) * random);
    const retryAfter = failure.details?.['retryAfter'];
    if (typeof retryAfter === 'number') delay = Math.max(delay, retryAfter * 1000);
    return delay;
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.#abort.signal;
      if (signal.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const handle = this.#timers.setTimeout(done, ms);
      const onAbort = (): void => {
        this.#timers.clearTimeout(handle);
        done();
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
