// Prepared calls in real Chromium against the test PBX: a registered phone makes the next call's offer ahead, the
// call sends that very offer (no new peer connection when dialling), audio flows, and the phone prepares the next one
// when the call ends; an incoming call's offer is applied while it rings. A video call, unanswered calls, a stopped
// phone and a phone with the feature off are covered too.
import { afterEach, beforeEach, describe, expect, it } from '../../support/harness.js';
import type { CentrexClient } from '../../../src/core/client/index.js';
import type { Call } from '../../../src/core/phone/index.js';
import { EXTENSIONS, signOutAll, signedInClient, until } from '../../components/support/pbx.js';

/** Every peer connection the page makes from now on (the wrapper only counts; the connections are real). */
class PeerConnections {
  readonly made: RTCPeerConnection[] = [];
  readonly #original = window.RTCPeerConnection;

  install(): void {
    this.made.length = 0;
    const made = this.made;
    const Original = this.#original;
    window.RTCPeerConnection = class extends Original {
      constructor(configuration?: RTCConfiguration) {
        super(configuration);
        made.push(this);
      }
    } as typeof RTCPeerConnection;
  }

  restore(): void {
    window.RTCPeerConnection = this.#original;
  }
}

async function audioPacketsReceived(call: Call): Promise<number> {
  const stats = await call.peerConnection?.getStats();
  let packets = 0;
  stats?.forEach((report: { type: string; kind?: string; packetsReceived?: number }) => {
    if (report.type === 'inbound-rtp' && report.kind === 'audio') packets += report.packetsReceived ?? 0;
  });
  return packets;
}

