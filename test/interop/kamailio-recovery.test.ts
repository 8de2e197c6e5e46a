// Recovery against Kamailio beyond what the shared scenarios check (test/e2e/scenarios/recovery.ts, where Kamailio
// only has to keep media and re-register): a frozen server (a silent network) is noticed by the keep-alive, and with
// GRUUs switched on (`kamailio -A WITH_GRUU`) a call is fully controllable after a restart — what Kamailio needs for
// flow recovery (docs/interop-kamailio.md).
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from '../support/harness.js';
import { Kamailio } from '../e2e/support/kamailio.js';
import { TestPage, User } from '../e2e/support/browser.js';

/** Two registered people, Alice and Bob, on one Kamailio started with `defines`. */
function useTwoPhones(defines: string[]): () => { kamailio: Kamailio; alice: User; bob: User } {
  let kamailio: Kamailio;
  let page: TestPage;
  let alice: User;
  let bob: User;
  before(async () => {
    kamailio = await Kamailio.start({ defines });
    page = await TestPage.start();
    [alice, bob] = await Promise.all([User.launch('alice', '1001', page), User.launch('bob', '1002', page)]);
  });
  after(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await page?.stop();
    await kamailio?.stop();
    kamailio?.cleanup();
  });
  beforeEach(async () => {
    await Promise.all([alice.reload(), bob.reload()]);
    const options = (user: User) => ({ server: kamailio.wsUrl, uri: `sip:${user.extension}@127.0.0.1`, password: 'secret' });
    await Promise.all([alice.start(options(alice)), bob.start(options(bob))]);
  });
  return () => ({ kamailio, alice, bob });
}

describe('phone against Kamailio: a silent network', () => {
  const world = useTwoPhones([]);

  it('a frozen server is noticed by the keep-alive within 15 s, and the phone recovers when it answers again', async () => {
    const { kamailio, alice } = world();
    const started = Date.now();
    kamailio.pause();
    try {
      await alice.waitForPhoneState('reconnecting', 16_000);
      expect(Date.now() - started).to.be.below(15_000);
    } finally {
      kamailio.resume();
    }
    await alice.waitForPhoneState('registered', 15_000);
  });
});

describe('phone against Kamailio with GRUU: recovery', () => {
  const world = useTwoPhones(['WITH_GRUU']);

  it('a server restart during a call: the call is fully recovered (ICE restart, hold, resume, hang-up)', async () => {
    const { kamailio, alice, bob } = world();
    const ab = await alice.dial('1002');
    const ba = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await bob.act(ba, 'accept');
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
    const started = Date.now();
    await kamailio.restart();
    await Promise.all([alice.waitForEvent('reconnected ', 10_000), bob.waitForEvent('reconnected ', 10_000)]);
    expect(Date.now() - started).to.be.below(10_000);
    await Promise.all([alice.waitForEvent(`call ${ab} recovery true`), bob.waitForEvent(`call ${ba} recovery true`)]);
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
    await alice.act(ab, 'hold');
    await Promise.all([alice.waitForNoFlow(ab, 'audioIn'), bob.waitForNoFlow(ba, 'audioIn')]);
    await alice.act(ab, 'resume');
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
    await bob.act(ba, 'hangup');
    expect((await alice.waitForState(ab, 'ended')).endReason).to.equal('remote-hangup');
  });
});
