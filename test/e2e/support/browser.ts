// Test users as separate Chromium profiles (Playwright persistent contexts): each has its own fake microphone and
// camera, storage and SIP registration. Also bundles and serves the test page.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { CallView, FlowKey, Harness, StartOptions } from './page/harness.js';

const CHROME = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Chromium flags for WebRTC tests on loopback with fake devices. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // Remote audio and the ringer play without a click, as after a user answered.
  '--autoplay-policy=no-user-gesture-required',
  // getDisplayMedia picks the whole (virtual) screen without a picker.
  '--auto-select-desktop-capture-source=Entire screen',
];

/** Bundles the page harness with the phone core and serves it on 127.0.0.1. */
export class TestPage {
  readonly url: string;
  readonly #server: Server;
  readonly #dir: string;

  private constructor(url: string, server: Server, dir: string) {
    this.url = url;
    this.#server = server;
    this.#dir = dir;
  }

  static async start(): Promise<TestPage> {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-page-'));
    await build({
      entryPoints: [resolve(import.meta.dirname, 'page/harness.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      sourcemap: 'inline',
      outfile: join(dir, 'harness.js'),
      logLevel: 'error',
    });
    writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>centrex e2e</title><script type="module" src="harness.js"></script>');
    const server = createServer((request, response) => {
      const name = (request.url ?? '/').split('?')[0] === '/' ? 'index.html' : (request.url ?? '').slice(1).split('?')[0]!;
      if (!/^[a-z.]+$/.test(name)) {
        response.writeHead(404).end();
        return;
      }
      readFile(join(dir, name)).then(
        (body) => {
          response.writeHead(200, { 'Content-Type': name.endsWith('.html') ? 'text/html' : 'text/javascript' });
          response.end(body);
        },
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new TestPage(`http://127.0.0.1:${port}/`, server, dir);
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => this.#server.close(() => done()));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/**
 * Serves examples/ as `npm start` does, with /dist/cdn/centrex-core.js bundled from the sources at test start.
 */
export class ExampleSite {
  readonly url: string;
  readonly #server: Server;
  readonly #dir: string;

  private constructor(url: string, server: Server, dir: string) {
    this.url = url;
    this.#server = server;
    this.#dir = dir;
  }

  static async start(): Promise<ExampleSite> {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-examples-'));
    await build({
      entryPoints: [resolve(import.meta.dirname, 'core-bundle-entry.ts')],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: join(dir, 'centrex-core.js'),
      logLevel: 'error',
    });
    const examples = resolve(import.meta.dirname, '../../../examples');
    const server = createServer((request, response) => {
      const path = decodeURIComponent((request.url ?? '/').split('?')[0]!);
      const file = path === '/dist/cdn/centrex-core.js' ? join(dir, 'centrex-core.js') : join(examples, path.endsWith('/') ? `${path}index.html` : path);
      if (!file.startsWith(examples) && !file.startsWith(dir)) {
        response.writeHead(404).end();
        return;
      }
      readFile(file).then(
        (body) => {
          const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : 'text/javascript';
          response.writeHead(200, { 'Content-Type': `${type}; charset=utf-8` });
          response.end(body);
        },
        () => response.writeHead(404).end(),
      );
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    return new ExampleSite(`http://127.0.0.1:${port}`, server, dir);
  }

  async stop(): Promise<void> {
    await new Promise<void>((done) => this.#server.close(() => done()));
    rmSync(this.#dir, { recursive: true, force: true });
  }
}

/** One person: a Chromium profile with the test page open and a phone in it. */
export class User {
  readonly name: string;
  readonly extension: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly #profile: string;

  private constructor(name: string, extension: string, context: BrowserContext, page: Page, profile: string) {
    this.name = name;
    this.extension = extension;
    this.context = context;
    this.page = page;
    this.#profile = profile;
  }

  /** Opens the test page (or any other address) in a fresh Chromium profile. */
  static async launch(name: string, extension: string, page: TestPage | string, extraArgs: string[] = []): Promise<User> {
    const profile = mkdtempSync(join(tmpdir(), `centrex-user-${name}-`));
    const context = await chromium.launchPersistentContext(profile, { executablePath: CHROME, args: [...CHROMIUM_ARGS, ...extraArgs] });
    const tab = context.pages()[0] ?? (await context.newPage());
    await tab.goto(typeof page === 'string' ? page : page.url);
    if (typeof page !== 'string') await tab.waitForFunction(() => window.harness !== undefined);
    return new User(name, extension, context, tab, profile);
  }

  /** Reloads the page: a fresh phone, no calls. */
  async reload(): Promise<void> {
    await this.page.reload();
    await this.page.waitForFunction(() => window.harness !== undefined);
  }

  async start(options: StartOptions): Promise<void> {
    await this.page.evaluate((o) => window.harness.start(o), options);
  }

  dial(target: string, options: { video?: boolean; intercom?: boolean } = {}): Promise<string> {
    return this.page.evaluate(([t, o]) => window.harness.dial(t, o), [target, options] as const);
  }

  waitForCall(filter: { direction?: 'incoming' | 'outgoing'; state?: string; remoteUser?: string; notIds?: string[] }, timeout?: number): Promise<string> {
    return this.page.evaluate(([f, t]) => window.harness.waitForCall(f, t), [filter, timeout] as const);
  }

  waitForState(id: string, state: string, timeout?: number): Promise<CallView> {
    return this.page.evaluate(([i, s, t]) => window.harness.waitForState(i, s, t), [id, state, timeout] as const);
  }

  act(id: string, action: Parameters<Harness['act']>[1]): Promise<void> {
    return this.page.evaluate(([i, a]) => window.harness.act(i, a), [id, action] as const);
  }

  call(id: string): Promise<CallView> {
    return this.page.evaluate((i) => window.harness.call(i), id);
  }

  waitForFlow(id: string, key: FlowKey, packets?: number, timeout?: number): Promise<number> {
    return this.page.evaluate(([i, k, p, t]) => window.harness.waitForFlow(i, k, p, t), [id, key, packets, timeout] as const);
  }

  waitForNoFlow(id: string, key: FlowKey, quietMs?: number, timeout?: number): Promise<void> {
    return this.page.evaluate(([i, k, q, t]) => window.harness.waitForNoFlow(i, k, q, t), [id, key, quietMs, timeout] as const);
  }

  /** Waits until the page's event log has an entry starting with `prefix` (see the harness); returns it. */
  waitForEvent(prefix: string, timeout?: number): Promise<string> {
    return this.page.evaluate(([p, t]) => window.harness.waitForEvent(p, t), [prefix, timeout] as const);
  }

  /** Waits until the phone's registration is in `state`. */
  waitForPhoneState(state: string, timeout?: number): Promise<void> {
    return this.page.evaluate(([s, t]) => window.harness.waitForPhoneState(s as Parameters<Harness['waitForPhoneState']>[0], t), [state, timeout] as const);
  }

  /** The page's event log (for failure messages). */
  events(): Promise<string[]> {
    return this.page.evaluate(() => window.harness.events.slice(-60));
  }

  async close(): Promise<void> {
    await this.context.close().catch(() => undefined);
    rmSync(this.#profile, { recursive: true, force: true });
  }
}
