// The SIP servers the browser scenarios run against, behind one interface: a real Kamailio (a server nobody on the
// team wrote) and the project's own reference PBX. A scenario asks a server for a person's phone settings, and for
// the rude things a test needs: cut a phone's connection, restart, be down for a while.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpApi } from '../../../src/core/api/index.js';
import { startPbx, type PbxLogLevel, type RunningPbx } from '../../../src/pbx/server.js';
import { freePort, Kamailio } from './kamailio.js';
import type { StartOptions } from './page/harness.js';

/**
 * The people of the scenarios: the reference PBX's demo users. Kamailio accepts any extension with its shared
 * password, so it gets accounts with the same extensions and names.
 */
export const PEOPLE = {
  anna: { name: 'Anna Admin', extension: '10', email: 'anna@demo.test' },
  ben: { name: 'Ben Berger', extension: '11', email: 'ben@demo.test' },
  clara: { name: 'Clara Schmidt', extension: '12', email: 'clara@demo.test' },
} as const;

/** One of {@link PEOPLE}. */
export type Person = keyof typeof PEOPLE;

/** A running server under test. */
export interface ServerUnderTest {
  /** For test titles and messages: `Kamailio`, `the reference PBX`. */
  readonly label: string;
  /**
   * Whether calls stay fully controllable (hold, hang-up through the server) after a phone reconnected: the server
   * routes in-dialog requests to a device's new connection (flow recovery, here by GRUU). Kamailio's stock
   * configuration does not; its calls keep their media only (see docs/interop-kamailio.md).
   */
  readonly keepsDialogsAcrossReconnects: boolean;
  /** The settings a person's phone starts with on this server (fresh credentials where the server issues them). */
  phoneOptions(person: Person): Promise<StartOptions>;
  /** Closes, from the server's side, the connection the person's phone registered over. */
  dropConnectionOf(person: Person): Promise<void>;
  /** Stops and starts again on the same address, as an operator's restart does: every connection drops. */
  restart(): Promise<void>;
  /** Stops the server but keeps its address and data, so that {@link ServerUnderTest.bringUp} can start it again. */
  takeDown(): Promise<void>;
  /** Starts the server again after {@link ServerUnderTest.takeDown}. */
  bringUp(): Promise<void>;
  /** Stops the server for good and removes its files. */
  shutDown(): Promise<void>;
  /** The end of the server's log, for failure messages. */
  logTail(): string;
}

/** A kind of server a scenario suite can run against. */
export interface ServerKind {
  readonly label: string;
  start(): Promise<ServerUnderTest>;
}

/** Kamailio with the project's configuration (test/interop/kamailio/kamailio.cfg). */
export const kamailio: ServerKind = {
  label: 'Kamailio',
  async start(): Promise<ServerUnderTest> {
    const server = await Kamailio.start();
    return {
      label: 'Kamailio',
      keepsDialogsAcrossReconnects: false,
      phoneOptions: (person) =>
        Promise.resolve({
          server: server.wsUrl,
          uri: `sip:${PEOPLE[person].extension}@${server.domain}`,
          password: 'secret',
          displayName: PEOPLE[person].name,
        }),
      dropConnectionOf: (person) => server.dropConnectionOf(PEOPLE[person].extension),
      restart: () => server.restart(),
      takeDown: () => server.stop(),
      bringUp: () => server.relaunch(),
      async shutDown() {
        await server.stop();
        server.cleanup();
      },
      logTail: () => tail(server.logFile),
    };
  },
};

const DEMO_PASSWORD = 'e2e-demo-password';

/**
 * The reference PBX, in this process (`startPbx`), on a temporary database with the demo company. People log in
 * through its API and take their SIP credentials from `GET /me/sip`, as the SDK's client does. WebSocket only, as a
 * browser-only deployment runs it.
 */
export const referencePbx: ServerKind = {
  label: 'the reference PBX',
  async start(): Promise<ServerUnderTest> {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-e2e-pbx-'));
    const db = join(dir, 'pbx.db');
    const port = await freePort();
    const log: string[] = [];
    const options = {
      db,
      port,
      demo: true,
      demoPassword: DEMO_PASSWORD,
      log: (level: PbxLogLevel, message: string, data?: Readonly<Record<string, unknown>>) => {
        if (level === 'debug') return;
        log.push(`${new Date().toISOString()} ${level} ${message}${data ? ` ${JSON.stringify(data)}` : ''}`);
        if (log.length > 500) log.splice(0, 100);
      },
    };
    let pbx: RunningPbx | undefined = await startPbx(options);
    const apis = new Map<Person, HttpApi>();
    const apiOf = async (person: Person): Promise<HttpApi> => {
      const known = apis.get(person);
      if (known) return known;
      const api = new HttpApi({ baseUrl: `http://127.0.0.1:${port}` });
      await api.login(PEOPLE[person].email, DEMO_PASSWORD);
      apis.set(person, api);
      return api;
    };
    // Everyone takes a second call while talking (the PBX's "Anklopfen"; off by default), as the call-waiting
    // scenario needs; switched on the way a user would, through the API.
    for (const person of Object.keys(PEOPLE) as Person[]) await (await apiOf(person)).updateSettings({ callWaiting: true });
    const running = (): RunningPbx => {
      if (!pbx) throw new Error('the reference PBX is down');
      return pbx;
    };
    const takeDown = async (): Promise<void> => {
      const stopping = pbx;
      pbx = undefined;
      await stopping?.close();
    };
    const bringUp = async (): Promise<void> => {
      if (pbx) throw new Error('the reference PBX is running already');
      pbx = await startPbx(options);
    };
    return {
      label: 'the reference PBX',
      keepsDialogsAcrossReconnects: true,
      async phoneOptions(person) {
        const sip = await (await apiOf(person)).getSipRegistration();
        return { server: sip.websocketUrl, uri: sip.uri, username: sip.authorizationUsername, password: sip.password, realm: sip.realm, displayName: sip.displayName };
      },
      async dropConnectionOf(person) {
        const pbxNow = running();
        const tenant = pbxNow.store.findTenantBySipDomain('localhost');
        const user = tenant ? pbxNow.store.findUserByExtension(tenant.id, PEOPLE[person].extension) : undefined;
        const flows = pbxNow.sip.registrations().filter((binding) => binding.owner.userId === user?.id).map((binding) => pbxNow.sip.flow(binding.flowId));
        if (flows.length === 0) throw new Error(`${person} has no registration at the reference PBX`);
        for (const flow of flows) flow?.close();
      },
      async restart() {
        await takeDown();
        await bringUp();
      },
      takeDown,
      bringUp,
      async shutDown() {
        await takeDown();
        rmSync(dir, { recursive: true, force: true });
      },
      logTail: () => log.slice(-40).join('\n'),
    };
  },
};

function tail(file: string): string {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-40).join('\n') : '';
}
