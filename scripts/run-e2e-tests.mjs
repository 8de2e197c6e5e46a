// End-to-end and interop tests: real Chromium users, real SIP servers (Kamailio and the reference PBX), WebRTC media.
//
// WebRTC must only ever use loopback here, so the whole run happens inside a network namespace that has nothing
// but `lo` (`unshare -n`). The script re-executes itself inside one; servers the tests start (Kamailio, the
// reference PBX) live in the same namespace and cannot collide with anything on the machine.
//
//   node scripts/run-e2e-tests.mjs                 all of test/e2e and test/interop
//   node scripts/run-e2e-tests.mjs test/interop/x  only the given files or folders
//   node scripts/run-e2e-tests.mjs --run bench/calls.bench.ts
//                                                  runs one TypeScript program in the same namespace (benchmarks)
//
// Needs: root (or unprivileged user namespaces) for unshare, Chromium (CHROME_PATH or /usr/bin/chromium), and the
// Debian packages kamailio, kamailio-websocket-modules, kamailio-presence-modules. Anything missing is an error with
// a message saying what to install: these tests never skip.
//
// Whatever happens — tests pass, fail, crash, or the run is interrupted — every process still alive in the test
// namespace when it ends (browsers, Kamailio, anything a test forgot) is stopped by its PID before the script exits.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const INSIDE = 'CENTREX_E2E_NETNS';

if (process.env[INSIDE] !== '1') {
  // Ask first, so that a refusal is told apart from failing tests.
  const probe = spawnSync('unshare', ['-n', '--', 'true'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error?.message ?? (probe.stderr.trim() || `exit status ${probe.status}`);
    console.error(
      `run-e2e-tests: cannot create a loopback-only network namespace (unshare -n: ${reason}).\n` +
        'Run as root (CI does) or enable unprivileged user namespaces. WebRTC tests never fall back to the real network interface.',
    );
    process.exit(1);
  }
  const self = resolve(import.meta.filename);
  const quoted = [process.execPath, self, ...process.argv.slice(2)].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const run = spawnSync('unshare', ['-n', '--', 'bash', '-c', `ip link set lo up && exec ${quoted}`], {
    stdio: 'inherit',
    env: { ...process.env, [INSIDE]: '1' },
    cwd: root,
  });
  process.exit(run.status ?? 1);
}

// Inside the namespace: make sure it really is loopback-only before any browser starts. (/proc/net/dev belongs to
// the current network namespace; /sys/class/net would still show the host's interfaces.)
const interfaces = readFileSync('/proc/net/dev', 'utf8')
  .split('\n')
  .slice(2)
  .map((line) => line.split(':')[0].trim())
  .filter(Boolean);
if (interfaces.some((name) => name !== 'lo')) {
  console.error(`run-e2e-tests: expected only "lo" in the test network namespace, found: ${interfaces.join(', ')}. Refusing to run.`);
  process.exit(1);
}

const missing = [];
const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chrome)) missing.push(`Chromium at ${chrome} (Debian: apt-get install chromium, or set CHROME_PATH)`);
const kamailio = process.env.KAMAILIO_PATH ?? '/usr/sbin/kamailio';
if (!existsSync(kamailio)) missing.push(`Kamailio at ${kamailio} (Debian: apt-get install kamailio)`);
if (!existsSync(process.env.KAMCMD_PATH ?? '/usr/sbin/kamcmd')) missing.push('kamcmd (Debian: part of the kamailio package)');
const moduleDirs = ['/usr/lib/kamailio/modules', ...readdirSync('/usr/lib').map((name) => join('/usr/lib', name, 'kamailio', 'modules'))].filter(existsSync);
for (const [module, pkg] of [['websocket.so', 'kamailio-websocket-modules'], ['presence.so', 'kamailio-presence-modules']]) {
  if (!moduleDirs.some((dir) => existsSync(join(dir, module)))) missing.push(`Kamailio's ${module} (Debian: apt-get install ${pkg})`);
}
if (missing.length > 0) {
  console.error(`run-e2e-tests: cannot run the browser tests; missing:\n  ${missing.join('\n  ')}`);
  process.exit(1);
}

const args = process.argv.slice(2);
let command;
if (args[0] === '--run') {
  if (!args[1]) {
    console.error('run-e2e-tests: --run needs a file');
    process.exit(1);
  }
  command = ['--import', 'tsx', ...args.slice(1)];
} else {
  const roots = args.length > 0 ? args : ['test/e2e', 'test/interop'];
  const files = [];
  const walk = (path) => {
    if (!existsSync(path)) return;
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name));
    } else if (path.endsWith('.test.ts')) files.push(path);
  };
  for (const r of roots) walk(r);
  if (files.length === 0) {
    console.error('run-e2e-tests: no test files found under ' + roots.join(', '));
    process.exit(1);
  }
  // One file at a time: each starts its own servers and browsers, and two cores are shared with other work.
  command = ['--import', 'tsx', '--test', '--test-concurrency=1', ...files];
}

const started = Date.now();
const child = spawn(process.execPath, command, { stdio: 'inherit', cwd: root, env: { ...process.env, CHROME_PATH: chrome } });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => child.kill(signal));
}
const status = await new Promise((done) => {
  child.once('error', (error) => {
    console.error(`run-e2e-tests: could not start the tests: ${error.message}`);
    done(1);
  });
  child.once('exit', (code, signal) => done(code ?? (signal ? 128 : 1)));
});
const leftovers = await stopLeftovers();
console.log(`run-e2e-tests: finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit status ${status}`);
if (leftovers.length > 0) {
  console.error(`run-e2e-tests: stopped ${leftovers.length} process(es) the tests left running: ${leftovers.join(', ')}`);
}
process.exit(status);

/**
 * Every process of this network namespace except this one: the namespace was made for this run, so whatever lives
 * in it was started by it. Returns `pid name` for each.
 */
function namespaceProcesses() {
  const own = readlinkSync('/proc/self/ns/net');
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readlinkSync(`/proc/${entry}/ns/net`) !== own) continue;
      const name = readFileSync(`/proc/${entry}/comm`, 'utf8').trim();
      found.push({ pid: Number(entry), name });
    } catch {
      // The process ended while we looked, or is not ours to inspect.
    }
  }
  return found;
}

/** Stops, by PID, what is still running in the namespace: SIGTERM, then SIGKILL for what did not go within 3 s. */
async function stopLeftovers() {
  const first = namespaceProcesses();
  for (const { pid } of first) signal(pid, 'SIGTERM');
  const deadline = Date.now() + 3000;
  while (Date.now() < deadline && namespaceProcesses().length > 0) await new Promise((done) => setTimeout(done, 50));
  for (const { pid } of namespaceProcesses()) signal(pid, 'SIGKILL');
  return first.map(({ pid, name }) => `${pid} ${name}`);
}

function signal(pid, name) {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}
