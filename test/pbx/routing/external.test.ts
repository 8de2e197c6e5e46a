// External numbers: calls to the outside world (the demo trunk), calls from it into the company by direct number,
// unknown numbers, toll-fraud checks at call time, and the per-user cap on concurrent calls.
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { readReason } from '../../../src/pbx/routing/index.js';
import { startPbx, type TestPbx } from './support/pbx.js';

describe('routing: external numbers, toll fraud, call caps', () => {
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

  it('calls an outside-world number in any format and shows the company number to it', async () => {
    const [anna, outside] = await Promise.all([pbx.phone('10'), pbx.phone('100')]);
    for (const dialled of ['030 5550100', '+49305550100', '0049305550100']) {
      const call = anna.call(dialled.replace(/ /g, ''));
      const incoming = await outside.incoming();
      expect(incoming.request.headers.get('P-Asserted-Identity')).to.equal('<sip:+4989123456710@outside.test;user=phone>');
      incoming.answer();
      expect((await call.final()).status).to.equal(200);
      await call.bye();
    }
    expect(pbx.store.listHistory(pbx.users['10']!.id)[0]).to.deep.include({ direction: 'out', result: 'answered', peer: { number: '+49305550100', extension: null, name: null } });
    expect(pbx.store.listHistory(pbx.users['100']!.id)[0]).to.deep.include({ direction: 'in', result: 'answered', peer: { number: '+4989123456710', extension: null, name: null } });
  });

  it('delivers a call from the outside world to the extension behind a direct number', async () => {
    const [ben, outside] = await Promise.all([pbx.phone('11'), pbx.phone('101')]);
    const call = outside.call('08912345671' + '1');
    const incoming = await ben.incoming();
    expect(incoming.request.headers.get('P-Asserted-Identity')).to.equal('<sip:+49305550101@acme.test;user=phone>');
    incoming.answer();
    expect((await call.final()).status).to.equal(200);
    await incoming.bye();
    await call.byeReceived();
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ direction: 'in', result: 'answered', peer: { number: '+49305550101', extension: null, name: null } });
  });

  it('answers 404 with a Reason for numbers there is no route to', async () => {
    const anna = await pbx.phone('10');
    const response = await anna.call('0305550199').final();
    expect(response.status).to.equal(404);
    expect(readReason(response.headers.get('Reason'))?.text).to.equal('+49305550199 cannot be reached from this PBX (no trunk)');
  });

  it('denies international and premium-rate numbers unless the tenant allows them', async () => {
    const anna = await pbx.phone('10');
    const international = await anna.call('00442079460000').final();
    expect(international.status).to.equal(403);
    expect(readReason(international.headers.get('Reason'))?.text).to.equal('International numbers such as +442079460000 are not allowed for this company.');
    const premium = await anna.call('09001234567').final();
    expect(premium.status).to.equal(403);
    expect(readReason(premium.headers.get('Reason'))?.text).to.match(/^Premium-rate numbers/);
    pbx.store.updateTenant(pbx.company.id, { allowInternational: true, allowPremium: true });
    expect((await anna.call('00442079460000').final()).status).to.equal(404);
    expect((await anna.call('09001234567').final()).status).to.equal(404);
  });

  it('checks forwarding to an external number against the policy at call time', async () => {
    const [anna, outside] = await Promise.all([pbx.phone('10'), pbx.phone('100')]);
    const ben = pbx.users['11']!.id;
    pbx.store.setForwarding(ben, { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding: { always: { type: 'number', number: '030 5550100' } }, selective: [] }] });
    const call = anna.call('11');
    const incoming = await outside.incoming();
    expect(incoming.request.headers.get('Diversion')).to.equal('"Ben Berger" <sip:11@acme.test>;reason=unconditional;counter=1');
    incoming.reject(486);
    expect((await call.final()).status).to.equal(486);

    pbx.store.updateTenant(pbx.company.id, { allowInternational: true });
    pbx.store.setForwarding(ben, { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding: { always: { type: 'number', number: '+44 20 7946 0000' } }, selective: [] }] });
    pbx.store.updateTenant(pbx.company.id, { allowInternational: false });
    const denied = await anna.call('11').final();
    expect(denied.status).to.equal(403);
    expect(readReason(denied.headers.get('Reason'))?.text).to.match(/^International numbers/);
  });

  it('caps concurrent calls per user: the caller gets 403, a capped callee is busy', async () => {
    pbx.store.updateTenant(pbx.company.id, { maxConcurrentCalls: 1 });
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    pbx.store.updateUserSettings(pbx.users['11']!.id, { callWaiting: true });
    const first = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    expect((await first.final()).status).to.equal(200);

    const second = await anna.call('12').final();
    expect(second.status).to.equal(403);
    expect(readReason(second.headers.get('Reason'))?.text).to.equal('Too many calls: at most 1 at the same time');
    // Ben has call waiting on, but is at the cap: busy.
    const third = await clara.call('11').final();
    expect(third.status).to.equal(486);
    expect(ben.hasUntakenInvite()).to.equal(false);
    await first.bye();
    const fourth = anna.call('12');
    const atClara = await clara.incoming();
    atClara.reject(603);
    expect((await fourth.final()).status).to.equal(603);
  });
});
