// Runs a command inside a network namespace that has nothing but loopback (`unshare -n`), so that browsers making
// WebRTC media in tests can only ever use 127.0.0.1. Servers the command starts live in the same namespace.
//
//   node scripts/loopback-netns.mjs web-test-runner --files test/components/x.test.ts
//
// Needs root (CI runs as root) or unprivileged user namespaces, and `ip` (Debian: iproute2). Refuses clearly where the
// namespace cannot be made: tests never fall back to the machine's real network interface.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const INSIDE = 'CENTREX_LOOPBACK_NETNS';
const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('loopback-netns: usage: node scripts/loopback-netns.mjs <command> [args…]');
  process.exit(2);
}

if (process.env[INSIDE] !== '1') {
  const probe = spawnSync('unshare', ['-n', '--', 'ip', 'link', 'set', 'lo', 'up'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const reason = probe.error?.message ?? (probe.stderr.trim() || `exit status ${probe.status}`);
    console.error(
      `loopback-netns: cannot create a loopback-only network namespace (${reason}).\n` +
        'Run as root (CI does) or enable unprivileged user namespaces; install iproute2 for `ip`.',
    );
    process.exit(1);
  }
  const self = resolve(import.meta.filename);
  const quoted = [process.execPath, self, command, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const run = spawnSync('unshare', ['-n', '--', 'bash', '-c', `ip link set lo up && exec ${quoted}`], {
    stdio: 'inherit',
    env: { ...process.env, [INSIDE]: '1' },
  });
  process.exit(run.status ?? 1);
}

// /proc/net/dev lists the current namespace's interfaces (/sys/class/net would still show the host's).
const interfaces = readFileSync('/proc/net/dev', 'utf8')
  .split('\n')
  .slice(2)
  .map((line) => line.split(':')[0].trim())
  .filter(Boolean);
if (interfaces.some((name) => name !== 'lo')) {
  console.error(`loopback-netns: expected only "lo", found ${interfaces.join(', ')}; refusing to run.`);
  process.exit(1);
}
// npm puts node_modules/.bin on PATH for scripts; resolve through the shell so plain `web-test-runner` works too.
const run = spawnSync(command, args, { stdio: 'inherit', shell: false, env: { ...process.env, PATH: `${resolve('node_modules/.bin')}:${process.env.PATH}` } });
if (run.error) {
  console.error(`loopback-netns: could not run ${command}: ${run.error.message}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
