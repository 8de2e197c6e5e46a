// End-to-end and interop tests: real Chromium users, real SIP servers, WebRTC media.
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
// Needs: root (or unprivileged user namespaces) for unshare, Chromium (CHROME_PATH or /usr/bin/chromium), and for
// test/interop the Debian packages kamailio, kamailio-websocket-modules, kamailio-presence-modules.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

const chrome = process.env.CHROME_PATH ?? '/usr/bin/chromium';
if (!existsSync(chrome)) {
  console.error(`run-e2e-tests: no Chromium at ${chrome}. Install it (Debian: apt-get install chromium) or set CHROME_PATH.`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args[0] === '--run') {
  if (!args[1]) {
    console.error('run-e2e-tests: --run needs a file');
    process.exit(1);
  }
  const run = spawnSync(process.execPath, ['--import', 'tsx', ...args.slice(1)], { stdio: 'inherit', cwd: root, env: { ...process.env, CHROME_PATH: chrome } });
  process.exit(run.status ?? 1);
}
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
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...files], {
  stdio: 'inherit',
  cwd: root,
  env: { ...process.env, CHROME_PATH: chrome },
});
process.exit(result.status ?? 1);
