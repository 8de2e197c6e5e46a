// Nothing accepted is lost: the real `centrex-pbx` process is killed with SIGKILL while fax jobs are being sent and
// waiting in the queue, and the restarted PBX delivers every one of them (interrupted attempts are repeated, not
// counted twice).
import { after } from 'node:test';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import type { FaxJob } from '../../../src/core/fax/index.js';
import { openStore } from '../../../src/pbx/store/index.js';
import { plainPdf } from '../../core/fax/fixtures.js';
import { DEMO_PASSWORD, FAX, link, login, sendJson, waitForJob } from './support.js';

const dirs: string[] = [];
const children = new Set<ChildProcess>();
after(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
  dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** Starts the CLI and resolves with the process and its base URL once it says it is ready. */
async function startCli(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/pbx/cli.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  while (!/ready: (http:\/\/[\d.]+:\d+)/.test(output)) {
    if (child.exitCode !== null) throw new Error(`centrex-pbx exited early:\n${output}`);
    await Promise.race([once(child.stdout!, 'data'), once(child, 'exit')]);
  }
  return { child, url: /ready: (http:\/\/[\d.]+:\d+)/.exec(output)![1]! };
}

async function killHard(child: ChildProcess): Promise<void> {
  child.kill('SIGKILL');
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  expect(signal).to.equal('SIGKILL');
  expect(code).to.equal(null);
}

describe('fax jobs survive kill -9', () => {
  it('resumes interrupted attempts and queued jobs after a restart and delivers them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-fax-restart-'));
    dirs.push(dir);
    const db = join(dir, 'pbx.db');
    const base = ['--db', db, '--port', '0', '--demo', '--demo-password', DEMO_PASSWORD];

    // The demo line takes a minute per fax: with two lines busy, the third job waits in the queue.
    const first = await startCli([...base, '--fax-sink-delay', '60000']);
    const token = await login(first.url, 'anna@demo.test');
    const extensionId = await link(first.url, token, FAX.anna);
    const ids: string[] = [];
    for (const to of ['089 99998 100', '089 99998 101', '089 99998 102']) {
      const answer = await sendJson(first.url, token, { extensionId, to, document: await plainPdf(1, `Fax an ${to}`) });
      expect(answer.status).to.equal(202);
      ids.push(String(answer.json['id']));
    }
    const sending = (job: FaxJob): boolean => job.state === 'sending';
    await waitForJob(first.url, token, ids[0]!, sending);
    await waitForJob(first.url, token, ids[1]!, sending);
    expect((await waitForJob(first.url, token, ids[2]!, () => true)).state).to.equal('queued');

    await killHard(first.child);

    // What the killed PBX left behind: two attempts cut off, one job waiting, all documents kept.
    const store = openStore({ file: db });
    try {
      expect(store.integrityCheck()).to.deep.equal(['ok']);
      expect(ids.map((id) => `${store.getFaxJobRecord(id)?.state} ${store.getFaxJobRecord(id)?.attempts}`)).to.deep.equal([
        'sending 1',
        'sending 1',
        'queued 0',
      ]);
      for (const id of ids) expect(store.getFaxJobDocument(id)?.length).to.be.greaterThan(100);
    } finally {
      store.close();
    }

    const second = await startCli(base);
    try {
      const again = await login(second.url, 'anna@demo.test');
      for (const id of ids) {
        const job = await waitForJob(second.url, again, id, (j) => j.state === 'sent' || j.state === 'failed');
        expect(job.state, id).to.equal('sent');
        // A cut-off attempt is repeated, not counted as a second one.
        expect(job.attempt, id).to.equal(1);
        expect(existsSync(join(dir, 'fax-sink', `${id}.pdf`)), id).to.equal(true);
      }
    } finally {
      second.child.kill('SIGTERM');
      const [code] = (await once(second.child, 'exit')) as [number];
      expect(code).to.equal(0);
    }
  });
});
