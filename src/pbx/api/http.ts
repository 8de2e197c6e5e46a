/**
 * Reading requests and writing JSON answers on node:http.
 * @packageDocumentation
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './errors.js';

/** Headers every API answer carries: never cached, never sniffed, never framed. */
export const BASE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Response headers as node:http takes them. */
export type Headers = Record<string, string | string[]>;

/** Writes a JSON answer (or an empty one for 204). */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const all: Headers = { ...BASE_HEADERS, ...headers };
  if (status === 204 || body === undefined) {
    res.writeHead(status, all);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...all,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

/**
 * The policy of documents the API hands out (fax PDFs): nothing may load, run or frame, even if a browser were
 * persuaded to render the file inline.
 */
export const DOCUMENT_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/**
 * Writes a PDF as a download: `Content-Disposition: attachment`, the API's base headers (no-store, nosniff, no
 * framing) and {@link DOCUMENT_CSP}.
 *
 * @param filename - the suggested file name; only letters, digits, dots, dashes and underscores are kept
 */
export function sendPdf(res: ServerResponse, document: Uint8Array, filename: string, headers: Headers = {}): void {
  const safe = filename.replace(/[^A-Za-z0-9._-]/g, '_') || 'fax.pdf';
  res.writeHead(200, {
    ...BASE_HEADERS,
    ...headers,
    'Content-Type': 'application/pdf',
    'Content-Length': String(document.byteLength),
    'Content-Disposition': `attachment; filename="${safe}"`,
    'Content-Security-Policy': DOCUMENT_CSP,
  });
  res.end(Buffer.from(document.buffer, document.byteOffset, document.byteLength));
}

/**
 * Reads the request body up to `limit` bytes. A body that is too large is still drained (up to `drainFactor` × the
 * limit, default 16, so the client can read the answer) and then rejected with `413 payload-too-large`; beyond that
 * the connection is cut.
 */
export function readBody(req: IncomingMessage, limit: number, drainFactor = 16): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (Number.isFinite(declared) && declared > limit * drainFactor) {
    // Not worth reading: answer at once and let node:http close the connection after the answer.
    return Promise.reject(
      new ApiError(413, 'payload-too-large', `The body is larger than ${limit} bytes.`, { headers: { Connection: 'close' } }),
    );
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (outcome: () => void): void => {
      if (done) return;
      done = true;
      outcome();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > limit * drainFactor) {
        req.destroy();
        finish(() => reject(new ApiError(413, 'payload-too-large', `The body is larger than ${limit} bytes.`)));
      }
    });
    req.on('end', () =>
      finish(() =>
        size > limit
          ? reject(new ApiError(413, 'payload-too-large', `The body is larger than ${limit} bytes.`))
          : resolve(Buffer.concat(chunks)),
      ),
    );
    // A client that goes away mid-body gets a 4xx (which it will not read): its own doing, not a server error.
    const incomplete = (): ApiError => new ApiError(400, 'invalid-json', 'The body ended before it was complete.');
    req.on('error', () => finish(() => reject(incomplete())));
    req.on('close', () => finish(() => reject(incomplete())));
  });
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a JSON body. An empty body is `undefined`; a non-empty one must be declared `application/json` (which
 * also makes cross-origin form posts impossible without a CORS preflight).
 */
export function parseJsonBody(req: IncomingMessage, raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported-media-type', 'Send the body as JSON with Content-Type: application/json.');
  }
  let text: string;
  try {
    text = UTF8.decode(raw);
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid UTF-8.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'invalid-json', 'The body is not valid JSON.');
  }
}

/** The cookies of a request (the first value wins for repeated names). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

/** The bearer token of an `Authorization` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]{1,200})\s*$/i.exec(header ?? '');
  return match?.[1];
}

/** The address of the connection's peer, with IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4. */
export function socketAddress(req: IncomingMessage): string {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}
