// The phone's registration state machine against a scripted SIP server over a fake WebSocket: digest
// authentication, realm pinning, keep-alive, reconnect with backoff, refresh and unregistration.
import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { Phone, type PhoneOptions } from '../../../src/core/phone/phone.js';
import type { RegistrationState } from '../../../src/core/phone/registration-state.js';
import { FakeClock, FakeServer, respond, until } from './fakes.js';

const INSTANCE = '4a70288f-3791-40e1-a1f2-8fee090824bc';

function makePhone(server: FakeServer, clock: FakeClock, extra: Partial<PhoneOptions> = {}) {
  const phone = new Phone({
    server: 'wss://pbx.example.com/ws',
    uri: 'sip:1001@example.com',
    password: 'Geheim-123',
    instanceId: INSTANCE,
    webSocket: server.factory,
    clock,
    media: { mediaDevices: undefined, createAudioElement: undefined, AudioContext: undefined },
    watchNetwork: false,
    ...extra,
  });
  phones.push(phone);
  const states: RegistrationState[] = [phone.state];
  phone.on('statechange', ({ to }) => states.push(to));
  return { phone, states };
}

function setup(extra: Partial<PhoneOptions> = {}) {
  const server = new FakeServer();
  const clock = new FakeClock();
  return { server, clock, ...makePhone(server, clock, extra) };
}

/** Phones made by the running test; disposed at its end so that sip.js's timers (no-answer, transactions) do not
 * keep the test process alive. */
const phones: Phone[] = [];

/** `it`, disposing the test's phones afterwards. */
function test(name: string, body: () => Promise<void> | void): void {
  it(name, async () => {
    try {
      await body();
    } finally {
      await Promise.all(phones.splice(0).map((phone) => phone.dispose().catch(() => undefined)));
    }
  });
}

