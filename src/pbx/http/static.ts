/**
 * Serves static files (the examples and the built SDK bundles for `npm start`) with a strict Content-Security-Policy,
 * so every example proves that the SDK needs no inline script, inline style or eval.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

/** The policy every static page is served with. */
export const STRICT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "media-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A URL path prefix and the folder it maps to, e.g. `{ prefix: '/dist/', dir: 'dist' }`. */
export interface StaticMount {
  readonly prefix: string;
  readonly dir: string;
}

/**
 * Creates a handler that serves GET/HEAD requests from the mounts (longest prefix first) and returns `false` for
 * paths it has no file for. Paths that climb out of a mount (`..`, encoded or not) are never served.
 */
export function createStaticHandler(mounts: readonly StaticMount[]): (req: IncomingMessage, res: ServerResponse) => boolean {
  const sorted = [...mounts]
    .map((mount) => ({ prefix: mount.prefix, dir: resolve(mount.dir) }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const file = fileFor(sorted, req.url ?? '/');
    if (!file) return false;
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': STRICT_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).on('error', () => res.destroy()).pipe(res);
    return true;
  };
}

function fileFor(mounts: readonly StaticMount[], url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent(url.split('?')[0] ?? '/');
  } catch {
    return undefined; // a malformed %-escape
  }
  if (path.includes('\0')) return undefined;
  const mount = mounts.find((candidate) => path.startsWith(candidate.prefix));
  if (!mount) return undefined;
  let file = normalize(join(mount.dir, path.slice(mount.prefix.length)));
  if (file !== mount.dir && !file.startsWith(mount.dir + sep)) return undefined;
  if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
  return existsSync(file) && statSync(file).isFile() ? file : undefined;
}
