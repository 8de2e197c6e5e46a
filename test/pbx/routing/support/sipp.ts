/** Running SIPp (Debian package sip-tester) against the test PBX: scenario paths, free ports, result parsing. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Whether a `sipp` binary is on the PATH. */
export const sippAvailable = !spawnSync('sipp', ['-v'], { stdio: 'ignore' }).error;

/** The reason shown when SIPp is missing. */
export const SIPP_MISSING = 'sipp is not installed (Debian package sip-tester; .ci/run installs it): SIPp interop skipped';

const DIR = resolve(fileURLToPath(new URL('.', import.meta.url)), '../sipp');

/** The path of one of the routing scenarios (`register`, `uac-call`, `uas-answer`). */
export function scenario(name: 'register' | 'uac-call' | 'uas-answer'): string {
  return resolve(DIR, `${name}.xml`);
}

/**
 * Writes a SIPp injection file (`-inf`): SIPp takes one row per call, in order, and the scenario reads the values as
 * [field0], [field1], …
 */
export function injectionFile(rows: ReadonlyArray<readonly string[]>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'centrex-sipp-')), 'fields.csv');
  writeFileSync(file, ['SEQUENTIAL', ...rows.map((row) => row.join(';'))].join('\n') + '\n');
  return file;
}

/** The injection field that makes SIPp answer digest challenges as `username` (SIPp expands keywords in fields). */
export function authField(username: string, password: string): string {
  return `[authentication username=${username} password=${password}]`;
}

/** A UDP port on 127.0.0.1 that was free a moment ago (SIPp needs an explicit local port). */
export async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((done) => socket.bind(0, '127.0.0.1', done));
  const { port } = socket.address();
  await new Promise<void>((done) => socket.close(() => done()));
  return port;
}

/** A running SIPp. */
export interface SippRun {
  readonly child: ChildProcess;
  /** Resolves when it exits, with its exit code and everything it printed. */
  readonly done: Promise<{ code: number | null; output: string; elapsedMs: number }>;
}

/** Starts SIPp with `args`. */
export function startSipp(args: readonly string[]): SippRun {
  const started = performance.now();
  const child = spawn('sipp', [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const done = new Promise<{ code: number | null; output: string; elapsedMs: number }>((settle) => {
    child.on('close', (code) => settle({ code, output, elapsedMs: performance.now() - started }));
  });
  return { child, done };
}

/** The cumulative "Successful call" and "Failed call" counters of SIPp's final screen. */
export function sippCounts(output: string): { successful: number; failed: number } {
  const count = (label: string): number => {
    const matches = [...output.matchAll(new RegExp(`${label}\\s+\\|\\s+\\d+\\s+\\|\\s+(\\d+)`, 'g'))];
    return Number(matches.at(-1)?.[1] ?? 0);
  };
  return { successful: count('Successful call'), failed: count('Failed call') };
}

/** Common arguments: UDP, loopback, no keyboard, fail on the global timeout. */
export function commonArgs(localPort: number, timeoutS: number): string[] {
  return ['-i', '127.0.0.1', '-p', String(localPort), '-t', 'u1', '-nostdin', '-timeout', String(timeoutS), '-timeout_error'];
}
