// CentrexClient against the real reference PBX: signing in, data kept current by the server's events, the web
// phone registering with the credentials the API hands out, calling through another device, signing out.
// Media is not made here (Node has no WebRTC); calls with audio are tested in Chromium.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { describe, it, expect } from '../../support/harness.js';
import { CentrexClient, type ClientArea } from '../../../src/core/client/index.js';
import type { WebSocketLike } from '../../../src/core/phone/index.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { startPbx, type RunningPbx } from '../../../src/pbx/server.js';

const PASSWORD = 'client-test-pw';

/** Resolves when `condition` holds, checking after each event the client emits; rejects after `ms`. */
function until(client: CentrexClient, condition: () => boolean, what: string, ms = 8000): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stops: (() => void)[] = [];
    const timer = setTimeout(() => {
      for (const stop of stops) stop();
      reject(new Error(`timed out waiting until ${what}`));
    }, ms);
    const check = (): void => {
      if (!condition()) return;
      clearTimeout(timer);
      for (const stop of stops) stop();
      resolve();
    };
    stops.push(client.on('change', check), client.on('status', check));
  });
}

describe('CentrexClient with the reference PBX', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centrex-client-'));
  let pbx: RunningPbx;
  const clients: CentrexClient[] = [];

  const dataClient = (): CentrexClient => {
    const client = new CentrexClient({ server: pbx.url, phone: false });
    clients.push(client);
    return client;
  };

  before(async () => {
    pbx = await startPbx({ db: join(dir, 'pbx.db'), port: 0, sipPort: 0, demo: true, demoPassword: PASSWORD });
  });
  after(async () => {
    await Promise.all(clients.map((client) => client.signOut().catch(() => undefined)));
    await pbx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('signs in, loads every area and becomes ready', async () => {
    const client = dataClient();
    const areas = new Set<ClientArea>();
    client.on('change', ({ area }) => areas.add(area));
    expect(client.status).to.equal('signed-out');
    const me = await client.signIn('ben@demo.test', PASSWORD);
    expect(me.extension).to.equal('11');
    await until(client, () => client.status === 'ready', 'the client is ready');
    for (const area of ['me', 'settings', 'devices', 'favorites', 'contacts', 'history', 'forwarding', 'queues', 'rooms', 'directory']) {
      expect(areas.has(area as ClientArea), area).to.equal(true);
    }
    expect(client.directory.some((entry) => entry.kind === 'extension' && entry.extension === '12')).to.equal(true);
    expect(client.dialPlan?.country).to.equal(me.tenant.country);
    // Without a web phone, the web app is not offered as a device to call with.
    expect(client.devices.every((device) => device.kind !== 'web')).to.equal(true);
  });

  it('refuses a wrong password with a stable code and stays signed out', async () => {
    const client = dataClient();
    const error = await client.signIn('ben@demo.test', 'wrong-password').catch((e: unknown) => e);
    expect(isCentrexError(error, 'api-invalid-credentials')).to.equal(true);
    expect(client.status).to.equal('signed-out');
    expect(client.me).to.equal(undefined);
  });

  it('follows changes made in another session of the same user', async () => {
    const watcher = dataClient();
    const editor = dataClient();
    await watcher.signIn('clara@demo.test', PASSWORD);
    await editor.signIn('clara@demo.test', PASSWORD);
    await until(watcher, () => watcher.status === 'ready', 'the watcher is ready');
    const before = watcher.settings!.callWaiting;
    await editor.updateSettings({ callWaiting: !before });
    await until(watcher, () => watcher.settings!.callWaiting === !before, 'the setting arrives by event');
    await editor.updateSettings({ callWaiting: before });
    await until(watcher, () => watcher.settings!.callWaiting === before, 'the restored setting arrives');

    const created = await editor.addContact({ name: 'Client Test Kontakt', numbers: [{ number: '030 1234567' }] });
    await until(watcher, () => watcher.contacts.some((contact) => contact.id === created.id), 'the new contact arrives');
    await editor.deleteContact(created.id);
    await until(watcher, () => !watcher.contacts.some((contact) => contact.id === created.id), 'the deleted contact goes');

    const heard: string[] = [];
    watcher.on('forwardingchanged', ({ source }) => heard.push(source));
    const forwarding = editor.forwarding!;
    await editor.saveForwarding(forwarding);
    await until(watcher, () => heard.length > 0, 'the forwarding event arrives');
    expect(heard[0]).to.equal('api');
  });

  it('writes through the server: a refused write changes nothing locally', async () => {
    const client = dataClient();
    await client.signIn('david@demo.test', PASSWORD);
    const before = client.favorites;
    const error = await client.addFavorite({ name: 'Bad', type: 'star-code', target: 'not a code' }).catch((e: unknown) => e);
    expect(isCentrexError(error)).to.equal(true);
    expect(client.favorites).to.equal(before);
  });

  it('calls through a desk phone by click-to-dial when that is the chosen device', async () => {
    const client = dataClient();
    await client.signIn('ben@demo.test', PASSWORD);
    const desk = client.devices.find((device) => device.kind === 'desk');
    expect(desk, 'ben has a desk phone in the demo tenant').to.not.equal(undefined);
    await client.setCallingDevice(desk!.id);
    try {
      expect(client.callingDevice.id).to.equal(desk!.id);
      // The desk phone is not registered here, so the PBX refuses — through the click-to-dial path, with its code.
      const error = await client.call('12').catch((e: unknown) => e);
      expect(isCentrexError(error), String(error)).to.equal(true);
      expect((error as { details?: { apiCode?: string } }).details?.apiCode).to.equal('device-unavailable');
    } finally {
      await client.updateSettings({ primaryDevice: null });
    }
  });

  it('registers the web phone with the credentials from the API and calls need a number', async () => {
    const client = new CentrexClient({
      server: pbx.url,
      phone: { webSocket: (url, protocol) => new WebSocket(url, protocol) as unknown as WebSocketLike, watchNetwork: false },
    });
    clients.push(client);
    await client.signIn('anna@demo.test', PASSWORD);
    await until(client, () => client.phone?.registered === true && client.status === 'ready', 'the phone registers');
    expect(client.phone!.uri).to.contain('sip:10@');
    expect(client.devices[0]?.kind).to.equal('web');
    expect(client.callingDevice.kind).to.equal('web');
    const error = await client.call('   ').catch((e: unknown) => e);
    expect(isCentrexError(error, 'invalid-argument')).to.equal(true);

    await client.signOut();
    expect(client.status).to.equal('signed-out');
    expect(client.phone).to.equal(undefined);
    expect(client.favorites).to.deep.equal([]);
    const after = await client.api.getMe().catch((e: unknown) => e);
    expect(isCentrexError(after, 'api-unauthorized')).to.equal(true);
  });
});
