import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import type { ForwardingSettings } from '../../../src/core/forwarding/index.js';
import { PbxEvents, type PbxEventListener } from '../../../src/pbx/events.js';
import { obj, startApi, type TestApi } from './helpers.js';

/** Counts subscribers, to prove streams unsubscribe when they end. */
class CountingEvents extends PbxEvents {
  listeners = 0;
  override on(listener: PbxEventListener): () => void {
    this.listeners += 1;
    const off = super.on(listener);
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.listeners -= 1;
      }
      off();
    };
  }
}

interface SseEvent {
  readonly name: string;
  readonly data: unknown;
}

/** Reads a server-sent event stream with fetch, as the SDK does (so it can send the bearer token). */
class EventReader {
  readonly events: SseEvent[] = [];
  comments = 0;
  ended = false;
  #buffer = '';
  #waiters: (() => void)[] = [];
  readonly #abort = new AbortController();
  status = 0;
  contentType = '';

  async open(url: string, token: string): Promise<void> {
    const response = await fetch(`${url}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: this.#abort.signal });
    this.status = response.status;
    this.contentType = response.headers.get('content-type') ?? '';
    if (!response.body) return;
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    void (async () => {
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          this.#feed(decoder.decode(value, { stream: true }));
        }
      } catch {
        // Aborted by close().
      }
      this.ended = true;
      this.#wake();
    })();
  }

  #feed(text: string): void {
    this.#buffer += text;
    let index: number;
    while ((index = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, index);
      this.#buffer = this.#buffer.slice(index + 2);
      let name = 'message';
      let data: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments += 1;
        else if (line.startsWith('event: ')) name = line.slice(7);
        else if (line.startsWith('data: ')) data = line.slice(6);
      }
      if (data !== undefined) this.events.push({ name, data: JSON.parse(data) as unknown });
    }
    this.#wake();
  }

  #wake(): void {
    for (const waiter of this.#waiters.splice(0)) waiter();
  }

  /** Resolves when `test` holds, or rejects after `ms` (a deadline, not a sleep). */
  async until(test: () => boolean, what: string, ms = 3000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!test()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
  }

  async next(name: string): Promise<unknown> {
    await this.until(() => this.events.some((event) => event.name === name), `event "${name}"`);
    const index = this.events.findIndex((event) => event.name === name);
    return this.events.splice(index, 1)[0]?.data;
  }

  close(): void {
    this.#abort.abort();
  }
}

let api: TestApi;
let events: CountingEvents;
before(async () => {
  events = new CountingEvents();
  api = await startApi({ events, heartbeatMs: 100 });
});
after(() => api.close());

const vacation: ForwardingSettings = {
  activeProfile: 0,
  profiles: [{ number: 0, title: 'Standard', forwarding: { always: { type: 'voicemail' } }, selective: [] }],
};

describe('API: server-sent events', () => {
  it('delivers a forwarding change made through another session of the same user', async () => {
    const [phone, laptop, bob] = await Promise.all([api.login('ann@alpha.test'), api.login('ann@alpha.test'), api.login('bob@alpha.test')]);
    const ann = new EventReader();
    const bobs = new EventReader();
    await ann.open(api.url, phone);
    await bobs.open(api.url, bob);
    expect(ann.status).to.equal(200);
    expect(ann.contentType).to.match(/^text\/event-stream/);
    expect(obj(await ann.next('ready'))['userId']).to.equal(api.fixture.users.ann.id);
    await bobs.next('ready');

    expect((await api.request('PUT', '/me/forwarding', { token: laptop, body: vacation })).status).to.equal(200);
    expect(await ann.next('forwarding')).to.deep.equal({ settings: vacation, source: 'api' });

    // A star code dialled on a desk phone reaches the app the same way.
    api.events.emit({ type: 'forwarding-changed', tenantId: api.fixture.alpha.id, userId: api.fixture.users.ann.id, settings: vacation, source: 'star-code' });
    expect(obj(await ann.next('forwarding'))['source']).to.equal('star-code');

    // Bob saw none of Ann's changes, but presence of a colleague reaches both.
    api.events.emit({ type: 'presence', tenantId: api.fixture.alpha.id, userId: api.fixture.users.ann.id, extension: '11', availability: 'busy' });
    expect(await bobs.next('presence')).to.deep.equal({ userId: api.fixture.users.ann.id, extension: '11', availability: 'busy' });
    expect(bobs.events.some((event) => event.name === 'forwarding')).to.equal(false);
    ann.close();
    bobs.close();
  });

  it('keeps other tenants’ and other users’ events out, and sends history entries in full', async () => {
    const zoe = new EventReader();
    const ann = new EventReader();
    await zoe.open(api.url, await api.login('zoe@beta.test'));
    await ann.open(api.url, await api.login('ann@alpha.test'));
    await zoe.next('ready');
    await ann.next('ready');
    api.events.emit({ type: 'presence', tenantId: api.fixture.alpha.id, userId: api.fixture.users.bob.id, extension: '12', availability: 'dnd' });
    api.events.emit({ type: 'queue-changed', tenantId: api.fixture.alpha.id, queueId: 'q1', userId: api.fixture.users.bob.id });
    const entry = api.store.addHistoryEntry(api.fixture.users.ann.id, { direction: 'in', peer: { extension: '12', name: 'Bob' }, result: 'missed', startedAt: 1, durationS: 0 });
    api.events.emit({ type: 'history-added', tenantId: api.fixture.alpha.id, userId: api.fixture.users.ann.id, entryId: entry.id });
    expect(obj(await ann.next('history'))).to.include({ id: entry.id, result: 'missed' });
    await ann.next('queue');
    // Zoe's stream is still alive (heartbeats arrive) but got nothing of Alpha.
    const before = zoe.comments;
    await zoe.until(() => zoe.comments > before, 'a heartbeat');
    expect(zoe.events.map((event) => event.name)).to.deep.equal([]);
    zoe.close();
    ann.close();
  });

  it('ends the stream on logout and unsubscribes from the bus when the client goes away', async () => {
    const reader = new EventReader();
    await reader.until(() => events.listeners === 0, 'the earlier tests’ streams to close');
    const baseline = events.listeners;
    const token = await api.login('bob@alpha.test');
    await reader.open(api.url, token);
    await reader.next('ready');
    expect(events.listeners).to.equal(baseline + 1);
    await api.request('POST', '/logout', { token });
    await reader.until(() => reader.ended, 'the end of the stream');
    expect(events.listeners).to.equal(baseline);

    const other = new EventReader();
    await other.open(api.url, await api.login('bob@alpha.test'));
    await other.next('ready');
    expect(events.listeners).to.equal(baseline + 1);
    other.close();
    await other.until(() => events.listeners === baseline, 'the server to notice the disconnect');
  });

  it('ends the stream when the session expires', async () => {
    const reader = new EventReader();
    await reader.open(api.url, await api.login('bob@alpha.test'));
    await reader.next('ready');
    api.clock.advance(12 * 3600 * 1000 + 1);
    await reader.until(() => reader.ended, 'the end of the stream');
  });

  it('refuses the stream without a session', async () => {
    const response = await fetch(`${api.url}/api/v1/events`);
    expect(response.status).to.equal(401);
    expect(obj(await response.json())['code']).to.equal('unauthorized');
  });
});
