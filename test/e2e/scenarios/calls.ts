// Registering, and calls from the first ring to the hang-up: answered with audio both ways, rejected, cancelled
// while ringing, and to nobody.
import { describe, it } from 'node:test';
import { expect } from '../../support/harness.js';
import type { CallWorld } from './world.js';

/** The call basics against `world()`'s server. */
export function describeCallBasics(world: () => CallWorld): void {
  describe('registration and plain calls', () => {
    it('registers every phone over WebSocket with digest authentication', async () => {
      const { anna, ben, clara } = world();
      for (const user of [anna, ben, clara]) expect(await user.page.evaluate(() => window.harness.state())).to.equal('registered');
    });

    it('rejects a wrong password with auth-failed and does not keep trying', async () => {
      const { anna, phoneOptions } = world();
      const options = await phoneOptions(anna, { password: 'not-the-password' });
      await anna.reload();
      const outcome = await anna.page.evaluate((o) => window.harness.start(o).then(() => 'registered', (e: { code?: string }) => e.code), options);
      expect(outcome).to.equal('auth-failed');
      expect(await anna.page.evaluate(() => window.harness.state())).to.equal('failed');
    });

    it('places a call that rings, is answered with audio flowing both ways, and is hung up', async () => {
      const { anna, ben } = world();
      const outgoing = await anna.dial(ben.extension);
      const incoming = await ben.waitForCall({ direction: 'incoming', state: 'ringing' });
      const ringing = await ben.call(incoming);
      expect(ringing.remoteUser).to.equal(anna.extension);
      expect(ringing.remoteName).to.equal('Anna Admin');
      expect(await ben.page.evaluate(() => window.harness.ringing())).to.equal('ring');
      await anna.waitForState(outgoing, 'ringing');
      await ben.act(incoming, 'accept');
      await Promise.all([anna.waitForState(outgoing, 'established'), ben.waitForState(incoming, 'established')]);
      expect(await ben.page.evaluate(() => window.harness.ringing())).to.equal(undefined);
      await Promise.all([anna.waitForFlow(outgoing, 'audioIn'), ben.waitForFlow(incoming, 'audioIn')]);
      await anna.act(outgoing, 'hangup');
      const [a, b] = await Promise.all([anna.waitForState(outgoing, 'ended'), ben.waitForState(incoming, 'ended')]);
      expect(a.endReason).to.equal('hangup');
      expect(b.endReason).to.equal('remote-hangup');
    });

    it('rejects an incoming call; the caller hears busy (486)', async () => {
      const { anna, ben } = world();
      const outgoing = await anna.dial(ben.extension);
      const incoming = await ben.waitForCall({ direction: 'incoming', state: 'ringing' });
      await ben.act(incoming, 'reject');
      const [a, b] = await Promise.all([anna.waitForState(outgoing, 'ended'), ben.waitForState(incoming, 'ended')]);
      expect(b.endReason).to.equal('rejected');
      expect(a.endReason).to.equal('busy');
      expect(a.endStatus).to.equal(486);
    });

    it('cancels an outgoing call while it rings; the callee sees a missed call', async () => {
      const { anna, ben } = world();
      const outgoing = await anna.dial(ben.extension);
      const incoming = await ben.waitForCall({ direction: 'incoming', state: 'ringing' });
      await anna.waitForState(outgoing, 'ringing');
      await anna.act(outgoing, 'hangup');
      const [a, b] = await Promise.all([anna.waitForState(outgoing, 'ended'), ben.waitForState(incoming, 'ended')]);
      expect(a.endReason).to.equal('cancelled');
      expect(b.endReason).to.equal('missed');
    });

    it('refuses a call to an extension nobody has (404)', async () => {
      const { anna } = world();
      const outgoing = await anna.dial('19');
      const a = await anna.waitForState(outgoing, 'ended');
      expect(a.endReason).to.equal('refused');
      expect(a.endStatus).to.equal(404);
    });
  });
}
