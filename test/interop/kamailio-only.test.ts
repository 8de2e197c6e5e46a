// What is tested against Kamailio only, because the reference PBX does it differently: a ringing call sent to
// voicemail by the phone itself (302 with Diversion; the PBX has no voicemail yet and answers 480), presence
// and message waiting published by another server (the PBX derives both itself and refuses PUBLISH), and intercom
// asked for by the caller (on the PBX it is the *80 code and the callee's setting). The scenarios both servers share
// are in test/e2e/scenarios.
import { createSocket } from 'node:dgram';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from '../support/harness.js';
import { Kamailio } from '../e2e/support/kamailio.js';
import { TestPage, User } from '../e2e/support/browser.js';

/** Sends a PUBLISH over UDP the way a voicemail or presence server would, and resolves with the status code. */
async function publish(kamailio: Kamailio, user: string, event: string, contentType: string, body: string): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
  const port = socket.address().port;
  const branch = `z9hG4bK${randomUUID().replace(/-/g, '')}`;
  const message = [
    `PUBLISH sip:${user}@127.0.0.1 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=${branch};rport`,
    'Max-Forwards: 70',
    `From: <sip:voicemail@127.0.0.1>;tag=${randomUUID().slice(0, 8)}`,
    `To: <sip:${user}@127.0.0.1>`,
    `Call-ID: ${randomUUID()}`,
    'CSeq: 1 PUBLISH',
    `Event: ${event}`,
    'Expires: 3600',
    `Content-Type: ${contentType}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to PUBLISH')), 5000);
      socket.on('message', (data) => {
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(data.toString())?.[1]);
        if (status >= 200) {
          clearTimeout(timer);
          resolve(status);
        }
      });
      socket.send(message, kamailio.sipPort, '127.0.0.1');
    });
  } finally {
    socket.close();
  }
}

describe('phone against Kamailio: what only Kamailio is tested for', () => {
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
    await Promise.all([alice, bob, carol].map((user) => user.page.evaluate(() => window.harness.hangUpAll()).catch(() => undefined)));
    await Promise.all([alice.reload(), bob.reload(), carol.reload()]);
  });

  const options = (user: User, extra: object = {}) => ({
    server: kamailio.wsUrl,
    uri: `sip:${user.extension}@127.0.0.1`,
    password: 'secret',
    displayName: user.name,
    ...extra,
  });
  const startAll = (extra: object = {}) => Promise.all([alice, bob, carol].map((user) => user.start(options(user, extra))));

  it('sends a ringing call to the voicemail the phone is set up with', async () => {
    // The "voicemail" is Carol here: the test needs someone to answer.
    await startAll({ calls: { voicemail: '1003' } });
    const ab = await alice.dial('1002');
    const ba = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await bob.act(ba, 'sendToVoicemail');
    expect((await bob.waitForState(ba, 'ended')).endReason).to.equal('voicemail');
    const ca = await carol.waitForCall({ direction: 'incoming', state: 'ringing' });
    await carol.act(ca, 'accept');
    await alice.waitForState(ab, 'established');
  });

  it('presence: a watched user published as busy is shown busy', async () => {
    await carol.start(options(carol));
    await carol.page.evaluate(() => window.harness.watch(['1002'], true));
    const pidf =
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="sip:1002@127.0.0.1">' +
      '<tuple id="t1"><status><basic>open</basic></status></tuple>' +
      '<dm:person id="p1"><rpid:activities><rpid:busy/></rpid:activities></dm:person></presence>';
    expect(await publish(kamailio, '1002', 'presence', 'application/pidf+xml', pidf)).to.equal(200);
    await carol.page.waitForFunction(() => window.harness.availability.get('1002') === 'busy', null, { timeout: 10_000 });
  });

  it('message waiting: the voicemail lamp follows the published summary', async () => {
    await bob.start(options(bob));
    await bob.page.evaluate(() => window.harness.phone!.presence.watchVoicemail());
    const summary = 'Messages-Waiting: yes\r\nMessage-Account: sip:1002@127.0.0.1\r\nVoice-Message: 2/8 (0/2)\r\n';
    expect(await publish(kamailio, '1002', 'message-summary', 'application/simple-message-summary', summary)).to.equal(200);
    await bob.page.waitForFunction(() => window.harness.voicemailCounts?.newMessages === 2, null, { timeout: 10_000 });
    expect(await bob.page.evaluate(() => window.harness.voicemailCounts)).to.deep.equal({ newMessages: 2, oldMessages: 8 });
  });

  it('intercom: answered automatically only when the user allows it', async () => {
    await Promise.all([alice.start(options(alice)), bob.start(options(bob, { calls: { intercomAutoAnswer: true } })), carol.start(options(carol))]);
    const ab = await alice.dial('1002', { intercom: true });
    const ba = await bob.waitForCall({ direction: 'incoming' });
    await Promise.all([alice.waitForState(ab, 'established'), bob.waitForState(ba, 'established')]);
    expect((await bob.call(ba)).autoAnswer).to.equal(true);
    await Promise.all([alice.waitForFlow(ab, 'audioIn'), bob.waitForFlow(ba, 'audioIn')]);
    await alice.act(ab, 'hangup');
    // Carol did not allow auto-answer: the intercom call just rings.
    const ac = await alice.dial('1003', { intercom: true });
    const ca = await carol.waitForCall({ direction: 'incoming', state: 'ringing' });
    expect((await carol.call(ca)).autoAnswer).to.equal(true);
    expect((await alice.call(ac)).state).to.be.oneOf(['dialling', 'ringing']);
    await alice.act(ac, 'hangup');
    await carol.waitForState(ca, 'ended');
  });
});
