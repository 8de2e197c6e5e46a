import { describe, it, expect } from '../../support/harness.js';
import { HttpApi, type ApiEventStream, type ApiStreamItem } from '../../../src/core/api/index.js';
import { isCentrexError, type CentrexError } from '../../../src/core/errors.js';
import { FakeEventBody, FakeFetch, FakeTimers, hang, json, loginAnswer, noContent, until } from './fakes.js';

const BASE = 'https://pbx.test';
const FORWARDING = { activeProfile: 1, profiles: [{ number: 0, title: 'Standard', forwarding: {}, selective: [] }] };

interface Harness {
  readonly fake: FakeFetch;
  readonly timers: FakeTimers;
  readonly api: HttpApi;
  readonly lost: CentrexError[];
}

function harness(): Harness {
  const fake = new FakeFetch();
  const timers = new FakeTimers();
  const lost: CentrexError[] = [];
  // No request timeout, so that the only timers are the stream's own (reconnect delays, idle timeout).
  const api = new HttpApi({ baseUrl: BASE, fetch: fake.fetch, token: 'tok', timers, timeoutMs: 0, onUnauthorized: (e) => lost.push(e) });
  return { fake, timers, api, lost };
}

/** Collects what a stream delivers. */
function collect(stream: ApiEventStream): ApiStreamItem[] {
  const items: ApiStreamItem[] = [];
  stream.subscribe((item) => items.push(item));
  return items;
}

function types(items: readonly ApiStreamItem[]): string[] {
  return items.map((item) => item.type);
}

