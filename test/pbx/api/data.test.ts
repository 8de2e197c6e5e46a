import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import type { ForwardingSettings } from '../../../src/core/forwarding/index.js';
import { list, obj, startApi, type TestApi } from './helpers.js';

let api: TestApi;
let admin: string;
let ann: string;
let bob: string;
let zoe: string;
before(async () => {
  api = await startApi();
  [admin, ann, bob, zoe] = await Promise.all(['admin@alpha.test', 'ann@alpha.test', 'bob@alpha.test', 'zoe@beta.test'].map((email) => api.login(email)));
});
after(() => api.close());

describe('API: contacts', () => {
  it('never shows a private contact to another user, not even by id', async () => {
    const created = await api.request('POST', '/contacts', {
      token: ann,
      body: { name: 'Ann’s dentist', numbers: [{ label: 'Praxis', number: '089 99998 555' }] },
    });
    expect(created.status).to.equal(201);
    const contact = obj(created.json);
    expect(contact).to.include({ scope: 'private', writable: true });
    const id = String(contact['id']);

    const bobs = list(obj((await api.request('GET', '/contacts', { token: bob })).json)['contacts']);
    expect(bobs.map((c) => c['id'])).not.to.include(id);
    for (const [method, body] of [['GET', undefined], ['PUT', { name: 'mine now' }], ['DELETE', undefined]] as const) {
      const response = await api.request(method, `/contacts/${id}`, { token: bob, ...(body ? { body } : {}) });
      expect(response.status, method).to.equal(404);
    }
    const adminView = await api.request('GET', `/contacts/${id}`, { token: admin });
    expect(adminView.status).to.equal(404);
    expect(JSON.stringify((await api.request('GET', '/directory', { token: bob })).json)).not.to.include('dentist');
    expect(obj((await api.request('GET', `/contacts/${id}`, { token: ann })).json)['name']).to.equal('Ann’s dentist');
  });

  it('lets admins write global contacts and users only read them', async () => {
    const asUser = await api.request('POST', '/contacts', { token: ann, body: { scope: 'global', name: 'Supplier' } });
    expect(asUser.status).to.equal(403);
    const created = await api.request('POST', '/contacts', { token: admin, body: { scope: 'global', name: 'Supplier', company: 'Supply AG' } });
    expect(created.status).to.equal(201);
    const id = String(obj(created.json)['id']);
    const seen = list(obj((await api.request('GET', '/contacts?scope=global', { token: ann })).json)['contacts']).find((c) => c['id'] === id);
    expect(seen).to.include({ name: 'Supplier', writable: false });
    expect((await api.request('PUT', `/contacts/${id}`, { token: ann, body: { name: 'Changed' } })).status).to.equal(403);
    expect((await api.request('DELETE', `/contacts/${id}`, { token: ann })).status).to.equal(403);
    expect((await api.request('PUT', `/contacts/${id}`, { token: admin, body: { name: 'Supplier GmbH' } })).status).to.equal(200);
    // Another tenant sees nothing of it.
    expect((await api.request('GET', `/contacts/${id}`, { token: zoe })).status).to.equal(404);
    expect(JSON.stringify((await api.request('GET', '/contacts', { token: zoe })).json)).not.to.include('Supplier');
    expect((await api.request('DELETE', `/contacts/${id}`, { token: admin })).status).to.equal(204);
  });

  it('validates contacts field by field', async () => {
    const response = await api.request('POST', '/contacts', { token: ann, body: { name: 'X', numbers: [{ number: 42 }] } });
    expect(obj(response.json)).to.include({ code: 'validation-failed', field: 'numbers.0.number' });
    const moved = await api.request('POST', '/contacts', { token: ann, body: { name: 'X', nickname: 'y' } });
    expect(obj(moved.json)).to.include({ code: 'validation-failed', field: 'nickname' });
  });
});

