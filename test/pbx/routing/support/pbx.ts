/**
 * A PBX for routing tests: a store on a temp-dir SQLite file with two tenants (a company and the "outside world"),
 * the SIP server on 127.0.0.1 (UDP and WebSocket), the call router on a manual clock (no-answer timers, Timer C and
 * sweeps run when a test says so), and SIP credentials for every user.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDefaultForwarding } from '../../../../src/core/forwarding/index.js';
import { PbxEvents, type PbxEvent } from '../../../../src/pbx/events.js';
import { LineStates, type LineDialog } from '../../../../src/pbx/line-states.js';
import { createCallRouter, type CallRouter, type RouterTimers, type VoicemailService } from '../../../../src/pbx/routing/index.js';
import { ManualClock, SipServer, type SipClock, type SipCredential, type SipSecurityOptions } from '../../../../src/pbx/sip/index.js';
import { openStore, type Store, type Tenant, type User } from '../../../../src/pbx/store/index.js';
import { TestPhone, type PhoneOptions } from './phone.js';

/** The company's SIP domain. */
export const COMPANY = 'acme.test';
/** The outside world's SIP domain. */
export const OUTSIDE = 'outside.test';

/** The company's users by extension. */
const COMPANY_USERS: Readonly<Record<string, string>> = {
  '10': 'Anna Admin',
  '11': 'Ben Berger',
  '12': 'Clara Schmidt',
  '13': 'David Müller',
  '14': 'Emil Erdmann',
  '15': 'Frieda Fuchs',
  '16': 'Gustav Graf',
};
/** The outside world's numbers (+49 30 5550 + extension). */
const OUTSIDE_USERS: Readonly<Record<string, string>> = { '100': 'Außenwelt 100', '101': 'Außenwelt 101' };

/**
 * Waits until `condition` holds (checked every few milliseconds), for things the PBX learns from its sockets without
 * telling anyone, such as a WebSocket that closed. Fails after `timeoutMs`.
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The SIP password of a user (username = extension, or `<extension>-desk` for the desk phone). */
export function passwordOf(username: string): string {
  return `pw-${username}-secret`;
}

