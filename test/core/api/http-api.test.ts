import { describe, it, expect, environment } from '../../support/harness.js';
import { API_ERROR_CODES, API_ERROR_MAPPING, HttpApi, apiErrorCodeOf, type ApiErrorCode, type Contact, type Favorite } from '../../../src/core/api/index.js';
import { isCentrexError, type CentrexError, type CentrexErrorCode } from '../../../src/core/errors.js';
import { FakeFetch, FakeTimers, hang, json, loginAnswer, noContent, rejection, rejectionOf, until } from './fakes.js';

const BASE = 'https://pbx.test';

function client(fake: FakeFetch, extra: Partial<ConstructorParameters<typeof HttpApi>[0]> = {}): HttpApi {
  return new HttpApi({ baseUrl: BASE, fetch: fake.fetch, ...extra });
}

async function signedIn(fake: FakeFetch, extra: Partial<ConstructorParameters<typeof HttpApi>[0]> = {}): Promise<HttpApi> {
  const api = client(fake, extra);
  fake.answer(() => loginAnswer());
  await api.login('ben@demo.test', 'secret-pw');
  return api;
}

// The HTTP status the reference PBX sends with each of its codes (src/pbx/api).
const STATUS_OF: Record<ApiErrorCode, number> = {
  'invalid-json': 400,
  'validation-failed': 400,
  'unsupported-media-type': 415,
  'invalid-credentials': 401,
  unauthorized: 401,
  forbidden: 403,
  'origin-not-allowed': 403,
  'destination-not-allowed': 403,
  'wrong-pin': 403,
  'invalid-token': 400,
  'not-found': 404,
  'method-not-allowed': 405,
  conflict: 409,
  'payload-too-large': 413,
  'rate-limited': 429,
  'not-available': 503,
  'call-failed': 502,
  'device-unavailable': 409,
  'call-limit': 429,
  'fax-login-failed': 403,
  'pdf-encrypted': 422,
  'pdf-extraction-forbidden': 422,
  'pdf-has-form-fields': 422,
  'pdf-invalid': 422,
  'pdf-too-large': 422,
  'internal-error': 500,
};

describe('HttpApi: construction', () => {
  it('adds /api/v1 to the PBX address, unless it is there already', () => {
    const fake = new FakeFetch();
    expect(new HttpApi({ baseUrl: 'https://pbx.test', fetch: fake.fetch }).baseUrl).to.equal('https://pbx.test/api/v1');
    expect(new HttpApi({ baseUrl: 'https://pbx.test/', fetch: fake.fetch }).baseUrl).to.equal('https://pbx.test/api/v1');
    expect(new HttpApi({ baseUrl: 'https://pbx.test/api/v1/', fetch: fake.fetch }).baseUrl).to.equal('https://pbx.test/api/v1');
    expect(new HttpApi({ baseUrl: 'http://127.0.0.1:8080/tel', fetch: fake.fetch }).baseUrl).to.equal('http://127.0.0.1:8080/tel/api/v1');
    expect(new HttpApi({ baseUrl: '/', fetch: fake.fetch }).baseUrl).to.equal('/api/v1');
  });

  it('refuses addresses, tokens and timeouts it cannot use', () => {
    const bad: (() => unknown)[] = [
      () => new HttpApi({ baseUrl: '' }),
      () => new HttpApi({ baseUrl: 'ftp://pbx.test' }),
      () => new HttpApi({ baseUrl: 'pbx.test' }),
      () => new HttpApi({ baseUrl: 'https://pbx.test/?x=1' }),
      () => new HttpApi({ baseUrl: BASE, token: 'two\r\nlines' }),
      () => new HttpApi({ baseUrl: BASE, token: '' }),
      () => new HttpApi({ baseUrl: BASE, token: 'tok', tokenExpiresAt: 'not a date' }),
      () => new HttpApi({ baseUrl: BASE, timeoutMs: -1 }),
    ];
    for (const make of bad) {
      let caught: unknown;
      try {
        make();
      } catch (error) {
        caught = error;
      }
      expect(isCentrexError(caught, 'invalid-argument'), String(make)).to.equal(true);
    }
  });
});

