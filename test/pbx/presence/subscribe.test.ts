// The presence server over real sockets: BLF (dialog), presence (PIDF) and MWI (message-summary) subscriptions from
// SIP clients on 127.0.0.1, calls simulated through LineStates, time moved by a manual clock.
import { afterEach, beforeEach } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import {
  availabilityOf,
  lineStateOf,
  parseDialogInfo,
  parseMessageSummary,
  parsePidf,
  type Availability,
  type LineState,
} from '../../../src/core/presence/index.js';
import type { SipRequest } from '../../../src/pbx/sip/index.js';
import { SipClient, startPresenceEnv, type PresenceEnv, type WatcherDialog } from './support.js';

function blf(notify: SipRequest): { state: LineState; version: number } {
  const info = parseDialogInfo(notify.bodyText);
  return { state: lineStateOf(info), version: info.version };
}

function presenceOf(notify: SipRequest): Availability {
  return availabilityOf(parsePidf(notify.bodyText));
}

/** Resolves at the next `presence` event of a user with the given availability. */
function nextPresence(env: PresenceEnv, userId: string, availability: Availability): Promise<void> {
  return new Promise((resolve) => {
    const stop = env.events.on((event) => {
      if (event.type === 'presence' && event.userId === userId && event.availability === availability) {
        stop();
        resolve();
      }
    });
  });
}

describe('presence server: dialog package (BLF)', () => {
  let env: PresenceEnv;
  let ann: SipClient;
  beforeEach(async () => {
    env = await startPresenceEnv();
    ann = await SipClient.udp(env, '11', 'alpha.test', env.users.ann.webLogin);
  });
  afterEach(async () => {
    await ann.close();
    await env.close();
  });

  it('shows a watched extension idle, ringing, busy and idle again', async () => {
    const { response, dialog } = await ann.subscribe({ target: '12', event: 'dialog', expires: 600 });
    expect(response.status).to.equal(200);
    expect(response.toTag).to.be.a('string');
    expect(response.headers.get('Expires')).to.equal('600');
    expect(response.headers.get('Contact')).to.match(/^<sip:12@127\.0\.0\.1:\d+;transport=udp>$/);

    const first = await ann.notify(dialog);
    expect(first.headers.get('Content-Type')).to.equal('application/dialog-info+xml');
    expect(first.headers.get('Event')).to.equal('dialog');
    expect(first.headers.get('Subscription-State')).to.equal('active;expires=600');
    expect(first.fromTag).to.equal(dialog.toTag);
    expect(first.toTag).to.equal(dialog.fromTag);
    expect(first.uri).to.match(/^sip:11@127\.0\.0\.1:\d+;transport=udp$/);
    expect(blf(first)).to.deep.equal({ state: 'idle', version: 0 });
    expect(parseDialogInfo(first.bodyText).entity).to.equal('sip:12@alpha.test');

    env.call(env.users.bob, 'c1', 'early', 'recipient', { uri: 'sip:13@alpha.test', displayName: 'Carl & Co' });
    const ringing = await ann.notify(dialog);
    expect(blf(ringing)).to.deep.equal({ state: 'ringing', version: 1 });
    const ringingDialog = parseDialogInfo(ringing.bodyText).dialogs[0];
    expect(ringingDialog).to.deep.include({ id: 'c1', callId: 'call-c1', direction: 'recipient', state: 'early' });
    expect(ringingDialog?.remote).to.deep.equal({ identity: 'sip:13@alpha.test', displayName: 'Carl & Co' });

    env.call(env.users.bob, 'c1', 'confirmed', 'recipient', { uri: 'sip:13@alpha.test' });
    expect(blf(await ann.notify(dialog))).to.deep.equal({ state: 'busy', version: 2 });

    env.call(env.users.bob, 'c1', 'terminated', 'recipient', { uri: 'sip:13@alpha.test' });
    const idle = await ann.notify(dialog);
    expect(blf(idle)).to.deep.equal({ state: 'idle', version: 3 });
    // The ended call is listed once as terminated, so that the lamp sees it end.
    expect(parseDialogInfo(idle.bodyText).dialogs.map((d) => d.state)).to.deep.equal(['terminated']);

    const cseqs = [first, ringing].map((notify) => notify.cseq?.seq ?? 0);
    expect(cseqs[1]).to.be.greaterThan(cseqs[0]!);
    expect(env.presence.subscriptions()).to.have.length(1);
  });

  it('shows an outgoing call as calling, and keeps one dialog per call', async () => {
    const { dialog } = await ann.subscribe({ target: '12', event: 'dialog' });
    await ann.notify(dialog);
    env.call(env.users.bob, 'out', 'trying', 'initiator', { uri: 'sip:11@alpha.test' });
    expect(blf(await ann.notify(dialog)).state).to.equal('calling');
    env.call(env.users.bob, 'in', 'early', 'recipient');
    const both = parseDialogInfo((await ann.notify(dialog)).bodyText);
    expect(both.dialogs.map((d) => d.id).sort()).to.deep.equal(['in', 'out']);
    expect(lineStateOf(both)).to.equal('ringing');
  });

  it('ignores calls of other users', async () => {
    const { dialog } = await ann.subscribe({ target: '12', event: 'dialog' });
    await ann.notify(dialog);
    env.call(env.users.carl, 'other', 'early', 'recipient');
    await ann.barrier();
    expect(ann.pendingNotifies(dialog.callId)).to.have.length(0);
  });

  it('coalesces a burst of changes into one NOTIFY per interval', async () => {
    await ann.close();
    await env.close();
    env = await startPresenceEnv({ minNotifyIntervalMs: 500 });
    ann = await SipClient.udp(env, '11', 'alpha.test', env.users.ann.webLogin);
    const { dialog } = await ann.subscribe({ target: '12', event: 'dialog' });
    expect(blf(await ann.notify(dialog)).version).to.equal(0);
    await ann.barrier();
    env.call(env.users.bob, 'c1', 'trying', 'recipient');
    env.call(env.users.bob, 'c1', 'early', 'recipient');
    env.call(env.users.bob, 'c1', 'confirmed', 'recipient');
    await ann.barrier();
    expect(ann.pendingNotifies(dialog.callId)).to.have.length(0);
    env.clock.advance(500);
    const burst = await ann.notify(dialog);
    expect(blf(burst)).to.deep.equal({ state: 'busy', version: 1 });
    await ann.barrier();
    expect(ann.pendingNotifies(dialog.callId)).to.have.length(0);
    // A burst that ends where it began tells the watcher nothing.
    env.call(env.users.bob, 'c2', 'early', 'recipient');
    env.call(env.users.bob, 'c2', 'terminated', 'recipient');
    env.clock.advance(500);
    await ann.barrier();
    expect(ann.pendingNotifies(dialog.callId)).to.have.length(0);
  });
});

