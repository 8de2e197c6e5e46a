// Against a real Kamailio: registration, a call answered with audio both ways, reject, cancel while ringing.
import { after, before, beforeEach, describe, it } from 'node:test';
import { expect } from '../support/harness.js';
import { Kamailio } from '../e2e/support/kamailio.js';
import { TestPage, User } from '../e2e/support/browser.js';

describe('phone against Kamailio: basics', () => {
  let kamailio: Kamailio;
  let page: TestPage;
  let alice: User;
  let bob: User;

  before(async () => {
    kamailio = await Kamailio.start();
    page = await TestPage.start();
    [alice, bob] = await Promise.all([User.launch('alice', '1001', page), User.launch('bob', '1002', page)]);
  });

  after(async () => {
    await Promise.all([alice?.close(), bob?.close()]);
    await page?.stop();
    await kamailio?.stop();
    kamailio?.cleanup();
  });

  beforeEach(async () => {
    await Promise.all([alice.reload(), bob.reload()]);
    const options = (user: User) => ({ server: kamailio.wsUrl, uri: `sip:${user.extension}@${kamailio.domain}`, password: 'secret', displayName: user.name });
    await Promise.all([alice.start(options(alice)), bob.start(options(bob))]);
  });

  it('registers over WebSocket with digest authentication', async () => {
    expect(await alice.page.evaluate(() => window.harness.state())).to.equal('registered');
    expect(await bob.page.evaluate(() => window.harness.state())).to.equal('registered');
  });

  it('places a call that is answered, with audio flowing both ways, and hangs up', async () => {
    const outgoing = await alice.dial('1002');
    const incoming = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    const ringing = await bob.call(incoming);
    expect(ringing.remoteUser).to.equal('1001');
    expect(ringing.remoteName).to.equal('alice');
    expect(await bob.page.evaluate(() => window.harness.ringing())).to.equal('ring');
    await alice.waitForState(outgoing, 'ringing');
    await bob.act(incoming, 'accept');
    await Promise.all([alice.waitForState(outgoing, 'established'), bob.waitForState(incoming, 'established')]);
    expect(await bob.page.evaluate(() => window.harness.ringing())).to.equal(undefined);
    await Promise.all([alice.waitForFlow(outgoing, 'audioIn'), bob.waitForFlow(incoming, 'audioIn')]);
    await alice.act(outgoing, 'hangup');
    const [a, b] = await Promise.all([alice.waitForState(outgoing, 'ended'), bob.waitForState(incoming, 'ended')]);
    expect(a.endReason).to.equal('hangup');
    expect(b.endReason).to.equal('remote-hangup');
  });

  it('rejects an incoming call; the caller learns the SIP status', async () => {
    const outgoing = await alice.dial('1002');
    const incoming = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await bob.act(incoming, 'reject');
    const [a, b] = await Promise.all([alice.waitForState(outgoing, 'ended'), bob.waitForState(incoming, 'ended')]);
    expect(b.endReason).to.equal('rejected');
    expect(a.endReason).to.equal('busy');
    expect(a.endStatus).to.equal(486);
  });

  it('cancels an outgoing call while it rings', async () => {
    const outgoing = await alice.dial('1002');
    const incoming = await bob.waitForCall({ direction: 'incoming', state: 'ringing' });
    await alice.waitForState(outgoing, 'ringing');
    await alice.act(outgoing, 'hangup');
    const [a, b] = await Promise.all([alice.waitForState(outgoing, 'ended'), bob.waitForState(incoming, 'ended')]);
    expect(a.endReason).to.equal('cancelled');
    expect(b.endReason).to.equal('missed');
  });

  it('refuses a call to an unknown extension with call-rejected and the SIP status', async () => {
    const outgoing = await alice.dial('1999');
    const a = await alice.waitForState(outgoing, 'ended');
    expect(a.endReason).to.equal('refused');
    expect(a.endStatus).to.equal(404);
  });

  it('rejects a wrong password with auth-failed and does not retry', async () => {
    await alice.reload();
    const error = await alice.page.evaluate(
      (server) =>
        window.harness.start({ server, uri: 'sip:1001@127.0.0.1', password: 'wrong' }).then(
          () => 'registered',
          (e: { code?: string }) => e.code,
        ),
      kamailio.wsUrl,
    );
    expect(error).to.equal('auth-failed');
    expect(await alice.page.evaluate(() => window.harness.state())).to.equal('failed');
  });
});

describe('phone against Kamailio: server unreachable at start', () => {
  let page: TestPage;
  let alice: User;
  let kamailio: Kamailio | undefined;

  before(async () => {
    page = await TestPage.start();
    alice = await User.launch('alice', '1001', page);
  });

  after(async () => {
    await alice?.close();
    await page?.stop();
    await kamailio?.stop();
    kamailio?.cleanup();
  });

  it('reports server-unreachable, keeps retrying with backoff, and registers once the server is up', async () => {
    const { freePort } = await import('../e2e/support/kamailio.js');
    const wsPort = await freePort();
    await alice.start({
      server: `ws://127.0.0.1:${wsPort}`,
      uri: 'sip:1001@127.0.0.1',
      password: 'secret',
      waitForRegistration: false,
      reconnect: { baseDelay: 200, maxDelay: 1000 },
    });
    await alice.page.waitForFunction(() => window.harness.errors.includes('start server-unreachable'), null, { timeout: 15_000 });
    await alice.page.waitForFunction(() => window.harness.events.some((e) => e.startsWith('reconnecting 3 ')), null, { timeout: 15_000 });
    const delays = await alice.page.evaluate(() =>
      window.harness.events.filter((e) => e.startsWith('reconnecting ')).map((e) => Number(e.split(' ')[2])),
    );
    expect(delays[0]).to.be.within(100, 200);
    expect(delays[1]).to.be.within(200, 400);
    kamailio = await Kamailio.start({ wsPort });
    await alice.page.evaluate(() => window.harness.waitForPhoneState('registered', 15_000));
  });
});
