import { after } from 'node:test';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from '../../support/harness.js';
import { openStore } from '../../../src/pbx/store/index.js';
import { tempDir } from './fixture.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the writer until it acknowledged `wanted` rows, then kills it with SIGKILL; returns what it acknowledged. */
function writeAndKill(file: string, wanted: number): Promise<{ userId: string; ids: string[]; signal: NodeJS.Signals | null }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'crash-writer.ts'), file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffered = '';
    let userId = '';
    const ids: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('user ')) userId = line.slice(5);
        else if (line !== '') ids.push(line);
      }
      if (ids.length >= wanted && child.exitCode === null && !child.killed) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (_code, signal) => {
      // Whatever was still in the pipe was acknowledged too.
      for (const line of buffered.split('\n')) if (line !== '' && !line.startsWith('user ')) ids.push(line);
      if (signal !== 'SIGKILL') reject(new Error(`writer ended without being killed: ${stderr}`));
      else resolvePromise({ userId, ids, signal });
    });
  });
}

describe('store durability', () => {
  it('keeps every acknowledged row after the writer is killed with SIGKILL mid-write, and the file stays sound', async () => {
    const file = join(dir, 'crash.sqlite');
    const { userId, ids, signal } = await writeAndKill(file, 400);
    expect(signal).to.equal('SIGKILL');
    expect(ids.length).to.be.at.least(400);
    const store = openStore({ file });
    try {
      expect(store.integrityCheck()).to.deep.equal(['ok']);
      const viewer = { tenantId: store.tenantOfUser(userId)?.id ?? '', userId };
      const missing = ids.filter((id) => store.getContact(viewer, id) === undefined);
      expect(missing).to.deep.equal([]);
      // Contacts come in pairs from one transaction each: no half-written transaction survived.
      const names = store.listContacts(viewer).map((contact) => contact.name);
      const firsts = names.filter((name) => name.endsWith(' a')).map((name) => name.slice(0, -2));
      const seconds = names.filter((name) => name.endsWith(' b')).map((name) => name.slice(0, -2));
      expect(firsts.sort()).to.deep.equal(seconds.sort());
      expect(firsts.length).to.be.at.least(ids.length);
    } finally {
      store.close();
    }
  });
});