describe('HttpApi: session', () => {
  it('signs in without a token, then sends the token as a bearer header', async () => {
    const fake = new FakeFetch();
    const api = client(fake);
    expect(api.signedIn).to.equal(false);
    expect(api.expiresAt).to.equal(undefined);
    fake.answer(() => loginAnswer('tok-1', '2030-01-02T03:04:05.000Z'));
    const me = await api.login('ben@demo.test', 'secret-pw');
    expect(me.extension).to.equal('11');
    expect(me.tenant.sipDomain).to.equal('localhost');
    expect(fake.last.url).to.equal(`${BASE}/api/v1/login`);
    expect(fake.last.method).to.equal('POST');
    expect(fake.last.body).to.deep.equal({ email: 'ben@demo.test', password: 'secret-pw' });
    expect(fake.last.headers['authorization']).to.equal(undefined);
    expect(fake.last.headers['content-type']).to.equal('application/json');
    expect(fake.last.credentials).to.equal('omit');
    expect(api.signedIn).to.equal(true);
    expect(api.expiresAt?.toISOString()).to.equal('2030-01-02T03:04:05.000Z');

    fake.answer(() => json(200, { activeProfile: 0, profiles: [] }));
    await api.getForwarding();
    expect(fake.last.url).to.equal(`${BASE}/api/v1/me/forwarding`);
    expect(fake.last.headers['authorization']).to.equal('Bearer tok-1');
    expect(fake.last.headers['accept']).to.equal('application/json');
  });

  it('uses a token given at construction or with setToken', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'given-token', tokenExpiresAt: Date.UTC(2031, 0, 1) });
    expect(api.expiresAt?.getUTCFullYear()).to.equal(2031);
    fake.answer(() => json(200, { id: 'u1' }));
    await api.getMe();
    expect(fake.last.headers['authorization']).to.equal('Bearer given-token');
    api.setToken('other.token', '2032-05-06T00:00:00Z');
    fake.answer(() => json(200, { id: 'u1' }));
    await api.getMe();
    expect(fake.last.headers['authorization']).to.equal('Bearer other.token');
    expect(api.expiresAt?.getUTCFullYear()).to.equal(2032);
  });

  it('reports a wrong password as api-invalid-credentials, keeping the server code, without the unauthorized hook', async () => {
    const fake = new FakeFetch();
    let hooked = 0;
    const api = client(fake, { onUnauthorized: () => (hooked += 1) });
    fake.answer(() => json(401, { code: 'invalid-credentials', message: 'The e-mail address or the password is wrong.' }));
    const error = await rejection(api.login('ben@demo.test', 'nope'), 'api-invalid-credentials');
    expect(error.message).to.equal('The e-mail address or the password is wrong.');
    expect(error.details).to.include({ status: 401, apiCode: 'invalid-credentials', method: 'POST', path: '/login' });
    expect(JSON.stringify(error.details)).not.to.include('nope');
    expect(hooked).to.equal(0);
    expect(api.signedIn).to.equal(false);
  });

  it('drops the token on 401 unauthorized and tells the app once', async () => {
    const fake = new FakeFetch();
    const lost: CentrexError[] = [];
    const api = await signedIn(fake, { onUnauthorized: (error) => lost.push(error) });
    fake.answer(
      () => json(401, { code: 'unauthorized', message: 'Sign in first.' }, { 'www-authenticate': 'Bearer realm="centrex"' }),
      () => json(401, { code: 'unauthorized', message: 'Sign in first.' }),
    );
    await rejection(api.getSettings(), 'api-unauthorized');
    expect(api.signedIn).to.equal(false);
    expect(api.expiresAt).to.equal(undefined);
    await rejection(api.listDevices(), 'api-unauthorized');
    // The second call went without a token, and the app heard about the lost session only once.
    expect(fake.last.headers['authorization']).to.equal(undefined);
    expect(lost.map((e) => e.code)).to.deep.equal(['api-unauthorized']);
    // A new sign-in re-arms the hook.
    fake.answer(() => loginAnswer(), () => json(401, { code: 'unauthorized', message: 'Expired.' }));
    await api.login('ben@demo.test', 'secret-pw');
    await rejection(api.getMe(), 'api-unauthorized');
    expect(lost).to.have.length(2);
  });

  it('survives an unauthorized hook that throws', async () => {
    const fake = new FakeFetch();
    const api = await signedIn(fake, {
      onUnauthorized: () => {
        throw new Error('app bug');
      },
    });
    fake.answer(() => json(401, { code: 'unauthorized', message: 'Expired.' }));
    await rejection(api.getMe(), 'api-unauthorized');
  });

  it('signs out: tells the server with the token, and forgets it', async () => {
    const fake = new FakeFetch();
    const api = await signedIn(fake);
    fake.answer(() => noContent());
    await api.logout();
    expect(fake.last.url).to.equal(`${BASE}/api/v1/logout`);
    expect(fake.last.method).to.equal('POST');
    expect(fake.last.headers['authorization']).to.equal('Bearer tok-abc_123');
    expect(api.signedIn).to.equal(false);
    // Nothing to end any more: no request.
    const count = fake.requests.length;
    await api.logout();
    expect(fake.requests.length).to.equal(count);
  });

  it('forgets the token even when the server cannot be told', async () => {
    const fake = new FakeFetch();
    const api = await signedIn(fake);
    fake.answer(() => {
      throw new TypeError('Failed to fetch');
    });
    await rejection(api.logout(), 'server-unreachable');
    expect(api.signedIn).to.equal(false);
  });

  it('sends the session cookie only when asked to', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { credentials: 'include' });
    fake.answer(() => json(200, { id: 'u1' }));
    await api.getMe();
    expect(fake.last.credentials).to.equal('include');
    expect(fake.last.headers['authorization']).to.equal(undefined);
    // Signing out a cookie session needs no token.
    fake.answer(() => noContent());
    await api.logout();
    expect(fake.last.url).to.equal(`${BASE}/api/v1/logout`);
  });

  it('keeps credentials out of web storage, IndexedDB and readable cookies', async () => {
    const fake = new FakeFetch();
    const writes: string[] = [];
    const storage = environment === 'browser' ? Storage.prototype : undefined;
    const originalSetItem = storage?.setItem;
    const originalOpen = environment === 'browser' ? indexedDB.open.bind(indexedDB) : undefined;
    if (storage && originalSetItem) {
      storage.setItem = function (this: Storage, key: string, value: string): void {
        writes.push(`${key}=${value}`);
        originalSetItem.call(this, key, value);
      };
    }
    if (originalOpen) {
      indexedDB.open = (name: string, version?: number) => {
        writes.push(`indexedDB:${name}`);
        return originalOpen(name, version);
      };
    }
    try {
      if (environment === 'browser') {
        localStorage.clear();
        sessionStorage.clear();
      }
      const api = client(fake);
      fake.answer(() => loginAnswer('secret-token-123'));
      await api.login('ben@demo.test', 'secret-pw');
      fake.answer(() => json(200, { websocketUrl: 'ws://pbx.test/sip', uri: 'sip:11@localhost', authorizationUsername: '11-x', password: 'sip-pw', realm: 'localhost', expiresAt: '2030-01-01T00:00:00Z', displayName: 'Ben', deviceId: 'd1' }));
      await api.getSipRegistration();
      fake.answer(() => noContent());
      await api.logout();
      expect(writes).to.deep.equal([]);
      if (environment === 'browser') {
        expect(localStorage.length).to.equal(0);
        expect(sessionStorage.length).to.equal(0);
        expect(document.cookie).not.to.include('secret-token-123');
      } else {
        // Node 20 has no web storage; the client must not have created any either.
        expect('localStorage' in globalThis && (globalThis as { localStorage?: unknown }).localStorage !== undefined).to.equal(false);
      }
      // The token is not reachable through the object's enumerable state either.
      expect(JSON.stringify(api)).not.to.include('secret-token-123');
    } finally {
      if (storage && originalSetItem) storage.setItem = originalSetItem;
      if (originalOpen) indexedDB.open = originalOpen;
    }
  });
});

