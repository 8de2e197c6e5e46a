// A @web/test-runner plugin that runs the reference PBX (the built one in dist/, with the demo tenant) for the
// element tests: real accounts, a real database, real SIP over WebSocket. Tests read where it is from
// /__centrex/pbx.json (see test/components/support/pbx.ts).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The password every demo user gets in element tests. */
export const TEST_PASSWORD = 'element-tests-pw';

/** Starts the PBX when the test server starts and stops it when the test server stops. */
export function pbxPlugin() {
  let pbx;
  let dir;
  return {
    name: 'centrex-test-pbx',
    async serverStart({ config }) {
      const built = resolve('dist/pbx/server.js');
      if (!existsSync(built)) throw new Error('pbx-plugin: dist/pbx/server.js is missing; run `npm run build` first (npm test does).');
      const { startPbx } = await import(pathToFileURL(built).href);
      dir = mkdtempSync(join(tmpdir(), 'centrex-wtr-'));
      pbx = await startPbx({ db: join(dir, 'pbx.db'), port: 0, demo: true, demoPassword: TEST_PASSWORD });
      // The test pages come from the test runner's origin; the tenant must allow it like an embedding intranet.
      const origins = [`http://localhost:${config.port}`, `http://127.0.0.1:${config.port}`];
      const login = await fetch(`${pbx.url}/api/v1/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'anna@demo.test', password: TEST_PASSWORD }),
      });
      const { token } = await login.json();
      const tenant = await (await fetch(`${pbx.url}/api/v1/admin/tenant`, { headers: { authorization: `Bearer ${token}` } })).json();
      const patch = await fetch(`${pbx.url}/api/v1/admin/tenant`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ allowedOrigins: [...tenant.allowedOrigins, ...origins] }),
      });
      if (!patch.ok) throw new Error(`pbx-plugin: could not allow the test origin (${patch.status} ${await patch.text()})`);
      await fetch(`${pbx.url}/api/v1/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    },
    async serverStop() {
      await pbx?.close();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
    serve(context) {
      if (context.path === '/__centrex/pbx.json') {
        return { body: JSON.stringify({ url: pbx.url, password: TEST_PASSWORD }), type: 'json' };
      }
      return undefined;
    },
  };
}
