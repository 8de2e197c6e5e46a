// The `centrex-pbx` command as an operator runs it: real process, real ports, real database file.
import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from '../support/harness.js';
import { openStore } from '../../src/pbx/store/index.js';

const dirs: string[] = [];
after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Starts the CLI and resolves with the process and its base URL once it says it is ready. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/pbx/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  while (!/ready: (http:\/\/[\d.]+:\d+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`centrex-pbx exited early:\n${output}`);
    await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
  }
  return { child, url: /ready: (http:\/\/[\d.]+:\d+)/.exec(output)![1]!, output: () => output };
}

async function login(url: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${url}/api/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(response.status, await response.clone().text()).to.equal(200);
  return ((await response.json()) as { token: string }).token;
}

describe('centrex-pbx command', () => {
  it('starts with the demo tenant, prints how to log in, and two users can log in', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-cli-'));
    dirs.push(dir);
    const { child, url, output } = await startCli(['--db', join(dir, 'pbx.db'), '--port', '0', '--sip-port', '0', '--demo', '--demo-password', 'cli-test-pw']);
    try {
      expect(output()).to.contain('ben@demo.test');
      expect(output()).to.contain('password cli-test-pw');
      expect(output()).to.match(/SIP UDP\/TCP {2}127\.0\.0\.1:\d+/);
      const ben = await login(url, 'ben@demo.test', 'cli-test-pw');
      const clara = await login(url, 'clara@demo.test', 'cli-test-pw');
      const sip = await fetch(`${url}/api/v1/me/sip`, { headers: { Authorization: `Bearer ${ben}` } });
      const info = (await sip.json()) as { websocketUrl: string; uri: string };
      expect(info.websocketUrl).to.equal(`${url.replace('http', 'ws')}/sip`);
      expect(info.uri).to.equal('sip:11@localhost');
      expect(clara).to.not.equal(ben);
    } finally {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
  });

  it('refuses bad options with a usage message', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/pbx/cli.ts', '--port', '99999', '--db', '/tmp/x.db'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code] = (await once(child, 'exit')) as [number];
    expect(code).to.equal(2);
    expect(stderr).to.contain('--port must be a port number');
    expect(stderr).to.contain('Usage: centrex-pbx');
  });

  it('shuts down cleanly on SIGTERM in the middle of writes: nothing acknowledged is lost, the database is intact', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-cli-'));
    dirs.push(dir);
    const db = join(dir, 'pbx.db');
    const { child, url } = await startCli(['--db', db, '--port', '0', '--demo', '--demo-password', 'cli-test-pw']);
    const token = await login(url, 'ben@demo.test', 'cli-test-pw');
    const acknowledged: string[] = [];
    let stop = false;
    const writer = (async () => {
      for (let i = 0; !stop && i < 2000; i += 1) {
        try {
          const response = await fetch(`${url}/api/v1/contacts`, {
            method: 'POST',
            headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
            body: JSON.stringify({ name: `Kontakt ${i}`, numbers: [{ number: '0171 3921234' }] }),
          });
          if (response.status === 201) acknowledged.push(((await response.json()) as { id: string }).id);
        } catch {
          return; // the server went away: the writes stop
        }
      }
    })();
    // Signal once some writes have been acknowledged, while more are on their way.
    while (acknowledged.length < 20) await new Promise((resolve) => setImmediate(resolve));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number];
    stop = true;
    await writer;
    expect(code).to.equal(0);

    const store = openStore({ file: db });
    try {
      expect(store.integrityCheck()).to.deep.equal(['ok']);
      const ben = store.listUsers(store.findTenantBySipDomain('localhost')!.id).find((user) => user.extension === '11')!;
      const ids = new Set(store.listContacts({ tenantId: ben.tenantId, userId: ben.id }, 'private').map((contact) => contact.id));
      const lost = acknowledged.filter((id) => !ids.has(id));
      expect(lost, `${lost.length} of ${acknowledged.length} acknowledged contacts lost`).to.deep.equal([]);
    } finally {
      store.close();
    }
  });
});