/** Waits until `call` has received audio from the far end. */
async function audioArrives(call: Call): Promise<void> {
  const deadline = performance.now() + 8000;
  while ((await audioPacketsReceived(call)) === 0) {
    if (performance.now() > deadline) throw new Error('no audio arrived within 8 s');
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

const ufrag = (sdp: string | undefined): string | undefined => /a=ice-ufrag:(\S+)/.exec(sdp ?? '')?.[1];

describe('prepared offers (Chromium, test PBX)', () => {
  const connections = new PeerConnections();
  let ben: CentrexClient;

  beforeEach(async () => {
    ben = await signedInClient('ben', { phone: true });
  });

  afterEach(async () => {
    connections.restore();
    await signOutAll();
  });

  it('dials with the offer made before the call, with audio both ways, and prepares the next one after it', async () => {
    const anna = await signedInClient('anna', { phone: true });
    const phone = anna.phone!;
    await until(() => phone.offerPrepared, "Anna's phone has an offer ready");
    connections.install();

    const ringing = ben.phone!.calls.next('incoming', { timeout: 5000 });
    const outgoing = await phone.calls.dial(EXTENSIONS.ben);
    const { call: incoming } = await ringing;
    // The only connection made since is Ben's, for the ringing call; Anna's existed before she dialled.
    expect(connections.made.length).to.equal(1);
    expect(connections.made).not.to.include(outgoing.peerConnection);
    const sentUfrag = ufrag(outgoing.peerConnection?.localDescription?.sdp);
    expect(sentUfrag, 'the offer Anna sent').to.be.a('string');

    await incoming.accept();
    await until(() => outgoing.state === 'established' && incoming.state === 'established', 'the call is connected');
    await Promise.all([audioArrives(outgoing), audioArrives(incoming)]);
    // Ben's phone answered with the offer Anna prepared.
    expect(ufrag(incoming.peerConnection?.remoteDescription?.sdp)).to.equal(sentUfrag);
    expect(phone.offerPrepared, 'no second offer is made while the call runs').to.equal(false);

    await outgoing.hangup();
    await until(() => phone.offerPrepared, 'the next offer is ready after the call');
    const next = connections.made.at(-1)!;
    expect(ufrag(next.localDescription?.sdp)).not.to.equal(sentUfrag);
    expect(next.getTransceivers().map((t) => t.receiver.track.kind)).to.deep.equal(['audio']);
    // Nothing is sent from the prepared connection: no remote side, no microphone on it.
    expect(next.remoteDescription).to.equal(null);
    expect(next.getSenders().map((s) => s.track)).to.deep.equal([null]);
  });

  it('turns the prepared audio offer into a video offer when the call is a video call', async () => {
    const anna = await signedInClient('anna', { phone: true });
    const phone = anna.phone!;
    await until(() => phone.offerPrepared, "Anna's phone has an offer ready");
    connections.install();

    const ringing = ben.phone!.calls.next('incoming', { timeout: 5000 });
    const outgoing = await phone.calls.dial(EXTENSIONS.ben, { video: true });
    const { call: incoming } = await ringing;
    expect(connections.made, 'the prepared connection is reused').not.to.include(outgoing.peerConnection);
    expect(incoming.remoteOffersVideo, 'Ben is offered video').to.equal(true);

    await incoming.accept({ video: true });
    await until(() => outgoing.state === 'established', 'the video call is connected');
    await audioArrives(outgoing);
    const kinds = outgoing.peerConnection!.getTransceivers().map((t) => t.receiver.track.kind);
    expect(kinds).to.deep.equal(['audio', 'video']);
  });

  it("applies an incoming call's offer while it rings, sends nothing before the answer, and answers from it", async () => {
    const anna = await signedInClient('anna', { phone: true });
    await until(() => anna.phone!.offerPrepared, "Anna's phone has an offer ready");
    connections.install();
    const ringing = ben.phone!.calls.next('incoming', { timeout: 5000 });
    const outgoing = await anna.phone!.calls.dial(EXTENSIONS.ben);
    const { call: incoming } = await ringing;
    // Anna dialled from her prepared offer, so the one connection made is Ben's, made when the INVITE came.
    expect(connections.made.length).to.equal(1);
    const early = connections.made[0]!;
    await until(() => early.remoteDescription !== null, "Ben's phone applied Anna's offer");
    expect(early.remoteDescription!.sdp).to.equal(outgoing.peerConnection!.localDescription!.sdp);
    // Without a local description there is no ICE gathering and nothing to send.
    expect(early.localDescription).to.equal(null);
    expect(early.iceGatheringState).to.equal('new');
    expect(early.getSenders().every((sender) => sender.track === null)).to.equal(true);

    await incoming.accept();
    await until(() => outgoing.state === 'established' && incoming.state === 'established', 'the call is connected');
    expect(incoming.peerConnection).to.equal(early);
    await Promise.all([audioArrives(outgoing), audioArrives(incoming)]);
  });

  it('closes the connection of a ringing call that is rejected or cancelled', async () => {
    const anna = await signedInClient('anna', { phone: true });
    connections.install();
    for (const end of ['rejected', 'cancelled'] as const) {
      await until(() => anna.phone!.offerPrepared, "Anna's phone has an offer ready");
      const before = connections.made.length;
      const ringing = ben.phone!.calls.next('incoming', { timeout: 5000 });
      const outgoing = await anna.phone!.calls.dial(EXTENSIONS.ben);
      const { call: incoming } = await ringing;
      const early = connections.made[before]!;
      if (end === 'rejected') await incoming.reject();
      else await outgoing.hangup();
      await until(() => outgoing.state === 'ended' && incoming.state === 'ended', `the call is ${end}`);
      expect(early.signalingState, `the connection of the ${end} call`).to.equal('closed');
    }
  });

  it('leaves no peer connection open when the phone stops, also during a call', async () => {
    const anna = await signedInClient('anna', { phone: true });
    // Clara prepares nothing, so every connection but the one she answers with is Anna's.
    const clara = await signedInClient('clara', { phone: { ice: { prepareCalls: false } } });
    const phone = anna.phone!;
    connections.install();
    // Made anew, so the test sees the connection that is prepared.
    await phone.stop();
    await phone.start();
    await until(() => phone.offerPrepared, "Anna's phone has an offer ready again");
    const ringing = clara.phone!.calls.next('incoming', { timeout: 5000 });
    const outgoing = await phone.calls.dial(EXTENSIONS.clara);
    const { call: incoming } = await ringing;
    await incoming.accept();
    await until(() => outgoing.state === 'established', 'the call is connected');

    // Stopping ends the call, which would prepare the next offer; the phone must close that one too.
    await phone.stop();
    expect(phone.offerPrepared).to.equal(false);
    const annas = connections.made.filter((pc) => pc !== incoming.peerConnection);
    expect(annas.length).to.be.greaterThan(0);
    expect(annas.map((pc) => pc.signalingState)).to.deep.equal(annas.map(() => 'closed'));
  });

  it('makes no offer ahead when prepareCalls is off, and dialling then makes its connection', async () => {
    const anna = await signedInClient('anna', { phone: { ice: { prepareCalls: false } } });
    const phone = anna.phone!;
    connections.install();
    phone.prepareCall();
    expect(phone.offerPrepared).to.equal(false);
    const ringing = ben.phone!.calls.next('incoming', { timeout: 5000 });
    const outgoing = await phone.calls.dial(EXTENSIONS.ben);
    const { call: incoming } = await ringing;
    expect(connections.made, 'dialling made a connection').to.include(outgoing.peerConnection);
    await incoming.accept();
    await until(() => outgoing.state === 'established', 'the call is connected');
    await audioArrives(outgoing);
  });
});
