import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { PASSWORD, obj, startApi, type TestApi } from './helpers.js';

let api: TestApi;
before(async () => {
  api = await startApi({ loginLimit: { maxFailures: 3, windowMs: 60_000, lockMs: 300_000 }, sessionTtlMs: 3_600_000 });
});
after(() => api.close());

describe('API: login, logout, sessions', () => {
  it('logs in with e-mail (any case) and password: token, expiry, user, HttpOnly SameSite=Strict cookie', async () => {
    const response = await api.request('POST', '/login', { body: { email: 'ANN@alpha.test', password: PASSWORD } });
    expect(response.status).to.equal(200);
    const body = obj(response.json);
    expect(body['token']).to.be.a('string').with.length.greaterThan(30);
    expect(Date.parse(String(body['expiresAt']))).to.equal(api.clock.now + 3_600_000);
    expect(obj(body['user'])).to.include({ email: 'ann@alpha.test', extension: '11', role: 'user', directNumber: '+49891234567' + '11' });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).to.match(/^centrex_session=[A-Za-z0-9_-]+;/);
    expect(cookie).to.include('HttpOnly').and.include('SameSite=Strict').and.include('Path=/api');
    expect(response.headers.get('cache-control')).to.equal('no-store');
  });

  it('accepts the bearer token and the cookie, and nothing after logout', async () => {
    const login = await api.request('POST', '/login', { body: { email: 'bob@alpha.test', password: PASSWORD } });
    const token = String(obj(login.json)['token']);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect((await api.request('GET', '/me', { token })).status).to.equal(200);
    expect((await api.request('GET', '/me', { headers: { cookie } })).status).to.equal(200);
    const logout = await api.request('POST', '/logout', { token });
    expect(logout.status).to.equal(204);
    expect(logout.headers.get('set-cookie')).to.include('Max-Age=0');
    const after = await api.request('GET', '/me', { token });
    expect(after.status).to.equal(401);
    expect(obj(after.json)['code']).to.equal('unauthorized');
    expect((await api.request('GET', '/me', { headers: { cookie } })).status).to.equal(401);
  });

  it('expires sessions by the clock', async () => {
    const token = await api.login('ann@alpha.test');
    api.clock.advance(3_600_000 - 1);
    expect((await api.request('GET', '/me', { token })).status).to.equal(200);
    api.clock.advance(2);
    expect(obj((await api.request('GET', '/me', { token })).json)['code']).to.equal('unauthorized');
  });

  it('rejects missing, malformed and made-up tokens with 401', async () => {
    for (const headers of [{}, { authorization: 'Bearer ' }, { authorization: 'Basic YTpi' }, { authorization: 'Bearer made-up' }]) {
      const response = await api.request('GET', '/me', { headers });
      expect(response.status).to.equal(401);
      expect(obj(response.json)['code']).to.equal('unauthorized');
    }
  });
});

describe('API: login brute force', () => {
  it('answers a wrong password, an unknown user and a user without password the same way, after the same work', async () => {
    const started = Date.now();
    const attempts = [
      { email: 'ann@alpha.test', password: 'wrong password!' },
      { email: 'nobody@alpha.test', password: 'wrong password!' },
    ];
    api.store.createUser(api.fixture.alpha.id, { name: 'Pending', email: 'pending@alpha.test', extension: '19' });
    attempts.push({ email: 'pending@alpha.test', password: 'wrong password!' });
    const answers: string[] = [];
    for (const [index, body] of attempts.entries()) {
      const t0 = Date.now();
      const response = await api.request('POST', '/login', { body, headers: { 'x-test-client': `10.0.0.${index + 1}` } });
      // scrypt ran for each, known or not (it takes tens of ms; a skipped check takes well under one).
      expect(Date.now() - t0).to.be.at.least(15);
      answers.push(`${response.status} ${response.text}`);
    }
    expect(new Set(answers).size).to.equal(1);
    expect(answers[0]).to.match(/^401 .*invalid-credentials/);
    expect(Date.now() - started).to.be.greaterThan(0);
  });

  it('locks one address out for 300 s after repeated failures, without affecting other addresses', async () => {
    const attacker = { 'x-test-client': '203.0.113.7' };
    for (let i = 0; i < 3; i += 1) {
      const response = await api.request('POST', '/login', { body: { email: 'ann@alpha.test', password: `guess ${i}` }, headers: attacker });
      expect(response.status).to.equal(401);
    }
    const locked = await api.request('POST', '/login', { body: { email: 'ann@alpha.test', password: PASSWORD }, headers: attacker });
    expect(locked.status).to.equal(429);
    expect(obj(locked.json)['code']).to.equal('rate-limited');
    expect(locked.headers.get('retry-after')).to.equal('300');
    const other = await api.request('POST', '/login', {
      body: { email: 'ann@alpha.test', password: PASSWORD },
      headers: { 'x-test-client': '198.51.100.1' },
    });
    expect(other.status).to.equal(200);
    api.clock.advance(299_000);
    expect(
      (await api.request('POST', '/login', { body: { email: 'ann@alpha.test', password: PASSWORD }, headers: attacker })).headers.get('retry-after'),
    ).to.equal('1');
    api.clock.advance(1_000);
    expect((await api.request('POST', '/login', { body: { email: 'ann@alpha.test', password: PASSWORD }, headers: attacker })).status).to.equal(200);
  });
});