describe('presence server: presence package (PIDF)', () => {
  let env: PresenceEnv;
  let ann: SipClient;
  let desk: SipClient | undefined;
  let web: SipClient | undefined;
  beforeEach(async () => {
    env = await startPresenceEnv();
    ann = await SipClient.udp(env, '11', 'alpha.test', env.users.ann.webLogin);
  });
  afterEach(async () => {
    await Promise.all([ann.close(), desk?.close(), web?.close()]);
    desk = undefined;
    web = undefined;
    await env.close();
  });

  it('follows devices, calls and DND: offline, line free, available, busy, dnd, offline', async () => {
    const bob = env.users.bob;
    const { response, dialog } = await ann.subscribe({ target: '12', event: 'presence' });
    expect(response.status).to.equal(200);
    const first = await ann.notify(dialog);
    expect(first.headers.get('Content-Type')).to.equal('application/pidf+xml');
    expect(first.headers.get('Subscription-State')).to.equal('active;expires=3600');
    expect(parsePidf(first.bodyText).entity).to.equal('sip:12@alpha.test');
    expect(presenceOf(first)).to.equal('offline');

    desk = await SipClient.udp(env, '12', 'alpha.test', bob.deskLogin!);
    expect(await desk.register(bob.deskLogin!)).to.equal(200);
    expect(presenceOf(await ann.notify(dialog))).to.equal('line-free');

    web = await SipClient.ws(env, '12', 'alpha.test', bob.webLogin);
    expect(await web.register(bob.webLogin)).to.equal(200);
    expect(presenceOf(await ann.notify(dialog))).to.equal('available');
    expect(env.presence.availabilityOf(bob.user.id)).to.equal('available');

    env.call(bob, 'c1', 'early', 'recipient');
    env.call(bob, 'c1', 'confirmed', 'recipient');
    expect(presenceOf(await ann.notify(dialog))).to.equal('busy');

    env.store.updateUserSettings(bob.user.id, { dnd: true });
    env.events.emit({ type: 'settings-changed', tenantId: env.alpha.id, userId: bob.user.id });
    expect(presenceOf(await ann.notify(dialog))).to.equal('dnd');

    env.call(bob, 'c1', 'terminated', 'recipient');
    env.store.updateUserSettings(bob.user.id, { dnd: false });
    env.events.emit({ type: 'settings-changed', tenantId: env.alpha.id, userId: bob.user.id });
    expect(presenceOf(await ann.notify(dialog))).to.equal('available');

    expect(await web.register(bob.webLogin, 0)).to.equal(200);
    expect(presenceOf(await ann.notify(dialog))).to.equal('line-free');
    expect(await desk.register(bob.deskLogin!, 0)).to.equal(200);
    expect(presenceOf(await ann.notify(dialog))).to.equal('offline');

    const seen = env.presenceEvents.filter((event) => event.userId === bob.user.id).map((event) => event.availability);
    expect(seen).to.deep.equal(['line-free', 'available', 'busy', 'dnd', 'available', 'line-free', 'offline']);
    expect(env.presenceEvents[0]).to.deep.include({ tenantId: env.alpha.id, extension: '12' });
  });

  it('takes the web app going away with its WebSocket as offline', async () => {
    const carl = env.users.carl;
    const { dialog } = await ann.subscribe({ target: '13', event: 'presence' });
    expect(presenceOf(await ann.notify(dialog))).to.equal('offline');
    web = await SipClient.ws(env, '13', 'alpha.test', carl.webLogin);
    expect(await web.register(carl.webLogin)).to.equal(200);
    expect(presenceOf(await ann.notify(dialog))).to.equal('available');
    await web.close();
    expect(presenceOf(await ann.notify(dialog))).to.equal('offline');
  });
});

