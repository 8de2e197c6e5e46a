// Calls that outlive a connection: a browser's WebSocket drops (or the PBX restarts), the phone comes back on a new
// connection and registers again, and the call it had goes on. The PBX hands out GRUUs (RFC 5627) to devices that
// name themselves with +sip.instance; in-dialog requests addressed to a GRUU reach the device wherever it is now.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { SipRequest } from '../../../src/pbx/sip/index.js';
import { unquote } from '../../../src/pbx/sip/message/params.js';
import { startPbx as startRealPbx, type RunningPbx } from '../../../src/pbx/server.js';
import { startPbx, until, type TestPbx } from './support/pbx.js';
import { TestPhone, type PbxAddress } from './support/phone.js';

const device = (): string => `urn:uuid:${randomUUID()}`;

/** Closes the PBX's side of every connection of a user (what a restart or a network cut does to the phone). */
function dropConnectionsOf(pbx: TestPbx | RunningPbx, userId: string): void {
  for (const binding of pbx.sip.registrations()) {
    if (binding.owner.userId === userId) pbx.sip.flow(binding.flowId)?.close();
  }
}

describe('routing: calls across reconnects (GRUU)', () => {
  let pbx: TestPbx;
  before(async () => {
    pbx = await startPbx({ timers: { sweepMs: 1000, reconnectGraceMs: 10_000 } });
  });
  afterEach(async () => {
    await pbx.reset();
  });
  after(async () => {
    await pbx.close();
  });

  it('gives a device that asks a public and a temporary GRUU, and resolves both to its registration', async () => {
    const instance = device();
    const anna = await pbx.phone('10', { transport: 'ws', instanceId: instance });
    expect(anna.gruu).to.equal(`sip:10@acme.test;gr=${instance}`);
    const ok = await anna.register();
    const contact = ok.contacts.find((candidate) => 'uri' in candidate && candidate.uri === anna.registeredContactUri);
    const temporary = contact && 'params' in contact ? unquote(contact.params.get('temp-gruu') ?? '') : '';
    expect(temporary).to.match(/^sip:tgruu\.[A-Za-z0-9_-]+@acme\.test;gr$/);
    expect(ok.headers.getAll('Require')).to.include('outbound');
    const registration = pbx.sip.registrations().find((binding) => binding.owner.userId === pbx.users['10']!.id);
    expect(pbx.sip.resolveGruu(anna.gruu!)).to.equal(registration);
    expect(pbx.sip.resolveGruu(temporary)).to.equal(registration);
    // A new temporary GRUU each time; the older ones keep working.
    const again = await anna.register();
    const second = again.contacts.find((candidate) => 'uri' in candidate && candidate.uri === anna.registeredContactUri);
    expect(second && 'params' in second ? unquote(second.params.get('temp-gruu') ?? '') : '').to.not.equal(temporary);
    expect(pbx.sip.resolveGruu(temporary)?.instanceId).to.equal(`<${instance}>`);
    // Forged or foreign ones name nobody.
    expect(pbx.sip.resolveGruu(temporary.replace('tgruu.', 'tgruu.A'))).to.equal(undefined);
    expect(pbx.sip.resolveGruu(`sip:10@acme.test;gr=${device()}`)).to.equal(undefined);
    expect(pbx.sip.resolveGruu(`sip:10@example.com;gr=${instance}`)).to.equal(undefined);
    // A phone that does not name its device gets none.
    const ben = await pbx.phone('11');
    expect(ben.gruu).to.equal(undefined);
  });

  it('one side\'s WebSocket drops mid-call: it registers again on a new connection and requests reach it both ways', async () => {
    const anna = await pbx.phone('10', { transport: 'ws', instanceId: device() });
    const ben = await pbx.phone('11', { transport: 'ws', instanceId: device() });
    const call = anna.call('11');
    const incoming = await ben.incoming();
    // Each side's dialog targets the other's GRUU.
    expect(incoming.remoteTarget).to.equal(anna.gruu);
    incoming.answer();
    expect((await call.final()).status).to.equal(200);
    expect(call.remoteTarget).to.equal(ben.gruu);
    await incoming.acked();

    dropConnectionsOf(pbx, pbx.users['10']!.id);
    await until(() => !pbx.sip.registrations().some((binding) => binding.owner.userId === pbx.users['10']!.id), 'the dropped binding is gone');
    // The sweep sees the lost side but leaves it time to come back.
    pbx.clock.advance(1000);
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(true);

    await anna.reconnect(pbx);
    await anna.register();
    // The callee holds: its re-INVITE follows the dialog's old route (whose flow to Anna is gone) to her new one.
    const hold = ben.sendInDialog('INVITE', incoming, { body: 'v=0\r\n' });
    const atAnna = await anna.request('INVITE', call.callId);
    anna.respond(atAnna, 200, { body: 'v=0\r\n' });
    expect((await ben.response(call.callId, 'INVITE')).status).to.equal(200);
    ben.sendInDialog('ACK', incoming, { cseq: hold.cseq?.seq ?? 0 });
    await anna.request('ACK', call.callId);
    // And Anna's requests reach Ben over her new connection.
    anna.sendInDialog('INFO', call, { body: 'Signal=1\r\n', bodyType: 'application/dtmf-relay' });
    const info = await ben.request('INFO', call.callId);
    ben.respond(info, 200);
    expect((await anna.response(call.callId, 'INFO')).status).to.equal(200);
    // Long after the grace time the call is still up, and it ends with the BYE of one of the two.
    pbx.clock.advance(20_000);
    expect(pbx.lines.isBusy(pbx.users['10']!.id)).to.equal(true);
    expect((await incoming.bye()).status).to.equal(200);
    await call.byeReceived();
    expect(pbx.lines.isBusy(pbx.users['10']!.id)).to.equal(false);
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(false);
  });

  it('ends the call when the dropped device does not come back within the grace time', async () => {
    const anna = await pbx.phone('10', { transport: 'ws', instanceId: device() });
    const ben = await pbx.phone('11', { transport: 'ws', instanceId: device() });
    const call = anna.call('11');
    const incoming = await ben.incoming();
    incoming.answer();
    await call.final();
    await incoming.acked();
    dropConnectionsOf(pbx, pbx.users['10']!.id);
    await until(() => !pbx.sip.registrations().some((binding) => binding.owner.userId === pbx.users['10']!.id), 'the dropped binding is gone');
    pbx.clock.advance(1000);
    pbx.clock.advance(9000);
    expect(ben.inbox.has((message) => message instanceof SipRequest && message.method === 'BYE')).to.equal(false);
    pbx.clock.advance(1000);
    const bye = await incoming.byeReceived();
    expect(bye.headers.get('Reason')).to.equal('SIP;cause=480;text="The other side lost its connection"');
    expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(false);
  });

  it('ends an answered call whose caller never acknowledges the answer, and keeps one that did', async () => {
    const [anna, ben, clara, david] = await Promise.all([pbx.phone('10'), pbx.phone('11'), pbx.phone('12'), pbx.phone('13')]);
    const vanished = anna.call('11', { withholdAck: true });
    const atBen = await ben.incoming();
    atBen.answer();
    expect((await vanished.final()).status).to.equal(200);
    const kept = clara.call('13');
    const again = await david.incoming();
    again.answer();
    await kept.final();
    await again.acked();
    pbx.clock.advance(31_000);
    expect(ben.inbox.has((message) => message instanceof SipRequest && message.method === 'BYE')).to.equal(false);
    pbx.clock.advance(2000);
    const bye = await atBen.byeReceived();
    expect(bye.headers.get('Reason')).to.equal('SIP;cause=480;text="The caller never confirmed the answer"');
    await vanished.byeReceived();
    // The call that was acknowledged goes on until one of its sides hangs up.
    expect(david.inbox.has((message) => message instanceof SipRequest && message.method === 'BYE')).to.equal(false);
    expect((await kept.bye()).status).to.equal(200);
  });

  it('relays no in-dialog request of an unknown call unless a registered device sends it to a registered GRUU', async () => {
    const anna = await pbx.phone('10', { transport: 'ws', instanceId: device() });
    const ben = await pbx.phone('11', { transport: 'ws', instanceId: device() });
    const stranger = await pbx.phone('12', { transport: 'ws', register: false });
    // A Record-Route value of this PBX, as a dialog it forgot (in a restart) would carry.
    const route = pbx.sip.recordRoute(pbx.sip.flow(pbx.sip.registrations()[0]!.flowId)!);
    const dialog = (target: string) => ({
      callId: `${randomUUID()}@unknown`,
      localUri: `<sip:10@acme.test>;tag=a1`,
      remoteUri: `<sip:11@acme.test>;tag=b1`,
      remoteTarget: target,
      routeSet: [route],
      nextCSeq: () => 5,
    });
    // From a device that never registered: refused.
    const refused = dialog(ben.gruu!);
    stranger.sendInDialog('INFO', refused);
    expect((await stranger.response(refused.callId, 'INFO')).status).to.equal(481);
    // To a GRUU of nobody registered: refused.
    const nobody = dialog(`sip:11@acme.test;gr=${device()}`);
    anna.sendInDialog('INFO', nobody);
    expect((await anna.response(nobody.callId, 'INFO')).status).to.equal(481);
    // Registered device to registered GRUU: relayed.
    const relayed = dialog(ben.gruu!);
    anna.sendInDialog('INFO', relayed);
    const arrived = await ben.request('INFO', relayed.callId);
    ben.respond(arrived, 200);
    expect((await anna.response(relayed.callId, 'INFO')).status).to.equal(200);
  });
});

