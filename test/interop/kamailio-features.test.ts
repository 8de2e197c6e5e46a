// Against a real Kamailio: hold, call waiting and swap, three-party conference, blind and attended transfer, DTMF,
// video upgrade and screen sharing. Three users in separate Chromium profiles.
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from '../support/harness.js';
import { Kamailio } from '../e2e/support/kamailio.js';
import { TestPage, User } from '../e2e/support/browser.js';

describe('phone against Kamailio: call features', () => {
  let kamailio: Kamailio;
  let page: TestPage;
  let alice: User;
  let bob: User;
  let carol: User;

  before(async () => {
    kamailio = await Kamailio.start();
    page = await TestPage.start();
    [alice, bob, carol] = await Promise.all([User.launch('alice', '1001', page), User.launch('bob', '1002', page), User.launch('carol', '1003', page)]);
  });

  after(async () => {
    await Promise.all([alice?.close(), bob?.close(), carol?.close()]);
    await page?.stop();
    await kamailio?.stop();
    kamailio?.cleanup();
  });

  beforeEach(async () => {
    await Promise.all([alice.reload(), bob.reload(), carol.reload()]);
    const options = (user: User) => ({
      server: kamailio.wsUrl,
      uri: `sip:${user.extension}@${kamailio.domain}`,
      password: 'secret',
      displayName: user.name,
      calls: { voicemail: '1003' },
    });
    await Promise.all([alice.start(options(alice)), bob.start(options(bob)), carol.start(options(carol))]);
  });

  /** Alice calls someone who answers; returns both call ids once audio flows both ways. */
  async function connect(caller: User, callee: User, notIds: string[] = []): Promise<[string, string]> {
    const outgoing = await caller.dial(callee.extension);
    const incoming = await callee.waitForCall({ direction: 'incoming', state: 'ringing', notIds });
    await callee.act(incoming, 'accept');
    await Promise.all([caller.waitForState(outgoing, 'established'), callee.waitForState(incoming, 'established')]);
    await Promise.all([caller.waitForFlow(outgoing, 'audioIn'), callee.waitForFlow(incoming, 'audioIn')]);
    return [outgoing, incoming];
  }

  it('holds and resumes: media stops both ways and comes back', async () => {
    const [a, b] = await connect(alice, bob);
    await alice.act(a, 'hold');
    expect((await alice.call(a)).state).to.equal('held');
    await Promise.all([alice.waitForNoFlow(a, 'audioIn'), bob.waitForNoFlow(b, 'audioIn')]);
    expect((await bob.call(b)).remoteHeld).to.equal(true);
    await alice.act(a, 'resume');
    expect((await alice.call(a)).state).to.equal('established');
    await Promise.all([alice.waitForFlow(a, 'audioIn'), bob.waitForFlow(b, 'audioIn')]);
    expect((await bob.call(b)).remoteHeld).to.equal(false);
  });

  it('call waiting: answering a second call holds the first; swap switches between them', async () => {
    const [ab, ba] = await connect(alice, bob);
    const cFromA = await carol.dial('1001');
    const ac = await alice.waitForCall({ direction: 'incoming', state: 'ringing', remoteUser: '1003' });
    // While talking, a second call gets the short call-waiting tone instead of the ring.
    expect(await alice.page.evaluate(() => window.harness.ringing())).to.equal('call-waiting');
    await alice.act(ac, 'accept');
    await carol.waitForState(cFromA, 'established');
    expect((await alice.call(ab)).state).to.equal('held');
    await Promise.all([alice.waitForFlow(ac, 'audioIn'), carol.waitForFlow(cFromA, 'audioIn'), bob.waitForNoFlow(ba, 'audioIn')]);
    await alice.page.evaluate(() => window.harness.swap());
    expect((await alice.call(ab)).state).to.equal('established');
    expect((await alice.call(ac)).state).to.equal('held');
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn'), carol.waitForNoFlow(cFromA, 'audioIn')]);
  });

  it('three-party conference: each party hears the other two', async () => {
    const [ab, ba] = await connect(alice, bob);
    const [ac, ca] = await connect(alice, carol);
    expect((await alice.call(ab)).state).to.equal('held');
    // Alice is muted from here on: whatever Bob and Carol then hear can only come from each other, through Alice's
    // mix. Carol was just talking to Alice, so first let what was on its way drain (Bob is on hold, hears nothing).
    await alice.act(ac, 'mute');
    await carol.page.evaluate((id) => window.harness.waitForSilence(id), ca);
    await alice.page.evaluate(() => window.harness.startConference(true));
    expect((await alice.call(ab)).state).to.equal('established');
    expect((await alice.call(ac)).state).to.equal('established');
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), alice.waitForFlow(ac, 'audioIn'), bob.waitForFlow(ba, 'audioIn'), carol.waitForFlow(ca, 'audioIn')]);
    await Promise.all([bob.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ba), carol.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ca)]);
    // And Alice hears both.
    await Promise.all([alice.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ab), alice.page.evaluate((id) => window.harness.waitForAudioEnergy(id), ac)]);
  });

  it('blind transfer: the transferee ends up talking to the target', async () => {
    const [ab, ba] = await connect(alice, bob);
    await alice.page.evaluate((id) => window.harness.transfer(id, '1003'), ab);
    const cb = await carol.waitForCall({ direction: 'incoming', state: 'ringing' });
    const ringing = await carol.call(cb);
    expect(ringing.remoteUser).to.equal('1002');
    expect(ringing.referredBy).to.equal('1001');
    await carol.act(cb, 'accept');
    const bc = await bob.waitForCall({ direction: 'outgoing', state: 'established', remoteUser: '1003' });
    await Promise.all([bob.waitForFlow(bc, 'audioIn'), carol.waitForFlow(cb, 'audioIn')]);
    expect((await alice.waitForState(ab, 'ended')).endReason).to.equal('transferred');
    expect((await bob.waitForState(ba, 'ended')).endReason).to.equal('transferred');
  });

  it('attended transfer: after consulting, the transferee and the target talk', async () => {
    const [ab, ba] = await connect(alice, bob);
    const [ac, ca] = await connect(alice, carol);
    expect((await alice.call(ab)).state).to.equal('held');
    await alice.page.evaluate(([x, y]) => window.harness.attendedTransfer(x, y), [ab, ac] as const);
    const bc = await bob.waitForCall({ direction: 'outgoing', state: 'established', remoteUser: '1003' });
    const cb = await carol.waitForCall({ direction: 'incoming', state: 'established', notIds: [ca] });
    await Promise.all([bob.waitForFlow(bc, 'audioIn'), carol.waitForFlow(cb, 'audioIn')]);
    expect((await alice.waitForState(ab, 'ended')).endReason).to.equal('transferred');
    expect((await alice.waitForState(ac, 'ended')).endReason).to.equal('transferred');
    expect((await carol.waitForState(ca, 'ended')).endReason).to.equal('replaced');
    expect((await bob.waitForState(ba, 'ended')).endReason).to.equal('transferred');
  });

  it('attended transfer before answering: the unanswered caller ends up talking to the consulted target', async () => {
    const ba = await bob.dial('1001');
    const ab = await alice.waitForCall({ direction: 'incoming', state: 'ringing' });
    // Alice consults Carol while Bob's call still rings.
    const [ac, ca] = await connect(alice, carol);
    expect((await alice.call(ab)).state).to.equal('ringing');
    await alice.page.evaluate(([x, y]) => window.harness.attendedTransfer(x, y), [ab, ac] as const);
    expect((await alice.waitForState(ab, 'ended')).endReason).to.equal('transferred');
    expect((await alice.waitForState(ac, 'ended')).endReason).to.equal('transferred');
    expect((await carol.waitForState(ca, 'ended')).endReason).to.equal('replaced');
    await bob.waitForState(ba, 'established');
    expect((await bob.call(ba)).remoteUser).to.equal('1003');
    const cb = await carol.waitForCall({ direction: 'incoming', state: 'established', notIds: [ca] });
    await Promise.all([bob.waitForFlow(ba, 'audioIn'), carol.waitForFlow(cb, 'audioIn')]);
  });

  it('forwards a ringing call before answering (302); the caller reaches the target', async () => {
    const ab = await alice.dial('1002');
    const ba = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await bob.page.evaluate((id) => window.harness.forward(id, '1003'), ba);
    expect((await bob.waitForState(ba, 'ended')).endReason).to.equal('forwarded');
    const ca = await carol.waitForCall({ direction: 'incoming', state: 'ringing' });
    expect((await carol.call(ca)).forwardedBy).to.deep.equal(['1002']);
    await carol.act(ca, 'accept');
    await alice.waitForState(ab, 'established');
    expect((await alice.call(ab)).remoteUser).to.equal('1003');
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), carol.waitForFlow(ca, 'audioIn')]);
  });

  it('sends a ringing call to voicemail (the configured target)', async () => {
    const ab = await alice.dial('1002');
    const ba = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await bob.act(ba, 'sendToVoicemail');
    expect((await bob.waitForState(ba, 'ended')).endReason).to.equal('voicemail');
    const ca = await carol.waitForCall({ direction: 'incoming', state: 'ringing' });
    await carol.act(ca, 'accept');
    await alice.waitForState(ab, 'established');
  });

  it('DTMF by SIP INFO reaches the far end', async () => {
    const [ab] = await connect(alice, bob);
    expect(await alice.page.evaluate((id) => window.harness.sendDtmf(id, '12#', 'info'), ab)).to.equal('info');
    await bob.page.waitForFunction(() => window.harness.dtmf.join('') === '12#', null, { timeout: 10_000 });
  });

  it('DTMF as RFC 4733 events is heard by the far end', async () => {
    const [ab, ba] = await connect(alice, bob);
    // Alice's microphone is muted so that only the tones reach Bob's ears.
    await alice.act(ab, 'mute');
    await bob.page.evaluate((id) => window.harness.waitForSilence(id), ba);
    await bob.page.evaluate((id) => window.harness.listenForTones(id), ba);
    expect(await alice.page.evaluate((id) => window.harness.sendDtmf(id, '159#', 'rtp'), ab)).to.equal('rtp');
    await bob.page.waitForFunction(() => window.harness.heardTones.join('') === '159#', null, { timeout: 10_000 });
  });

  it('switches a call to video and back', async () => {
    const [ab, ba] = await connect(alice, bob);
    await alice.act(ab, 'startVideo');
    await bob.waitForFlow(ba, 'videoIn');
    expect((await bob.call(ba)).receivingVideo).to.equal(true);
    expect((await alice.call(ab)).sendingVideo).to.equal(true);
    await alice.act(ab, 'stopVideo');
    await bob.waitForNoFlow(ba, 'videoIn');
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
  });

  it('shares the screen: the video track is replaced by a screen capture, then switched and stopped', async () => {
    const [ab, ba] = await connect(alice, bob);
    await alice.act(ab, 'startVideo');
    await bob.waitForFlow(ba, 'videoIn');
    const camera = await alice.page.evaluate((id) => window.harness.sentVideo(id), ab);
    expect(camera?.screen).to.equal(false);
    await alice.act(ab, 'startScreenShare');
    const screen = await alice.page.evaluate((id) => window.harness.sentVideo(id), ab);
    expect(screen?.screen).to.equal(true);
    await bob.waitForFlow(ba, 'videoIn');
    await alice.act(ab, 'switchScreenShare');
    const switched = await alice.page.evaluate((id) => window.harness.sentVideo(id), ab);
    expect(switched?.screen).to.equal(true);
    expect(switched?.id).to.not.equal(screen?.id);
    await alice.act(ab, 'stopScreenShare');
    const back = await alice.page.evaluate((id) => window.harness.sentVideo(id), ab);
    expect(back?.screen).to.equal(false);
    await bob.waitForFlow(ba, 'videoIn');
  });
});
