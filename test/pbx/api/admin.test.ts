import { after, before } from 'node:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import { list, obj, startApi, type TestApi } from './helpers.js';

let api: TestApi;
let admin: string;
before(async () => {
  api = await startApi({ setPasswordTtlMs: 72 * 3600 * 1000 });
  admin = await api.login('admin@alpha.test');
});
after(() => api.close());

/** The set-password token from the newest outbox mail to `email`. */
function tokenFromOutbox(email: string): string {
  const files = readdirSync(api.outboxDir).sort();
  for (const file of files.reverse()) {
    const mail = readFileSync(join(api.outboxDir, file), 'utf8');
    if (!mail.includes(`<${email}>`)) continue;
    const match = /\/set-password\?token=([A-Za-z0-9_-]+)/.exec(mail);
    if (match?.[1]) return match[1];
  }
  throw new Error(`no set-password mail to ${email}`);
}

describe('API: admin creates users (manual part C)', () => {
  it('creates a user with default forwarding and a web device, and mails a set-password link', async () => {
    const response = await api.request('POST', '/admin/users', {
      token: admin,
      body: { name: 'Neu Nutzer', email: 'neu@alpha.test', extension: '21', role: 'user', language: 'de' },
    });
    expect(response.status).to.equal(201);
    const user = obj(obj(response.json)['user']);
    expect(user).to.include({ email: 'neu@alpha.test', extension: '21', hasPassword: false });
    expect(Date.parse(String(obj(response.json)['setPasswordLinkExpiresAt']))).to.equal(api.clock.now + 72 * 3600 * 1000);
    expect(api.store.getForwarding(String(user['id'])).profiles).to.have.length(1);
    expect(api.store.listDevices(String(user['id'])).map((d) => d.kind)).to.deep.equal(['web']);

    const token = tokenFromOutbox('neu@alpha.test');
    const logged = api.logs.find((entry) => entry.message === 'set-password link issued' && entry.data?.['email'] === 'neu@alpha.test');
    expect(String(logged?.data?.['link'])).to.equal(`${api.url}/set-password?token=${token}`);
    // The link token is not in the answer the admin gets.
    expect(response.text).not.to.include(token);

    // Before a password is set the account cannot log in.
    expect((await api.request('POST', '/login', { body: { email: 'neu@alpha.test', password: 'Sommer-Sonne-2025' } })).status).to.equal(401);
    const weak = await api.request('POST', '/password', { body: { token, password: 'short' } });
    expect(weak.status).to.equal(400);
    expect(obj(weak.json)).to.include({ code: 'validation-failed', field: 'password' });
    const set = await api.request('POST', '/password', { body: { token, password: 'Sommer-Sonne-2025' } });
    expect(set.status).to.equal(200);
    expect(obj(set.json)['email']).to.equal('neu@alpha.test');
    const login = await api.request('POST', '/login', { body: { email: 'neu@alpha.test', password: 'Sommer-Sonne-2025' } });
    expect(login.status).to.equal(200);

    const again = await api.request('POST', '/password', { body: { token, password: 'Another-Password-1' } });
    expect(again.status).to.equal(400);
    expect(obj(again.json)['code']).to.equal('invalid-token');
  });

  it('rejects an expired set-password link', async () => {
    const created = await api.request('POST', '/admin/users', { token: admin, body: { name: 'Spät', email: 'spaet@alpha.test', extension: '22' } });
    expect(created.status).to.equal(201);
    const token = tokenFromOutbox('spaet@alpha.test');
    api.clock.advance(72 * 3600 * 1000 + 1);
    const response = await api.request('POST', '/password', { body: { token, password: 'Sommer-Sonne-2025' } });
    expect(response.status).to.equal(400);
    expect(obj(response.json)['code']).to.equal('invalid-token');
    // A new link works (and the admin session is still valid: it was made with a 12 h lifetime… renew it).
    admin = await api.login('admin@alpha.test');
    const id = String(obj(obj(created.json)['user'])['id']);
    expect((await api.request('POST', `/admin/users/${id}/password-link`, { token: admin })).status).to.equal(200);
    const fresh = tokenFromOutbox('spaet@alpha.test');
    expect(fresh).not.to.equal(token);
    expect((await api.request('POST', '/password', { body: { token: fresh, password: 'Sommer-Sonne-2025' } })).status).to.equal(200);
  });

  it('refuses duplicates and bad input with the field named, writing nothing', async () => {
    const before = api.store.listUsers(api.fixture.alpha.id).length;
    const duplicateExtension = await api.request('POST', '/admin/users', { token: admin, body: { name: 'X', email: 'x@alpha.test', extension: '11' } });
    expect(duplicateExtension.status).to.equal(409);
    expect(obj(duplicateExtension.json)).to.include({ code: 'conflict', field: 'extension' });
    const duplicateEmail = await api.request('POST', '/admin/users', { token: admin, body: { name: 'X', email: 'ZOE@beta.test', extension: '23' } });
    expect(obj(duplicateEmail.json)).to.include({ code: 'conflict', field: 'email' });
    const badEmail = await api.request('POST', '/admin/users', { token: admin, body: { name: 'X', email: 'not-an-email', extension: '23' } });
    expect(obj(badEmail.json)).to.include({ code: 'validation-failed', field: 'email' });
    const badRole = await api.request('POST', '/admin/users', { token: admin, body: { name: 'X', email: 'x@alpha.test', extension: '23', role: 'root' } });
    expect(obj(badRole.json)).to.include({ code: 'validation-failed', field: 'role' });
    expect(api.store.listUsers(api.fixture.alpha.id).length).to.equal(before);
  });

  it('is for admins of the same tenant only', async () => {
    const user = await api.login('ann@alpha.test');
    const response = await api.request('POST', '/admin/users', { token: user, body: { name: 'X', email: 'x@alpha.test', extension: '24' } });
    expect(response.status).to.equal(403);
    expect(obj(response.json)['code']).to.equal('forbidden');
    expect((await api.request('GET', '/admin/users', { token: user })).status).to.equal(403);
    const users = list(obj((await api.request('GET', '/admin/users', { token: admin })).json)['users']);
    expect(users.map((u) => u['email'])).to.include('ann@alpha.test').and.not.include('zoe@beta.test');
    const zoe = await api.request('GET', `/admin/users/${api.fixture.users.zoe.id}`, { token: admin });
    expect(zoe.status).to.equal(404);
    expect((await api.request('DELETE', `/admin/users/${api.fixture.users.zoe.id}`, { token: admin })).status).to.equal(404);
    expect(api.store.getUser(api.fixture.users.zoe.id)).not.to.equal(undefined);
  });

  it('edits the tenant’s origins and toll-fraud policy', async () => {
    const response = await api.request('PATCH', '/admin/tenant', {
      token: admin,
      body: { allowedOrigins: ['https://intranet.alpha.test', 'https://crm.alpha.test'], tollFraud: { allowPremium: false } },
    });
    expect(response.status).to.equal(200);
    expect(obj(response.json)['allowedOrigins']).to.deep.equal(['https://intranet.alpha.test', 'https://crm.alpha.test']);
    const bad = await api.request('PATCH', '/admin/tenant', { token: admin, body: { allowedOrigins: ['https://x.test/path'] } });
    expect(obj(bad.json)).to.include({ code: 'validation-failed', field: 'allowedOrigins.0' });
  });
});
