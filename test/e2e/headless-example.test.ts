// examples/headless runs as published: a plain page with the core bundle places, holds, resumes and transfers a call
// against Kamailio, with two more users who answer.
import { after, before, describe, it } from 'node:test';
import { expect } from '../support/harness.js';
import { Kamailio } from './support/kamailio.js';
import { ExampleSite, TestPage, User } from './support/browser.js';

describe('examples/headless against Kamailio', () => {
  let kamailio: Kamailio;
  let page: TestPage;
  let site: ExampleSite;
  let bob: User;
  let carol: User;
  let alice: User | undefined;

  before(async () => {
    kamailio = await Kamailio.start();
    [page, site] = await Promise.all([TestPage.start(), ExampleSite.start()]);
    [bob, carol] = await Promise.all([User.launch('bob', '1002', page), User.launch('carol', '1003', page)]);
    const options = (user: User) => ({ server: kamailio.wsUrl, uri: `sip:${user.extension}@127.0.0.1`, password: 'secret', autoAccept: true });
    await Promise.all([bob.start(options(bob)), carol.start(options(carol))]);
  });

  after(async () => {
    await Promise.all([alice?.close(), bob?.close(), carol?.close()]);
    await Promise.all([page?.stop(), site?.stop()]);
    await kamailio?.stop();
    kamailio?.cleanup();
  });

  it('places, holds, resumes and transfers a call, then goes offline', async () => {
    const query = new URLSearchParams({ server: kamailio.wsUrl, uri: 'sip:1001@127.0.0.1', password: 'secret', call: '1002', transfer: '1003' });
    alice = await User.launch('alice', '1001', `${site.url}/headless/?${query.toString()}`);
    await alice.page.waitForFunction(() => (window as { headlessRun?: unknown }).headlessRun !== undefined, null, { timeout: 10_000 });
    const reason = await alice.page.evaluate(() => (window as unknown as { headlessRun: Promise<string> }).headlessRun);
    expect(reason).to.equal('transferred');
    const log = (await alice.page.textContent('#log')) ?? '';
    for (const line of ['phone: registering → registered', 'call: dialling → ringing', 'call: held → established', 'call: transfer accepted (202)', 'call: ended (transferred)', 'phone: unregistering → stopped']) {
      expect(log, log).to.contain(line);
    }
    // Bob, transferred, now talks to Carol.
    const bc = await bob.waitForCall({ direction: 'outgoing', state: 'established', remoteUser: '1003' });
    const cb = await carol.waitForCall({ direction: 'incoming', state: 'established' });
    await Promise.all([bob.waitForFlow(bc, 'audioIn'), carol.waitForFlow(cb, 'audioIn')]);
  });
});