describe('Phone registration', () => {
  test('registers with digest authentication and an RFC 5626 Contact', async () => {
    const { server, phone, states } = setup();
    server.extraOkHeaders = ['Supported: outbound, gruu', 'Allow-Events: dialog, presence, message-summary'];
    const registered = phone.next('registered', { timeout: 3000 });
    await phone.start();
    expect((await registered).recovered).to.equal(false);
    expect(states).to.deep.equal(['idle', 'connecting', 'registering', 'registered']);
    const [first, second] = server.requests('REGISTER');
    expect(first?.header('authorization')).to.equal(undefined);
    const auth = second?.header('authorization') ?? '';
    expect(auth).to.contain('realm="example.com"').and.contain('username="1001"');
    expect(auth).to.not.contain('Geheim-123');
    const contact = second?.header('contact') ?? '';
    expect(contact).to.contain(';reg-id=1').and.contain(`+sip.instance="<urn:uuid:${INSTANCE}>"`).and.contain(';expires=600');
    expect(phone.expires).to.equal(600);
    await until('capabilities from OPTIONS', () => phone.capabilities.methods.includes('REFER'));
    expect(phone.capabilities.events).to.deep.equal(['dialog', 'message-summary', 'presence']);
    expect(phone.capabilities.extensions).to.include('outbound');
  });

  test('refuses to send credentials to another realm', async () => {
    const { server, phone, states } = setup();
    server.realm = 'evil.example.net';
    const error = await phone.start().catch((e: unknown) => e);
    expect(isCentrexError(error, 'untrusted-realm')).to.equal(true);
    expect((error as Error).message).to.contain('evil.example.net');
    expect(server.requests('REGISTER').every((r) => r.header('authorization') === undefined)).to.equal(true);
    expect(states[states.length - 1]).to.equal('failed');
  });

  test('reports auth-failed when the PBX refuses the credentials, and stops trying', async () => {
    const { server, clock, phone, states } = setup();
    server.allowedUser = 'someone-else';
    const error = await phone.start().catch((e: unknown) => e);
    expect(isCentrexError(error, 'auth-failed')).to.equal(true);
    expect((error as Error).message).to.match(/user name or password/);
    expect(states[states.length - 1]).to.equal('failed');
    const before = server.sockets.length;
    clock.advance(600_000);
    expect(server.sockets.length).to.equal(before);
  });

  test('reports server-unreachable at start, retries with growing jittered delays, and registers when the server is back', async () => {
    const { server, clock, phone } = setup({ reconnect: { baseDelay: 500, maxDelay: 30_000, factor: 2, jitter: 0.5 } });
    server.reachable = false;
    const attempts: [number, number][] = [];
    phone.on('reconnecting', ({ attempt, delay }) => attempts.push([attempt, delay]));
    const error = await phone.start().catch((e: unknown) => e);
    expect(isCentrexError(error, 'server-unreachable')).to.equal(true);
    expect((error as Error).message).to.contain('wss://pbx.example.com/ws');
    expect(phone.state).to.equal('reconnecting');
    clock.advance(375);
    await until('second attempt', () => attempts.length === 2);
    clock.advance(750);
    await until('third attempt', () => attempts.length === 3);
    expect(attempts).to.deep.equal([
      [1, 375],
      [2, 750],
      [3, 1500],
    ]);
    server.reachable = true;
    const registered = phone.next('registered', { timeout: 3000 });
    clock.advance(1500);
    expect((await registered).recovered).to.equal(false);
    expect(phone.state).to.equal('registered');
  });

  test('reconnects and re-registers after the WebSocket drops, and reports the downtime', async () => {
    const { server, clock, phone, states } = setup();
    await phone.start();
    const firstSocket = server.socket;
    const reconnected = phone.next('reconnected', { timeout: 3000 });
    firstSocket.drop(1006);
    expect(phone.state).to.equal('reconnecting');
    clock.advance(375);
    const { attempts, downtime } = await reconnected;
    expect(attempts).to.equal(1);
    expect(downtime).to.be.at.least(375);
    expect(server.sockets.length).to.equal(2);
    expect(server.requests('REGISTER').length).to.be.at.least(3);
    expect(states.slice(3)).to.deep.equal(['registered', 'reconnecting', 'connecting', 'registering', 'registered']);
  });

  test('notices a silent server through the keep-alive within 14 s', async () => {
    const { server, clock, phone } = setup();
    clock.randomValue = 1;
    await phone.start();
    server.answerPings = false;
    const lost = phone.next('reconnecting', { timeout: 3000 });
    clock.advance(13_999);
    expect(phone.state).to.equal('registered');
    clock.advance(1);
    expect((await lost).error.message).to.match(/keep-alive/);
  });

  test('follows the registrar Flow-Timer for its keep-alive', async () => {
    const { server, clock, phone } = setup();
    clock.randomValue = 1;
    server.extraOkHeaders = ['Flow-Timer: 3'];
    await phone.start();
    const before = server.socket.sent.filter((m) => m === '\r\n\r\n').length;
    clock.advance(3000);
    expect(server.socket.sent.filter((m) => m === '\r\n\r\n').length).to.equal(before + 1);
  });

  test('refreshes the registration before it expires', async () => {
    const { server, clock, phone } = setup({ registerExpires: 120 });
    await phone.start();
    const count = server.requests('REGISTER').length;
    clock.advance(107_999);
    expect(server.requests('REGISTER').length).to.equal(count);
    clock.advance(1);
    await until('refresh REGISTER', () => server.requests('REGISTER').length > count);
    expect(phone.state).to.equal('registered');
  });

  test('waits as long as Retry-After says when the registrar is overloaded', async () => {
    const { server, clock, phone } = setup();
    let overloaded = true;
    server.onRequest = (request) => {
      if (request.method === 'REGISTER' && overloaded) return [respond(request, 503, 'Service Unavailable', { toTag: 'x', headers: ['Retry-After: 7'] })];
      return server.defaultHandler(request);
    };
    const delays: number[] = [];
    phone.on('reconnecting', ({ delay, error }) => delays.push(delay) && expect(error.code).to.equal('registration-failed'));
    await phone.start().catch(() => undefined);
    expect(delays).to.deep.equal([7000]);
    overloaded = false;
    const registered = phone.next('registered', { timeout: 3000 });
    clock.advance(7000);
    await registered;
  });

  test('stop() removes the registration and closes the connection; start() works again', async () => {
    const { server, phone, states } = setup();
    await phone.start();
    const unregistered = phone.next('unregistered', { timeout: 3000 });
    await phone.stop();
    await unregistered;
    const last = server.requests('REGISTER').at(-1);
    expect(last?.header('contact')).to.contain('expires=0');
    expect(states.slice(-2)).to.deep.equal(['unregistering', 'stopped']);
    expect(server.socket.closed).to.equal(true);
    await phone.start();
    expect(phone.state).to.equal('registered');
  });

  test('keeps credentials out of web storage', async () => {
    const { phone } = setup();
    await phone.start();
    const stores = [(globalThis as { localStorage?: Storage }).localStorage, (globalThis as { sessionStorage?: Storage }).sessionStorage];
    for (const store of stores) {
      if (!store) continue;
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i) ?? '';
        expect(`${key}=${store.getItem(key) ?? ''}`).to.not.contain('Geheim-123');
      }
    }
  });

  test('rejects unusable options with invalid-argument', () => {
    const server = new FakeServer();
    for (const options of [
      { server: 'http://pbx', uri: 'sip:1001@x', password: 'p' },
      { server: 'wss://pbx', uri: 'not-a-uri', password: 'p' },
      { server: 'wss://pbx', uri: 'sip:1001@x' },
    ]) {
      let caught: unknown;
      try {
        new Phone({ ...options, webSocket: server.factory });
      } catch (error) {
        caught = error;
      }
      expect(isCentrexError(caught, 'invalid-argument'), JSON.stringify(options)).to.equal(true);
    }
  });
});