describe('routing: a call across a restart of the PBX', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centrex-restart-'));
  let pbx: RunningPbx;
  const phones: TestPhone[] = [];

  const address = (): PbxAddress => ({ udp: { address: '127.0.0.1', port: pbx.sipPort ?? 0 }, wsUrl: `${pbx.url.replace(/^http/, 'ws')}/sip` });

  before(async () => {
    pbx = await startRealPbx({ db: join(dir, 'pbx.db'), port: 0, demo: true, demoPassword: 'restart-test-pw' });
  });
  after(async () => {
    await Promise.all(phones.map((phone) => phone.close()));
    await pbx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A demo user's browser phone with a SIP credential of its own. */
  async function phoneOf(extension: string): Promise<TestPhone> {
    const tenant = pbx.store.findTenantBySipDomain('localhost')!;
    const user = pbx.store.findUserByExtension(tenant.id, extension)!;
    const web = pbx.store.webDeviceOf(user.id) ?? pbx.store.addDevice(user.id, { kind: 'web', name: 'Web-App' });
    const password = `pw-${randomUUID()}`;
    const username = `restart-${extension}`;
    pbx.store.issueSipCredential({ userId: user.id, deviceId: web.id, ttlMs: 3600_000, username, password });
    const phone = await TestPhone.open(address(), { extension, domain: 'localhost', username, password, transport: 'ws', instanceId: device() });
    phones.push(phone);
    await phone.register();
    return phone;
  }

  /** Ben calls Clara, she answers, and the PBX restarts: both phones reconnect and register with the new process. */
  async function callThenRestart() {
    const ben = await phoneOf('11');
    const clara = await phoneOf('12');
    const call = ben.call('12');
    const incoming = await clara.incoming();
    incoming.answer();
    expect((await call.final()).status).to.equal(200);
    await incoming.acked();

    const { port } = pbx;
    await pbx.close();
    pbx = await startRealPbx({ db: join(dir, 'pbx.db'), port, demo: true });
    await Promise.all([ben.reconnect(address()), clara.reconnect(address())]);
    await Promise.all([ben.register(), clara.register()]);
    return { ben, clara, call, incoming };
  }

  /** The states of Ben's and Clara's dialogs as the (new) PBX's line states have them. */
  function linesOfBenAndClara(): string[][] {
    const tenant = pbx.store.findTenantBySipDomain('localhost')!;
    return ['11', '12'].map((extension) => pbx.lines.dialogsOf(pbx.store.findUserByExtension(tenant.id, extension)!.id).map((dialog) => dialog.state));
  }

  it('keeps a call controllable: after the restart both phones register again and hold and BYE get through', async () => {
    const { ben, clara, call, incoming } = await callThenRestart();
    // The new PBX process knows nothing of the call; the GRUUs in the dialog still lead to the phones.
    expect(linesOfBenAndClara(), 'nobody is in a call for the new process yet').to.deep.equal([[], []]);
    const hold = clara.sendInDialog('INVITE', incoming, { body: 'v=0\r\n' });
    const atBen = await ben.request('INVITE', call.callId);
    ben.respond(atBen, 200, { body: 'v=0\r\n' });
    expect((await clara.response(call.callId, 'INVITE')).status).to.equal(200);
    // The answered re-INVITE made the PBX adopt the call: both lines are busy again (BLF, the busy check).
    expect(linesOfBenAndClara()).to.deep.equal([['confirmed'], ['confirmed']]);
    clara.sendInDialog('ACK', incoming, { cseq: hold.cseq?.seq ?? 0 });
    await ben.request('ACK', call.callId);
    expect((await call.bye()).status).to.equal(200);
    await incoming.byeReceived();
    expect(linesOfBenAndClara(), 'the BYE ended the adopted call').to.deep.equal([[], []]);
  });

  it('adopts no call from a re-INVITE that is refused', async () => {
    const { ben, clara, call, incoming } = await callThenRestart();
    clara.sendInDialog('INVITE', incoming, { body: 'v=0\r\n' });
    const atBen = await ben.request('INVITE', call.callId);
    ben.respond(atBen, 488);
    expect((await clara.response(call.callId, 'INVITE')).status).to.equal(488);
    expect(linesOfBenAndClara()).to.deep.equal([[], []]);
  });
});
