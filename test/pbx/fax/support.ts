// Shared pieces of the PBX fax tests: a real PBX with the demo tenant over HTTP, requests with a token, PDFs made at
// test time (qpdf for the encrypted ones), and waiting for a job to reach a state.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpApi } from '../../../src/core/api/index.js';
import type { FaxJob } from '../../../src/core/fax/index.js';
import { startPbx, type RunningPbx } from '../../../src/pbx/server.js';

export const DEMO_PASSWORD = 'fax-test-password';

/** The demo's fax logins (src/pbx/demo.ts). */
export const FAX = {
  anna: { login: 'fax-anna', pin: '2468', extension: '20' },
  ben: { login: 'fax-ben', pin: '1357', extension: '21' },
} as const;

export interface TestPbx {
  readonly pbx: RunningPbx;
  readonly url: string;
  readonly dir: string;
  /** Where the sink writes delivered documents. */
  readonly sinkDir: string;
  close(): Promise<void>;
}

/** Starts the PBX of `npm start` (demo tenant) on a free port, with short fax retry delays. */
export async function startFaxPbx(): Promise<TestPbx> {
  const dir = mkdtempSync(join(tmpdir(), 'centrex-fax-pbx-'));
  const pbx = await startPbx({
    db: join(dir, 'pbx.db'),
    port: 0,
    demo: true,
    demoPassword: DEMO_PASSWORD,
    fax: { retryDelayMs: 200, maxRetryDelayMs: 400, timeZone: 'Europe/Berlin' },
  });
  return {
    pbx,
    url: pbx.url,
    dir,
    sinkDir: join(dir, 'fax-sink'),
    async close() {
      await pbx.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: Record<string, unknown>;
  readonly bytes: Uint8Array;
}

/** One API request with a bearer token; `body` goes as JSON unless it is FormData. */
export async function call(url: string, token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token) headers['authorization'] = `Bearer ${token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${url}/api/v1${path}`, { method, headers, ...(payload === undefined ? {} : { body: payload }) });
  const bytes = new Uint8Array(await response.arrayBuffer());
  let json: Record<string, unknown> = {};
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) {
    json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  }
  return { status: response.status, headers: response.headers, json, bytes };
}

/** Signs a demo user in and returns the bearer token. */
export async function login(url: string, email: string): Promise<string> {
  const answer = await call(url, undefined, 'POST', '/login', { email, password: DEMO_PASSWORD });
  if (answer.status !== 200) throw new Error(`login of ${email}: ${answer.status}`);
  return String(answer.json['token']);
}

/** A signed-in SDK client for a demo user. */
export async function apiFor(url: string, email: string): Promise<HttpApi> {
  const api = new HttpApi({ baseUrl: url });
  await api.login(email, DEMO_PASSWORD);
  return api;
}

/** Links a demo fax extension and returns its id. */
export async function link(url: string, token: string, fax: { login: string; pin: string }): Promise<string> {
  const answer = await call(url, token, 'POST', '/fax/extensions', { login: fax.login, pin: fax.pin });
  if (answer.status !== 200) throw new Error(`linking ${fax.login}: ${answer.status} ${JSON.stringify(answer.json)}`);
  return String(answer.json['id']);
}

/** Sends a fax as JSON with the document in base64. */
export function sendJson(url: string, token: string, body: Record<string, unknown> & { document: Uint8Array }): Promise<Answer> {
  return call(url, token, 'POST', '/fax/jobs', { ...body, document: Buffer.from(body.document).toString('base64') });
}

/** Sends a fax as multipart/form-data. */
export function sendMultipart(url: string, token: string, fields: Record<string, string>, document: Uint8Array): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('document', new Blob([new Uint8Array(document)], { type: 'application/pdf' }), 'brief.pdf');
  return call(url, token, 'POST', '/fax/jobs', form);
}

/** Polls a job until `done` says so (or fails after `timeoutMs`). */
export async function waitForJob(url: string, token: string, id: string, done: (job: FaxJob) => boolean, timeoutMs = 20_000): Promise<FaxJob> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call(url, token, 'GET', `/fax/jobs/${id}`);
    const job = answer.json as unknown as FaxJob;
    if (answer.status === 200 && done(job)) return job;
    if (Date.now() > until) throw new Error(`job ${id} did not get there: ${JSON.stringify(answer.json)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Polls until `check` returns a value. */
export async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Encrypts a PDF with qpdf (AES-256): `qpdf --encrypt USER OWNER 256 [restrictions] -- in out`. */
export function qpdfEncrypt(pdf: Uint8Array, user: string, owner: string, restrictions: string[] = []): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'centrex-fax-qpdf-'));
  try {
    const input = join(dir, 'in.pdf');
    const output = join(dir, 'out.pdf');
    writeFileSync(input, pdf);
    execFileSync('qpdf', ['--encrypt', user, owner, '256', ...restrictions, '--', input, output]);
    return new Uint8Array(readFileSync(output));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