describe('API: tenant isolation', () => {
  it('shows a user only their own tenant everywhere', async () => {
    const me = obj((await api.request('GET', '/me', { token: zoe })).json);
    expect(obj(me['tenant'])['id']).to.equal(api.fixture.beta.id);
    const directory = JSON.stringify((await api.request('GET', '/directory', { token: zoe })).json);
    expect(directory).to.include('Zoe Beta').and.not.include('Ann Alpha');
    const queue = api.store.createQueue(api.fixture.alpha.id, { name: 'Alpha queue', extension: '51' });
    expect((await api.request('POST', `/queues/${queue.id}/login`, { token: zoe })).status).to.equal(404);
    expect(JSON.stringify((await api.request('GET', '/queues', { token: zoe })).json)).not.to.include('Alpha queue');
    const entry = api.store.addHistoryEntry(api.fixture.users.ann.id, { direction: 'in', peer: { extension: '12' }, result: 'missed', startedAt: 1, durationS: 0 });
    expect((await api.request('DELETE', `/history/${entry.id}`, { token: zoe })).status).to.equal(404);
    expect((await api.request('DELETE', `/history/${entry.id}`, { token: bob })).status).to.equal(404);
    expect(list(obj((await api.request('GET', '/history', { token: ann })).json)['entries']).map((e) => e['id'])).to.include(entry.id);
  });
});

describe('API: function keys', () => {
  it('enforces unique positions 1–64 and valid targets', async () => {
    const first = await api.request('POST', '/favorites', { token: bob, body: { position: 1, name: 'Ann', type: 'blf', target: '11' } });
    expect(first.status).to.equal(201);
    const taken = await api.request('POST', '/favorites', { token: bob, body: { position: 1, name: 'Alma', type: 'blf', target: '10' } });
    expect(taken.status).to.equal(409);
    expect(obj(taken.json)).to.include({ code: 'conflict', field: 'position' });
    const tooHigh = await api.request('POST', '/favorites', { token: bob, body: { position: 65, name: 'X', type: 'blf', target: '10' } });
    expect(obj(tooHigh.json)).to.include({ code: 'validation-failed', field: 'position' });
    const fraction = await api.request('POST', '/favorites', { token: bob, body: { position: 1.5, name: 'X', type: 'blf', target: '10' } });
    expect(obj(fraction.json)).to.include({ code: 'validation-failed', field: 'position' });
    const badType = await api.request('POST', '/favorites', { token: bob, body: { name: 'X', type: 'macro', target: '10' } });
    expect(obj(badType.json)).to.include({ code: 'validation-failed', field: 'type' });
    const auto = await api.request('POST', '/favorites', { token: bob, body: { name: 'Voicemail', type: 'star-code', target: '*791' } });
    expect(obj(auto.json)['position']).to.equal(2);
    const reorder = await api.request('PUT', '/favorites', {
      token: bob,
      body: { favorites: [{ position: 1, name: 'Voicemail', type: 'star-code', target: '*791' }, { position: 2, name: 'Ann', type: 'blf', target: '11' }] },
    });
    expect(list(obj(reorder.json)['favorites']).map((f) => f['name'])).to.deep.equal(['Voicemail', 'Ann']);
    const clash = await api.request('PUT', '/favorites', {
      token: bob,
      body: { favorites: [{ position: 3, name: 'A', type: 'blf', target: '11' }, { position: 3, name: 'B', type: 'blf', target: '10' }] },
    });
    expect(obj(clash.json)).to.include({ code: 'validation-failed', field: 'favorites.1.position' });
    expect(list(obj((await api.request('GET', '/favorites', { token: bob })).json)['favorites'])).to.have.length(2);
    const id = String(list(obj(reorder.json)['favorites'])[0]?.['id']);
    expect((await api.request('DELETE', `/favorites/${id}`, { token: ann })).status).to.equal(404);
    expect((await api.request('DELETE', `/favorites/${id}`, { token: bob })).status).to.equal(204);
  });
});

