// `npm start`: builds the SDK and serves the examples on one port, under a strict Content-Security-Policy.
// (The reference PBX joins this process once it exists; until then the examples run the core engines in the page.)
import { createServer } from 'node:http';
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8080);
const host = process.env.HOST ?? '127.0.0.1';

if (process.env.CENTREX_SKIP_BUILD !== '1') {
  console.log('Building centrex-sdk (npm run build)…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};

// No inline scripts or styles anywhere: the examples prove the SDK works under this policy.
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/** Maps a URL path to a file under examples/ or dist/, refusing anything outside them. */
function fileFor(urlPath) {
  const path = decodeURIComponent(urlPath.split('?')[0]);
  const [base, rest] = path.startsWith('/dist/') ? ['dist', path.slice(6)] : ['examples', path.slice(1)];
  const dir = join(root, base);
  let file = normalize(join(dir, rest));
  if (file !== dir && !file.startsWith(dir + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) ? file : undefined;
}

const server = createServer((request, response) => {
  let file;
  try {
    file = request.method === 'GET' || request.method === 'HEAD' ? fileFor(request.url ?? '/') : undefined;
  } catch {
    file = undefined; // a malformed %-escape
  }
  const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
  if (!file) {
    response.writeHead(404, { ...headers, 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ code: 'not-found', message: 'No such page.' }));
    return;
  }
  response.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream' });
  if (request.method === 'HEAD') response.end();
  else createReadStream(file).pipe(response);
});

server.listen(port, host, () => {
  const { port: actual } = server.address();
  console.log(`Centrex SDK examples: http://${host === '0.0.0.0' ? 'localhost' : host}:${actual}/`);
  console.log('  forwarding "who reaches me?" tester: /forwarding/');
  console.log('  directory search: /directory/');
  console.log('Stop with Ctrl+C.');
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