describe('API: CORS', () => {
  const alphaOrigin = 'https://intranet.alpha.test';
  const betaOrigin = 'https://crm.beta.test';

  it('answers preflights from allowed origins, with credentials allowed', async () => {
    const response = await api.request('OPTIONS', '/me', {
      headers: { origin: alphaOrigin, 'access-control-request-method': 'PUT', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(response.status).to.equal(204);
    expect(response.headers.get('access-control-allow-origin')).to.equal(alphaOrigin);
    expect(response.headers.get('access-control-allow-credentials')).to.equal('true');
    expect(response.headers.get('access-control-allow-methods')).to.include('PUT');
    expect(response.headers.get('vary')).to.include('Origin');
  });

  it('refuses preflights from unknown origins and for odd headers, without CORS headers', async () => {
    const unknown = await api.request('OPTIONS', '/me', { headers: { origin: 'https://evil.test', 'access-control-request-method': 'GET' } });
    expect(unknown.status).to.equal(403);
    expect(unknown.headers.get('access-control-allow-origin')).to.equal(null);
    const oddHeader = await api.request('OPTIONS', '/me', {
      headers: { origin: alphaOrigin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'x-custom' },
    });
    expect(oddHeader.status).to.equal(403);
  });

  it('serves the tenant’s own allowed origin and refuses other origins, even ones another tenant allows', async () => {
    const token = await api.login('ann@alpha.test', PASSWORD, { origin: alphaOrigin });
    const allowed = await api.request('GET', '/me', { token, headers: { origin: alphaOrigin } });
    expect(allowed.status).to.equal(200);
    expect(allowed.headers.get('access-control-allow-origin')).to.equal(alphaOrigin);
    expect(allowed.headers.get('access-control-allow-credentials')).to.equal('true');

    const otherTenants = await api.request('GET', '/me', { token, headers: { origin: betaOrigin } });
    expect(otherTenants.status).to.equal(403);
    expect(obj(otherTenants.json)['code']).to.equal('origin-not-allowed');
    expect(otherTenants.headers.get('access-control-allow-origin')).to.equal(null);

    const evil = await api.request('GET', '/me', { token, headers: { origin: 'https://evil.test' } });
    expect(evil.status).to.equal(403);
    expect(evil.headers.get('access-control-allow-origin')).to.equal(null);

    const loginFromBeta = await api.request('POST', '/login', { body: { email: 'ann@alpha.test', password: PASSWORD }, headers: { origin: betaOrigin } });
    expect(loginFromBeta.status).to.equal(403);
    expect(loginFromBeta.headers.get('set-cookie')).to.equal(null);
  });

  it('treats its own origin and requests without Origin as same-origin (no CORS headers needed)', async () => {
    const token = await api.login('ann@alpha.test');
    const same = await api.request('GET', '/me', { token, headers: { origin: api.url } });
    expect(same.status).to.equal(200);
    expect(same.headers.get('access-control-allow-origin')).to.equal(null);
  });
});