describe('API: forwarding', () => {
  const vacation: ForwardingSettings = {
    activeProfile: 1,
    profiles: [
      { number: 0, title: 'Standard', forwarding: { noAnswer: { after: 20, to: { type: 'voicemail' } } }, selective: [] },
      {
        number: 1,
        title: 'Urlaub',
        forwarding: { always: { type: 'number', number: '12' } },
        selective: [{ id: 'boss', match: { type: 'extension', extension: '10' }, forwarding: {} }],
      },
    ],
  };

  it('reads and replaces the whole settings, validated by the core', async () => {
    expect(obj((await api.request('GET', '/me/forwarding', { token: ann })).json)['activeProfile']).to.equal(0);
    const put = await api.request('PUT', '/me/forwarding', { token: ann, body: vacation });
    expect(put.status).to.equal(200);
    expect(put.json).to.deep.equal(vacation);
    expect((await api.request('GET', '/me/forwarding', { token: ann })).json).to.deep.equal(vacation);
  });

  it('rejects invalid settings with 4xx and keeps the old ones', async () => {
    const invalid = [
      { ...vacation, activeProfile: 7 },
      { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding: { noAnswer: { after: 7, to: { type: 'voicemail' } } }, selective: [] }] },
      { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding: {}, selective: vacation.profiles[1]?.selective }] },
      { activeProfile: 0, profiles: 'all of them' },
      [],
      { ...vacation, extra: true },
      { activeProfile: 0, profiles: [{ number: 0, title: 'Standard', forwarding: { always: { type: 'number', number: '+44 20 7946 0000' } }, selective: [] }] },
    ];
    for (const body of invalid) {
      const response = await api.request('PUT', '/me/forwarding', { token: ann, body });
      expect(response.status, JSON.stringify(body)).to.be.within(400, 499);
      expect(obj(response.json)['code']).to.be.oneOf(['validation-failed', 'destination-not-allowed']);
    }
    const issues = await api.request('PUT', '/me/forwarding', { token: ann, body: invalid[0] });
    expect(obj(issues.json)['issues']).to.be.an('array').with.length.greaterThan(0);
    expect((await api.request('GET', '/me/forwarding', { token: ann })).json).to.deep.equal(vacation);
  });
});