describe('HttpApi: the platform fetch', () => {
  it('can be handed the global fetch itself, detached from its object', async () => {
    if (environment !== 'browser') return;
    // A browser's fetch throws "Illegal invocation" when called with the client as `this`.
    const api = new HttpApi({ baseUrl: `${location.origin}/no-such-pbx`, fetch: globalThis.fetch });
    const error = await rejection(api.getMe(), 'api-not-found');
    expect(error.details?.['status']).to.equal(404);
  });
});

describe('HttpApi: errors', () => {
  it('maps every API error code to a stable SDK code and keeps code and field in details', async () => {
    for (const apiCode of API_ERROR_CODES) {
      const fake = new FakeFetch();
      const api = client(fake, { token: 'tok' });
      fake.answer(() => json(STATUS_OF[apiCode], { code: apiCode, message: `Server says ${apiCode}.`, field: 'numbers.0.number' }));
      const caught = await rejectionOf(api.getSettings());
      const expected: CentrexErrorCode = API_ERROR_MAPPING[apiCode];
      expect(isCentrexError(caught, expected), `${apiCode} → ${expected}, got ${String(caught)}`).to.equal(true);
      const error = caught as CentrexError;
      expect(error.message).to.equal(`Server says ${apiCode}.`);
      expect(error.details).to.include({ status: STATUS_OF[apiCode], apiCode, field: 'numbers.0.number', method: 'GET', path: '/me/settings' });
      expect(apiErrorCodeOf(error)).to.equal(apiCode);
    }
  });

  it('uses the codes the brief names for the common cases', () => {
    expect(API_ERROR_MAPPING).to.include({
      unauthorized: 'api-unauthorized',
      forbidden: 'api-forbidden',
      'not-found': 'api-not-found',
      conflict: 'api-conflict',
      'validation-failed': 'api-validation-failed',
      'rate-limited': 'api-rate-limited',
      'not-available': 'api-unavailable',
    });
  });

  it('passes forwarding issues and Retry-After on', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const issues = [{ code: 'invalid-no-answer-timeout', message: 'Use 5, 10, 15 or 20 s.', profile: 0, condition: 'noAnswer' }];
    fake.answer(() => json(400, { code: 'validation-failed', message: 'Forwarding is invalid.', issues }));
    const invalid = await rejection(api.putForwarding({ activeProfile: 0, profiles: [] }), 'api-validation-failed');
    expect(invalid.details?.['issues']).to.deep.equal(issues);

    fake.answer(() => json(429, { code: 'rate-limited', message: 'Too many failed attempts; try again in 300 s.' }, { 'retry-after': '300' }));
    const limited = await rejection(api.login('a@b.test', 'x'), 'api-rate-limited');
    expect(limited.details?.['retryAfter']).to.equal(300);
  });

  it('reads an HTTP-date Retry-After too', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const when = new Date(Date.now() + 120_000).toUTCString();
    fake.answer(() => new Response('busy', { status: 503, headers: { 'retry-after': when } }));
    const error = await rejection(api.getMe(), 'api-unavailable');
    const retryAfter = Number(error.details?.['retryAfter']);
    expect(retryAfter).to.be.within(100, 121);
  });

  it('falls back to the status and its own message when the answer is not the API’s JSON', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const cases: [number, CentrexErrorCode][] = [
      [502, 'api-server-error'],
      [503, 'api-unavailable'],
      [404, 'api-not-found'],
      [401, 'api-unauthorized'],
      [418, 'api-bad-request'],
    ];
    for (const [status, code] of cases) {
      fake.answer(() => new Response('<html>Bad Gateway</html>', { status, headers: { 'content-type': 'text/html' } }));
      const error = await rejection(api.getMe(), code);
      expect(error.message).not.to.include('<html>');
      expect(error.message.length).to.be.greaterThan(20);
      expect(error.details?.['apiCode']).to.equal(undefined);
      expect(error.details?.['status']).to.equal(status);
    }
    // An unknown code from a newer server: the status decides, the code is kept.
    fake.answer(() => json(409, { code: 'brand-new', message: 'Something new.' }));
    const newer = await rejection(api.getMe(), 'api-conflict');
    expect(newer.details?.['apiCode']).to.equal('brand-new');
  });

  it('cuts very long server messages', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    fake.answer(() => json(400, { code: 'validation-failed', message: 'x'.repeat(10_000) }));
    const error = await rejection(api.getMe(), 'api-validation-failed');
    expect(error.message.length).to.equal(500);
  });

  it('calls a successful answer that is not JSON, or not the documented envelope, api-invalid-response', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    fake.answer(() => new Response('<html>Welcome to nginx</html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    await rejection(api.getMe(), 'api-invalid-response');
    fake.answer(() => json(200, { items: [] }));
    await rejection(api.listContacts(), 'api-invalid-response');
    fake.answer(() => json(200, { contacts: [1, 2] }));
    await rejection(api.listContacts(), 'api-invalid-response');
    fake.answer(() => json(200, [1, 2]));
    await rejection(api.getSettings(), 'api-invalid-response');
    fake.answer(() => json(200, { token: 'bad token with spaces', expiresAt: '2030-01-01T00:00:00Z', user: {} }));
    await rejection(api.login('a@b.test', 'x'), 'api-invalid-response');
    expect(api.signedIn).to.equal(true);
  });

  it('calls a failed fetch server-unreachable, keeping the cause', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const cause = new TypeError('Failed to fetch');
    fake.answer(() => {
      throw cause;
    });
    const error = await rejection(api.listRooms(), 'server-unreachable');
    expect(error.cause).to.equal(cause);
    expect(error.message).to.include('https://pbx.test');
    expect(error.details).to.include({ method: 'GET', path: '/rooms' });
  });

  it('times out with the timeout code and aborts the request', async () => {
    const fake = new FakeFetch();
    const timers = new FakeTimers();
    const api = client(fake, { token: 'tok', timers, timeoutMs: 2500 });
    fake.answer(hang);
    const pending = api.getMe();
    await until(() => timers.delays().includes(2500), 'the timeout to be set');
    timers.fire(2500);
    const error = await rejection(pending, 'timeout');
    expect(error.details).to.include({ timeoutMs: 2500, path: '/me' });
    expect(fake.last.signal?.aborted).to.equal(true);
    expect(timers.timers.size).to.equal(0);
    // Per call, too.
    fake.answer(hang);
    const quick = api.listQueues({ timeoutMs: 10 });
    await until(() => timers.delays().includes(10), 'the per-call timeout');
    timers.fire(10);
    await rejection(quick, 'timeout');
  });

  it('clears its timer when the answer comes', async () => {
    const fake = new FakeFetch();
    const timers = new FakeTimers();
    const api = client(fake, { token: 'tok', timers });
    fake.answer(() => json(200, { id: 'u1' }));
    await api.getMe();
    expect(timers.timers.size).to.equal(0);
  });

  it('rejects with the signal’s reason when the caller aborts, before or during the request', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const before = new AbortController();
    before.abort();
    const early = await rejectionOf(api.getMe({ signal: before.signal }));
    expect((early as DOMException).name).to.equal('AbortError');
    expect(fake.requests).to.have.length(0);

    const during = new AbortController();
    fake.answer(hang);
    const pending = api.getMe({ signal: during.signal });
    await until(() => fake.requests.length === 1, 'the request');
    const reason = new Error('user navigated away');
    during.abort(reason);
    expect(await rejectionOf(pending)).to.equal(reason);
    expect(fake.last.signal?.aborted).to.equal(true);
  });
});

