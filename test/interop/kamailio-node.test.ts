// The phone core headless in Node (no DOM, no WebRTC): it registers over the `ws` package, watches a colleague's
// line while two browser users call each other, and says clearly that calls need a browser.
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import { expect } from '../support/harness.js';
import { Kamailio } from '../e2e/support/kamailio.js';
import { TestPage, User } from '../e2e/support/browser.js';
import { Phone, type WebSocketLike } from '../../src/core/phone/index.js';
import type { LineState } from '../../src/core/presence/index.js';

/** Polls until the condition holds (10 s at most). */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('phone core in Node against Kamailio', () => {
  let kamailio: Kamailio;
  let page: TestPage;
  let alice: User;
  let bob: User;
  let phone: Phone | undefined;

  before(async () => {
    kamailio = await Kamailio.start();
    page = await TestPage.start();
    [alice, bob] = await Promise.all([User.launch('alice', '1001', page), User.launch('bob', '1002', page)]);
    const options = (user: User) => ({ server: kamailio.wsUrl, uri: `sip:${user.extension}@127.0.0.1`, password: 'secret' });
    await Promise.all([alice.start(options(alice)), bob.start(options(bob))]);
  });

  after(async () => {
    await phone?.dispose();
    await Promise.all([alice?.close(), bob?.close()]);
    await page?.stop();
    await kamailio?.stop();
    kamailio?.cleanup();
  });

  it('registers, follows a BLF, and refuses to place calls without WebRTC', async () => {
    expect(typeof (globalThis as { document?: unknown }).document).to.equal('undefined');
    phone = new Phone({
      server: kamailio.wsUrl,
      uri: 'sip:1003@127.0.0.1',
      password: 'secret',
      webSocket: (url, protocol) => new WebSocket(url, protocol) as unknown as WebSocketLike,
    });
    await phone.start();
    expect(phone.state).to.equal('registered');
    const states: LineState[] = [];
    phone.presence.on('line', ({ target, state }) => {
      if (target === '1002' && states.at(-1) !== state) states.push(state);
    });
    const watching = phone.presence.next('line', { timeout: 10_000 });
    phone.presence.watch(['1002']);
    await watching;
    const ab = await alice.dial('1002');
    const ba = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await bob.act(ba, 'accept');
    await alice.waitForState(ab, 'established');
    await until(() => states.at(-1) === 'busy');
    await alice.act(ab, 'hangup');
    await until(() => states.at(-1) === 'idle');
    expect(states.slice(-3)).to.deep.equal(['ringing', 'busy', 'idle']);
    const error = await phone.calls.dial('1001').catch((e: unknown) => e);
    expect((error as { code?: string }).code).to.equal('not-supported');
  });
});
