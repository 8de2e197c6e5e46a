// `npm start`: builds the SDK, then runs the reference PBX with the demo tenant, serving the examples and the built
// bundles on the same port as the API and SIP over WebSocket. Environment: PORT (default 8080), HOST, CENTREX_DB
// (default .data/centrex.db), CENTREX_SIP_PORT (UDP/TCP, default 5060), CENTREX_DEMO_PASSWORD, CENTREX_SKIP_BUILD=1.
import { spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const env = process.env;

if (env.CENTREX_SKIP_BUILD !== '1') {
  console.log('Building centrex-sdk (npm run build)…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const args = [
  'dist/pbx/cli.js',
  '--db', env.CENTREX_DB ?? '.data/centrex.db',
  '--port', env.PORT ?? env.CENTREX_PORT ?? '8080',
  '--sip-port', env.CENTREX_SIP_PORT ?? '5060',
  '--demo',
  '--static', '/=examples',
  '--static', '/dist/=dist',
];
if (env.HOST) args.push('--host', env.HOST);

const pbx = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => pbx.kill(signal));
pbx.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
