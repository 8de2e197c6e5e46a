// Parallel ringing, intercom (*80), forking to several devices of one user, and forwarding star codes dialled
// from a phone.
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import type { ForwardingSettings } from '../../../src/core/forwarding/index.js';
import { readReason, STAR_CODE_APPLIED_STATUS } from '../../../src/pbx/routing/index.js';
import { startPbx, type TestPbx } from './support/pbx.js';

describe('routing: parallel ringing, intercom, forking', () => {
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

  it('parallel ringing: the extension and its parallel target ring at once; the first answer wins', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    pbx.store.updateUserSettings(pbx.users['11']!.id, { parallelCall: { enabled: true, target: '12' } });
    const call = anna.call('11');
    const [atBen, atClara] = await Promise.all([ben.incoming(), clara.incoming()]);
    atBen.ring();
    atClara.ring();
    await call.status(180);
    atClara.answer();
    const ok = await call.final();
    expect(ok.status).to.equal(200);
    expect(ok.toTag).to.equal(atClara.tag);
    await atBen.whenCancelled();
    await atClara.acked();
    await call.bye();
    expect(pbx.store.listHistory(pbx.users['12']!.id)[0]).to.deep.include({ result: 'answered', forwardedBy: { extension: '11', name: 'Ben Berger', number: null } });
    expect(pbx.store.listHistory(pbx.users['11']!.id)[0]).to.deep.include({ result: 'missed' });
  });

  it('parallel ringing to an outside number, and not to one the toll-fraud policy now forbids', async () => {
    const [anna, ben, outside] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('100')]);
    pbx.store.updateUserSettings(pbx.users['11']!.id, { parallelCall: { enabled: true, target: '030 5550100' } });
    const call = anna.call('11');
    const [atBen, atOutside] = await Promise.all([ben.incoming(), outside.incoming()]);
    expect(atOutside.request.headers.get('P-Asserted-Identity')).to.equal('<sip:+4989123456710@outside.test;user=phone>');
    // A CANCEL can only follow a provisional response (RFC 3261 §9.1): the outside phone rings first.
    atOutside.ring();
    await call.status(180);
    atBen.answer();
    expect((await call.final()).status).to.equal(200);
    await atOutside.whenCancelled();
    await call.bye();

    pbx.store.updateTenant(pbx.company.id, { allowInternational: true });
    pbx.store.updateUserSettings(pbx.users['11']!.id, { parallelCall: { enabled: true, target: '+44 20 7946 0000' } });
    pbx.store.updateTenant(pbx.company.id, { allowInternational: false });
    const second = anna.call('11');
    const again = await ben.incoming();
    again.reject(486);
    expect((await second.final()).status).to.equal(486);
    expect(pbx.logs.some((line) => line.message.includes('parallel-call target refused'))).to.equal(true);
  });

  it('intercom: *80 + extension arrives with auto-answer headers when the callee allows it, else rings normally', async () => {
    const [anna, clara] = await Promise.all([pbx.phone('10'), pbx.phone('12')]);
    const plain = anna.call('*8012', { headers: [['Call-Info', '<sip:acme.test>;answer-after=0'], ['Alert-Info', '<urn:alert:service:auto-answer>']] });
    const normal = await clara.incoming();
    // Not allowed: the caller's own auto-answer headers are removed too.
    expect(normal.request.headers.has('Alert-Info')).to.equal(false);
    expect(normal.request.headers.has('Call-Info')).to.equal(false);
    normal.reject(486);
    expect((await plain.final()).status).to.equal(486);

    pbx.store.updateUserSettings(pbx.users['12']!.id, { intercom: true });
    const intercom = anna.call('*8012');
    const auto = await clara.incoming();
    expect(auto.request.headers.get('Alert-Info')).to.equal('<urn:alert:service:auto-answer>');
    expect(auto.request.headers.get('Call-Info')).to.equal('<sip:acme.test>;answer-after=0');
    auto.answer();
    expect((await intercom.final()).status).to.equal(200);
    await intercom.bye();
  });

  it('delivers an INVITE with Replaces (attended transfer) to a busy callee, past its forwarding', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    pbx.store.setForwarding(pbx.users['12']!.id, { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding: { busy: { type: 'voicemail' } }, selective: [] }] });
    pbx.store.updateUserSettings(pbx.users['12']!.id, { parallelCall: { enabled: true, target: '13' } });
    const consult = anna.call('12');
    const atClara = await clara.incoming();
    atClara.answer();
    expect((await consult.final()).status).to.equal(200);
    // Ben, told by Anna to replace her call with Clara, calls Clara: Clara is busy, but the INVITE replaces that call.
    const replacing = ben.call('12', { headers: [['Replaces', `${consult.callId};to-tag=${atClara.tag};from-tag=${consult.tag}`]] });
    const atClaraAgain = await clara.incoming();
    expect(atClaraAgain.request.headers.get('Replaces')).to.equal(`${consult.callId};to-tag=${atClara.tag};from-tag=${consult.tag}`);
    atClaraAgain.answer();
    expect((await replacing.final()).status).to.equal(200);
    await consult.bye();
    await replacing.bye();
  });

  it('forks to every device of a user: the first 2xx wins, the other device is cancelled or hung up', async () => {
    const [anna, web] = await Promise.all([pbx.phone('10'), pbx.phone('11')]);
    pbx.addDesk('11');
    const desk = await pbx.phone('11', { username: '11-desk', transport: 'ws' });
    expect(pbx.sip.registrations().filter((binding) => binding.owner.userId === pbx.users['11']!.id)).to.have.length(2);

    const first = anna.call('11');
    const [onWeb, onDesk] = await Promise.all([web.incoming(), desk.incoming()]);
    onWeb.ring();
    onDesk.answer();
    expect((await first.final()).toTag).to.equal(onDesk.tag);
    await onWeb.whenCancelled();
    await first.bye();
    await onDesk.byeReceived();

    // Both answer at once: one 2xx reaches the caller, the other device gets an ACK and a BYE from the PBX.
    const second = anna.call('11');
    const [webAgain, deskAgain] = await Promise.all([web.incoming(), desk.incoming()]);
    deskAgain.answer();
    webAgain.answer();
    const ok = await second.final();
    const loser = ok.toTag === deskAgain.tag ? webAgain : deskAgain;
    const winner = loser === webAgain ? deskAgain : webAgain;
    await winner.acked();
    await loser.acked();
    await loser.byeReceived();
    await second.bye();
    await winner.byeReceived();
    expect(second.responses.all.filter((response) => 'status' in response && response.status === 200)).to.have.length(1);
  });
});

