// Connection recovery against a real Kamailio: a restart drops every WebSocket during a call; a frozen server (a
// silent network) is noticed by the keep-alive. Run twice: with the stock registrar, and with GRUUs enabled, which
// is what Kamailio needs to route in-dialog requests to a device that reconnected.
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from '../support/harness.js';
import { Kamailio } from '../e2e/support/kamailio.js';
import { TestPage, User } from '../e2e/support/browser.js';

for (const gruu of [false, true]) {
  describe(`phone against Kamailio: recovery${gruu ? ' with GRUU' : ''}`, () => {
    let kamailio: Kamailio;
    let page: TestPage;
    let alice: User;
    let bob: User;

    before(async () => {
      kamailio = await Kamailio.start({ defines: gruu ? ['WITH_GRUU'] : [] });
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

    async function connect(): Promise<[string, string]> {
      const ab = await alice.dial('1002');
      const ba = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
      await bob.act(ba, 'accept');
      await Promise.all([alice.waitForState(ab, 'established'), bob.waitForState(ba, 'established')]);
      await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
      return [ab, ba];
    }

    async function restartDuringCall(): Promise<[string, string]> {
      const [ab, ba] = await connect();
      const started = Date.now();
      await kamailio.restart();
      await Promise.all(
        [alice, bob].map((user) =>
          user.page.waitForFunction(() => window.harness.events.some((e) => e.startsWith('reconnected ')), null, { timeout: 10_000 - (Date.now() - started) }),
        ),
      );
      expect(Date.now() - started).to.be.below(10_000);
      for (const user of [alice, bob]) {
        const events = await user.page.evaluate(() => window.harness.events);
        expect(events.some((e) => e.startsWith('reconnecting 1 ')), events.join('\n')).to.equal(true);
        expect(await user.page.evaluate(() => window.harness.state())).to.equal('registered');
      }
      expect((await alice.call(ab)).state).to.equal('established');
      await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
      // Both phones tried to refresh the call (re-INVITE with ICE restart) after re-registering.
      for (const [user, id] of [[alice, ab], [bob, ba]] as const) {
        await user.page.waitForFunction((callId) => window.harness.events.some((e) => e.startsWith(`call ${callId} recovery `)), id, { timeout: 15_000 });
      }
      return [ab, ba];
    }

    if (!gruu) {
      it('a server restart during a call: both phones re-register within 10 s, media keeps flowing, new calls work', async () => {
        const [ab, ba] = await restartDuringCall();
        // The old dialog no longer routes (its far end's connection is gone), so Bob's hold is local only.
        expect(await bob.page.evaluate((id) => window.harness.allCalls.find((c) => c.id === id)!.signallingLost, ba)).to.equal(true);
        const second = await bob.dial('1001');
        const incoming = await alice.waitForCall({ direction: 'incoming', state: 'ringing' });
        await alice.act(incoming, 'reject');
        await bob.waitForState(second, 'ended');
        // Without GRUU the old dialog points at connections that are gone; hanging up still ends the call on both
        // sides (the far end notices the media connection closing).
        await alice.act(ab, 'hangup');
        await alice.waitForState(ab, 'ended');
        await bob.waitForState(ba, 'ended', 40_000);
      });

      it('a silent server is noticed by the keep-alive within 15 s, and the phone recovers when it answers again', async () => {
        const started = Date.now();
        kamailio.pause();
        try {
          await alice.page.evaluate(() => window.harness.waitForPhoneState('reconnecting', 16_000));
          expect(Date.now() - started).to.be.below(15_000);
        } finally {
          kamailio.resume();
        }
        await alice.page.evaluate(() => window.harness.waitForPhoneState('registered', 15_000));
      });
    } else {
      it('a server restart during a call: the call is fully recovered (ICE restart, hold, resume, hang-up)', async () => {
        const [ab, ba] = await restartDuringCall();
        for (const [user, id] of [[alice, ab], [bob, ba]] as const) {
          const events = await user.page.evaluate(() => window.harness.events);
          expect(events.some((e) => e.startsWith(`call ${id} recovery true `)), events.join('\n')).to.equal(true);
        }
        await alice.act(ab, 'hold');
        await Promise.all([alice.waitForNoFlow(ab, 'audioIn'), bob.waitForNoFlow(ba, 'audioIn')]);
        await alice.act(ab, 'resume');
        await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
        await bob.act(ba, 'hangup');
        expect((await alice.waitForState(ab, 'ended')).endReason).to.equal('remote-hangup');
      });
    }
  });
}
