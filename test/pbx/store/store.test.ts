import { after, before } from 'node:test';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import { applyStarCode, createDefaultForwarding, parseStarCode, type ForwardingSettings } from '../../../src/core/forwarding/index.js';
import {
  checkDestination,
  hashPassword,
  isStoreError,
  md5Hex,
  openStore,
  sha256Hex,
  verifyPassword,
  type Store,
} from '../../../src/pbx/store/index.js';
import { PASSWORD, seedFixture, tempDir, testClock, type Fixture } from './fixture.js';

function storeError(fn: () => unknown): { code: string; field: string | undefined } {
  try {
    fn();
  } catch (error) {
    if (isStoreError(error)) return { code: error.code, field: error.field };
    throw error;
  }
  throw new Error('expected a StoreError');
}

const dir = tempDir();
const clock = testClock();
let store: Store;
let fx: Fixture;
before(async () => {
  store = openStore({ file: join(dir, 'store.sqlite'), clock: clock.read });
  fx = await seedFixture(store);
});
after(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('store: users and passwords', () => {
  it('never stores a password in plain text, salts every hash and verifies in constant time', async () => {
    const secret = 'Unguessable-Plaintext-4711';
    const hash = await hashPassword(secret);
    const { user } = store.createUser(fx.alpha.id, { name: 'Pia', email: 'pia@alpha.test', extension: '31', passwordHash: hash });
    expect(hash).to.match(/^scrypt\$\d+\$\d+\$\d+\$/);
    expect(hash).not.to.include(secret);
    expect(await hashPassword(secret)).not.to.equal(hash);
    expect(await verifyPassword(secret, store.getPasswordHash(user.id) ?? '')).to.equal(true);
    expect(await verifyPassword('wrong', hash)).to.equal(false);
    expect(await verifyPassword(secret, 'garbage')).to.equal(false);
    store.close();
    // Nothing in the database files contains the password (WAL included).
    for (const name of readdirSync(dir)) {
      expect(readFileSync(join(dir, name)).includes(Buffer.from(secret)), name).to.equal(false);
      expect(readFileSync(join(dir, name)).includes(Buffer.from(PASSWORD)), name).to.equal(false);
    }
    store = openStore({ file: join(dir, 'store.sqlite'), clock: clock.read });
  });

  it('treats e-mail addresses as unique without regard to case, across tenants', () => {
    expect(store.findLoginByEmail('ANN@Alpha.Test')?.user.id).to.equal(fx.users.ann.id);
    expect(storeError(() => store.createUser(fx.beta.id, { name: 'X', email: 'Ann@alpha.test', extension: '44' }))).to.deep.equal({
      code: 'conflict',
      field: 'email',
    });
  });

  it('keeps users, queues and rooms on one extension space per tenant, separate between tenants', () => {
    expect(storeError(() => store.createUser(fx.alpha.id, { name: 'X', email: 'x@alpha.test', extension: '11' })).code).to.equal('conflict');
    expect(storeError(() => store.createQueue(fx.alpha.id, { name: 'Q', extension: '12' })).code).to.equal('conflict');
    expect(storeError(() => store.createUser(fx.alpha.id, { name: 'X', email: 'x@alpha.test', extension: '0123' })).code).to.equal(
      'validation-failed',
    );
    // Extension 11 is free in Beta.
    const { user } = store.createUser(fx.beta.id, { name: 'Yan', email: 'yan@beta.test', extension: '11' });
    expect(store.findUserByExtension(fx.beta.id, '11')?.id).to.equal(user.id);
    expect(store.findUserByExtension(fx.alpha.id, '11')?.id).to.equal(fx.users.ann.id);
  });

  it('creates a user with default forwarding and a web device, or nothing at all', () => {
    const { user, webDevice } = store.createUser(fx.alpha.id, { name: 'Nia', email: 'nia@alpha.test', extension: '33', language: 'en' });
    expect(store.getForwarding(user.id)).to.deep.equal(createDefaultForwarding('Default'));
    expect(store.listDevices(user.id).map((d) => d.kind)).to.deep.equal(['web']);
    expect(store.getUserSettings(user.id)).to.include({ primaryDevice: webDevice.id, callWaiting: false, intercom: false, dnd: false });
    const before = store.listUsers(fx.alpha.id).length;
    expect(() => store.createUser(fx.alpha.id, { name: '', email: 'empty@alpha.test', extension: '34' })).to.throw();
    expect(store.listUsers(fx.alpha.id).length).to.equal(before);
  });

  it('finds tenants by SIP domain without case and users by direct number', () => {
    expect(store.findTenantBySipDomain('ALPHA.test')?.id).to.equal(fx.alpha.id);
    expect(store.findTenantBySipDomain('nowhere.test')).to.equal(undefined);
    expect(store.findUserByNumber('+498912345671' + '1')?.user.id).to.equal(fx.users.ann.id);
    expect(store.findUserByNumber('+49307654321' + '10')?.user.id).to.equal(fx.users.zoe.id);
    expect(store.findUserByNumber('+4989123456799')).to.equal(undefined);
  });

  it('checks settings: primary device of the user, parallel call target readable and allowed', () => {
    const other = store.webDeviceOf(fx.users.bob.id);
    expect(storeError(() => store.updateUserSettings(fx.users.ann.id, { primaryDevice: other?.id ?? '' })).field).to.equal('primaryDevice');
    expect(storeError(() => store.updateUserSettings(fx.users.ann.id, { parallelCall: { enabled: true } })).field).to.equal(
      'parallelCall.target',
    );
    expect(storeError(() => store.updateUserSettings(fx.users.ann.id, { parallelCall: { enabled: true, target: '+44 20 7946 0000' } })).code).to.equal(
      'destination-not-allowed',
    );
    const settings = store.updateUserSettings(fx.users.ann.id, { dnd: true, parallelCall: { enabled: true, target: '0171 3921234' } });
    expect(settings.parallelCall).to.deep.equal({ enabled: true, target: '+491713921234' });
    expect(settings.dnd).to.equal(true);
  });
});

describe('store: SIP credentials', () => {
  it('stores only HA1s, finds them by realm and username, and forgets expired ones', () => {
    const device = store.webDeviceOf(fx.users.ann.id);
    const issued = store.issueSipCredential({ userId: fx.users.ann.id, deviceId: device?.id ?? '', ttlMs: 60_000 });
    expect(issued.realm).to.equal('alpha.test');
    const found = store.findSipCredential('alpha.test', issued.username);
    expect(found).to.deep.include({ userId: fx.users.ann.id, tenantId: fx.alpha.id, deviceId: device?.id, extension: '11' });
    expect(found?.ha1.md5).to.equal(md5Hex(`${issued.username}:alpha.test:${issued.password}`));
    expect(found?.ha1.sha256).to.equal(sha256Hex(`${issued.username}:alpha.test:${issued.password}`));
    expect(store.findSipCredential('beta.test', issued.username)).to.equal(undefined);
    clock.advance(60_001);
    expect(store.findSipCredential('alpha.test', issued.username)).to.equal(undefined);
  });

  it('cannot issue credentials for another user’s device, and revokes them with the session', () => {
    const bobs = store.webDeviceOf(fx.users.bob.id);
    expect(storeError(() => store.issueSipCredential({ userId: fx.users.ann.id, deviceId: bobs?.id ?? '', ttlMs: 1000 })).code).to.equal('not-found');
    const session = store.createSession(fx.users.bob.id, 60_000);
    const issued = store.issueSipCredential({ userId: fx.users.bob.id, deviceId: bobs?.id ?? '', ttlMs: 60_000, sessionId: session.id });
    expect(store.findSipCredential('alpha.test', issued.username)).not.to.equal(undefined);
    store.deleteSession(session.id);
    expect(store.findSipCredential('alpha.test', issued.username)).to.equal(undefined);
  });
});

describe('store: sessions and set-password links', () => {
  it('finds sessions by token until they expire, never by their stored hash', () => {
    const session = store.createSession(fx.users.ann.id, 1000);
    expect(store.findSession(session.token)?.userId).to.equal(fx.users.ann.id);
    expect(store.findSession(sha256Hex(session.token))).to.equal(undefined);
    clock.advance(1001);
    expect(store.findSession(session.token)).to.equal(undefined);
    expect(store.purgeExpired().sessions).to.be.at.least(1);
  });

  it('uses a set-password link once, before it expires, and signs the user out everywhere', () => {
    const session = store.createSession(fx.users.bob.id, 60_000);
    const link = store.createPasswordReset(fx.users.bob.id, 10_000);
    expect(store.consumePasswordReset(link.token, 'scrypt$hash')).to.equal(fx.users.bob.id);
    expect(store.getPasswordHash(fx.users.bob.id)).to.equal('scrypt$hash');
    expect(store.findSession(session.token)).to.equal(undefined);
    expect(store.consumePasswordReset(link.token, 'scrypt$other')).to.equal(undefined);
    const late = store.createPasswordReset(fx.users.bob.id, 10_000);
    clock.advance(10_001);
    expect(store.consumePasswordReset(late.token, 'scrypt$late')).to.equal(undefined);
    expect(store.getPasswordHash(fx.users.bob.id)).to.equal('scrypt$hash');
  });
});

describe('store: contacts', () => {
  it('shows a private contact only to its owner, and global ones to the whole tenant only', () => {
    const ann = { tenantId: fx.alpha.id, userId: fx.users.ann.id };
    const bob = { tenantId: fx.alpha.id, userId: fx.users.bob.id };
    const zoe = { tenantId: fx.beta.id, userId: fx.users.zoe.id };
    const secret = store.createContact(ann, 'private', { name: 'Ann’s doctor', numbers: [{ label: 'Praxis', number: '089 99998 123' }] });
    const shared = store.createContact(ann, 'global', { name: 'Alpha supplier', company: 'Supply AG' });
    expect(store.listContacts(ann).map((c) => c.id)).to.include.members([secret.id, shared.id]);
    expect(store.listContacts(bob).map((c) => c.id)).to.include(shared.id).and.not.include(secret.id);
    expect(store.getContact(bob, secret.id)).to.equal(undefined);
    expect(store.contactNumbers(bob, secret.id)).to.deep.equal([]);
    expect(store.listContacts(zoe).map((c) => c.id)).not.to.include.members([secret.id, shared.id]);
    expect(storeError(() => store.updateContact(bob, secret.id, { name: 'stolen' })).code).to.equal('not-found');
    expect(store.deleteContact(bob, secret.id)).to.equal(false);
    expect(store.deleteContact(zoe, shared.id)).to.equal(false);
    expect(store.getContact(ann, secret.id)?.name).to.equal('Ann’s doctor');
  });

  it('rejects numbers that are not numbers', () => {
    const ann = { tenantId: fx.alpha.id, userId: fx.users.ann.id };
    expect(storeError(() => store.createContact(ann, 'private', { name: 'X', numbers: [{ label: '', number: 'call me' }] })).field).to.equal(
      'numbers.0.number',
    );
  });
});

describe('store: function keys', () => {
  it('keeps positions unique and within 1–64, takes the first free one, and checks targets by type', () => {
    const id = fx.users.ann.id;
    const first = store.createFavorite(id, { name: 'Bob', type: 'blf', target: '12' });
    expect(first.position).to.equal(1);
    expect(store.createFavorite(id, { position: 5, name: 'Intercom', type: 'star-code', target: '*80' }).position).to.equal(5);
    expect(store.createFavorite(id, { name: 'Alma', type: 'blf', target: '10' }).position).to.equal(2);
    expect(storeError(() => store.createFavorite(id, { position: 5, name: 'X', type: 'speed-dial', target: '089 1234567' }))).to.deep.equal({
      code: 'conflict',
      field: 'position',
    });
    expect(storeError(() => store.createFavorite(id, { position: 65, name: 'X', type: 'blf', target: '12' })).field).to.equal('position');
    expect(storeError(() => store.createFavorite(id, { name: 'X', type: 'blf', target: '+49 89 1234' })).field).to.equal('target');
    expect(storeError(() => store.createFavorite(id, { name: 'X', type: 'star-code', target: '80' })).field).to.equal('target');
  });

  it('replaces the whole list atomically and refuses duplicate positions without changing anything', () => {
    const id = fx.users.bob.id;
    store.replaceFavorites(id, [{ name: 'A', type: 'blf', target: '10' }, { name: 'B', type: 'blf', target: '11' }]);
    const before = store.listFavorites(id);
    expect(before.map((f) => f.position)).to.deep.equal([1, 2]);
    expect(
      storeError(() =>
        store.replaceFavorites(id, [
          { position: 3, name: 'A', type: 'blf', target: '10' },
          { position: 3, name: 'B', type: 'blf', target: '11' },
        ]),
      ).field,
    ).to.equal('favorites.1.position');
    expect(store.listFavorites(id)).to.deep.equal(before);
    // Swapping two keys is one replace.
    const swapped = store.replaceFavorites(id, [{ position: 1, name: 'B', type: 'blf', target: '11' }, { position: 2, name: 'A', type: 'blf', target: '10' }]);
    expect(swapped.map((f) => f.name)).to.deep.equal(['B', 'A']);
  });
});

describe('store: forwarding', () => {
  const vacation: ForwardingSettings = {
    activeProfile: 1,
    profiles: [
      { number: 0, title: 'Standard', forwarding: {}, selective: [] },
      {
        number: 1,
        title: 'Urlaub',
        forwarding: { always: { type: 'voicemail' } },
        selective: [{ id: 'boss', match: { type: 'extension', extension: '10' }, forwarding: {} }],
      },
    ],
  };

  it('stores valid settings and rejects invalid ones without touching the stored ones', () => {
    const id = fx.users.ann.id;
    expect(store.setForwarding(id, vacation)).to.deep.equal(vacation);
    const broken = { ...vacation, profiles: [{ number: 0, title: 'Standard', forwarding: {}, selective: vacation.profiles[1]?.selective ?? [] }] };
    const error = storeError(() => store.setForwarding(id, broken));
    expect(error.code).to.equal('validation-failed');
    expect(store.getForwarding(id)).to.deep.equal(vacation);
  });

  it('drops fields the core does not define', () => {
    const id = fx.users.bob.id;
    const withExtra = { ...createDefaultForwarding(), note: 'x' } as ForwardingSettings;
    expect(store.setForwarding(id, withExtra)).to.deep.equal(createDefaultForwarding());
  });

  it('denies new international and premium-rate destinations unless the tenant allows them', () => {
    const id = fx.users.bob.id;
    const to = (number: string): ForwardingSettings => ({
      activeProfile: 0,
      profiles: [{ number: 0, title: 'Standard', forwarding: { always: { type: 'number', number } }, selective: [] }],
    });
    expect(storeError(() => store.setForwarding(id, to('+44 20 7946 0000'))).code).to.equal('destination-not-allowed');
    expect(storeError(() => store.setForwarding(id, to('0900 1234567'))).code).to.equal('destination-not-allowed');
    expect(storeError(() => store.setForwarding(id, to('0180 5123456'))).code).to.equal('destination-not-allowed');
    expect(store.setForwarding(id, to('0171 3921234')).profiles[0]?.forwarding.always).to.deep.equal({ type: 'number', number: '0171 3921234' });
    store.updateTenant(fx.alpha.id, { allowInternational: true });
    expect(store.setForwarding(id, to('+44 20 7946 0000')).activeProfile).to.equal(0);
    store.updateTenant(fx.alpha.id, { allowInternational: false });
    // A destination stored while it was allowed does not block other changes (a star code must still work).
    const next = store.updateForwarding(id, (current) => applyStarCode(current, parseStarCode('*13*791') ?? { type: 'clear', condition: 'busy' }));
    expect(next.profiles[0]?.forwarding.busy).to.deep.equal({ type: 'voicemail' });
    expect(checkDestination('+44 20 7946 0000', fx.alpha)).to.include({ allowed: false, reason: 'international' });
    expect(checkDestination('33', fx.alpha)).to.deep.equal({ allowed: true, kind: 'extension', extension: '33' });
  });

  it('writes nothing when an updateForwarding change throws', () => {
    const id = fx.users.ann.id;
    const before = store.getForwarding(id);
    expect(() => store.updateForwarding(id, () => {
      throw new Error('no');
    })).to.throw('no');
    expect(store.getForwarding(id)).to.deep.equal(before);
  });
});

describe('store: queues, rooms, call lists, transactions', () => {
  it('logs users in and out of queues within their tenant only', () => {
    const queue = store.createQueue(fx.alpha.id, { name: 'Support', extension: '50' });
    expect(store.setQueueLogin(fx.alpha.id, queue.id, fx.users.ann.id, true)).to.include({ member: true, loggedIn: true });
    expect(store.setQueueLogin(fx.alpha.id, queue.id, fx.users.ann.id, false)).to.include({ member: true, loggedIn: false });
    expect(store.listQueueMembers(queue.id)).to.deep.equal([{ userId: fx.users.ann.id, extension: '11', loggedIn: false }]);
    expect(storeError(() => store.setQueueLogin(fx.beta.id, queue.id, fx.users.zoe.id, true)).code).to.equal('not-found');
    expect(storeError(() => store.setQueueLogin(fx.alpha.id, queue.id, fx.users.zoe.id, true)).code).to.equal('not-found');
    expect(store.findQueueByExtension(fx.alpha.id, '50')?.id).to.equal(queue.id);
  });

  it('subscribes users to rooms of their tenant', async () => {
    const room = store.createRoom(fx.alpha.id, { name: 'Board', extension: '70', pinHash: await hashPassword('1234') });
    expect(store.subscribeRoom(fx.alpha.id, room.id, fx.users.bob.id).subscribed).to.equal(true);
    expect(store.listRooms(fx.alpha.id, fx.users.ann.id).find((r) => r.id === room.id)?.subscribed).to.equal(false);
    expect(store.listRooms(fx.beta.id, fx.users.zoe.id)).to.deep.equal([]);
    expect(await verifyPassword('1234', store.getRoomPinHash(fx.alpha.id, room.id) ?? '')).to.equal(true);
    expect(store.getRoomPinHash(fx.beta.id, room.id)).to.equal(undefined);
  });

  it('keeps call lists per user, newest first', () => {
    const a = store.addHistoryEntry(fx.users.ann.id, { direction: 'in', peer: { number: '+4989111' }, result: 'missed', startedAt: 1000, durationS: 0 });
    const b = store.addHistoryEntry(fx.users.ann.id, {
      direction: 'out',
      peer: { extension: '12', name: 'Bob' },
      forwardedBy: { extension: '10' },
      result: 'answered',
      startedAt: 2000,
      durationS: 61,
    });
    expect(store.listHistory(fx.users.ann.id).map((e) => e.id)).to.deep.equal([b.id, a.id]);
    expect(b.forwardedBy).to.deep.equal({ number: null, extension: '10', name: null });
    expect(a.forwardedBy).to.equal(null);
    expect(store.deleteHistoryEntry(fx.users.bob.id, a.id)).to.equal(false);
    expect(store.deleteHistoryEntry(fx.users.ann.id, a.id)).to.equal(true);
    expect(storeError(() => store.addHistoryEntry(fx.users.ann.id, { direction: 'in', peer: {}, result: 'odd' as 'missed', startedAt: 1, durationS: 1 })).field).to.equal(
      'result',
    );
    // Caller data comes from SIP headers: odd text is cleaned, never a reason to lose the entry.
    const hostile = store.addHistoryEntry(fx.users.ann.id, {
      direction: 'in',
      peer: { number: '+4989\r\n555', name: `Evil\u0000Name${'x'.repeat(500)}` },
      result: 'missed',
      startedAt: 3000,
      durationS: 0,
    });
    expect(hostile.peer.number).to.equal('+4989 555');
    expect(hostile.peer.name).to.have.length(200).and.match(/^Evil Name/);
  });

  it('rolls back every step of a failed transaction', () => {
    const viewer = { tenantId: fx.alpha.id, userId: fx.users.ann.id };
    const before = store.listContacts(viewer).length;
    expect(() =>
      store.transaction(() => {
        store.createContact(viewer, 'private', { name: 'Half' });
        store.createFavorite(fx.users.ann.id, { position: 99, name: 'bad', type: 'blf', target: '10' });
      }),
    ).to.throw();
    expect(store.listContacts(viewer).length).to.equal(before);
    expect(store.integrityCheck()).to.deep.equal(['ok']);
  });
});
