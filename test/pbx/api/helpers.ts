// The API tests' server: store + API on a real HTTP server on 127.0.0.1 port 0, with the store fixture.
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApiHandler, type ApiHandler, type ApiOptions } from '../../../src/pbx/api/index.js';
import { PbxEvents } from '../../../src/pbx/events.js';
import { openStore, type Store } from '../../../src/pbx/store/index.js';
import { seedFixture, tempDir, testClock, PASSWORD, type Fixture, type TestClock } from '../store/fixture.js';

export { PASSWORD, tempDir, testClock, type Fixture, type TestClock };

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body, or `undefined` for an empty one. */
  readonly json: unknown;
  readonly text: string;
}

export interface RequestOptions {
  readonly token?: string;
  readonly body?: unknown;
  /** A raw body (sent as is, with the given headers). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

export interface TestApi {
  readonly url: string;
  readonly store: Store;
  readonly events: PbxEvents;
  readonly clock: TestClock;
  readonly dir: string;
  readonly outboxDir: string;
  readonly logs: { level: string; message: string; data?: Readonly<Record<string, unknown>> }[];
  readonly fixture: Fixture;
  readonly handler: ApiHandler;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
  /** Logs in and returns the bearer token. */
  login(email: string, password?: string, headers?: Record<string, string>): Promise<string>;
  close(): Promise<void>;
}

/** Starts store + API on 127.0.0.1:0 with the fixture. Requests may set `x-test-client` to act as another address. */
export async function startApi(options: Partial<Omit<ApiOptions, 'store' | 'publicUrl'>> = {}): Promise<TestApi> {
  const dir = tempDir();
  const clock = testClock();
  const store = openStore({ file: join(dir, 'pbx.db'), clock: clock.read });
  const fixture = await seedFixture(store);
  const events = options.events ?? new PbxEvents();
  const logs: TestApi['logs'] = [];
  const outboxDir = join(dir, 'outbox');
  // The handler needs the URL, which exists only once the server listens.
  const holder: { handler?: ApiHandler } = {};
  const server: Server = createServer((req, res) => {
    if (!holder.handler?.(req, res)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('not the API');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api_ = createApiHandler({
    store,
    events,
    outboxDir,
    publicUrl: url,
    log: (level, message, data) => logs.push({ level, message, ...(data ? { data } : {}) }),
    clientAddress: (req) => String(req.headers['x-test-client'] ?? req.socket.remoteAddress ?? 'unknown'),
    ...options,
  });
  holder.handler = api_;

  const request = async (method: string, path: string, request: RequestOptions = {}): Promise<ApiResponse> => {
    const headers: Record<string, string> = { ...(request.headers ?? {}) };
    if (request.token) headers['authorization'] = `Bearer ${request.token}`;
    let body: string | undefined = request.raw;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}/api/v1${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : (JSON.parse(text) as unknown);
    } catch {
      json = undefined;
    }
    return { status: response.status, headers: response.headers, json, text };
  };
  const api: TestApi = {
    url,
    store,
    events,
    clock,
    dir,
    outboxDir,
    logs,
    fixture,
    handler: api_,
    request,
    async login(email, password = PASSWORD, headers = {}) {
      const response = await request('POST', '/login', { body: { email, password }, headers });
      if (response.status !== 200) throw new Error(`login of ${email} failed: ${response.status} ${response.text}`);
      return (response.json as { token: string }).token;
    },
    async close() {
      api_.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return api;
}

/** Narrows a JSON body to an object for property access in assertions. */
export function obj(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`expected an object, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}

/** Narrows a JSON body field to an array of objects. */
export function list(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) throw new Error(`expected a list, got ${JSON.stringify(value)}`);
  return value.map(obj);
}