describe('presence server: message-summary package (MWI)', () => {
  let env: PresenceEnv;
  let bob: SipClient;
  beforeEach(async () => {
    env = await startPresenceEnv();
    bob = await SipClient.udp(env, '12', 'alpha.test', env.users.bob.webLogin);
  });
  afterEach(async () => {
    await bob.close();
    await env.close();
  });

  it('reports an empty mailbox, then new messages when the voicemail sets them', async () => {
    const { response, dialog } = await bob.subscribe({ target: '12', event: 'message-summary', accept: 'application/simple-message-summary' });
    expect(response.status).to.equal(200);
    const first = await bob.notify(dialog);
    expect(first.headers.get('Content-Type')).to.equal('application/simple-message-summary');
    expect(first.bodyText).to.include('Voice-Message: 0/0');
    const summary = parseMessageSummary(first.bodyText);
    expect(summary.messagesWaiting).to.equal(false);
    expect(summary.account).to.equal('sip:12@alpha.test');
    expect(summary.counts.voice).to.deep.equal({ newMessages: 0, oldMessages: 0 });

    env.presence.setMessageCounts(env.users.bob.user.id, { newMessages: 2, oldMessages: 1 });
    const lit = parseMessageSummary((await bob.notify(dialog)).bodyText);
    expect(lit.messagesWaiting).to.equal(true);
    expect(lit.counts.voice).to.deep.equal({ newMessages: 2, oldMessages: 1 });
  });

  it("refuses to show someone else's mailbox", async () => {
    const { response } = await bob.subscribe({ target: '11', event: 'message-summary' });
    expect(response.status).to.equal(403);
  });
});

