// What the router records about calls: LineStates for BLF (each state change of both users), call-list entries on
// both sides with duration and result, history-added events, and the end of a call whose connection died.
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import type { LineDialog } from '../../../src/pbx/line-states.js';
import { startPbx, until, type TestPbx } from './support/pbx.js';

function sequence(reports: readonly LineDialog[], userId: string): string[] {
  return reports.filter((dialog) => dialog.userId === userId).map((dialog) => dialog.state);
}

describe('routing: line states and call lists', () => {
  let pbx: TestPbx;
  before(async () => {
    pbx = await startPbx({ timers: { sweepMs: 1000, maxCallMs: 3_600_000 } });
  });
  afterEach(async () => {
    await pbx.reset();
  });
  after(async () => {
    await pbx.close();
  });

  it('reports every dialog state of caller and callee for BLF', async () => {
    const [anna, ben] = await Promise.all([pbx.phone('10'), pbx.phone('11')]);
    const annaId = pbx.users['10']!.id;
    const benId = pbx.users['11']!.id;
    const call = anna.call('11');
    const incoming = await ben.incoming();
    expect(pbx.lines.dialogsOf(benId).map((dialog) => dialog.state)).to.deep.equal(['trying']);
    incoming.ring(100);
    incoming.ring(180);
    await call.status(180);
    expect(pbx.lines.dialogsOf(benId)[0]).to.deep.include({ state: 'early', direction: 'recipient', extension: '11', callId: call.callId });
    expect(pbx.lines.dialogsOf(benId)[0]?.remote).to.deep.equal({ uri: 'sip:10@acme.test', displayName: 'Anna Admin' });
    expect(pbx.lines.dialogsOf(annaId)[0]).to.deep.include({ state: 'early', direction: 'initiator', remote: { uri: 'sip:11@acme.test', displayName: 'Ben Berger' } });
    incoming.answer();
    await call.final();
    expect(pbx.lines.isBusy(benId)).to.equal(true);
    expect(pbx.lines.isBusy(annaId)).to.equal(true);
    expect(pbx.lines.dialogsOf(annaId)[0]?.confirmedAt).to.equal(pbx.clock.now());
    await call.bye();
    expect(sequence(pbx.reports, annaId)).to.deep.equal(['trying', 'proceeding', 'early', 'confirmed', 'terminated']);
    expect(sequence(pbx.reports, benId)).to.deep.equal(['trying', 'proceeding', 'early', 'confirmed', 'terminated']);
    expect(pbx.lines.dialogsOf(annaId)).to.deep.equal([]);
    // Each user's dialog has its own id, stable over its life.
    expect(new Set(pbx.reports.filter((dialog) => dialog.userId === benId).map((dialog) => dialog.id)).size).to.equal(1);
  });

  it('writes both call lists with result and duration, and announces each entry', async () => {
    const [anna, ben] = await Promise.all([pbx.phone('10'), pbx.phone('11')]);
    const started = pbx.clock.now();
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    await call.final();
    // The ACK must have passed the PBX before time jumps (a call never acknowledged ends after 32 s).
    await incoming.acked();
    pbx.clock.advance(42_000);
    await call.bye();
    const [outgoing] = pbx.store.listHistory(pbx.users['10']!.id);
    const [received] = pbx.store.listHistory(pbx.users['11']!.id);
    expect(outgoing).to.deep.include({ direction: 'out', result: 'answered', durationS: 42, startedAt: started, forwardedBy: null });
    expect(outgoing?.peer).to.deep.equal({ extension: '11', name: 'Ben Berger', number: null });
    expect(received).to.deep.include({ direction: 'in', result: 'answered', durationS: 42, startedAt: started });
    expect(received?.peer).to.deep.equal({ extension: '10', name: 'Anna Admin', number: null });
    const added = pbx.seen.filter((event) => event.type === 'history-added');
    expect(added.map((event) => event.type === 'history-added' && event.entryId).sort()).to.deep.equal([outgoing?.id, received?.id].sort());
  });

  it('records a missed call for both sides when the caller gives up, and a declined one as rejected', async () => {
    const [anna, ben] = await Promise.all([pbx.phone('10'), pbx.phone('11')]);
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.ring();
    await call.status(180);
    await call.cancel();
    await call.final();
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ direction: 'out', result: 'missed', durationS: 0 });
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ direction: 'in', result: 'missed' });

    const declined = anna.call('11');
    const again = await ben.incoming();
    again.reject(603);
    expect((await declined.final()).status).to.equal(603);
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ result: 'rejected' });
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ result: 'rejected' });
    expect(sequence(pbx.reports, pbx.users['11']!.id).at(-1)).to.equal('terminated');
  });

  it('ends a call whose WebSocket closed: the other side gets a BYE, both lines are free', async () => {
    const [anna, ben] = await Promise.all([pbx.phone('10', { transport: 'ws' }), pbx.phone('11')]);
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    await call.final();
    await incoming.acked();
    await anna.close();
    // The sweep looks at the flow: wait until the server has seen the connection go (its binding goes with it).
    await until(() => !pbx.sip.registrations().some((binding) => binding.owner.userId === pbx.users['10']!.id), 'the WebSocket binding is gone');
    pbx.clock.advance(1000);
    const bye = await incoming.byeReceived();
    expect(bye.headers.get('Reason')).to.equal('SIP;cause=480;text="The other side lost its connection"');
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(false);
    expect(pbx.lines.isBusy(pbx.users['10']!.id)).to.equal(false);
  });

  it('ends a call that lasts longer than the PBX allows, with a BYE to both sides', async () => {
    const [anna, ben] = await Promise.all([pbx.phone('10'), pbx.phone('11')]);
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    await call.final();
    await incoming.acked();
    pbx.clock.advance(3_599_000);
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(true);
    pbx.clock.advance(1000);
    const [toCaller, toCallee] = await Promise.all([call.byeReceived(), incoming.byeReceived()]);
    expect(toCaller.headers.get('Reason')).to.equal('SIP;cause=480;text="The call reached the longest duration the PBX allows"');
    // In the caller's name: one above the caller's INVITE (CSeq 2 after the 407).
    expect(toCallee.cseq?.seq).to.equal((call.invite?.cseq?.seq ?? 0) + 1);
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(false);
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ result: 'answered', durationS: 3600 });
  });
});
