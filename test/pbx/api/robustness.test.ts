import { after, before } from 'node:test';
import { request as httpRequest } from 'node:http';
import { describe, it, expect } from '../../support/harness.js';
import { obj, startApi, type TestApi } from './helpers.js';

let api: TestApi;
let token: string;
before(async () => {
  api = await startApi({ maxBodyBytes: 64 * 1024 });
  token = await api.login('admin@alpha.test');
});
after(() => api.close());

const json = { 'content-type': 'application/json' };

describe('API: bad input gets a clear 4xx, never a 500', () => {
  it('answers malformed JSON with 400 invalid-json', async () => {
    for (const raw of ['{', '{"name": }', "{'a': 1}", 'undefined', '{"a":1}garbage']) {
      const response = await api.request('POST', '/contacts', { token, raw, headers: json });
      expect(response.status, raw).to.equal(400);
      expect(obj(response.json)['code']).to.equal('invalid-json');
    }
    const badUtf8 = await fetch(`${api.url}/api/v1/contacts`, {
      method: 'POST',
      headers: { ...json, authorization: `Bearer ${token}` },
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
    });
    expect(badUtf8.status).to.equal(400);
    expect(obj(await badUtf8.json())['code']).to.equal('invalid-json');
  });

  it('answers bodies over 64 KiB with 413 payload-too-large', async () => {
    const raw = JSON.stringify({ name: 'x'.repeat(70 * 1024) });
    const response = await api.request('POST', '/contacts', { token, raw, headers: json });
    expect(response.status).to.equal(413);
    expect(obj(response.json)['code']).to.equal('payload-too-large');
    const login = await api.request('POST', '/login', { raw: JSON.stringify({ email: 'a@b.c', password: 'p'.repeat(100_000) }), headers: json });
    expect(login.status).to.equal(413);
  });

  it('answers a huge declared body at once and closes the connection', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${api.url}/api/v1/login`, { method: 'POST', headers: { ...json, 'content-length': String(50 * 1024 * 1024) } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('{"email":');
    });
    expect(status).to.equal(413);
  });

  it('answers wrong types and unknown fields with validation-failed naming the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', '/login', { email: 42, password: 'x' }, 'email'],
      ['POST', '/login', { email: 'a@b.c' }, 'password'],
      ['POST', '/login', ['email', 'password'], 'body'],
      ['POST', '/login', 'just a string', 'body'],
      ['POST', '/login', null, 'body'],
      ['POST', '/contacts', { name: ['a'] }, 'name'],
      ['POST', '/contacts', { name: 'A', numbers: 'none' }, 'numbers'],
      ['POST', '/contacts', { name: 'A', numbers: [null] }, 'numbers.0'],
      ['POST', '/contacts', { name: 'A', __proto__: { admin: true }, extra: 1 }, 'extra'],
      ['PATCH', '/me/settings', { parallelCall: true }, 'parallelCall'],
      ['PATCH', '/me/settings', { voicemail: { pin: 1234 } }, 'voicemail.pin'],
      ['PATCH', '/me', { language: 'fr' }, 'language'],
      ['POST', '/favorites', { name: 'x', type: 'blf', target: '11', colour: 'red' }, 'colour'],
      ['PUT', '/me/forwarding', { activeProfile: 0, profiles: [{ number: 0, title: 'S', forwarding: { always: { type: 'voicemail', x: 1 } }, selective: [] }] }, 'profiles.0.forwarding.always.x'],
      ['POST', '/admin/users', { name: 'A', email: 'a@alpha.test', extension: 11 }, 'extension'],
      ['POST', '/calls', { device: {}, to: '11' }, 'device'],
    ];
    for (const [method, path, body, field] of cases) {
      const response = await api.request(method, path, { token, raw: JSON.stringify(body), headers: json });
      expect(response.status, `${method} ${path}`).to.equal(400);
      expect(obj(response.json), `${method} ${path}`).to.include({ code: 'validation-failed', field });
    }
  });

  it('refuses bodies that are not declared as JSON with 415', async () => {
    const response = await api.request('POST', '/login', { raw: 'email=a&password=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).to.equal(415);
    expect(obj(response.json)['code']).to.equal('unsupported-media-type');
  });

  it('answers unknown endpoints with 404 and wrong methods with 405, and leaves other paths to the server', async () => {
    const unknown = await api.request('GET', '/nothing-here', { token });
    expect(unknown.status).to.equal(404);
    expect(obj(unknown.json)['code']).to.equal('not-found');
    const method = await api.request('DELETE', '/me', { token });
    expect(method.status).to.equal(405);
    expect(method.headers.get('allow')).to.include('GET');
    const oddId = await api.request('GET', `/contacts/${encodeURIComponent("1' OR '1'='1")}`, { token });
    expect(oddId.status).to.equal(404);
    const outside = await fetch(`${api.url}/sip`);
    expect(outside.status).to.equal(404);
    expect(await outside.text()).to.equal('not the API');
    const prefixOnly = await fetch(`${api.url}/api/v10/me`);
    expect(await prefixOnly.text()).to.equal('not the API');
  });

  it('survives a barrage of hostile bodies on every endpoint without a 5xx', async () => {
    const endpoints: [string, string][] = [
      ['POST', '/login'], ['POST', '/password'], ['PATCH', '/me'], ['PATCH', '/me/settings'],
      ['POST', '/me/devices'], ['PUT', '/me/forwarding'], ['POST', '/contacts'], ['PUT', '/favorites'], ['POST', '/favorites'],
      ['POST', '/calls'], ['POST', '/admin/users'], ['PATCH', '/admin/tenant'], ['POST', '/admin/queues'], ['POST', '/admin/rooms'],
      ['POST', '/me/password'], ['POST', '/logout'],
    ];
    const bodies = [
      '{}', '[]', '0', '"x"', 'true', 'null', '{"a":{"b":{"c":[1,2,{"d":null}]}}}',
      '[' .repeat(5000) + ']'.repeat(5000),
      JSON.stringify({ name: '\u0000\u001f', email: '\ud800', extension: '1'.repeat(40), number: '+'.repeat(50), favorites: [{}], profiles: [{}] }),
      JSON.stringify({ activeProfile: 'x', profiles: [{ number: 0, title: 5, forwarding: [], selective: {} }] }),
      JSON.stringify({ favorites: Array.from({ length: 100 }, () => ({ name: 'a', type: 'blf', target: '11' })) }),
      JSON.stringify({ token: 'a'.repeat(500), password: 'b'.repeat(300) }),
    ];
    for (const [method, path] of endpoints) {
      for (const raw of bodies) {
        const response = await api.request(method, path, { token, raw, headers: json });
        expect(response.status, `${method} ${path} ${raw.slice(0, 40)}`).to.be.within(200, 499);
        if (response.status >= 400) expect(obj(response.json)['code']).to.be.a('string');
      }
    }
    expect(api.logs.filter((entry) => entry.level === 'error')).to.deep.equal([]);
    // Still serving (the barrage ended with a logout, so sign in again).
    const fresh = await api.login('admin@alpha.test');
    expect((await api.request('GET', '/me', { token: fresh })).status).to.equal(200);
  });
});
