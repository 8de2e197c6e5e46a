/**
 * The reference PBX in one process: the store, the Centrex API and static files on one HTTP port, SIP over
 * WebSocket under `/sip` on the same port, and optionally SIP over UDP and TCP on another port.
 */
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { createApiHandler, type ApiHandler } from './api/index.js';
import { seedDemoTenant, type DemoSeedResult } from './demo.js';
import { PbxEvents } from './events.js';
import { createFaxService, createFaxSink, type FaxServiceOptions } from './fax/index.js';
import { createStaticHandler, type StaticMount } from './http/static.js';
import { LineStates } from './line-states.js';
import { createPresenceServer, type PresenceServer } from './presence/index.js';
import { createCallRouter } from './routing/index.js';
import { SipServer, type SipRequestHandler } from './sip/index.js';
import type { SipSecurityOptions } from './sip/server-options.js';
import { openStore, type Store } from './store/index.js';

/** Log levels of the PBX. */
export type PbxLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Receives the PBX's log lines; `data` never holds passwords or tokens. */
export type PbxLog = (level: PbxLogLevel, message: string, data?: Readonly<Record<string, unknown>>) => void;

/** Options of {@link startPbx}. */
export interface PbxOptions {
  /** The SQLite database file; created with its folder when missing. */
  readonly db: string;
  /** HTTP port for the API, static files and SIP over WebSocket (`/sip`); 0 picks a free port. */
  readonly port: number;
  /** Address to listen on; default `127.0.0.1` (pass `0.0.0.0` deliberately to serve a network). */
  readonly host?: string;
  /** UDP and TCP port for desk phones and SIP tools; none when absent; 0 picks a free port. */
  readonly sipPort?: number;
  /** The URL users reach the PBX at (set-password links, WebSocket URL); default from host and port. */
  readonly publicUrl?: string;
  /** Create the demo tenant when the database is empty. */
  readonly demo?: boolean;
  /** Password of every demo user (for scripts and tests); random when absent. */
  readonly demoPassword?: string;
  /** Folder for outgoing mail in development (set-password links); default `outbox` beside the database. */
  readonly outboxDir?: string;
  /** Static folders to serve, e.g. the examples and `dist/` for `npm start`. */
  readonly staticMounts?: readonly StaticMount[];
  /**
   * Fax: how faxes to external numbers leave (`delivery`; default the sink, which writes them to `fax-sink/` beside
   * the database) and the retry policy.
   */
  readonly fax?: Partial<Pick<FaxServiceOptions, 'delivery' | 'maxAttempts' | 'retryDelayMs' | 'maxRetryDelayMs' | 'timeZone'>> & {
    /** How long the sink pretends a delivery takes, in ms (default 0), so that `sending` can be seen. */
    readonly sinkDelayMs?: number;
  };
  /** SIP security overrides (flood limits, digest algorithm order). */
  readonly sipSecurity?: Partial<SipSecurityOptions>;
  readonly log?: PbxLog;
}

/** A running PBX. */
export interface RunningPbx {
  /** The base URL of the HTTP port, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  /** The actual HTTP port. */
  readonly port: number;
  /** The actual UDP/TCP SIP port, when SIP over UDP/TCP was asked for. */
  readonly sipPort: number | undefined;
  /** What the demo seeding did, when `demo` was set. */
  readonly demo: DemoSeedResult | undefined;
  readonly store: Store;
  readonly sip: SipServer;
  readonly events: PbxEvents;
  readonly lines: LineStates;
  /** Stops listening, ends calls' transactions and event streams, and closes the database. Safe to call twice. */
  close(): Promise<void>;
}

const quiet: PbxLog = () => undefined;

/**
 * Starts the PBX and resolves once every port listens.
 *
 * @throws when a port is taken or the database cannot be opened (the error says which)
 */