describe('HttpApi: endpoints', () => {
  it('calls every user-level endpoint with the documented method, path and body', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const contact: Contact = { id: 'c1', scope: 'private', name: 'Werkstatt', company: null, email: null, numbers: [{ label: '', number: '0221 4710' }], writable: true, createdAt: 'x', updatedAt: 'y' };
    const favorite: Favorite = { id: 'f1', position: 3, name: 'Clara', type: 'blf', target: '12' };
    const queue = { id: 'q1', name: 'Support', extension: '50', member: true, loggedIn: true };
    const room = { id: 'r1', name: 'Konferenz', extension: '70', subscribed: true };
    fake.fallback = (request) => {
      if (request.method === 'DELETE' || request.url.endsWith('/me/password')) return noContent();
      if (request.url.includes('/favorites') && request.method === 'PUT' && request.url.endsWith('/favorites')) {
        return json(200, { favorites: [favorite] });
      }
      if (request.url.endsWith('/calls')) return json(202, { callId: 'call-1', device: 'd1', to: '12' });
      if (/\/(contacts|devices|favorites|queues|rooms|history|directory)(\?|$)/.test(request.url) && request.method === 'GET') {
        return json(200, { contacts: [contact], devices: [], favorites: [favorite], queues: [queue], rooms: [room], entries: [] });
      }
      return json(200, { ok: true });
    };
    const calls: [() => Promise<unknown>, string, string, unknown?][] = [
      [() => api.getMe(), 'GET', '/me'],
      [() => api.updateMe({ language: 'en' }), 'PATCH', '/me', { language: 'en' }],
      [() => api.changePassword('old-pw', 'new-password-1'), 'POST', '/me/password', { currentPassword: 'old-pw', newPassword: 'new-password-1' }],
      [() => api.getSettings(), 'GET', '/me/settings'],
      [() => api.updateSettings({ dnd: true }), 'PATCH', '/me/settings', { dnd: true }],
      [() => api.listDevices(), 'GET', '/me/devices'],
      [() => api.addExternalDevice({ name: 'Hotel', number: '089 123' }), 'POST', '/me/devices', { kind: 'external', name: 'Hotel', number: '089 123' }],
      [() => api.deleteDevice('d 2'), 'DELETE', '/me/devices/d%202'],
      [() => api.getForwarding(), 'GET', '/me/forwarding'],
      [() => api.putForwarding({ activeProfile: 0, profiles: [] }), 'PUT', '/me/forwarding', { activeProfile: 0, profiles: [] }],
      [() => api.listContacts(), 'GET', '/contacts'],
      [() => api.listContacts('private'), 'GET', '/contacts?scope=private'],
      [() => api.getContact('c1'), 'GET', '/contacts/c1'],
      // A contact read earlier can be sent back: only the accepted fields go out.
      [() => api.createContact(contact), 'POST', '/contacts', { name: 'Werkstatt', company: null, email: null, numbers: [{ label: '', number: '0221 4710' }], scope: 'private' }],
      [() => api.updateContact('c1', { name: 'Neu', numbers: [{ number: '1' }] }), 'PUT', '/contacts/c1', { name: 'Neu', numbers: [{ number: '1' }] }],
      [() => api.deleteContact('c1'), 'DELETE', '/contacts/c1'],
      [() => api.listFavorites(), 'GET', '/favorites'],
      [() => api.createFavorite(favorite), 'POST', '/favorites', { position: 3, name: 'Clara', type: 'blf', target: '12' }],
      [() => api.updateFavorite('f1', { name: 'C', type: 'speed-dial', target: '12' }), 'PUT', '/favorites/f1', { name: 'C', type: 'speed-dial', target: '12' }],
      [() => api.deleteFavorite('f1'), 'DELETE', '/favorites/f1'],
      [() => api.replaceFavorites([]), 'PUT', '/favorites', { favorites: [] }],
      [
        () => api.reorderFavorites([favorite, { name: 'Muster', type: 'speed-dial', target: '+4989', position: 1 }]),
        'PUT',
        '/favorites',
        { favorites: [{ position: 1, name: 'Clara', type: 'blf', target: '12' }, { position: 2, name: 'Muster', type: 'speed-dial', target: '+4989' }] },
      ],
      [() => api.listQueues(), 'GET', '/queues'],
      [() => api.queueLogin('q1'), 'POST', '/queues/q1/login'],
      [() => api.queueLogout('q1'), 'POST', '/queues/q1/logout'],
      [() => api.leaveQueue('q1'), 'DELETE', '/queues/q1/membership'],
      [() => api.listHistory(), 'GET', '/history'],
      [() => api.listHistory({ limit: 5, offset: 10 }), 'GET', '/history?limit=5&offset=10'],
      [() => api.deleteHistoryEntry('h1'), 'DELETE', '/history/h1'],
      [() => api.clearHistory(), 'DELETE', '/history'],
      [() => api.listRooms(), 'GET', '/rooms'],
      [() => api.subscribeRoom('r1', '4711'), 'POST', '/rooms/r1/subscription', { pin: '4711' }],
      [() => api.unsubscribeRoom('r1'), 'DELETE', '/rooms/r1/subscription'],
      [() => api.getDirectory(), 'GET', '/directory'],
      [() => api.clickToDial('d1', '12'), 'POST', '/calls', { device: 'd1', to: '12' }],
      [() => api.setPassword('link-token', 'new-password-1').catch(() => undefined), 'POST', '/password', { token: 'link-token', password: 'new-password-1' }],
      [() => api.request('GET', '/fax/extensions', { query: { all: true, skip: undefined } }), 'GET', '/fax/extensions?all=true'],
    ];
    for (const [call, method, path, body] of calls) {
      await call();
      expect(fake.last.method, path).to.equal(method);
      expect(fake.last.url, path).to.equal(`${BASE}/api/v1${path}`);
      expect(fake.last.body, path).to.deep.equal(body);
    }
  });

  it('unwraps list envelopes and returns click-to-dial’s answer', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    fake.answer(() => json(200, { entries: [{ kind: 'extension', id: 'u1', name: 'Anna', extension: '10', numbers: [] }] }));
    const directory = await api.getDirectory();
    expect(directory[0]).to.deep.include({ kind: 'extension', extension: '10' });
    fake.answer(() => json(202, { callId: 'c-9', device: 'd1', to: '+4989123' }));
    expect(await api.clickToDial('d1', '089 123')).to.deep.equal({ callId: 'c-9', device: 'd1', to: '+4989123' });
  });

  it('refuses ids that are empty or would change the path', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    for (const id of ['', '.', '..']) {
      await rejection(api.deleteContact(id), 'invalid-argument');
    }
    await rejection(api.request('GET', 'me'), 'invalid-argument');
    expect(fake.requests).to.have.length(0);
    // Anything else is encoded, so it stays one segment.
    fake.answer(() => noContent());
    await api.deleteContact('a/../b?c');
    expect(fake.last.url).to.equal(`${BASE}/api/v1/contacts/a%2F..%2Fb%3Fc`);
  });

  it('reaches the admin endpoints under api.admin', async () => {
    const fake = new FakeFetch();
    const api = client(fake, { token: 'tok' });
    const user = { id: 'u5', name: 'Neu', email: 'neu@demo.test', role: 'user', extension: '21', language: 'de', directNumber: null, hasPassword: false, createdAt: 'x' };
    fake.fallback = (request) => {
      if (request.method === 'DELETE') return noContent();
      if (request.url.endsWith('/admin/users') && request.method === 'GET') return json(200, { users: [user] });
      if (request.url.endsWith('/admin/users')) return json(201, { user, setPasswordLinkExpiresAt: '2030-01-01T00:00:00Z' });
      if (request.url.endsWith('/password-link')) return json(200, { setPasswordLinkExpiresAt: '2030-01-01T00:00:00Z' });
      return json(200, { id: 'x' });
    };
    const calls: [() => Promise<unknown>, string, string, unknown?][] = [
      [() => api.admin.listUsers(), 'GET', '/admin/users'],
      [() => api.admin.createUser({ name: 'Neu', email: 'neu@demo.test', extension: '21' }), 'POST', '/admin/users', { name: 'Neu', email: 'neu@demo.test', extension: '21' }],
      [() => api.admin.getUser('u5'), 'GET', '/admin/users/u5'],
      [() => api.admin.updateUser('u5', { role: 'admin' }), 'PATCH', '/admin/users/u5', { role: 'admin' }],
      [() => api.admin.deleteUser('u5'), 'DELETE', '/admin/users/u5'],
      [() => api.admin.sendPasswordLink('u5'), 'POST', '/admin/users/u5/password-link'],
      [() => api.admin.getTenant(), 'GET', '/admin/tenant'],
      [() => api.admin.updateTenant({ maxConcurrentCalls: 3 }), 'PATCH', '/admin/tenant', { maxConcurrentCalls: 3 }],
      [() => api.admin.createQueue({ name: 'Vertrieb', extension: '51' }), 'POST', '/admin/queues', { name: 'Vertrieb', extension: '51' }],
      [() => api.admin.deleteQueue('q2'), 'DELETE', '/admin/queues/q2'],
      [() => api.admin.createRoom({ name: 'Raum', extension: '71', pin: '1234' }), 'POST', '/admin/rooms', { name: 'Raum', extension: '71', pin: '1234' }],
      [() => api.admin.deleteRoom('r2'), 'DELETE', '/admin/rooms/r2'],
    ];
    for (const [call, method, path, body] of calls) {
      await call();
      expect(fake.last.method, path).to.equal(method);
      expect(fake.last.url, path).to.equal(`${BASE}/api/v1${path}`);
      expect(fake.last.body, path).to.deep.equal(body);
      expect(fake.last.headers['authorization'], path).to.equal('Bearer tok');
    }
    expect((await api.admin.listUsers())[0]?.email).to.equal('neu@demo.test');
  });
});
