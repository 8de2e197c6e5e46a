// Click-to-dial ("Anrufen mit") end to end: the PBX rings the chosen device, answers its offer with an inactive
// SDP, sends it a REFER, the device calls the destination through the PBX, reports the outcome, and the PBX hangs
// up its control leg.
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { CallControlError } from '../../../src/pbx/api/index.js';
import { CLICK_TO_DIAL_PURPOSE } from '../../../src/pbx/routing/index.js';
import { startPbx, type TestPbx } from './support/pbx.js';

describe('routing: click-to-dial', () => {
  let pbx: TestPbx;
  const request = (extension: string, to: string, deviceId?: string): Parameters<TestPbx['router']['clickToDial']>[0] => {
    const user = pbx.users[extension]!;
    return { tenantId: user.tenantId, userId: user.id, deviceId: deviceId ?? pbx.store.webDeviceOf(user.id)!.id, to };
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

  it('rings the device, REFERs it to the destination, and hangs up once the device reports the call', async () => {
    pbx.store.updateTenant(pbx.company.id, { maxConcurrentCalls: 1 });
    const [anna, clara] = await Promise.all([pbx.phone('10', { transport: 'ws' }), pbx.phone('12')]);
    const { callId } = await pbx.router.clickToDial(request('10', '12'));

    const control = await anna.incoming();
    expect(control.callId).to.equal(callId);
    expect(control.request.headers.get('Call-Info')).to.equal(`<sip:12@acme.test>;purpose=${CLICK_TO_DIAL_PURPOSE}`);
    expect(control.request.headers.get('From')).to.match(/^"Call Clara Schmidt" <sip:12@acme\.test>;tag=/);
    expect(control.request.headers.has('Alert-Info')).to.equal(false);
    expect(control.request.body.length).to.equal(0);
    control.ring();
    control.answer();
    const ack = await control.acked();
    expect(ack.bodyText).to.match(/^m=audio 9 RTP\/AVP 0 8$/m);
    expect(ack.bodyText).to.match(/^a=inactive$/m);
    expect(ack.bodyText).to.match(/^c=IN IP4 0\.0\.0\.0$/m);

    const refer = await anna.request('REFER', callId);
    expect(refer.headers.get('Refer-To')).to.equal('<sip:12@acme.test>');
    expect(refer.headers.get('Referred-By')).to.equal('<sip:10@acme.test>');
    anna.respond(refer, 202);
    const sipfrag = (text: string, state: string): void => {
      anna.sendInDialog('NOTIFY', control, {
        headers: [['Event', 'refer'], ['Subscription-State', state]],
        body: text,
        bodyType: 'message/sipfrag;version=2.0',
      });
    };
    sipfrag('SIP/2.0 100 Trying', 'active;expires=60');
    expect((await anna.response(callId, 'NOTIFY')).status).to.equal(200);

    // The device places the real call through the PBX, like any call it dials; the control leg does not count
    // against the user's cap of one call.
    const real = anna.call('sip:12@acme.test');
    const atClara = await clara.incoming();
    atClara.answer();
    expect((await real.final()).status).to.equal(200);
    sipfrag('SIP/2.0 200 OK', 'terminated;reason=noresource');
    expect((await anna.response(callId, 'NOTIFY')).status).to.equal(200);
    const bye = await control.byeReceived();
    expect(bye.callId).to.equal(callId);
    expect(pbx.lines.dialogsOf(pbx.users['10']!.id).map((dialog) => dialog.callId)).to.deep.equal([real.callId]);
    await real.bye();
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ direction: 'out', result: 'answered', peer: { extension: '12', name: 'Clara Schmidt', number: null } });
    expect(pbx.router.activeCalls).to.equal(0);
  });

  it('answers a WebRTC offer with ICE credentials and a fingerprint, and hangs up when the REFER is refused', async () => {
    const anna = await pbx.phone('10');
    const { callId } = await pbx.router.clickToDial(request('10', '030 5550100'));
    const control = await anna.incoming();
    expect(control.request.headers.get('Call-Info')).to.equal(`<sip:+49305550100@acme.test;user=phone>;purpose=${CLICK_TO_DIAL_PURPOSE}`);
    control.answer(
      [
        'v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0',
        'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=ice-ufrag:abcd', 'a=ice-pwd:abcdefghijklmnopqrstuvwx',
        'a=fingerprint:sha-256 AA:BB', 'a=setup:actpass', 'a=rtcp-mux', 'a=rtpmap:111 opus/48000/2', 'a=sendrecv', '',
      ].join('\r\n'),
    );
    const answer = (await control.acked()).bodyText;
    for (const line of [/^a=group:BUNDLE 0$/m, /^m=audio 9 UDP\/TLS\/RTP\/SAVPF 111$/m, /^a=mid:0$/m, /^a=ice-ufrag:\w+$/m, /^a=fingerprint:sha-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}$/m, /^a=setup:active$/m, /^a=rtpmap:111 opus\/48000\/2$/m, /^a=inactive$/m]) {
      expect(answer).to.match(line);
    }
    const refer = await anna.request('REFER', callId);
    anna.respond(refer, 603);
    await control.byeReceived();
    expect(pbx.lines.dialogsOf(pbx.users['10']!.id)).to.deep.equal([]);
  });

  it('refuses with clear errors: device not registered, destination not allowed, call cap reached', async () => {
    const deskId = pbx.addDesk('10');
    const failure = async (promise: Promise<unknown>): Promise<CallControlError> => {
      try {
        await promise;
      } catch (error) {
        if (error instanceof CallControlError) return error;
        throw error;
      }
      throw new Error('expected a CallControlError');
    };
    expect((await failure(pbx.router.clickToDial(request('10', '12', deskId)))).reason).to.equal('device-unavailable');
    const anna = await pbx.phone('10');
    expect((await failure(pbx.router.clickToDial(request('10', '+44 20 7946 0000')))).reason).to.equal('failed');
    pbx.store.updateTenant(pbx.company.id, { maxConcurrentCalls: 1 });
    const ben = await pbx.phone('11');
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    await call.final();
    expect((await failure(pbx.router.clickToDial(request('10', '12')))).reason).to.equal('call-limit');
    await call.bye();
  });

  it('gives up when the device does not answer', async () => {
    const anna = await pbx.phone('10');
    await pbx.router.clickToDial(request('10', '12'));
    const control = await anna.incoming();
    control.ring();
    pbx.clock.advance(60_000);
    await control.whenCancelled();
    expect(pbx.lines.dialogsOf(pbx.users['10']!.id)).to.deep.equal([]);
  });
});