describe('presence server: subscription life', () => {
  let env: PresenceEnv;
  let ann: SipClient;
  beforeEach(async () => {
    env = await startPresenceEnv();
    ann = await SipClient.udp(env, '11', 'alpha.test', env.users.ann.webLogin);
  });
  afterEach(async () => {
    await ann.close();
    await env.close();
  });

  async function subscribed(event = 'dialog', expires = 600): Promise<WatcherDialog> {
    const { response, dialog } = await ann.subscribe({ target: '12', event, expires });
    expect(response.status).to.equal(200);
    await ann.notify(dialog);
    // The server has our 200 to the NOTIFY once this round trip is done: nothing is in flight any more.
    await ann.barrier();
    return dialog;
  }

  it('refreshes a subscription with a NOTIFY of the current state', async () => {
    const dialog = await subscribed('dialog', 600);
    const refreshed = await ann.resubscribe(dialog, 1200);
    expect(refreshed.status).to.equal(200);
    expect(refreshed.headers.get('Expires')).to.equal('1200');
    const notify = await ann.notify(dialog);
    expect(notify.headers.get('Subscription-State')).to.equal('active;expires=1200');
    expect(blf(notify).version).to.equal(1);
  });

  it('ends a subscription on Expires: 0 with a final NOTIFY', async () => {
    const dialog = await subscribed();
    const response = await ann.resubscribe(dialog, 0);
    expect(response.status).to.equal(200);
    expect(response.headers.get('Expires')).to.equal('0');
    const last = await ann.notify(dialog);
    expect(last.headers.get('Subscription-State')).to.equal('terminated;reason=timeout');
    expect(blf(last).state).to.equal('idle');
    await ann.barrier();
    expect(env.presence.subscriptions()).to.have.length(0);
    expect((await ann.resubscribe(dialog, 600)).status).to.equal(481);
  });

  it('answers a fetch (Expires: 0 on a new subscription) with one terminated NOTIFY', async () => {
    env.call(env.users.bob, 'c1', 'confirmed', 'initiator');
    const { response, dialog } = await ann.subscribe({ target: '12', event: 'presence', expires: 0 });
    expect(response.status).to.equal(200);
    const only = await ann.notify(dialog);
    expect(only.headers.get('Subscription-State')).to.equal('terminated;reason=timeout');
    expect(presenceOf(only)).to.equal('busy');
    await ann.barrier();
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('lets a subscription expire with a final NOTIFY', async () => {
    const dialog = await subscribed('presence', 120);
    env.clock.advance(119_000);
    await ann.barrier();
    expect(ann.pendingNotifies(dialog.callId)).to.have.length(0);
    env.clock.advance(1_000);
    const last = await ann.notify(dialog);
    expect(last.headers.get('Subscription-State')).to.equal('terminated;reason=timeout');
    await ann.barrier();
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('refuses too short subscriptions with 423 and shortens long ones', async () => {
    const short = await ann.subscribe({ target: '12', event: 'dialog', expires: 10 });
    expect(short.response.status).to.equal(423);
    expect(short.response.headers.get('Min-Expires')).to.equal('60');
    const long = await ann.subscribe({ target: '12', event: 'dialog', expires: 86_400 });
    expect(long.response.status).to.equal(200);
    expect(long.response.headers.get('Expires')).to.equal('3600');
    expect((await ann.notify(long.dialog)).headers.get('Subscription-State')).to.equal('active;expires=3600');
  });

  it('ends the subscription when a NOTIFY gets 481', async () => {
    const dialog = await subscribed('dialog');
    expect(env.presence.subscriptions()).to.have.length(1);
    ann.notifyAnswer = 481;
    env.call(env.users.bob, 'c1', 'early', 'recipient');
    await ann.notify(dialog);
    await ann.barrier();
    expect(env.presence.subscriptions()).to.have.length(0);
    ann.notifyAnswer = 200;
    env.call(env.users.bob, 'c1', 'confirmed', 'recipient');
    await ann.barrier();
    expect(ann.pendingNotifies(dialog.callId)).to.have.length(0);
  });

  it('ends the subscription when a NOTIFY is never answered', async () => {
    const dialog = await subscribed('dialog');
    ann.notifyAnswer = 'none';
    env.call(env.users.bob, 'c1', 'early', 'recipient');
    await ann.notify(dialog);
    expect(env.presence.subscriptions()).to.have.length(1);
    env.clock.advance(32_000);
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('ends the subscription when the watcher’s WebSocket is gone', async () => {
    const annUser = env.users.ann;
    const web = await SipClient.ws(env, '11', 'alpha.test', annUser.webLogin);
    expect(await web.register(annUser.webLogin)).to.equal(200);
    const { dialog } = await web.subscribe({ target: '12', event: 'dialog' });
    await web.notify(dialog);
    // The server has seen the connection close once Ann's web app binding is gone (she turns offline).
    const gone = nextPresence(env, annUser.user.id, 'offline');
    await web.close();
    await gone;
    env.call(env.users.bob, 'c1', 'early', 'recipient');
    // The NOTIFY fails on the closed flow when the (already rejected) flow lookup settles: a few turns at most.
    for (let i = 0; i < 10 && env.presence.subscriptions().length > 0; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('tells watchers of a deleted user that the resource is gone', async () => {
    const dialog = await subscribed('presence');
    env.store.deleteUser(env.alpha.id, env.users.bob.user.id);
    env.events.emit({ type: 'data-changed', tenantId: env.alpha.id, area: 'users' });
    const last = await ann.notify(dialog);
    expect(last.headers.get('Subscription-State')).to.equal('terminated;reason=noresource');
    await ann.barrier();
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('sends deactivated to every watcher on close', async () => {
    const dialog = await subscribed('dialog');
    env.presence.close();
    const last = await ann.notify(dialog);
    expect(last.headers.get('Subscription-State')).to.equal('terminated;reason=deactivated');
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('keeps subscriptions of one dialog apart by Event id', async () => {
    const a = await ann.subscribe({ target: '12', event: 'dialog;id=a' });
    const first = await ann.notify(a.dialog);
    expect(first.headers.get('Event')).to.equal('dialog;id=a');
  });
});

describe('presence server: refusals', () => {
  let env: PresenceEnv;
  let ann: SipClient;
  beforeEach(async () => {
    env = await startPresenceEnv();
    ann = await SipClient.udp(env, '11', 'alpha.test', env.users.ann.webLogin);
  });
  afterEach(async () => {
    await ann.close();
    await env.close();
  });

  it('challenges an unauthenticated SUBSCRIBE with 407', async () => {
    const { response } = await ann.subscribe({ target: '12', event: 'dialog', noAuth: true });
    expect(response.status).to.equal(407);
    expect(response.headers.getAll('Proxy-Authenticate').length).to.be.greaterThan(0);
    expect(env.presence.subscriptions()).to.have.length(0);
  });

  it('refuses a wrong password with a new challenge', async () => {
    const impostor = await SipClient.udp(env, '11', 'alpha.test', { username: '11', password: 'not-the-password' });
    try {
      const { response } = await impostor.subscribe({ target: '12', event: 'dialog' });
      expect(response.status).to.equal(407);
    } finally {
      await impostor.close();
    }
  });

  it('forbids watching another company', async () => {
    const zoe = await SipClient.udp(env, '10', 'beta.test', env.users.zoe.webLogin);
    try {
      const { response } = await zoe.subscribe({ target: '12', event: 'presence', domain: 'alpha.test' });
      expect(response.status).to.equal(403);
      expect(env.presence.subscriptions()).to.have.length(0);
    } finally {
      await zoe.close();
    }
  });

  it('answers 489 with Allow-Events for an unknown event package', async () => {
    const { response } = await ann.subscribe({ target: '12', event: 'conference' });
    expect(response.status).to.equal(489);
    expect(response.headers.getAll('Allow-Events')).to.deep.equal(['dialog', 'presence', 'message-summary']);
  });

  it('answers 404 for an unknown extension', async () => {
    const { response } = await ann.subscribe({ target: '99', event: 'dialog' });
    expect(response.status).to.equal(404);
  });

  it('answers 406 when the watcher accepts no body type of the package', async () => {
    const { response } = await ann.subscribe({ target: '12', event: 'presence', accept: 'application/xpidf+xml' });
    expect(response.status).to.equal(406);
    expect(response.headers.get('Accept')).to.equal('application/pidf+xml');
  });

  it('answers 420 to a SUBSCRIBE that requires an extension', async () => {
    const { response } = await ann.subscribe({ target: '12', event: 'dialog', headers: ['Require: eventlist'] });
    expect(response.status).to.equal(420);
    expect(response.headers.get('Unsupported')).to.equal('eventlist');
  });

  it("refuses a refresh of someone else's subscription", async () => {
    const { dialog } = await ann.subscribe({ target: '12', event: 'dialog' });
    await ann.notify(dialog);
    const carl = await SipClient.udp(env, '13', 'alpha.test', env.users.carl.webLogin);
    try {
      expect((await carl.resubscribe({ ...dialog }, 0)).status).to.equal(403);
      expect(env.presence.subscriptions()).to.have.length(1);
    } finally {
      await carl.close();
    }
  });

  it('answers 481 to a refresh of an unknown subscription', async () => {
    const response = await ann.resubscribe(
      { callId: 'nothing@here', fromTag: 'a', toTag: 'b', target: '12', domain: 'alpha.test', event: 'dialog', cseq: 5 },
      600,
    );
    expect(response.status).to.equal(481);
  });

  it('answers PUBLISH with 489: presence is derived by the PBX', async () => {
    const callId = 'publish-test';
    ann.sendRaw(
      [
        'PUBLISH sip:11@alpha.test SIP/2.0',
        `Via: ${ann.via};branch=z9hG4bKpublish1;rport`,
        'Max-Forwards: 70',
        'From: <sip:11@alpha.test>;tag=p1',
        'To: <sip:11@alpha.test>',
        `Call-ID: ${callId}`,
        'CSeq: 1 PUBLISH',
        'Event: presence',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const response = await ann.waitFor((m) => 'status' in m && m.callId === callId);
    expect('status' in response && response.status).to.equal(489);
  });
});
