// HttpApi end to end against the real reference PBX (demo tenant), over real HTTP and a real event stream.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { HttpApi, apiErrorCodeOf, type ApiEventStream, type ApiStreamItem, type Contact } from '../../../src/core/api/index.js';
import { createDirectoryIndex } from '../../../src/core/directory/index.js';
import type { ForwardingSettings } from '../../../src/core/forwarding/index.js';
import { isCentrexError, type CentrexError } from '../../../src/core/errors.js';
import { startPbx, type RunningPbx } from '../../../src/pbx/server.js';
import { rejection } from './fakes.js';

let dir = '';
let pbx: RunningPbx;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'centrex-api-client-'));
  pbx = await startPbx({ db: join(dir, 'pbx.db'), port: 0, demo: true, demoPassword: 'pw' });
});
after(async () => {
  await pbx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A fresh client signed in as a demo user. */
async function session(email: string, extra: Partial<ConstructorParameters<typeof HttpApi>[0]> = {}): Promise<HttpApi> {
  const api = new HttpApi({ baseUrl: pbx.url, ...extra });
  await api.login(email, 'pw');
  return api;
}

/**
 * The first item of `stream` that `matches`. The time limit only makes a broken test fail sooner; passing never
 * depends on it.
 */
function next(stream: ApiEventStream, matches: (item: ApiStreamItem) => boolean, what: string): Promise<ApiStreamItem> {
  return new Promise((resolve, reject) => {
    const limit = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no ${what} within 10 s`));
    }, 10_000);
    const unsubscribe = stream.subscribe((item) => {
      if (!matches(item)) return;
      clearTimeout(limit);
      unsubscribe();
      resolve(item);
    });
  });
}

describe('HttpApi against the reference PBX: session', () => {
  it('signs in and reads the user', async () => {
    const api = new HttpApi({ baseUrl: pbx.url });
    const before = Date.now();
    const me = await api.login('ben@demo.test', 'pw');
    expect(me).to.include({ name: 'Ben Berger', email: 'ben@demo.test', extension: '11', role: 'user', language: 'de' });
    expect(me.tenant).to.include({ name: 'Demo GmbH', country: 'DE', sipDomain: 'localhost' });
    expect(me.tenant.extensionDigits).to.deep.equal([2, 4]);
    // Sessions last 12 h by default.
    const expires = api.expiresAt?.getTime() ?? 0;
    expect(expires - before).to.be.within(12 * 3600_000 - 60_000, 12 * 3600_000 + 60_000);
    expect(await api.getMe()).to.deep.equal(me);
  });

  it('reports a wrong password with the API’s code, and an unknown user the same way', async () => {
    const api = new HttpApi({ baseUrl: pbx.url });
    const wrong = await rejection(api.login('ben@demo.test', 'not-the-password'), 'api-invalid-credentials');
    expect(wrong.details).to.include({ status: 401, apiCode: 'invalid-credentials' });
    const unknown = await rejection(api.login('nobody@demo.test', 'pw'), 'api-invalid-credentials');
    expect(unknown.message).to.equal(wrong.message);
    expect(api.signedIn).to.equal(false);
    await rejection(api.getMe(), 'api-unauthorized');
  });

  it('issues SIP credentials for the web device', async () => {
    const api = await session('ben@demo.test');
    const sip = await api.getSipRegistration();
    expect(sip.websocketUrl).to.equal(`${pbx.url.replace(/^http/, 'ws')}/sip`);
    expect(sip.uri).to.equal('sip:11@localhost');
    expect(sip.realm).to.equal('localhost');
    expect(sip.displayName).to.equal('Ben Berger');
    expect(sip.authorizationUsername).to.match(/^11-/);
    expect(sip.password.length).to.be.greaterThan(16);
    expect(Date.parse(sip.expiresAt)).to.be.greaterThan(Date.now());
    const devices = await api.listDevices();
    expect(devices.find((d) => d.id === sip.deviceId)?.kind).to.equal('web');
    // Each call issues a new credential.
    expect((await api.getSipRegistration()).password).not.to.equal(sip.password);
  });

  it('signs out: the token stops working on the server, and streams on it end with api-unauthorized', async () => {
    const tokens: string[] = [];
    // A fetch that notes the bearer tokens it sends, to try the old token after logout.
    const noting: typeof fetch = (input, init) => {
      const auth = new Headers(init?.headers).get('authorization');
      if (auth !== null) tokens.push(auth.slice('Bearer '.length));
      return fetch(input, init);
    };
    const api = await session('clara@demo.test', { fetch: noting });
    await api.getMe();
    const token = tokens[0] ?? '';
    expect(token).not.to.equal('');

    // A second client on the same session (e.g. another tab handed the token) with a stream open.
    const lost: CentrexError[] = [];
    const twin = new HttpApi({ baseUrl: pbx.url, token, onUnauthorized: (error) => lost.push(error) });
    const stream = twin.events(undefined, { minRetryMs: 0, maxRetryMs: 50 });
    await next(stream, (item) => item.type === 'ready', 'ready event');

    await api.logout();
    expect(api.signedIn).to.equal(false);
    const ended = await stream.closed;
    expect(isCentrexError(ended, 'api-unauthorized')).to.equal(true);
    expect(lost.map((e) => e.code)).to.deep.equal(['api-unauthorized']);
    expect(twin.signedIn).to.equal(false);
    await rejection(new HttpApi({ baseUrl: pbx.url, token }).getMe(), 'api-unauthorized');
  });
});

describe('HttpApi against the reference PBX: forwarding', () => {
  it('reads and replaces the settings, and rejects invalid ones leaving them unchanged', async () => {
    const api = await session('clara@demo.test');
    const current = await api.getForwarding();
    expect(current.activeProfile).to.equal(0);
    expect(current.profiles.map((p) => p.title)).to.deep.equal(['Standard', 'Urlaub', 'Homeoffice']);

    const vacation: ForwardingSettings = { ...current, activeProfile: 1 };
    const stored = await api.putForwarding(vacation);
    expect(stored.activeProfile).to.equal(1);
    expect(await api.getForwarding()).to.deep.equal(stored);

    const broken: ForwardingSettings = { ...stored, activeProfile: 7 };
    const error = await rejection(api.putForwarding(broken), 'api-validation-failed');
    expect(error.details?.['apiCode']).to.equal('validation-failed');
    const issues = error.details?.['issues'];
    expect(Array.isArray(issues) && issues.some((issue: { code?: string }) => issue.code === 'active-profile-missing')).to.equal(true);

    const badTimeout = {
      ...stored,
      profiles: stored.profiles.map((p) => (p.number === 0 ? { ...p, forwarding: { noAnswer: { after: 7, to: { type: 'voicemail' } } } } : p)),
    } as unknown as ForwardingSettings;
    await rejection(api.putForwarding(badTimeout), 'api-validation-failed');
    expect(await api.getForwarding()).to.deep.equal(stored);

    // Back to the default profile for the other tests.
    await api.putForwarding(current);
  });
});

describe('HttpApi against the reference PBX: contacts', () => {
  it('shows global contacts and the user’s own private ones only, and enforces who may write', async () => {
    const ben = await session('ben@demo.test');
    const clara = await session('clara@demo.test');
    const anna = await session('anna@demo.test');

    const visible = await ben.listContacts();
    const names = visible.map((c) => c.name);
    expect(names).to.include.members(['Muster AG', 'Petra Kunde', 'IT-Dienstleister Nord', 'Werkstatt Huber']);
    expect(names).not.to.include('Dr. Weber (Steuerberater)');
    expect(visible.filter((c) => c.scope === 'global').every((c) => !c.writable)).to.equal(true);
    expect((await ben.listContacts('private')).map((c) => c.name)).to.deep.equal(['Werkstatt Huber']);

    const own = await ben.createContact({ name: 'Zahnarzt Dr. Roth', numbers: [{ label: 'Praxis', number: '089 55501234' }] });
    expect(own).to.include({ scope: 'private', writable: true, name: 'Zahnarzt Dr. Roth' });
    // Another user cannot see it, not even by id.
    await rejection(clara.getContact(own.id), 'api-not-found');
    expect((await clara.listContacts()).some((c) => c.id === own.id)).to.equal(false);
    // A contact read earlier can be changed and sent back as it is.
    const renamed = await ben.updateContact(own.id, { ...own, name: 'Zahnarztpraxis Roth' });
    expect(renamed.name).to.equal('Zahnarztpraxis Roth');
    await rejection(clara.deleteContact(own.id), 'api-not-found');

    const forbidden = await rejection(ben.createContact({ name: 'Global by user', scope: 'global' }), 'api-forbidden');
    expect(apiErrorCodeOf(forbidden)).to.equal('forbidden');
    const global = visible.find((c) => c.name === 'Muster AG') as Contact;
    await rejection(ben.deleteContact(global.id), 'api-forbidden');

    const shared = await anna.createContact({ name: 'Stadtwerke', scope: 'global', numbers: [{ number: '089 2361 0' }] });
    const seenByBen = await ben.getContact(shared.id);
    expect(seenByBen).to.include({ scope: 'global', writable: false, name: 'Stadtwerke' });
    await anna.deleteContact(shared.id);
    await ben.deleteContact(own.id);
    await rejection(ben.getContact(own.id), 'api-not-found');

    const invalid = await rejection(ben.createContact({ name: 'X', email: 'not-an-email' }), 'api-validation-failed');
    expect(invalid.details?.['field']).to.equal('email');
  });
});

describe('HttpApi against the reference PBX: favorites, queues, rooms, history, directory', () => {
  it('adds, reorders, changes and removes function keys', async () => {
    const api = await session('david@demo.test');
    const initial = await api.listFavorites();
    expect(initial.map((f) => f.position)).to.deep.equal([1, 2, 3, 4, 5]);
    expect(initial.map((f) => f.type)).to.deep.equal(['blf', 'blf', 'blf', 'speed-dial', 'star-code']);

    const added = await api.createFavorite({ name: 'Hotline', type: 'speed-dial', target: '040 66969 123' });
    expect(added.position).to.equal(6);
    const taken = await rejection(api.createFavorite({ name: 'Clash', type: 'blf', target: '10', position: 1 }), 'api-conflict');
    expect(taken.details?.['apiCode']).to.equal('conflict');

    const reversed = await api.reorderFavorites([...(await api.listFavorites())].reverse());
    expect(reversed.map((f) => f.name)).to.deep.equal(['Hotline', 'Urlaub an', 'Muster AG', 'Clara Schmidt', 'Ben Berger', 'Anna Admin']);
    expect(reversed.map((f) => f.position)).to.deep.equal([1, 2, 3, 4, 5, 6]);

    const hotline = reversed[0];
    if (hotline === undefined) throw new Error('no key');
    const moved = await api.updateFavorite(hotline.id, { ...hotline, position: 9 });
    expect(moved.position).to.equal(9);
    await api.deleteFavorite(hotline.id);
    await rejection(api.deleteFavorite(hotline.id), 'api-not-found');
    await rejection(api.createFavorite({ name: 'Bad', type: 'star-code', target: 'abc' }), 'api-validation-failed');
    await api.replaceFavorites(initial);
    expect((await api.listFavorites()).map((f) => f.name)).to.deep.equal(initial.map((f) => f.name));
  });

  it('logs in to and out of queues, and subscribes to rooms with the PIN', async () => {
    const api = await session('ben@demo.test');
    const [support] = await api.listQueues();
    expect(support).to.include({ name: 'Support', extension: '50', member: true, loggedIn: true });
    if (support === undefined) throw new Error('no queue');
    expect((await api.queueLogout(support.id)).loggedIn).to.equal(false);
    expect((await api.queueLogin(support.id)).loggedIn).to.equal(true);
    await rejection(api.queueLogin('no-such-queue'), 'api-not-found');

    const [room] = await api.listRooms();
    if (room === undefined) throw new Error('no room');
    expect(room).to.include({ name: 'Konferenzraum', extension: '70', subscribed: false });
    const wrong = await rejection(api.subscribeRoom(room.id, '0000'), 'api-forbidden');
    expect(apiErrorCodeOf(wrong)).to.equal('wrong-pin');
    expect(wrong.details?.['field']).to.equal('pin');
    expect((await api.subscribeRoom(room.id, '4711')).subscribed).to.equal(true);
    await api.unsubscribeRoom(room.id);
    expect((await api.listRooms())[0]?.subscribed).to.equal(false);
  });

  it('lists, pages and deletes the call list', async () => {
    const anna = await session('anna@demo.test');
    const entries = await anna.listHistory();
    expect(entries.map((e) => e.peer.name)).to.deep.equal(['Ben Berger', 'Petra Kunde']);
    expect(entries[1]).to.deep.include({ direction: 'in', result: 'answered', durationS: 185, forwardedBy: null });
    expect(Date.parse(entries[0]?.startedAt ?? '')).to.be.greaterThan(Date.parse(entries[1]?.startedAt ?? ''));
    expect((await anna.listHistory({ limit: 1, offset: 1 })).map((e) => e.peer.name)).to.deep.equal(['Petra Kunde']);
    await rejection(anna.listHistory({ limit: 0 }), 'api-validation-failed');

    const ben = await session('ben@demo.test');
    const [forwarded] = await ben.listHistory();
    expect(forwarded?.forwardedBy).to.deep.equal({ number: null, extension: '12', name: 'Clara Schmidt' });
    // Not Ben's entry: invisible to him.
    await rejection(ben.deleteHistoryEntry(entries[0]?.id ?? ''), 'api-not-found');
    await anna.deleteHistoryEntry(entries[0]?.id ?? '');
    expect((await anna.listHistory()).map((e) => e.peer.name)).to.deep.equal(['Petra Kunde']);
  });

  it('returns the directory as core entries that the search index takes as they are', async () => {
    const api = await session('ben@demo.test');
    const entries = await api.getDirectory();
    const kinds = new Set(entries.map((e) => e.kind));
    expect([...kinds].sort()).to.deep.equal(['contact', 'extension', 'group', 'room']);
    expect(entries.some((e) => e.name === 'Dr. Weber (Steuerberater)')).to.equal(false);
    const me = await api.getMe();
    // The tenant summary carries what the dial plan needs; the country is the demo's.
    expect(me.tenant.country).to.equal('DE');
    const index = createDirectoryIndex(entries, { dialPlan: { country: 'DE', extensionDigits: me.tenant.extensionDigits } });
    const found = index.search('clara');
    expect(found.groups[0]?.hits[0]?.entry).to.deep.include({ kind: 'extension', extension: '12', name: 'Clara Schmidt' });
    expect(index.search('werkst').groups[0]?.hits[0]?.entry).to.deep.include({ kind: 'contact', scope: 'private' });
  });
});

describe('HttpApi against the reference PBX: settings, click-to-dial, admin', () => {
  it('changes settings', async () => {
    const api = await session('david@demo.test');
    const before = await api.getSettings();
    expect(before).to.include({ dnd: false, callWaiting: false });
    const after = await api.updateSettings({ dnd: true, voicemail: { pin: '4321' } });
    expect(after.dnd).to.equal(true);
    expect(after.voicemail.pinSet).to.equal(true);
    const error = await rejection(api.updateSettings({ voicemail: { pin: '12' } }), 'api-validation-failed');
    expect(error.details?.['field']).to.equal('voicemail.pin');
    await api.updateSettings({ dnd: false });
  });

  it('click-to-dial answers with a call id, or with the documented code while call control is not wired', async () => {
    const api = await session('ben@demo.test');
    const devices = await api.listDevices();
    const desk = devices.find((d) => d.kind === 'desk');
    if (desk === undefined) throw new Error('Ben has no desk phone in the demo');
    let outcome: unknown;
    try {
      outcome = await api.clickToDial(desk.id, '12');
    } catch (error) {
      outcome = error;
    }
    if (isCentrexError(outcome)) {
      // 503 not-available without call control; 409 device-unavailable once routing runs but the phone is offline.
      expect(outcome.code).to.be.oneOf(['api-unavailable', 'api-call-failed']);
      expect(apiErrorCodeOf(outcome)).to.be.oneOf(['not-available', 'device-unavailable']);
      expect(outcome.details?.['status']).to.be.oneOf([503, 409]);
    } else {
      expect(outcome).to.have.property('callId').that.is.a('string');
      expect(outcome).to.include({ device: desk.id, to: '12' });
    }
    // The checks before call control run either way.
    await rejection(api.clickToDial('not-my-device', '12'), 'api-not-found');
    const premium = await rejection(api.clickToDial(desk.id, '0900 1234567'), 'api-forbidden');
    expect(apiErrorCodeOf(premium)).to.equal('destination-not-allowed');
    await rejection(api.clickToDial(desk.id, '11'), 'api-validation-failed');
  });

  it('reaches the admin endpoints as an admin only', async () => {
    const anna = await session('anna@demo.test');
    const users = await anna.admin.listUsers();
    expect(users.map((u) => u.extension)).to.include.members(['10', '11', '12', '13']);
    expect((await anna.admin.getTenant()).name).to.equal('Demo GmbH');
    const ben = await session('ben@demo.test');
    await rejection(ben.admin.listUsers(), 'api-forbidden');
    const created = await anna.admin.createUser({ name: 'Eva Neu', email: 'eva@demo.test', extension: '14' });
    expect(created.user).to.include({ extension: '14', hasPassword: false });
    await rejection(anna.admin.createUser({ name: 'Eva Zwei', email: 'eva2@demo.test', extension: '14' }), 'api-conflict');
    await anna.admin.deleteUser(created.user.id);
  });
});

describe('HttpApi against the reference PBX: events', () => {
  it('delivers a forwarding change made in another session of the same user', async () => {
    const watcher = await session('clara@demo.test');
    const editor = await session('clara@demo.test');
    const stream = watcher.events();
    try {
      const ready = await next(stream, (item) => item.type === 'ready', 'ready event');
      const me = await watcher.getMe();
      expect(ready.type === 'ready' && ready.data).to.deep.equal({ userId: me.id, tenantId: me.tenant.id });

      const current = await editor.getForwarding();
      const arriving = next(stream, (item) => item.type === 'forwarding', 'forwarding event');
      await editor.putForwarding({ ...current, activeProfile: 2 });
      const event = await arriving;
      if (event.type !== 'forwarding') throw new Error('not a forwarding event');
      expect(event.data.source).to.equal('api');
      expect(event.data.settings.activeProfile).to.equal(2);
      expect(Number(event.id)).to.be.greaterThan(1);

      // Settings changes arrive as the whole settings; another user's changes do not arrive at all.
      const settingsEvent = next(stream, (item) => item.type === 'settings', 'settings event');
      const ben = await session('ben@demo.test');
      await ben.putForwarding(await ben.getForwarding());
      await editor.updateSettings({ welcomeSound: false });
      const settings = await settingsEvent;
      expect(settings.type === 'settings' && settings.data.welcomeSound).to.equal(false);
      await editor.putForwarding(current);
    } finally {
      stream.close();
    }
    expect(await stream.closed).to.equal(undefined);
  });

  it('delivers presence and data changes of the tenant', async () => {
    const watcher = await session('ben@demo.test');
    const anna = await session('anna@demo.test');
    const stream = watcher.events();
    try {
      await next(stream, (item) => item.type === 'ready', 'ready event');
      const changed = next(stream, (item) => item.type === 'data-changed', 'data-changed event');
      const contact = await anna.createContact({ name: 'Neu global', scope: 'global' });
      const item = await changed;
      expect(item.type === 'data-changed' && item.data.area).to.equal('contacts');
      await anna.deleteContact(contact.id);
    } finally {
      stream.close();
    }
  });
});