export async function startPbx(options: PbxOptions): Promise<RunningPbx> {
  const log = options.log ?? quiet;
  const host = options.host ?? '127.0.0.1';
  mkdirSync(dirname(options.db), { recursive: true });
  const store = openStore({ file: options.db });
  const events = new PbxEvents();
  const lines = new LineStates();
  const demo = options.demo
    ? await seedDemoTenant(store, { ...(options.demoPassword ? { password: options.demoPassword } : {}), log: (m) => log('debug', m) })
    : undefined;

  // The SIP server needs its handlers at construction; routing and presence need the SIP server. The handlers
  // therefore look them up late.
  const routing: { handler?: SipRequestHandler } = {};
  const watchers: { presence?: PresenceServer } = {};
  const sip = new SipServer({
    realmFor: (domain) => store.findTenantBySipDomain(domain)?.sipDomain,
    findCredential: (realm, username) => store.findSipCredential(realm, username),
    onRequest: (request, transaction, context) => {
      if (watchers.presence?.handleSubscribe(request, transaction, context)) return undefined;
      if (routing.handler) return routing.handler(request, transaction, context);
      if (transaction) transaction.reply(request.method === 'INVITE' ? 480 : 501);
      return undefined;
    },
    onRegistration: (event) => {
      log('debug', `sip ${event.type}`, { aor: event.binding.aor });
      watchers.presence?.handleRegistration(event);
    },
    onSecurityEvent: (event) => log('warn', `sip security: ${event.type}`, { address: event.address }),
    log: (level, message, data) => log(level, message, data),
    ...(options.sipSecurity ? { security: options.sipSecurity } : {}),
  });

  watchers.presence = createPresenceServer({ sip, store, events, lines, log: (level, message, data) => log(level, message, data) });
  const router = createCallRouter({ sip, store, events, lines, log: (level, message, data) => log(level, message, data) });
  routing.handler = router.onRequest;

  const { sinkDelayMs, ...faxOptions } = options.fax ?? {};
  const fax = createFaxService({
    store,
    events,
    log: (level, message, data) => log(level, message, data),
    ...faxOptions,
    delivery: faxOptions.delivery ?? createFaxSink({ dir: `${dirname(options.db)}/fax-sink`, ...(sinkDelayMs ? { delayMs: sinkDelayMs } : {}) }),
  });

  const http: Server = createServer();
  sip.attachWebSocket(http, '/sip');

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(options.port, host, () => resolve());
    });
  } catch (error) {
    router.close();
    watchers.presence?.close();
    await fax.close();
    await sip.close();
    store.close();
    throw error;
  }
  const port = (http.address() as AddressInfo).port;
  const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const url = `http://${urlHost}:${port}`;
  // Created once the port is known (it goes into links and the WebSocket URL); no request is handled before this
  // synchronous continuation of listen() has run.
  const api: ApiHandler = createApiHandler({
    store,
    events,
    publicUrl: options.publicUrl ?? url,
    outboxDir: options.outboxDir ?? `${dirname(options.db)}/outbox`,
    log: (level, message, data) => log(level, message, data),
    callControl: router,
    fax,
  });
  const serveStatic = createStaticHandler(options.staticMounts ?? []);
  http.on('request', (req, res) => {
    if (api(req, res) || serveStatic(req, res)) return;
    res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify({ code: 'not-found', message: 'There is nothing at this address.' }));
  });

  let sipPort: number | undefined;
  if (options.sipPort !== undefined) {
    const udp = await sip.listenUdp(options.sipPort, host);
    sipPort = udp.port;
    await sip.listenTcp(sipPort, host);
  }

  // Queued and interrupted fax jobs resume now that everything they report to is up.
  fax.start();

  // Expired sessions, SIP credentials and links are removed hourly, so the tables do not grow forever.
  const purge = setInterval(() => store.purgeExpired(), 3_600_000);
  purge.unref();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      clearInterval(purge);
      api.close();
      router.close();
      watchers.presence?.close();
      await fax.close();
      await sip.close();
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      store.close();
    })());

  log('info', `PBX listening on ${url} (SIP over WebSocket at ${url.replace(/^http/, 'ws')}/sip)` +
    (sipPort !== undefined ? `, SIP UDP/TCP on ${host}:${sipPort}` : ''));
  return { url, port, sipPort, demo, store, sip, events, lines, close };
}