/** A running test PBX. */
export interface TestPbx {
  readonly store: Store;
  readonly events: PbxEvents;
  readonly lines: LineStates;
  readonly router: CallRouter;
  readonly sip: SipServer;
  readonly clock: ManualClock;
  readonly udp: { readonly address: string; readonly port: number };
  readonly wsUrl: string;
  readonly company: Tenant;
  readonly outside: Tenant;
  /** Users by extension: company extensions (`'11'`) and outside ones (`'100'`). */
  readonly users: Readonly<Record<string, User>>;
  /** Every event emitted since the last {@link TestPbx.reset}. */
  readonly seen: PbxEvent[];
  /** Every LineStates report since the last reset. */
  readonly reports: LineDialog[];
  /** Log lines of the router. */
  readonly logs: Array<{ level: string; message: string }>;
  /** Opens and registers a phone for an extension (company unless it has three digits). */
  phone(extension: string, options?: Partial<PhoneOptions> & { register?: boolean }): Promise<TestPhone>;
  /** A second device (desk phone) with its own credential for a user; returns the device id. */
  addDesk(extension: string): string;
  /** Default forwarding and settings for everyone, empty event and report lists; closes phones of the last test. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startPbx}. */
export interface TestPbxOptions {
  readonly timers?: Partial<RouterTimers>;
  /** The router's clock; default the manual {@link TestPbx.clock} (the benchmark passes the system clock). */
  readonly routerClock?: SipClock;
  /** The store's durability; default `normal` for speed (the benchmark measures with `full`, the PBX default). */
  readonly synchronous?: 'full' | 'normal';
  /** Extra company users with extensions 1000, 1001, … (for load tests), with credentials like the others. */
  readonly extraUsers?: number;
  readonly security?: Partial<SipSecurityOptions>;
  readonly voicemail?: VoicemailService;
}

/** Starts a PBX on loopback ports. */
export async function startPbx(options: TestPbxOptions = {}): Promise<TestPbx> {
  const dir = mkdtempSync(join(tmpdir(), 'centrex-routing-'));
  const store = openStore({ file: join(dir, 'pbx.db'), synchronous: options.synchronous ?? 'normal' });
  const company = store.createTenant({ name: 'Acme GmbH', country: 'DE', mainNumber: '+49 89 1234567', extensionDigits: [2, 4], sipDomain: COMPANY });
  const outside = store.createTenant({ name: 'Außenwelt', country: 'DE', mainNumber: '+49 30 5550', extensionDigits: [3, 3], sipDomain: OUTSIDE });
  const users: Record<string, User> = {};
  const extra: Record<string, string> = {};
  for (let i = 0; i < (options.extraUsers ?? 0); i++) extra[String(1000 + i)] = `Last ${1000 + i}`;
  for (const [tenant, list] of [[company, { ...COMPANY_USERS, ...extra }], [outside, OUTSIDE_USERS]] as const) {
    for (const [extension, name] of Object.entries(list)) {
      const { user, webDevice } = store.createUser(tenant.id, { name, email: `${extension}@${tenant.sipDomain}`, extension });
      users[extension] = user;
      store.issueSipCredential({ userId: user.id, deviceId: webDevice.id, ttlMs: 24 * 3600_000, username: extension, password: passwordOf(extension) });
    }
  }
  const events = new PbxEvents();
  const lines = new LineStates();
  const clock = new ManualClock(Date.now());
  const seen: PbxEvent[] = [];
  const reports: LineDialog[] = [];
  const logs: Array<{ level: string; message: string }> = [];
  events.on((event) => seen.push(event));
  lines.on((dialog) => reports.push(dialog));

  // The router exists before the server that takes its onRequest: it gets the server through a late binding.
  const holder: { sip?: SipServer } = {};
  const router = createCallRouter({
    sip: () => holder.sip,
    store,
    events,
    lines,
    clock: options.routerClock ?? clock,
    log: (level, message) => {
      if (logs.length < 10_000) logs.push({ level, message });
    },
    // Tests read call lists right after a call (written on the next turn of the event loop, not batched), and a
    // busy test machine must not make the PBX shed calls; the benchmark passes the production values.
    timers: { historyBatchMs: 0, overloadLagMs: 0, ...options.timers },
    ...(options.voicemail ? { voicemail: options.voicemail } : {}),
  });
  const server = new SipServer({
    realmFor: (domain) => store.findTenantBySipDomain(domain)?.sipDomain,
    findCredential: (realm, username): SipCredential | undefined => {
      const found = store.findSipCredential(realm, username);
      return found && { userId: found.userId, tenantId: found.tenantId, deviceId: found.deviceId, extension: found.extension, ha1: found.ha1 };
    },
    onRequest: router.onRequest,
    security: { trusted: ['127.0.0.1'], ...options.security },
  });
  holder.sip = server;
  const udp = await server.listenUdp(0, '127.0.0.1');
  const http: Server = createServer((_request, response) => response.writeHead(404).end());
  server.attachWebSocket(http, '/sip');
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const wsUrl = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/sip`;
  const phones: TestPhone[] = [];

  const pbx: TestPbx = {
    store,
    events,
    lines,
    router,
    sip: server,
    clock,
    udp,
    wsUrl,
    company,
    outside,
    users,
    seen,
    reports,
    logs,
    async phone(extension, phoneOptions = {}) {
      const user = users[extension];
      if (!user) throw new Error(`no test user ${extension}`);
      const username = phoneOptions.username ?? extension;
      const phone = await TestPhone.open(
        { udp, wsUrl },
        {
          extension,
          domain: extension.length === 3 ? OUTSIDE : COMPANY,
          username,
          password: phoneOptions.password ?? passwordOf(username),
          displayName: user.name,
          ...phoneOptions,
        },
      );
      phones.push(phone);
      if (phoneOptions.register !== false) await phone.register();
      return phone;
    },
    addDesk(extension) {
      const user = users[extension];
      if (!user) throw new Error(`no test user ${extension}`);
      const existing = store.listDevices(user.id).find((device) => device.kind === 'desk');
      const device = existing ?? store.addDevice(user.id, { kind: 'desk', name: 'Tischtelefon' });
      store.issueSipCredential({ userId: user.id, deviceId: device.id, ttlMs: 24 * 3600_000, username: `${extension}-desk`, password: passwordOf(`${extension}-desk`) });
      return device.id;
    },
    async reset() {
      // A closed UDP phone's binding would stay until it expires: phones unregister, so each test starts clean.
      await Promise.all(phones.splice(0).map((phone) => phone.shutdown()));
      for (const user of Object.values(users)) {
        store.setForwarding(user.id, createDefaultForwarding());
        store.updateUserSettings(user.id, { callWaiting: false, intercom: false, dnd: false, parallelCall: { enabled: false, target: null } });
      }
      store.updateTenant(company.id, { allowInternational: false, allowPremium: false, maxConcurrentCalls: 2 });
      clock.advance(7200_000);
      seen.length = 0;
      reports.length = 0;
      logs.length = 0;
    },
    async close() {
      await Promise.all(phones.splice(0).map((phone) => phone.shutdown()));
      router.close();
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return pbx;
}
