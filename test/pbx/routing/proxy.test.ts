// The stateful proxy itself: a plain call with Record-Route and loose routing over UDP and WebSocket, CANCEL,
// Max-Forwards, unknown extensions, forking to several devices, history and LineStates of a plain call.
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { readReason } from '../../../src/pbx/routing/index.js';
import { startPbx, until, type TestPbx } from './support/pbx.js';

describe('routing: the proxy', () => {
  let pbx: TestPbx;
  before(async () => {
    pbx = await startPbx();
  });
  afterEach(async () => {
    await pbx.reset();
  });
  after(async () => {
    await pbx.close();
  });

  it('connects a call and passes BYE along the recorded route (UDP caller, WebSocket callee)', async () => {
    const anna = await pbx.phone('10');
    const ben = await pbx.phone('11', { transport: 'ws' });
    const call = anna.call('11');
    const incoming = await ben.incoming();
    // The PBX authenticated the caller, then forwarded with our Record-Route (twice: one per flow) and one Via more.
    expect(incoming.request.headers.getAll('Record-Route')).to.have.length(2);
    expect(incoming.request.headers.getAll('Record-Route').every((value) => /;lr>$/.test(value))).to.equal(true);
    expect(incoming.request.headers.getAll('Via')).to.have.length(2);
    expect(incoming.request.headers.has('Proxy-Authorization')).to.equal(false);
    expect(incoming.request.headers.get('P-Asserted-Identity')).to.equal('"Anna Admin" <sip:10@acme.test>');
    expect(incoming.request.maxForwards).to.equal(69);
    expect(incoming.request.bodyText).to.include('m=audio 40000');
    incoming.ring();
    expect((await call.status(180)).toTag).to.equal(incoming.tag);
    incoming.answer();
    const ok = await call.final();
    expect(ok.status).to.equal(200);
    expect(ok.headers.getAll('Via')).to.have.length(1);
    const ack = await incoming.acked();
    expect(ack.headers.getAll('Route')).to.have.length(0);
    expect(call.routeSet).to.have.length(2);

    const bye = await call.bye();
    expect(bye.status).to.equal(200);
    const arrived = await incoming.byeReceived();
    expect(arrived.headers.getAll('Via')).to.have.length(2);
    expect(pbx.lines.dialogsOf(pbx.users['10']!.id)).to.deep.equal([]);
    expect(pbx.lines.dialogsOf(pbx.users['11']!.id)).to.deep.equal([]);
  });

  it('lets the callee hang up and carries re-INVITE and INFO both ways', async () => {
    const anna = await pbx.phone('10', { transport: 'ws' });
    const ben = await pbx.phone('11');
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    expect((await call.final()).status).to.equal(200);
    await incoming.acked();
    // A re-INVITE from the callee (hold) reaches the caller and its answer comes back.
    const reinvite = ben.sendInDialog('INVITE', incoming, { body: 'v=0\r\n' });
    const atAnna = await anna.request('INVITE', call.callId);
    expect(atAnna.toTag).to.equal(call.tag);
    anna.respond(atAnna, 200, { body: 'v=0\r\n' });
    const answered = await ben.response(call.callId, 'INVITE');
    expect(answered.status).to.equal(200);
    ben.sendInDialog('ACK', incoming, { cseq: reinvite.cseq?.seq ?? 0 });
    await anna.request('ACK', call.callId);
    // INFO from the caller.
    anna.sendInDialog('INFO', call, { body: 'Signal=5\r\n', bodyType: 'application/dtmf-relay' });
    const info = await ben.request('INFO', call.callId);
    ben.respond(info, 200);
    expect((await anna.response(call.callId, 'INFO')).status).to.equal(200);
    expect((await incoming.bye()).status).to.equal(200);
    await call.byeReceived();
  });

  it('cancels the branch and answers 487 when the caller cancels', async () => {
    const anna = await pbx.phone('10');
    const ben = await pbx.phone('11');
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.ring();
    await call.status(180);
    const ok = await call.cancel();
    expect(ok.status).to.equal(200);
    expect((await call.final()).status).to.equal(487);
    await incoming.whenCancelled();
    expect(incoming.wasCancelled).to.equal(true);
  });

  it('answers 483 to an INVITE with Max-Forwards 0', async () => {
    const anna = await pbx.phone('10');
    await pbx.phone('11');
    const call = anna.call('11', { headers: [['Max-Forwards', '0']] });
    expect((await call.final()).status).to.equal(483);
  });

  it('answers 404 with a Reason for an extension nobody has and for foreign domains', async () => {
    const anna = await pbx.phone('10');
    const call = anna.call('99');
    const response = await call.final();
    expect(response.status).to.equal(404);
    expect(readReason(response.headers.get('Reason'))).to.deep.equal({ cause: 404, text: 'Extension 99 does not exist' });
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ direction: 'out', result: 'failed' });
    // No open relay: a domain the PBX does not serve is not routed, even with a dialable user part.
    await pbx.phone('11');
    const foreign = await anna.call('sip:11@example.com').final();
    expect(foreign.status).to.equal(404);
    expect(foreign.reason).to.equal('Domain Not Served');
  });

  it('cancels a branch that rings longer than Timer C (3 min) and answers the caller 408', async () => {
    const anna = await pbx.phone('10');
    const ben = await pbx.phone('11');
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.ring();
    await call.status(180);
    pbx.clock.advance(179_999);
    expect(incoming.wasCancelled).to.equal(false);
    pbx.clock.advance(1);
    await incoming.whenCancelled();
    expect((await call.final()).status).to.equal(408);
  });

  it('challenges an INVITE without credentials and refuses wrong ones', async () => {
    const anna = await pbx.phone('10', { password: 'wrong password!', register: false });
    const call = anna.call('11');
    // The phone answers the first 407 once, with the wrong password: the second 407 is its final answer.
    expect((await call.final()).status).to.equal(407);
  });
});

describe('routing: load shedding', () => {
  let pbx: TestPbx;
  before(async () => {
    pbx = await startPbx({ timers: { overloadLagMs: 30 } });
  });
  after(async () => {
    await pbx.close();
  });

  it('refuses new calls with 503 and Retry-After while the event loop runs late, and takes them again after', async () => {
    const anna = await pbx.phone('10');
    const ben = await pbx.phone('11');
    // Keep the event loop busy for over three seconds, so that two whole seconds are late (what a flood of messages
    // does), yielding now and then so that timers, including the guard's own, still run.
    const busyUntil = Date.now() + 3300;
    while (Date.now() < busyUntil) {
      const chunk = Date.now() + 80;
      while (Date.now() < chunk) {
        // busy
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    const refused = await anna.call('11').final();
    expect(refused.status).to.equal(503);
    expect(refused.headers.get('Retry-After')).to.equal('5');
    expect(pbx.router.overloaded).to.equal(true);
    // Once the loop is idle for a second the PBX takes calls again.
    await until(() => !pbx.router.overloaded, 'the PBX is no longer overloaded', 3000);
    const accepted = anna.call('11');
    (await ben.incoming()).reject(486);
    expect((await accepted.final()).status).to.equal(486);
  });
});
