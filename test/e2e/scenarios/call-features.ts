// What happens during a call: forwarding a ringing call, hold and resume, call waiting and swap, a three-party conference, blind and attended
// transfer (before and after answering), DTMF both ways of sending it, switching to video, sharing the screen.
import { describe, it } from 'node:test';
import { expect } from '../../support/harness.js';
import { audioFlows, audioStops, connect } from './steps.js';
import type { CallWorld } from './world.js';

/** The call features against `world()`'s server. */
export function describeCallFeatures(world: () => CallWorld): void {
  describe('call features', () => {
    it('holds and resumes: audio stops both ways and comes back', async () => {
      const { anna, ben } = world();
      const [ab, ba] = await connect(anna, ben);
      await anna.act(ab, 'hold');
      expect((await anna.call(ab)).state).to.equal('held');
      await audioStops([anna, ab], [ben, ba]);
      expect((await ben.call(ba)).remoteHeld).to.equal(true);
      await anna.act(ab, 'resume');
      expect((await anna.call(ab)).state).to.equal('established');
      await audioFlows([anna, ab], [ben, ba]);
      expect((await ben.call(ba)).remoteHeld).to.equal(false);
    });

    it('call waiting: a second call knocks, answering it holds the first; swap switches between them', async () => {
      const { anna, ben, clara } = world();
      const [ab, ba] = await connect(anna, ben);
      const ca = await clara.dial(anna.extension);
      const ac = await anna.waitForCall({ direction: 'incoming', state: 'ringing', remoteUser: clara.extension });
      // While talking, the second call gets the short call-waiting tone instead of the ring.
      expect(await anna.page.evaluate(() => window.harness.ringing())).to.equal('call-waiting');
      await anna.act(ac, 'accept');
      await clara.waitForState(ca, 'established');
      expect((await anna.call(ab)).state).to.equal('held');
      await Promise.all([audioFlows([anna, ac], [clara, ca]), audioStops([ben, ba])]);
      await anna.page.evaluate(() => window.harness.swap());
      expect((await anna.call(ab)).state).to.equal('established');
      expect((await anna.call(ac)).state).to.equal('held');
      await Promise.all([audioFlows([anna, ab], [ben, ba]), audioStops([clara, ca])]);
    });

    it('three-party conference: each of the three hears the other two', async () => {
      const { anna, ben, clara } = world();
      const [ab, ba] = await connect(anna, ben);
      const [ac, ca] = await connect(anna, clara);
      expect((await anna.call(ab)).state).to.equal('held');
      // Anna is muted from here on: whatever Ben and Clara then hear can only come from each other, through Anna's
      // mix. Clara was just talking to Anna, so first let what was on its way drain (Ben is on hold, hears nothing).
      await anna.act(ac, 'mute');
      await clara.page.evaluate((id) => window.harness.waitForSilence(id), ca);
      await anna.page.evaluate(() => window.harness.startConference(true));
      expect((await anna.call(ab)).state).to.equal('established');
      expect((await anna.call(ac)).state).to.equal('established');
      await audioFlows([anna, ab], [anna, ac], [ben, ba], [clara, ca]);
      await Promise.all([
        ben.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ba),
        clara.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ca),
        anna.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ab),
        anna.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ac),
      ]);
    });

    it('forward before answering (302): the caller reaches the target, who sees who forwarded', async () => {
      const { anna, ben, clara } = world();
      const ab = await anna.dial(ben.extension);
      const ba = await ben.waitForCall({ direction: 'incoming', state: 'ringing' });
      await ben.page.evaluate(([id, target]) => window.harness.forward(id, target), [ba, clara.extension] as const);
      expect((await ben.waitForState(ba, 'ended')).endReason).to.equal('forwarded');
      const ca = await clara.waitForCall({ direction: 'incoming', state: 'ringing' });
      expect((await clara.call(ca)).forwardedBy).to.deep.equal([ben.extension]);
      await clara.act(ca, 'accept');
      await anna.waitForState(ab, 'established');
      await audioFlows([anna, ab], [clara, ca]);
    });

    it('blind transfer: the transferee ends up talking to the target', async () => {
      const { anna, ben, clara } = world();
      const [ab, ba] = await connect(anna, ben);
      await anna.page.evaluate(([id, target]) => window.harness.transfer(id, target), [ab, clara.extension] as const);
      const cb = await clara.waitForCall({ direction: 'incoming', state: 'ringing' });
      const ringing = await clara.call(cb);
      expect(ringing.remoteUser).to.equal(ben.extension);
      expect(ringing.referredBy).to.equal(anna.extension);
      await clara.act(cb, 'accept');
      const bc = await ben.waitForCall({ direction: 'outgoing', state: 'established', remoteUser: clara.extension });
      await audioFlows([ben, bc], [clara, cb]);
      expect((await anna.waitForState(ab, 'ended')).endReason).to.equal('transferred');
      expect((await ben.waitForState(ba, 'ended')).endReason).to.equal('transferred');
    });

    it('attended transfer: after consulting, the transferee and the target talk to each other', async () => {
      const { anna, ben, clara } = world();
      const [ab, ba] = await connect(anna, ben);
      const [ac, ca] = await connect(anna, clara);
      expect((await anna.call(ab)).state).to.equal('held');
      await anna.page.evaluate(([x, y]) => window.harness.attendedTransfer(x, y), [ab, ac] as const);
      const bc = await ben.waitForCall({ direction: 'outgoing', state: 'established', remoteUser: clara.extension });
      const cb = await clara.waitForCall({ direction: 'incoming', state: 'established', notIds: [ca] });
      await audioFlows([ben, bc], [clara, cb]);
      expect((await anna.waitForState(ab, 'ended')).endReason).to.equal('transferred');
      expect((await anna.waitForState(ac, 'ended')).endReason).to.equal('transferred');
      expect((await clara.waitForState(ca, 'ended')).endReason).to.equal('replaced');
      expect((await ben.waitForState(ba, 'ended')).endReason).to.equal('transferred');
    });

    it('attended transfer before answering: the waiting caller ends up talking to the consulted target', async () => {
      const { anna, ben, clara } = world();
      const ba = await ben.dial(anna.extension);
      const ab = await anna.waitForCall({ direction: 'incoming', state: 'ringing' });
      // Anna consults Clara while Ben's call still rings.
      const [ac, ca] = await connect(anna, clara);
      expect((await anna.call(ab)).state).to.equal('ringing');
      await anna.page.evaluate(([x, y]) => window.harness.attendedTransfer(x, y), [ab, ac] as const);
      expect((await anna.waitForState(ab, 'ended')).endReason).to.equal('transferred');
      expect((await anna.waitForState(ac, 'ended')).endReason).to.equal('transferred');
      expect((await clara.waitForState(ca, 'ended')).endReason).to.equal('replaced');
      await ben.waitForState(ba, 'established');
      expect((await ben.call(ba)).remoteUser).to.equal(clara.extension);
      const cb = await clara.waitForCall({ direction: 'incoming', state: 'established', notIds: [ca] });
      await audioFlows([ben, ba], [clara, cb]);
    });

    it('DTMF by SIP INFO reaches the far end', async () => {
      const { anna, ben } = world();
      const [ab] = await connect(anna, ben);
      expect(await anna.page.evaluate((id) => window.harness.sendDtmf(id, '12#', 'info'), ab)).to.equal('info');
      await ben.page.waitForFunction(() => window.harness.dtmf.join('') === '12#', null, { timeout: 10_000 });
    });

    it('DTMF as RFC 4733 telephone events: the far end receives each key, in order, as long as it was pressed', async () => {
      const { anna, ben } = world();
      // Ben's browser records the telephone events its calls receive. (What it plays out of them is no proof: on a
      // loaded machine a tone whose packets arrive late is cut short or skipped by the jitter buffer, while the
      // events themselves, which an IVR or a PBX reads, arrive complete.)
      await ben.page.evaluate(() => window.harness.tapTelephoneEvents());
      const [ab, ba] = await connect(anna, ben);
      expect(await anna.page.evaluate((id) => window.harness.sendDtmf(id, '159#', 'rtp'), ab)).to.equal('rtp');
      await ben.page.waitForFunction((id) => window.harness.receivedDtmf(id).length >= 4, ba, { timeout: 10_000 });
      const received = await ben.page.evaluate((id) => window.harness.receivedDtmf(id), ba);
      expect(received.map((event) => event.key).join('')).to.equal('159#');
      // The phone sends 100 ms per key (the packets' duration is counted in whole packet times).
      for (const event of received) expect(event.durationMs).to.be.within(100, 140);
      // The tap passes the audio on untouched.
      await audioFlows([anna, ab], [ben, ba]);
    });

    it('switches a call to video and back', async () => {
      const { anna, ben } = world();
      const [ab, ba] = await connect(anna, ben);
      await anna.act(ab, 'startVideo');
      await ben.waitForFlow(ba, 'videoIn');
      expect((await ben.call(ba)).receivingVideo).to.equal(true);
      expect((await anna.call(ab)).sendingVideo).to.equal(true);
      await anna.act(ab, 'stopVideo');
      await ben.waitForNoFlow(ba, 'videoIn');
      await audioFlows([anna, ab], [ben, ba]);
    });

    it('shares the screen: the sent video track is replaced by a screen capture, switched, then stopped', async () => {
      const { anna, ben } = world();
      const [ab, ba] = await connect(anna, ben);
      await anna.act(ab, 'startVideo');
      await ben.waitForFlow(ba, 'videoIn');
      const camera = await anna.page.evaluate((id) => window.harness.sentVideo(id), ab);
      expect(camera?.screen).to.equal(false);
      await anna.act(ab, 'startScreenShare');
      const screen = await anna.page.evaluate((id) => window.harness.sentVideo(id), ab);
      expect(screen?.screen).to.equal(true);
      await ben.waitForFlow(ba, 'videoIn');
      await anna.act(ab, 'switchScreenShare');
      const switched = await anna.page.evaluate((id) => window.harness.sentVideo(id), ab);
      expect(switched?.screen).to.equal(true);
      expect(switched?.id).to.not.equal(screen?.id);
      await anna.act(ab, 'stopScreenShare');
      const back = await anna.page.evaluate((id) => window.harness.sentVideo(id), ab);
      expect(back?.screen).to.equal(false);
      await ben.waitForFlow(ba, 'videoIn');
    });
  });
}
