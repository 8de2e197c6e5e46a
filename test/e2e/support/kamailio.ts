// Starts and stops a real Kamailio for a test file: the project's own configuration
// (test/interop/kamailio/kamailio.cfg), a temporary work folder, free ports, readiness by polling a TCP connect.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, createWriteStream, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CONFIG = resolve(import.meta.dirname, '../../interop/kamailio/kamailio.cfg');
const DBTEXT = '/usr/share/kamailio/dbtext/kamailio';
const BINARY = process.env.KAMAILIO_PATH ?? '/usr/sbin/kamailio';
const KAMCMD = process.env.KAMCMD_PATH ?? '/usr/sbin/kamcmd';

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

/** Resolves once something accepts TCP connections on the port; polls every 25 ms. */
export async function waitForPort(port: number, timeoutMs: number, isDead: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dead = isDead();
    if (dead) throw new Error(dead);
    const open = await new Promise<boolean>((done) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        done(true);
      });
      socket.once('error', () => done(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A running Kamailio. */
export class Kamailio {
  readonly workdir: string;
  readonly wsPort: number;
  readonly sipPort: number;
  /** Configuration switches passed as `-A NAME` (e.g. WITH_GRUU). */
  readonly defines: readonly string[];
  #process: ChildProcess | undefined;
  #exit: string | undefined;

  private constructor(workdir: string, wsPort: number, sipPort: number, defines: readonly string[]) {
    this.defines = defines;
    this.workdir = workdir;
    this.wsPort = wsPort;
    this.sipPort = sipPort;
  }

  /** The SIP domain (Kamailio treats 127.0.0.1 as local). */
  get domain(): string {
    return '127.0.0.1';
  }

  /** The SIP WebSocket URL for phones. */
  get wsUrl(): string {
    return `ws://127.0.0.1:${this.wsPort}`;
  }

  /** The log file (stdout and stderr of every start). */
  get logFile(): string {
    return join(this.workdir, 'kamailio.log');
  }

  /** Starts Kamailio (on fresh ports unless given) and waits until its WebSocket port accepts connections. */
  static async start(options: { wsPort?: number; sipPort?: number; defines?: string[] } = {}): Promise<Kamailio> {
    if (!existsSync(BINARY)) {
      throw new Error(`Kamailio is not installed (${BINARY}). Debian: apt-get install kamailio kamailio-websocket-modules kamailio-presence-modules`);
    }
    const workdir = mkdtempSync(join(tmpdir(), 'centrex-kamailio-'));
    mkdirSync(join(workdir, 'run'));
    mkdirSync(join(workdir, 'kamailio'));
    const kamailio = new Kamailio(workdir, options.wsPort ?? (await freePort()), options.sipPort ?? (await freePort()), options.defines ?? []);
    const config = readFileSync(CONFIG, 'utf8')
      .replaceAll('@WORKDIR@', workdir)
      .replaceAll('@WS_PORT@', String(kamailio.wsPort))
      .replaceAll('@SIP_PORT@', String(kamailio.sipPort));
    writeFileSync(join(workdir, 'kamailio.cfg'), config);
    await kamailio.#launch();
    return kamailio;
  }

  /** Stops the process (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((done) => {
      const timer = setTimeout(() => this.#signal(child, 'SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      this.#signal(child, 'SIGCONT');
      this.#signal(child, 'SIGTERM');
    });
  }

  /** Freezes every Kamailio process: connections stay open but nothing answers (a silent network). */
  pause(): void {
    if (this.#process) this.#signal(this.#process, 'SIGSTOP');
  }

  /** Unfreezes after {@link Kamailio.pause}. */
  resume(): void {
    if (this.#process) this.#signal(this.#process, 'SIGCONT');
  }

  #signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  /** Stops and starts again on the same ports: every WebSocket connection drops, memory state is lost. */
  async restart(): Promise<void> {
    await this.stop();
    await this.#launch();
  }

  /** Starts a stopped Kamailio again on the same ports (after {@link Kamailio.stop}). */
  async relaunch(): Promise<void> {
    if (this.#process) throw new Error('Kamailio is running already');
    await this.#launch();
  }

  /**
   * Closes, from Kamailio's side, the WebSocket connection an extension registered over (as a network cut or a
   * proxy restart would): the registration's received address names the phone's port, `ws.dump` the connection
   * from it.
   */
  async dropConnectionOf(extension: string): Promise<void> {
    // usrloc keys addresses-of-record by user name alone (no use_domain); `s:` keeps kamcmd from sending a number.
    const binding = await this.#rpc('ul.lookup', 'location', `s:${extension}`);
    const port = /Received: sip:[^\s;]+:(\d+);transport=ws/.exec(binding)?.[1];
    if (!port) throw new Error(`no WebSocket registration of ${extension} in Kamailio:\n${binding}`);
    const connections = await this.#rpc('ws.dump');
    const id = new RegExp(`(\\d+): ws:[^\\s]+:${port} ->`).exec(connections)?.[1];
    if (!id) throw new Error(`no WebSocket connection from port ${port} in Kamailio:\n${connections}`);
    await this.#rpc('ws.close', id);
  }

  /** Runs a Kamailio RPC command over the control socket and resolves with its output. */
  #rpc(...command: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(KAMCMD, ['-s', `unix:${join(this.workdir, 'run', 'kamailio_ctl')}`, ...command], { encoding: 'utf8', timeout: 10_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`kamcmd ${command.join(' ')} failed: ${stderr || error.message}`));
        else resolve(stdout);
      });
    });
  }

  /** Removes the work folder (after stop). */
  cleanup(): void {
    if (process.env.CENTREX_KEEP_KAMAILIO_LOGS === '1') return;
    rmSync(this.workdir, { recursive: true, force: true });
  }

  async #launch(): Promise<void> {
    // Fresh db_text tables on every start: nothing is meant to survive a restart (the data lives in memory), and on
    // shutdown pua writes rows into its table that it then refuses to load on the next start.
    cpSync(DBTEXT, join(this.workdir, 'kamailio', 'dbtext'), { recursive: true, force: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.#exit = undefined;
    const child = spawn(
      BINARY,
      ['-f', join(this.workdir, 'kamailio.cfg'), '-DD', '-E', '-m', '64', '-M', '8', '-Y', join(this.workdir, 'run'), '-P', join(this.workdir, 'run', 'kamailio.pid'), ...this.defines.flatMap((name) => ['-A', name])],
      // Its own process group, so that pause() and stop() reach the forked worker processes too.
      { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    child.once('exit', (code, signal) => {
      this.#exit = `kamailio exited (code ${code}, signal ${signal}); see ${this.logFile}`;
      log.end();
    });
    this.#process = child;
    // A crashed test must not leave Kamailio running (it has its own process group and would survive).
    const killOnExit = (): void => this.#signal(child, 'SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    try {
      await waitForPort(this.wsPort, 15_000, () => this.#exit);
    } catch (error) {
      const tail = existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n').slice(-20).join('\n') : '';
      throw new Error(`${(error as Error).message}\n${tail}`, { cause: error });
    }
  }
}
