import { after, before } from 'node:test';
import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import { createApiHandler } from '../../../src/pbx/api/index.js';
import { seedDemoTenant, type DemoSeedResult } from '../../../src/pbx/demo.js';
import { PbxEvents } from '../../../src/pbx/events.js';
import { openStore, type Store } from '../../../src/pbx/store/index.js';
import { obj, tempDir } from './helpers.js';

const dir = tempDir();
let store: Store;
let server: Server;
let url = '';
let seeded: DemoSeedResult;
const lines: string[] = [];

before(async () => {
  store = openStore({ file: join(dir, 'demo.sqlite') });
  seeded = await seedDemoTenant(store, { password: 'demo-password-1', log: (line) => lines.push(line) });
  server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = createApiHandler({ store, events: new PbxEvents(), publicUrl: url });
  server.on('request', (req, res) => {
    if (!api(req, res)) res.writeHead(404).end();
  });
});
after(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function login(email: string, origin?: string): Promise<Response> {
  return fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) },
    body: JSON.stringify({ email, password: 'demo-password-1' }),
  });
}

describe('demo tenant', () => {
  it('creates Demo GmbH with its users, outside-world numbers and how to log in', () => {
    expect(seeded.created).to.equal(true);
    expect(seeded.password).to.equal('demo-password-1');
    expect(seeded.logins.map((l) => `${l.email} ${l.extension}`)).to.include.members([
      'anna@demo.test 10',
      'ben@demo.test 11',
      'clara@demo.test 12',
      'david@demo.test 13',
      'extern100@outside.test 100',
    ]);
    const tenant = store.findTenantBySipDomain('localhost');
    expect(tenant?.name).to.equal('Demo GmbH');
    expect(tenant?.dialPlan.mainNumber).to.equal('+49891234567');
    expect(tenant?.allowedOrigins).to.deep.equal(['http://localhost:8080', 'http://127.0.0.1:8080']);
    expect(store.findUserByNumber('+49305550100')?.user.email).to.equal('extern100@outside.test');
    const clara = store.findLoginByEmail('clara@demo.test')?.user;
    expect(store.getForwarding(clara?.id ?? '').profiles.map((p) => p.title)).to.deep.equal(['Standard', 'Urlaub', 'Homeoffice']);
    expect(store.listQueues(tenant?.id ?? '', clara?.id ?? '').map((q) => `${q.name} ${q.extension}`)).to.deep.equal(['Support 50']);
    expect(store.findRoomByExtension(tenant?.id ?? '', '70')?.name).to.equal('Konferenzraum');
    expect(lines.join('\n')).to.include('anna@demo.test').and.include('demo-password-1');
  });

  it('does nothing on a database that is not empty', async () => {
    const again = await seedDemoTenant(store, { password: 'other' });
    expect(again.created).to.equal(false);
    expect(again.password).to.equal(undefined);
    expect(again.logins).to.have.length(seeded.logins.length);
    expect(store.listTenants()).to.have.length(2);
  });

  it('lets demo users log in from the example pages’ origins, and gives them BLF keys for colleagues', async () => {
    const response = await login('ben@demo.test', 'http://localhost:8080');
    expect(response.status).to.equal(200);
    expect(response.headers.get('access-control-allow-origin')).to.equal('http://localhost:8080');
    const token = String(obj(await response.json())['token']);
    const favorites = obj(await (await fetch(`${url}/api/v1/favorites`, { headers: { authorization: `Bearer ${token}` } })).json());
    const keys = (favorites['favorites'] as { type: string; target: string }[]).filter((f) => f.type === 'blf').map((f) => f.target);
    expect(keys).to.deep.equal(['10', '12', '13']);
    expect((await login('extern101@outside.test')).status).to.equal(200);
  });
});
