// When the connection to the server fails: an ICE restart mid-call, the server dropping a phone's WebSocket, the
// server restarting during a call, and the server being down when the phone starts.
import { describe, it } from 'node:test';
import { expect } from '../../support/harness.js';
import type { User } from '../support/browser.js';
import { audioFlows, audioStops, connect } from './steps.js';
import type { CallWorld } from './world.js';

/** The first reconnect delay of the phone's default backoff lies between half and all of 500 ms. */
const FIRST_DELAY = { min: 250, max: 500 };

/** Waits until `user`'s phone reconnected and registered again; fails if that took 10 s or more from `since`. */
async function reregisteredWithin10s(user: User, since: number): Promise<void> {
  await user.waitForEvent('reconnected ', Math.max(1, 10_000 - (Date.now() - since)));
  expect(Date.now() - since, `${user.name} re-registered too late`).to.be.below(10_000);
  const events = await user.page.evaluate(() => window.harness.events);
  const first = events.find((event) => event.startsWith('reconnecting 1 '));
  expect(first, events.join('\n')).to.not.equal(undefined);
  // `reconnecting <attempt> <delay> <error>`: the phone waited before trying again (backoff with jitter).
  expect(Number(first?.split(' ')[2])).to.be.within(FIRST_DELAY.min, FIRST_DELAY.max);
  expect(await user.page.evaluate(() => window.harness.state())).to.equal('registered');
}

/** The recovery scenarios against `world()`'s server. */
export function describeRecovery(world: () => CallWorld): void {
  describe('recovery', () => {
    it('an ICE restart mid-call (re-INVITE with new ICE credentials) keeps the audio flowing', async () => {
      const { anna, ben } = world();
      const [ab, ba] = await connect(anna, ben);
      const before = await anna.page.evaluate((id) => window.harness.localIceUfrag(id), ab);
      await anna.act(ab, 'restartIce');
      expect(await anna.page.evaluate((id) => window.harness.localIceUfrag(id), ab)).to.not.equal(before);
      expect((await anna.call(ab)).state).to.equal('established');
      await audioFlows([anna, ab], [ben, ba]);
    });

    it('the server drops a phone\'s WebSocket during a call: it reconnects, re-registers within 10 s, the call goes on', async () => {
      const { anna, ben, server } = world();
      const [ab, ba] = await connect(anna, ben);
      const dropped = Date.now();
      await server.dropConnectionOf('anna');
      await reregisteredWithin10s(anna, dropped);
      expect((await anna.call(ab)).state).to.equal('established');
      expect((await ben.call(ba)).state).to.equal('established');
      await audioFlows([anna, ab], [ben, ba]);
      if (!server.keepsDialogsAcrossReconnects) return;
      // The server routes the old call's requests to Anna's new connection: hold from her side, hang-up from Ben's.
      await anna.waitForEvent(`call ${ab} recovery true`);
      await anna.act(ab, 'hold');
      await audioStops([anna, ab], [ben, ba]);
      expect((await ben.call(ba)).remoteHeld).to.equal(true);
      await anna.act(ab, 'resume');
      await audioFlows([anna, ab], [ben, ba]);
      await ben.act(ba, 'hangup');
      expect((await anna.waitForState(ab, 'ended')).endReason).to.equal('remote-hangup');
    });

    it('the server restarts during a call: both phones reconnect, re-register within 10 s, the call goes on', async () => {
      const { anna, ben, server } = world();
      const [ab, ba] = await connect(anna, ben);
      const restarted = Date.now();
      await server.restart();
      await Promise.all([reregisteredWithin10s(anna, restarted), reregisteredWithin10s(ben, restarted)]);
      expect((await anna.call(ab)).state).to.equal('established');
      await audioFlows([anna, ab], [ben, ba]);
      // Both phones try to refresh the call through the new connection once registered again.
      await Promise.all([anna.waitForEvent(`call ${ab} recovery `), ben.waitForEvent(`call ${ba} recovery `)]);
      if (server.keepsDialogsAcrossReconnects) {
        for (const [user, id] of [[anna, ab], [ben, ba]] as const) {
          expect(await user.page.evaluate(() => window.harness.events)).to.include(`call ${id} recovery true 200`);
        }
        // The restarted server forgot the call, and learnt of it again from the phones' refresh: a colleague's lamp
        // shows Anna busy, and idle once the call is over.
        const { clara } = world();
        const lampOfAnna = (state: string) =>
          clara.page.waitForFunction(([ext, s]) => window.harness.lineStates(ext).at(-1) === s, [anna.extension, state] as const, { timeout: 10_000 });
        await clara.waitForPhoneState('registered');
        await clara.page.evaluate((ext) => window.harness.watch([ext]), anna.extension);
        await lampOfAnna('busy');
        await anna.act(ab, 'hold');
        await audioStops([anna, ab], [ben, ba]);
        await anna.act(ab, 'resume');
        await audioFlows([anna, ab], [ben, ba]);
        await ben.act(ba, 'hangup');
        expect((await anna.waitForState(ab, 'ended')).endReason).to.equal('remote-hangup');
        await lampOfAnna('idle');
      } else {
        // The old call's signalling is gone (its media goes on); new calls work.
        const second = await ben.dial(anna.extension);
        const incoming = await anna.waitForCall({ direction: 'incoming', state: 'ringing' });
        await anna.act(incoming, 'reject');
        await ben.waitForState(second, 'ended');
      }
    });

    it('the server is down when the phone starts: a clear error, retries with backoff, registered once it is up', async () => {
      const { anna, server, phoneOptions } = world();
      // Taken while the server is up: the reference PBX hands out SIP credentials through its API.
      const options = await phoneOptions(anna, { waitForRegistration: false, reconnect: { baseDelay: 200, maxDelay: 1000 } });
      await anna.reload();
      await server.takeDown();
      try {
        await anna.start(options);
        await anna.page.waitForFunction(() => window.harness.errors.includes('start server-unreachable'), null, { timeout: 15_000 });
        const said = await anna.page.evaluate(() => window.harness.errorMessages.join('\n'));
        expect(said).to.match(/Cannot reach the telephone system at ws:\/\/127\.0\.0\.1:\d+/);
        expect(said).to.contain('the phone keeps trying');
        await anna.waitForEvent('reconnecting 3 ');
        const delays = await anna.page.evaluate(() =>
          window.harness.events.filter((e) => e.startsWith('reconnecting ')).map((e) => Number(e.split(' ')[2])),
        );
        expect(delays[0]).to.be.within(100, 200);
        expect(delays[1]).to.be.within(200, 400);
        expect(delays[2]).to.be.within(400, 800);
      } finally {
        await server.bringUp();
      }
      await anna.waitForPhoneState('registered', 15_000);
    });
  });
}
