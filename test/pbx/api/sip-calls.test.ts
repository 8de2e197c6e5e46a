import { after, before } from 'node:test';
import { createHash } from 'node:crypto';
import { describe, it, expect } from '../../support/harness.js';
import { CallControlError, type ClickToDialRequest } from '../../../src/pbx/api/index.js';
import { obj, startApi, type TestApi } from './helpers.js';

const md5 = (text: string): string => createHash('md5').update(text).digest('hex');
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('API: GET /me/sip', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi({ sipCredentialTtlMs: 3_600_000 });
  });
  after(() => api.close());

  it('issues fresh credentials whose HA1 the registrar finds in the store', async () => {
    const token = await api.login('ann@alpha.test');
    const response = await api.request('GET', '/me/sip', { token });
    expect(response.status).to.equal(200);
    const sip = obj(response.json);
    expect(sip).to.include({
      websocketUrl: `${api.url.replace('http:', 'ws:')}/sip`,
      uri: 'sip:11@alpha.test',
      realm: 'alpha.test',
      displayName: 'Ann Alpha',
    });
    const username = String(sip['authorizationUsername']);
    const password = String(sip['password']);
    expect(Date.parse(String(sip['expiresAt']))).to.equal(api.clock.now + 3_600_000);
    const found = api.store.findSipCredential('alpha.test', username);
    expect(found).to.deep.include({ userId: api.fixture.users.ann.id, extension: '11', tenantId: api.fixture.alpha.id });
    expect(found?.ha1.md5).to.equal(md5(`${username}:alpha.test:${password}`));
    expect(found?.ha1.sha256).to.equal(sha256(`${username}:alpha.test:${password}`));

    const second = obj((await api.request('GET', '/me/sip', { token })).json);
    expect(second['authorizationUsername']).not.to.equal(username);
    expect(api.store.findSipCredential('alpha.test', username)).not.to.equal(undefined);
  });

  it('lets credentials expire and revokes them on logout', async () => {
    const token = await api.login('bob@alpha.test');
    const first = obj((await api.request('GET', '/me/sip', { token })).json);
    api.clock.advance(3_600_001);
    expect(api.store.findSipCredential('alpha.test', String(first['authorizationUsername']))).to.equal(undefined);
    const fresh = await api.login('bob@alpha.test');
    const second = obj((await api.request('GET', '/me/sip', { token: fresh })).json);
    expect(api.store.findSipCredential('alpha.test', String(second['authorizationUsername']))).not.to.equal(undefined);
    await api.request('POST', '/logout', { token: fresh });
    expect(api.store.findSipCredential('alpha.test', String(second['authorizationUsername']))).to.equal(undefined);
  });
});

describe('API: POST /calls (click-to-dial)', () => {
  let api: TestApi;
  let token: string;
  let webDevice: string;
  const calls: ClickToDialRequest[] = [];
  let failNext: CallControlError | undefined;
  before(async () => {
    api = await startApi({
      callControl: {
        clickToDial(request) {
          calls.push(request);
          if (failNext) {
            const error = failNext;
            failNext = undefined;
            return Promise.reject(error);
          }
          return Promise.resolve({ callId: `call-${calls.length}` });
        },
      },
    });
    token = await api.login('ann@alpha.test');
    webDevice = api.store.webDeviceOf(api.fixture.users.ann.id)?.id ?? '';
  });
  after(() => api.close());

  it('rings the chosen device and connects it to a national number or an extension', async () => {
    const national = await api.request('POST', '/calls', { token, body: { device: webDevice, to: '0171 392 1234' } });
    expect(national.status).to.equal(202);
    expect(obj(national.json)).to.include({ callId: 'call-1', to: '+491713921234' });
    expect(calls.at(-1)).to.deep.equal({ tenantId: api.fixture.alpha.id, userId: api.fixture.users.ann.id, deviceId: webDevice, to: '+491713921234' });
    const extension = await api.request('POST', '/calls', { token, body: { device: webDevice, to: '12' } });
    expect(obj(extension.json)['to']).to.equal('12');
  });

  it('denies international and premium-rate destinations unless the tenant allows them', async () => {
    const before = calls.length;
    for (const to of ['+44 20 7946 0000', '0044 20 7946 0000', '0900 1234567', '0137 1234567', '01805 123456']) {
      const response = await api.request('POST', '/calls', { token, body: { device: webDevice, to } });
      expect(response.status, to).to.equal(403);
      expect(obj(response.json)).to.include({ code: 'destination-not-allowed', field: 'to' });
    }
    expect(calls.length).to.equal(before);
    api.store.updateTenant(api.fixture.alpha.id, { allowInternational: true, allowPremium: true });
    expect((await api.request('POST', '/calls', { token, body: { device: webDevice, to: '+44 20 7946 0000' } })).status).to.equal(202);
    expect((await api.request('POST', '/calls', { token, body: { device: webDevice, to: '0900 1234567' } })).status).to.equal(202);
    api.store.updateTenant(api.fixture.alpha.id, { allowInternational: false, allowPremium: false });
  });

  it('refuses other users’ devices, bad numbers and bad input', async () => {
    const bobs = api.store.webDeviceOf(api.fixture.users.bob.id)?.id ?? '';
    const foreign = await api.request('POST', '/calls', { token, body: { device: bobs, to: '12' } });
    expect(foreign.status).to.equal(404);
    expect(obj(foreign.json)['field']).to.equal('device');
    expect(obj((await api.request('POST', '/calls', { token, body: { device: webDevice, to: 'call mom' } })).json)).to.include({ code: 'validation-failed', field: 'to' });
    expect(obj((await api.request('POST', '/calls', { token, body: { device: webDevice, to: '*11*791' } })).json)['field']).to.equal('to');
    expect(obj((await api.request('POST', '/calls', { token, body: { device: webDevice, to: 12 } })).json)['field']).to.equal('to');
  });

  it('passes on call control failures as clear answers', async () => {
    failNext = new CallControlError('device-unavailable', 'The device is not registered.');
    const response = await api.request('POST', '/calls', { token, body: { device: webDevice, to: '12' } });
    expect(response.status).to.equal(409);
    expect(obj(response.json)['code']).to.equal('device-unavailable');
  });
});

describe('API: POST /calls without call control', () => {
  let api: TestApi;
  before(async () => {
    api = await startApi();
  });
  after(() => api.close());

  it('answers 503 not-available after checking the request', async () => {
    const token = await api.login('ann@alpha.test');
    const device = api.store.webDeviceOf(api.fixture.users.ann.id)?.id ?? '';
    const response = await api.request('POST', '/calls', { token, body: { device, to: '12' } });
    expect(response.status).to.equal(503);
    expect(obj(response.json)['code']).to.equal('not-available');
    expect((await api.request('POST', '/calls', { token, body: { device, to: '0900 1234567' } })).status).to.equal(403);
  });
});
