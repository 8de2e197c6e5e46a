// Every forwarding rule of planIncomingCall, with real SIP calls through the PBX: always, busy (in a call, or
// declined with 486), no answer after 5 s (manual clock), not registered, selective rules, global DND, voicemail.
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import type { ConditionalForwarding, ForwardingSettings, SelectiveRule } from '../../../src/core/forwarding/index.js';
import { readReason } from '../../../src/pbx/routing/index.js';
import { startPbx, type TestPbx } from './support/pbx.js';
import type { OutgoingCall, IncomingCall } from './support/phone.js';

function settings(forwarding: ConditionalForwarding, selective: SelectiveRule[] = []): ForwardingSettings {
  if (selective.length === 0) return { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding, selective: [] }] };
  return {
    activeProfile: 1,
    profiles: [
      { number: 0, title: 'Standard', forwarding: {}, selective: [] },
      { number: 1, title: 'Regeln', forwarding, selective },
    ],
  };
}

async function connect(call: OutgoingCall, incoming: IncomingCall): Promise<void> {
  incoming.answer();
  expect((await call.final()).status).to.equal(200);
  await incoming.acked();
}

describe('routing: forwarding rules', () => {
  let pbx: TestPbx;
  const forward = (extension: string, value: ForwardingSettings): void => {
    pbx.store.setForwarding(pbx.users[extension]!.id, value);
  };
  before(async () => {
    pbx = await startPbx();
  });
  afterEach(async () => {
    await pbx.reset();
  });
  after(async () => {
    await pbx.close();
  });

  it('always: forwards to another extension with Diversion and History-Info, and both lists know it', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    forward('11', settings({ always: { type: 'number', number: '12' } }));
    const call = anna.call('11');
    const incoming = await clara.incoming();
    expect(incoming.request.headers.get('Diversion')).to.equal('"Ben Berger" <sip:11@acme.test>;reason=unconditional;counter=1');
    expect(incoming.request.headers.get('History-Info')).to.match(/^<sip:11@acme\.test\?Reason=SIP%3Bcause%3D302[^>]*>;index=1, <sip:12@acme\.test>;index=1\.1;mp=1$/);
    expect(ben.hasUntakenInvite()).to.equal(false);
    await connect(call, incoming);
    expect((await call.bye()).status).to.equal(200);
    expect(pbx.store.listHistory(pbx.users['12']!.id)[0]).to.deep.include({
      direction: 'in',
      result: 'answered',
      peer: { extension: '10', name: 'Anna Admin', number: null },
      forwardedBy: { extension: '11', name: 'Ben Berger', number: null },
    });
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ direction: 'in', result: 'missed' });
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ direction: 'out', result: 'answered', peer: { extension: '11', name: 'Ben Berger', number: null } });
  });

  it('forward before answering: a ringing device redirects with 302 and the PBX rings the target, saying who forwarded', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    // Ben's no-answer forwarding must not win over his own redirect.
    forward('11', settings({ noAnswer: { after: 20, to: { type: 'voicemail' } } }));
    const call = anna.call('11');
    const atBen = await ben.incoming();
    atBen.redirect('sip:12@acme.test');
    const atClara = await clara.incoming();
    expect(atClara.request.headers.get('Diversion')).to.equal('"Ben Berger" <sip:11@acme.test>;reason=deflection;counter=1');
    expect(atClara.request.headers.get('History-Info')).to.match(/cause%3D487/);
    await connect(call, atClara);
    expect((await call.bye()).status).to.equal(200);
    expect(pbx.store.listHistory(pbx.users['12']!.id)[0]).to.deep.include({ result: 'answered', forwardedBy: { extension: '11', name: 'Ben Berger', number: null } });

    // A redirect with headers for the next INVITE (Replaces: an attended transfer before answering) is the caller's
    // to follow: it reaches the caller unchanged.
    const transfer = anna.call('11');
    const ringing = await ben.incoming();
    ringing.redirect('sip:12@acme.test?Replaces=abc%3Bto-tag%3Dx%3Bfrom-tag%3Dy');
    const redirected = await transfer.final();
    expect(redirected.status).to.equal(302);
    expect(redirected.headers.get('Contact')).to.include('Replaces=abc');
    expect(clara.hasUntakenInvite()).to.equal(false);

    // A redirect to something that is no number is not followed: the call ends as Ben's unanswered call does.
    const second = anna.call('11');
    const again = await ben.incoming();
    again.redirect('sip:evil;lr@example.com');
    expect((await second.final()).status).to.equal(480);
  });

  it('busy: a callee in a call with call waiting off goes to the busy destination, or the caller hears busy', async () => {
    const [anna, ben, clara, david] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12'), pbx.phone('13')]);
    const first = david.call('11');
    const bensCall = await ben.incoming();
    await connect(first, bensCall);
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(true);

    const busy = anna.call('11');
    const response = await busy.final();
    expect(response.status).to.equal(486);
    expect(readReason(response.headers.get('Reason'))?.text).to.equal('Ben Berger is busy');

    forward('11', settings({ busy: { type: 'number', number: '12' } }));
    const forwarded = anna.call('11');
    const atClara = await clara.incoming();
    expect(atClara.request.headers.get('Diversion')).to.include('reason=user-busy');
    atClara.reject(603);
    expect((await forwarded.final()).status).to.equal(603);

    // With call waiting on, the second call rings Ben.
    pbx.store.updateUserSettings(pbx.users['11']!.id, { callWaiting: true });
    const waiting = anna.call('11');
    const second = await ben.incoming();
    second.reject(486);
    // Ben declined with 486: the busy destination (Clara) takes the call.
    const again = await clara.incoming();
    again.reject(480);
    expect((await waiting.final()).status).to.equal(480);
    await first.bye();
  });

  it('busy: the callee declining with 486 sends the call to the busy destination', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    forward('11', settings({ busy: { type: 'number', number: '12' } }));
    const call = anna.call('11');
    const atBen = await ben.incoming();
    atBen.ring();
    await call.status(180);
    atBen.reject(486);
    const atClara = await clara.incoming();
    await connect(call, atClara);
    await call.bye();
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ result: 'busy' });
    expect(pbx.store.listHistory(pbx.users['12']!.id)[0]).to.deep.include({ result: 'answered', forwardedBy: { extension: '11', name: 'Ben Berger', number: null } });
  });

  it('no answer: after 5 s the ringing branch is cancelled and the call goes to the destination', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    forward('11', settings({ noAnswer: { after: 5, to: { type: 'number', number: '12' } } }));
    const call = anna.call('11');
    const atBen = await ben.incoming();
    atBen.ring();
    await call.status(180);
    pbx.clock.advance(4999);
    expect(atBen.wasCancelled).to.equal(false);
    expect(clara.hasUntakenInvite()).to.equal(false);
    pbx.clock.advance(1);
    await atBen.whenCancelled();
    const atClara = await clara.incoming();
    expect(atClara.request.headers.get('Diversion')).to.include('reason=no-answer');
    await connect(call, atClara);
    await call.bye();
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ result: 'missed' });
  });

  it('no answer without a destination that answers: the caller hears 480 after the timeout chain', async () => {
    const [anna, ben] = await Promise.all([pbx.phone('10'), pbx.phone('11')]);
    forward('11', settings({ noAnswer: { after: 10, to: { type: 'voicemail' } } }));
    const call = anna.call('11');
    const atBen = await ben.incoming();
    atBen.ring();
    await call.status(180);
    pbx.clock.advance(10_000);
    await atBen.whenCancelled();
    const response = await call.final();
    expect(response.status).to.equal(480);
    expect(readReason(response.headers.get('Reason'))).to.deep.equal({ cause: 480, text: 'Voicemail not available' });
  });

  it('not registered: forwards to the not-registered destination, else 480', async () => {
    const [anna, clara] = await Promise.all([pbx.phone('10'), pbx.phone('12')]);
    const plain = anna.call('11');
    const response = await plain.final();
    expect(response.status).to.equal(480);
    expect(readReason(response.headers.get('Reason'))?.text).to.equal('Ben Berger is not registered');
    forward('11', settings({ notRegistered: { type: 'number', number: '12' } }));
    const call = anna.call('11');
    const atClara = await clara.incoming();
    expect(atClara.request.headers.get('Diversion')).to.include('reason=unavailable');
    atClara.reject(486);
    expect((await call.final()).status).to.equal(486);
  });

  it('selective rules: anonymous callers, colleagues and an external prefix each get their own rule', async () => {
    const [anna, ben, clara, david, outside] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12'), pbx.phone('13'), pbx.phone('100')]);
    forward(
      '11',
      settings({}, [
        { id: 'anon', match: { type: 'anonymous' }, forwarding: { always: { type: 'busy' } } },
        { id: 'team', match: { type: 'internal' }, forwarding: { always: { type: 'number', number: '12' } } },
        // E.164: the store's getForwarding re-validates without the dial plan and would drop a national '030 5550'.
        { id: 'berlin', match: { type: 'prefix', prefix: '+49 30 5550' }, forwarding: { always: { type: 'number', number: '13' } } },
      ]),
    );
    const anonymous = anna.call('11', { anonymous: true });
    expect((await anonymous.final()).status).to.equal(486);

    const internal = anna.call('11');
    const atClara = await clara.incoming();
    atClara.reject(486);
    expect((await internal.final()).status).to.equal(486);

    // The outside world dials Ben's direct number; the caller is +49 30 5550100, which matches the prefix rule.
    const external = outside.call('+4989123456711');
    const atDavid = await david.incoming();
    expect(atDavid.request.headers.get('P-Asserted-Identity')).to.equal('<sip:+49305550100@acme.test;user=phone>');
    await connect(external, atDavid);
    await external.bye();
    expect(ben.hasUntakenInvite()).to.equal(false);
    expect(pbx.store.listHistory(pbx.users['13']!.id)[0]).to.deep.include({ peer: { number: '+49305550100', extension: null, name: null } });
  });

  it('global DND: forwards to the always or busy destination, or gives a busy signal', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    pbx.store.updateUserSettings(pbx.users['11']!.id, { dnd: true });
    const plain = anna.call('11');
    expect((await plain.final()).status).to.equal(486);
    forward('11', settings({ busy: { type: 'number', number: '12' } }));
    const call = anna.call('11');
    const atClara = await clara.incoming();
    expect(atClara.request.headers.get('Diversion')).to.include('reason=do-not-disturb');
    atClara.reject(603);
    expect((await call.final()).status).to.equal(603);
    expect(ben.hasUntakenInvite()).to.equal(false);
  });

  it('voicemail: a clear 480 with a Reason until the voicemail service exists', async () => {
    const anna = await pbx.phone('10');
    forward('11', settings({ always: { type: 'voicemail' } }));
    const response = await anna.call('11').final();
    expect(response.status).to.equal(480);
    expect(response.headers.get('Reason')).to.equal('SIP;cause=480;text="Voicemail not available"');
  });

  it('follows a chain of forwardings and stops a loop with 482', async () => {
    const [anna, david] = await Promise.all([pbx.phone('10'), pbx.phone('13')]);
    forward('11', settings({ always: { type: 'number', number: '12' } }));
    forward('12', settings({ always: { type: 'number', number: '13' } }));
    const chained = anna.call('11');
    const atDavid = await david.incoming();
    expect(atDavid.request.headers.getAll('Diversion')).to.deep.equal([
      '"Clara Schmidt" <sip:12@acme.test>;reason=unconditional;counter=2',
      '"Ben Berger" <sip:11@acme.test>;reason=unconditional;counter=1',
    ]);
    atDavid.reject(486);
    expect((await chained.final()).status).to.equal(486);
    forward('13', settings({ always: { type: 'number', number: '11' } }));
    const loop = await anna.call('11').final();
    expect(loop.status).to.equal(482);
    expect(readReason(loop.headers.get('Reason'))?.text).to.equal('Forwarding loop');
  });
});