describe('ApiEventStream over HttpApi', () => {
  it('delivers typed events through for await, with the bearer token and the event ids', async () => {
    const { fake, api } = harness();
    const body = new FakeEventBody();
    fake.answer(() => body.response());
    const stream = api.events(undefined, { idleTimeoutMs: 0 });
    const seen: ApiStreamItem[] = [];
    const reading = (async () => {
      for await (const item of stream) {
        seen.push(item);
        if (item.type === 'forwarding') {
          // Typed: the compiler knows the data of a forwarding event.
          expect(item.data.settings.activeProfile).to.equal(1);
          expect(item.data.source).to.equal('star-code');
          break;
        }
      }
    })();
    await until(() => fake.requests.length === 1, 'the connection');
    expect(fake.last.url).to.equal(`${BASE}/api/v1/events`);
    expect(fake.last.headers['authorization']).to.equal('Bearer tok');
    expect(fake.last.headers['accept']).to.equal('text/event-stream');
    expect(fake.last.headers['last-event-id']).to.equal(undefined);
    body.write('retry: 5000\n\n');
    body.event(1, 'ready', { userId: 'u1', tenantId: 't1' });
    body.write(': heartbeat\n\n');
    body.event(2, 'forwarding', { settings: FORWARDING, source: 'star-code' });
    await reading;
    expect(seen).to.deep.equal([
      { type: 'open', reconnected: false },
      { type: 'ready', id: '1', data: { userId: 'u1', tenantId: 't1' } },
      { type: 'forwarding', id: '2', data: { settings: FORWARDING, source: 'star-code' } },
    ]);
    // Breaking out of the loop closed the stream and let go of the connection.
    expect(stream.state).to.equal('closed');
    expect(await stream.closed).to.equal(undefined);
    await until(() => body.cancelled, 'the body to be cancelled');
  });

  it('hands on events it does not know, and data that is not a JSON object, as unknown', async () => {
    const { fake, api } = harness();
    const body = new FakeEventBody();
    fake.answer(() => body.response());
    const stream = api.events(undefined, { idleTimeoutMs: 0 });
    const items = collect(stream);
    await until(() => items.length === 1, 'open');
    body.write('id: 5\nevent: voicemail-received\ndata: {"messageId":"x"}\n\n');
    body.write('event: settings\ndata: not json\n\n');
    body.write('event: presence\ndata: [1]\n\n');
    body.write('data: plain message\n\n');
    await until(() => items.length === 5, 'four events');
    expect(items.slice(1)).to.deep.equal([
      { type: 'unknown', name: 'voicemail-received', id: '5', data: { messageId: 'x' } },
      { type: 'unknown', name: 'settings', id: '5', data: 'not json' },
      { type: 'unknown', name: 'presence', id: '5', data: [1] },
      { type: 'unknown', name: 'message', id: '5', data: 'plain message' },
    ]);
    stream.close();
  });

  it('reconnects after the server ends the stream, after the server’s retry delay, with Last-Event-ID', async () => {
    const { fake, timers, api } = harness();
    const first = new FakeEventBody();
    const second = new FakeEventBody();
    fake.answer(() => first.response(), () => second.response());
    const stream = api.events(undefined, { idleTimeoutMs: 0 });
    const items = collect(stream);
    const states: string[] = [stream.state];
    await until(() => items.length === 1, 'open');
    states.push(stream.state);
    first.write('retry: 5000\n\n');
    first.event(7, 'ready', { userId: 'u1', tenantId: 't1' });
    first.end();
    await until(() => items.some((i) => i.type === 'reconnecting'), 'reconnecting');
    states.push(stream.state);
    const reconnecting = items.find((i) => i.type === 'reconnecting');
    // Half of the bound plus the random half: 2500 + 0.5 × 2500.
    expect(reconnecting).to.deep.include({ type: 'reconnecting', attempt: 1, delayMs: 3750 });
    expect(fake.requests).to.have.length(1);
    timers.fire(3750);
    await until(() => items.filter((i) => i.type === 'open').length === 2, 'the second open');
    states.push(stream.state);
    expect(fake.last.headers['last-event-id']).to.equal('7');
    expect(fake.last.headers['authorization']).to.equal('Bearer tok');
    expect(items[items.length - 1]).to.deep.equal({ type: 'open', reconnected: true });
    second.event(8, 'registration', { registered: true });
    await until(() => items.length === 5, 'the event after the reconnect');
    expect(items[4]).to.deep.equal({ type: 'registration', id: '8', data: { registered: true } });
    expect(states).to.deep.equal(['connecting', 'open', 'waiting', 'open']);
    stream.close();
  });

  it('backs off exponentially with jitter while the server stays away, up to the maximum', async () => {
    const { fake, timers, api } = harness();
    fake.fallback = () => {
      throw new TypeError('connection refused');
    };
    timers.randomValue = 1;
    const stream = api.events(undefined, { idleTimeoutMs: 0, minRetryMs: 0, maxRetryMs: 20_000 });
    const items = collect(stream);
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt += 1) {
      await until(() => timers.delays().length === 1, `reconnect timer ${attempt}`);
      const [delay] = timers.delays();
      delays.push(delay ?? -1);
      timers.fire(delay ?? -1);
    }
    // No `retry` from the server: 3 s base, doubling, capped at 20 s.
    expect(delays).to.deep.equal([3000, 6000, 12_000, 20_000, 20_000, 20_000]);
    const first = items.find((i) => i.type === 'reconnecting');
    expect(first?.type === 'reconnecting' && first.error.code).to.equal('server-unreachable');
    timers.randomValue = 0;
    stream.close();
    expect(await stream.closed).to.equal(undefined);
  });

  it('waits at least as long as a 429 Retry-After says', async () => {
    const { fake, timers, api } = harness();
    fake.answer(() => json(429, { code: 'rate-limited', message: 'Slow down.' }, { 'retry-after': '120' }));
    const stream = api.events(undefined, { idleTimeoutMs: 0 });
    await until(() => timers.delays().length === 1, 'the reconnect timer');
    expect(timers.delays()).to.deep.equal([120_000]);
    stream.close();
  });

  it('stops for good on 401 with an error item, drops the token and calls the hook', async () => {
    const { fake, timers, api, lost } = harness();
    const body = new FakeEventBody();
    fake.answer(() => body.response(), () => json(401, { code: 'unauthorized', message: 'Sign in first.' }));
    const stream = api.events(undefined, { idleTimeoutMs: 0, maxRetryMs: 100 });
    const seen: ApiStreamItem[] = [];
    const reading = (async () => {
      for await (const item of stream) seen.push(item);
    })();
    await until(() => seen.length === 1, 'open');
    // The server ends the stream (signed out elsewhere); the reconnect is refused.
    body.end();
    await until(() => timers.delays().length === 1, 'the reconnect timer');
    timers.fire(timers.delays()[0] ?? -1);
    await reading;
    expect(types(seen)).to.deep.equal(['open', 'reconnecting', 'error']);
    const last = seen[2];
    expect(last?.type === 'error' && last.error.code).to.equal('api-unauthorized');
    expect(isCentrexError(await stream.closed, 'api-unauthorized')).to.equal(true);
    expect(stream.state).to.equal('closed');
    expect(api.signedIn).to.equal(false);
    expect(lost).to.have.length(1);
    expect(fake.requests).to.have.length(2);
    expect(timers.timers.size).to.equal(0);
  });

  it('stops for good when the answer is not an event stream, or the account may not read it', async () => {
    for (const answer of [
      () => new Response('<html>login portal</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
      () => json(403, { code: 'origin-not-allowed', message: 'No.' }),
    ]) {
      const { fake, api } = harness();
      fake.answer(answer);
      const stream = api.events(undefined, { idleTimeoutMs: 0 });
      const error = await stream.closed;
      expect(error?.code).to.be.oneOf(['api-invalid-response', 'api-forbidden']);
      expect(fake.requests).to.have.length(1);
    }
  });

  it('reconnects after server errors and a stream that breaks off', async () => {
    const { fake, timers, api } = harness();
    const broken = new FakeEventBody();
    const healthy = new FakeEventBody();
    fake.answer(
      () => json(503, { code: 'not-available', message: 'Restarting.' }),
      () => broken.response(),
      () => healthy.response(),
    );
    const stream = api.events(undefined, { idleTimeoutMs: 0, minRetryMs: 0, maxRetryMs: 0 });
    const items = collect(stream);
    await until(() => timers.delays().length === 1, 'first reconnect timer');
    timers.fire(0);
    await until(() => items.filter((i) => i.type === 'open').length === 1, 'open');
    broken.fail();
    await until(() => timers.delays().length === 1, 'second reconnect timer');
    timers.fire(0);
    await until(() => items.filter((i) => i.type === 'open').length === 2, 'open again');
    expect(types(items)).to.deep.equal(['reconnecting', 'open', 'reconnecting', 'open']);
    const codes = items.flatMap((i) => (i.type === 'reconnecting' ? [i.error.code] : []));
    expect(codes).to.deep.equal(['api-unavailable', 'server-unreachable']);
    // A successful connection starts the backoff over.
    const attempts = items.flatMap((i) => (i.type === 'reconnecting' ? [i.attempt] : []));
    expect(attempts).to.deep.equal([1, 1]);
    stream.close();
  });

  it('reconnects when the connection goes silent longer than the idle timeout', async () => {
    const { fake, timers, api } = harness();
    const silent = new FakeEventBody();
    const next = new FakeEventBody();
    fake.answer(() => silent.response(), () => next.response());
    const stream = api.events(undefined, { idleTimeoutMs: 60_000, minRetryMs: 0, maxRetryMs: 0 });
    const items = collect(stream);
    await until(() => items.length === 1, 'open');
    // Each chunk re-arms the idle timer; heartbeats count.
    silent.write(': heartbeat\n\n');
    await until(() => timers.delays().length === 1, 'the idle timer');
    timers.fire(60_000);
    await until(() => items.some((i) => i.type === 'reconnecting'), 'reconnecting');
    const reconnecting = items.find((i) => i.type === 'reconnecting');
    expect(reconnecting?.type === 'reconnecting' && reconnecting.error.code).to.equal('timeout');
    await until(() => silent.cancelled, 'the silent body to be cancelled');
    timers.fire(0);
    await until(() => items.filter((i) => i.type === 'open').length === 2, 'open again');
    stream.close();
    // The idle timer of the second connection goes when its read loop unwinds.
    await until(() => timers.timers.size === 0, 'no timer left');
  });

  it('closes on abort and on logout, ending iterations and releasing the connection', async () => {
    const { fake, api } = harness();
    const body = new FakeEventBody();
    fake.answer(() => body.response());
    const controller = new AbortController();
    const stream = api.events(controller.signal, { idleTimeoutMs: 0 });
    const iterator = stream[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).to.deep.equal({ type: 'open', reconnected: false });
    const pending = iterator.next();
    controller.abort();
    expect(await pending).to.deep.equal({ done: true, value: undefined });
    expect(await stream.closed).to.equal(undefined);
    await until(() => body.cancelled, 'the body to be cancelled');

    const other = new FakeEventBody();
    fake.answer(() => other.response(), () => noContent());
    const second = api.events(undefined, { idleTimeoutMs: 0 });
    const items = collect(second);
    await until(() => items.length === 1, 'open');
    await api.logout();
    expect(second.state).to.equal('closed');
    expect(await second.closed).to.equal(undefined);
    await until(() => other.cancelled, 'the second body to be cancelled');
    // Abort and logout are the app's own doing: no error item.
    expect(types(items)).to.deep.equal(['open']);
  });

  it('closes while connecting or waiting without another request', async () => {
    const { fake, timers, api } = harness();
    fake.answer(hang);
    const connecting = api.events(undefined, { idleTimeoutMs: 0 });
    await until(() => fake.requests.length === 1, 'the request');
    connecting.close();
    expect(await connecting.closed).to.equal(undefined);
    expect(fake.last.signal?.aborted).to.equal(true);

    fake.answer(() => {
      throw new TypeError('offline');
    });
    const waiting = api.events(undefined, { idleTimeoutMs: 0 });
    await until(() => waiting.state === 'waiting', 'waiting');
    waiting.close();
    expect(timers.timers.size).to.equal(0);
    expect(fake.requests).to.have.length(2);

    const aborted = new AbortController();
    aborted.abort();
    const never = api.events(aborted.signal);
    expect(never.state).to.equal('closed');
    expect(fake.requests).to.have.length(2);
  });

  it('keeps delivering when one listener throws, and lets listeners unsubscribe', async () => {
    const { fake, api } = harness();
    const body = new FakeEventBody();
    fake.answer(() => body.response());
    const stream = api.events(undefined, { idleTimeoutMs: 0 });
    stream.subscribe(() => {
      throw new Error('listener bug');
    });
    const kept: ApiStreamItem[] = [];
    const dropped: ApiStreamItem[] = [];
    stream.subscribe((item) => kept.push(item));
    const unsubscribe = stream.subscribe((item) => dropped.push(item));
    await until(() => kept.length === 1, 'open');
    unsubscribe();
    body.event(1, 'data-changed', { area: 'contacts' });
    await until(() => kept.length === 2, 'the event');
    expect(kept[1]).to.deep.equal({ type: 'data-changed', id: '1', data: { area: 'contacts' } });
    expect(dropped).to.have.length(1);
    stream.close();
  });

  it('reconnects with a fresh token set meanwhile', async () => {
    const { fake, timers, api } = harness();
    const first = new FakeEventBody();
    const second = new FakeEventBody();
    fake.answer(() => first.response(), () => second.response());
    const stream = api.events(undefined, { idleTimeoutMs: 0, minRetryMs: 0, maxRetryMs: 0 });
    const items = collect(stream);
    await until(() => items.length === 1, 'open');
    api.setToken('fresh-token');
    first.end();
    await until(() => timers.delays().length === 1, 'the reconnect timer');
    timers.fire(0);
    await until(() => fake.requests.length === 2, 'the reconnect');
    expect(fake.last.headers['authorization']).to.equal('Bearer fresh-token');
    stream.close();
  });

  it('refuses negative durations', () => {
    const { api } = harness();
    let caught: unknown;
    try {
      api.events(undefined, { idleTimeoutMs: -1 });
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'invalid-argument')).to.equal(true);
  });

  it('starts from a given last event id', async () => {
    const fake = new FakeFetch();
    const api = new HttpApi({ baseUrl: BASE, fetch: fake.fetch });
    fake.answer(() => loginAnswer());
    await api.login('ben@demo.test', 'pw');
    fake.answer(hang);
    const stream = api.events(undefined, { lastEventId: '99' });
    await until(() => fake.requests.length === 2, 'the request');
    expect(fake.last.headers['last-event-id']).to.equal('99');
    expect(stream.lastEventId).to.equal('99');
    stream.close();
  });
});