describe('API: settings, devices, queues, rooms, call list, directory', () => {
  it('reads and changes the B.3 settings, hashing the voicemail PIN', async () => {
    const settings = obj((await api.request('GET', '/me/settings', { token: bob })).json);
    expect(settings).to.include({ callWaiting: false, intercom: false, dnd: false });
    const changed = await api.request('PATCH', '/me/settings', {
      token: bob,
      body: { callWaiting: true, parallelCall: { enabled: true, target: '11' }, voicemail: { pin: '2468', sendByEmail: true } },
    });
    expect(changed.status).to.equal(200);
    expect(obj(changed.json)).to.deep.include({ callWaiting: true, parallelCall: { enabled: true, target: '11' } });
    expect(obj(obj(changed.json)['voicemail'])).to.include({ pinSet: true, sendByEmail: true });
    expect(changed.text).not.to.include('2468');
    expect(api.store.getVoicemailPinHash(api.fixture.users.bob.id)).to.match(/^scrypt\$/);
    expect(obj((await api.request('PATCH', '/me/settings', { token: bob, body: { voicemail: { pin: '12' } } })).json)['field']).to.equal('voicemail.pin');
    expect(obj((await api.request('PATCH', '/me/settings', { token: bob, body: { dnd: 'yes' } })).json)['field']).to.equal('dnd');
    const premium = await api.request('PATCH', '/me/settings', { token: bob, body: { parallelCall: { enabled: true, target: '0900 5123456' } } });
    expect(premium.status).to.equal(403);
    expect(obj(premium.json)['code']).to.equal('destination-not-allowed');
  });

  it('adds and removes external numbers for "Anrufen mit"', async () => {
    const added = await api.request('POST', '/me/devices', { token: ann, body: { name: 'Hotel', number: '030 23125 777' } });
    expect(added.status).to.equal(201);
    expect(obj(added.json)).to.include({ kind: 'external', number: '+493023125777' });
    const devices = list(obj((await api.request('GET', '/me/devices', { token: ann })).json)['devices']);
    expect(devices.map((d) => d['kind'])).to.deep.equal(['web', 'external']);
    expect((await api.request('DELETE', `/me/devices/${String(devices[0]?.['id'])}`, { token: ann })).status).to.equal(403);
    expect((await api.request('DELETE', `/me/devices/${String(devices[1]?.['id'])}`, { token: bob })).status).to.equal(404);
    expect((await api.request('DELETE', `/me/devices/${String(devices[1]?.['id'])}`, { token: ann })).status).to.equal(204);
    const desk = await api.request('POST', '/me/devices', { token: ann, body: { kind: 'desk', name: 'Phone', number: '030 23125 777' } });
    expect(obj(desk.json)['field']).to.equal('kind');
  });

  it('logs in to and out of queues', async () => {
    const queue = api.store.createQueue(api.fixture.alpha.id, { name: 'Support', extension: '50' });
    const login = await api.request('POST', `/queues/${queue.id}/login`, { token: ann });
    expect(obj(login.json)).to.include({ member: true, loggedIn: true });
    const logout = await api.request('POST', `/queues/${queue.id}/logout`, { token: ann });
    expect(obj(logout.json)).to.include({ member: true, loggedIn: false });
    const queues = list(obj((await api.request('GET', '/queues', { token: bob })).json)['queues']);
    expect(queues.find((q) => q['id'] === queue.id)).to.include({ member: false, loggedIn: false });
    expect((await api.request('DELETE', `/queues/${queue.id}/membership`, { token: ann })).status).to.equal(204);
  });

  it('subscribes to a conference room only with its PIN', async () => {
    const created = await api.request('POST', '/admin/rooms', { token: admin, body: { name: 'Board room', extension: '70', pin: '13579' } });
    expect(created.status).to.equal(201);
    const id = String(obj(created.json)['id']);
    expect(created.text).not.to.include('13579');
    const wrong = await api.request('POST', `/rooms/${id}/subscription`, { token: ann, body: { pin: '0000' } });
    expect(wrong.status).to.equal(403);
    expect(obj(wrong.json)['code']).to.equal('wrong-pin');
    expect(obj((await api.request('POST', `/rooms/${id}/subscription`, { token: ann, body: { pin: '13579' } })).json)['subscribed']).to.equal(true);
    expect((await api.request('POST', `/rooms/${id}/subscription`, { token: zoe, body: { pin: '13579' } })).status).to.equal(404);
    const rooms = list(obj((await api.request('GET', '/rooms', { token: ann })).json)['rooms']);
    expect(rooms.find((r) => r['id'] === id)).to.include({ subscribed: true, extension: '70' });
  });

  it('lists the call list newest first and deletes own entries', async () => {
    const user = api.fixture.users.bob.id;
    const old = api.store.addHistoryEntry(user, { direction: 'in', peer: { number: '+4989111' }, result: 'missed', startedAt: 1_000, durationS: 0 });
    const recent = api.store.addHistoryEntry(user, { direction: 'out', peer: { extension: '11', name: 'Ann' }, result: 'answered', startedAt: 5_000, durationS: 30 });
    const entries = list(obj((await api.request('GET', '/history?limit=2', { token: bob })).json)['entries']);
    expect(entries.map((e) => e['id'])).to.deep.equal([recent.id, old.id]);
    expect(entries[0]).to.include({ direction: 'out', result: 'answered', durationS: 30, startedAt: new Date(5_000).toISOString() });
    expect(obj((await api.request('GET', '/history?limit=0', { token: bob })).json)['field']).to.equal('limit');
    expect((await api.request('DELETE', `/history/${old.id}`, { token: bob })).status).to.equal(204);
    expect((await api.request('DELETE', '/history', { token: bob })).status).to.equal(204);
    expect(list(obj((await api.request('GET', '/history', { token: bob })).json)['entries'])).to.deep.equal([]);
  });

  it('serves a directory in the core directory’s shapes', async () => {
    const entries = list(obj((await api.request('GET', '/directory', { token: ann })).json)['entries']);
    const bobEntry = entries.find((e) => e['kind'] === 'extension' && e['extension'] === '12');
    expect(bobEntry).to.deep.include({ name: 'Bob Alpha', numbers: [{ number: '+4989123456712', label: 'direct' }] });
    expect(entries.some((e) => e['kind'] === 'room')).to.equal(true);
    expect(entries.some((e) => e['kind'] === 'group')).to.equal(true);
    for (const entry of entries) expect(entry['numbers']).to.be.an('array');
  });
});
