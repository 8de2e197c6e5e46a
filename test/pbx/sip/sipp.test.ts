// Interop with SIPp (Debian package sip-tester): a UAC scenario REGISTERs with digest authentication.
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { type RegistrationEvent } from '../../../src/pbx/sip/index.js';
import { startServer, USERS, type RunningServer } from './support/server.js';
import { skipTest } from './support/skip.js';

const SCENARIO = resolve(fileURLToPath(new URL('.', import.meta.url)), 'sipp/register-digest.xml');
const sippAvailable = !spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error;
const MISSING = 'sipp is not installed (Debian package sip-tester); CI installs it';

/** A port that was free a moment ago on 127.0.0.1 (SIPp needs an explicit local port). */
async function freePort(transport: 'udp' | 'tcp'): Promise<number> {
  if (transport === 'udp') {
    const socket = createSocket('udp4');
    await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
    const { port } = socket.address();
    await new Promise<void>((done) => socket.close(() => done()));
    return port;
  }
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  return typeof address === 'object' && address ? address.port : 0;
}

/** Runs SIPp to completion; resolves with its exit code and output. */
async function runSipp(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn('sipp', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.on('close', done));
  return { code, output };
}

describe('interop: SIPp registers with digest authentication', () => {
  let running: RunningServer;
  const events: RegistrationEvent[] = [];
  before(async () => {
    if (!sippAvailable) return;
    running = await startServer({
      // SIPp 3.6 computes only MD5 and answers the first challenge it finds: offer MD5 first for it.
      security: { digestAlgorithms: ['MD5', 'SHA-256'] },
      onRegistration: (event) => events.push(event),
    });
  });
  after(async () => {
    if (running) await running.close();
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`completes 10 REGISTER transactions with digest over ${transport.toUpperCase()}`, async (context?: unknown) => {
      if (!sippAvailable) return skipTest(context, MISSING);
      const target = transport === 'udp' ? running.udp : running.tcp;
      const localPort = await freePort(transport);
      const { code, output } = await runSipp([
        '-sf', SCENARIO,
        '-m', '10',
        '-r', '50',
        '-s', '201',
        '-au', '201',
        '-ap', USERS['201']!,
        '-i', '127.0.0.1',
        '-p', String(localPort),
        '-t', transport === 'udp' ? 'u1' : 't1',
        '-nostdin',
        '-timeout', '20',
        '-timeout_error',
        `127.0.0.1:${target.port}`,
      ]);
      expect(code, output.slice(-1500)).to.equal(0);
      expect(output).to.match(/Successful call\s+\|\s+\d+\s+\|\s+10\s/);
      const binding = running.server.lookup(`sip:201@127.0.0.1:${target.port}`).find((candidate) => candidate.source.port === localPort || candidate.flowId.startsWith('tcp:'));
      expect(binding?.owner.userId).to.equal('u-201');
      expect(events.some((event) => event.type === 'registered' && event.binding.userAgent === 'SIPp')).to.equal(true);
    });
  }
});
