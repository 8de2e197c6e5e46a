// Fakes for the API client tests: a scripted fetch, a server-sent event body the test writes to, and manual timers.
// No Node built-ins: the same tests run in Node and in Chromium.
import { expect } from '../../support/harness.js';
import { isCentrexError, type CentrexError, type CentrexErrorCode } from '../../../src/core/errors.js';
import type { ApiTimers } from '../../../src/core/api/index.js';

/** What the fake fetch saw of one request. */
export interface SeenRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  readonly credentials: RequestCredentials | undefined;
  readonly signal: AbortSignal | undefined;
}

/** Answers one request: a Response, or a promise of one, or a thrown error (a network failure). */
export type FakeHandler = (request: SeenRequest) => Response | Promise<Response>;

/** A fetch that answers from a script of handlers, in order, and records every request. */
export class FakeFetch {
  readonly requests: SeenRequest[] = [];
  readonly #handlers: FakeHandler[] = [];
  /** Used when the script is empty. */
  fallback: FakeHandler = (request) => json(404, { code: 'not-found', message: `No fake answer for ${request.method} ${request.url}.` });

  /** The function to pass as `fetch`. */
  readonly fetch: typeof fetch = async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const request: SeenRequest = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers,
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
      credentials: init?.credentials,
      signal: init?.signal ?? undefined,
    };
    this.requests.push(request);
    const handler = this.#handlers.shift() ?? this.fallback;
    return handler(request);
  };

  /** Adds answers to the script. */
  answer(...handlers: FakeHandler[]): this {
    this.#handlers.push(...handlers);
    return this;
  }

  /** The last request seen. */
  get last(): SeenRequest {
    const request = this.requests[this.requests.length - 1];
    if (request === undefined) throw new Error('no request yet');
    return request;
  }
}

/** A JSON answer. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers } });
}

/** An empty 204 answer. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** A fetch answer that never comes, unless the request's signal aborts (then it rejects like fetch does). */
export function hang(request: SeenRequest): Promise<Response> {
  return new Promise((_, reject) => {
    const signal = request.signal;
    if (signal === undefined) return;
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** A server-sent event body that the test writes to. */
export class FakeEventBody {
  readonly #encoder = new TextEncoder();
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  cancelled = false;
  readonly stream: ReadableStream<Uint8Array>;

  constructor() {
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.cancelled = true;
      },
    });
  }

  /** The 200 answer carrying this body. */
  response(contentType = 'text/event-stream; charset=utf-8'): Response {
    return new Response(this.stream, { status: 200, headers: { 'content-type': contentType } });
  }

  /** Sends text (or bytes) to the client. */
  write(chunk: string | Uint8Array): void {
    this.#controller?.enqueue(typeof chunk === 'string' ? this.#encoder.encode(chunk) : chunk);
  }

  /** Sends one event the way the reference PBX writes them. */
  event(id: number, name: string, data: unknown): void {
    this.write(`id: ${id}\nevent: ${name}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream cleanly (the server closed it). */
  end(): void {
    this.#controller?.close();
  }

  /** Breaks the stream (the connection dropped). */
  fail(): void {
    this.#controller?.error(new TypeError('network connection lost'));
  }
}

/** Timers that fire only when the test says so. */
export class FakeTimers implements ApiTimers {
  #next = 1;
  readonly timers = new Map<number, { readonly ms: number; readonly callback: () => void }>();
  randomValue = 0.5;

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.timers.set(id, { ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  random(): number {
    return this.randomValue;
  }

  /** The delays of the pending timers, in the order they were set. */
  delays(): number[] {
    return [...this.timers.values()].map((timer) => timer.ms);
  }

  /** Fires the pending timer set with delay `ms` (the first one if several). */
  fire(ms: number): void {
    for (const [id, timer] of this.timers) {
      if (timer.ms !== ms) continue;
      this.timers.delete(id);
      timer.callback();
      return;
    }
    throw new Error(`no pending timer of ${ms} ms (pending: ${this.delays().join(', ') || 'none'})`);
  }
}

/**
 * Lets pending promise callbacks and stream reads run until `condition` holds. Yields to the event loop between
 * checks (no fixed delay); gives up after many rounds so that a broken test fails instead of hanging.
 */
export async function until(condition: () => boolean, what = 'the condition'): Promise<void> {
  for (let round = 0; round < 2000; round += 1) {
    if (condition()) return;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Expects `promise` to reject with a CentrexError with `code`, and returns it. */
export async function rejection(promise: Promise<unknown>, code: CentrexErrorCode): Promise<CentrexError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(isCentrexError(caught, code), `expected ${code}, got ${String(caught)}`).to.equal(true);
  return caught as CentrexError;
}

/** What it rejected with (anything), or a marker when it did not reject. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return 'did not reject';
}

/** A login answer as the reference PBX sends it. */
export function loginAnswer(token = 'tok-abc_123', expiresAt = '2030-01-02T03:04:05.000Z'): Response {
  return json(200, {
    token,
    expiresAt,
    user: {
      id: 'u1',
      name: 'Ben Berger',
      email: 'ben@demo.test',
      role: 'user',
      extension: '11',
      language: 'de',
      directNumber: '+498912345671',
      tenant: { id: 't1', name: 'Demo GmbH', country: 'DE', mainNumber: '+49891234567', extensionDigits: [2, 4], sipDomain: 'localhost' },
    },
  });
}