describe('routing: star codes from a phone', () => {
  let pbx: TestPbx;
  const twoProfiles: ForwardingSettings = {
    activeProfile: 0,
    profiles: [
      { number: 0, title: 'Standard', forwarding: {}, selective: [] },
      { number: 1, title: 'Urlaub', forwarding: { always: { type: 'voicemail' } }, selective: [] },
    ],
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

  it('applies *10n, *11…, **11 and *11*791, announces them, and confirms each with a Reason', async () => {
    const ben = await pbx.phone('11');
    const id = pbx.users['11']!.id;
    pbx.store.setForwarding(id, twoProfiles);
    const dial = async (code: string): Promise<{ status: number; reason: { cause: number; text: string } | undefined }> => {
      const response = await ben.call(code).final();
      return { status: response.status, reason: readReason(response.headers.get('Reason')) };
    };

    expect(await dial('*101')).to.deep.equal({ status: STAR_CODE_APPLIED_STATUS, reason: { cause: 200, text: 'Forwarding profile 1 active' } });
    expect(pbx.store.getForwarding(id).activeProfile).to.equal(1);

    expect(await dial('*1112')).to.deep.equal({ status: 603, reason: { cause: 200, text: 'Forwarding always to 12 set; profile 0 active' } });
    let stored = pbx.store.getForwarding(id);
    expect(stored.activeProfile).to.equal(0);
    expect(stored.profiles[0]?.forwarding.always).to.deep.equal({ type: 'number', number: '12' });

    expect((await dial('**11')).reason?.text).to.equal('Forwarding always cleared');
    expect(pbx.store.getForwarding(id).profiles[0]?.forwarding.always).to.equal(undefined);

    expect((await dial('*11*791')).reason?.text).to.equal('Forwarding always to voicemail set; profile 0 active');
    stored = pbx.store.getForwarding(id);
    expect(stored.profiles[0]?.forwarding.always).to.deep.equal({ type: 'voicemail' });

    expect((await dial('*120049305550100')).reason?.text).to.equal('Forwarding on no answer to 0049305550100 set; profile 0 active');
    expect(pbx.store.getForwarding(id).profiles[0]?.forwarding.noAnswer).to.deep.equal({ after: 20, to: { type: 'number', number: '0049305550100' } });

    const changes = pbx.seen.filter((event) => event.type === 'forwarding-changed');
    expect(changes.map((event) => event.type === 'forwarding-changed' && event.source)).to.deep.equal(['star-code', 'star-code', 'star-code', 'star-code', 'star-code']);
    expect(changes.every((event) => event.userId === id && event.tenantId === pbx.company.id)).to.equal(true);
    // Star codes are no calls: nothing in the call list, no dialogs.
    expect(pbx.store.listHistory(id)).to.deep.equal([]);
    expect(pbx.reports).to.deep.equal([]);
  });

  it('refuses malformed codes (484), unknown profiles (404) and forbidden targets (403) without changing anything', async () => {
    const ben = await pbx.phone('11');
    const id = pbx.users['11']!.id;
    pbx.store.setForwarding(id, twoProfiles);
    const malformed = await ben.call('*10').final();
    expect(malformed.status).to.equal(484);
    expect(readReason(malformed.headers.get('Reason'))?.text).to.match(/not a valid forwarding code/);
    const unknown = await ben.call('*107').final();
    expect(unknown.status).to.equal(404);
    expect(unknown.reason).to.equal('Profile Not Found');
    const international = await ben.call('*1100442079460000').final();
    expect(international.status).to.equal(403);
    expect(readReason(international.headers.get('Reason'))?.text).to.match(/International numbers/);
    expect(pbx.store.getForwarding(id)).to.deep.equal(twoProfiles);
    expect(pbx.seen.filter((event) => event.type === 'forwarding-changed')).to.deep.equal([]);
  });

  it('routes the next call by what the star code set', async () => {
    const [anna, ben, clara] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12')]);
    expect((await ben.call('*1112%23').final()).status).to.equal(603);
    const call = anna.call('11');
    const atClara = await clara.incoming();
    atClara.answer();
    expect((await call.final()).status).to.equal(200);
    await call.bye();
    expect(ben.hasUntakenInvite()).to.equal(false);
  });
});
