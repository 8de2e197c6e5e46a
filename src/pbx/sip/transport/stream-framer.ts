/** Cuts a TCP byte stream into SIP messages by Content-Length (RFC 3261 §18.3), with CRLF keep-alives (RFC 5626). */
import { findHeaderEnd } from '../message/parse.js';

/** One thing found in the stream. */
export type FramedItem =
  | { readonly kind: 'message'; readonly data: Buffer }
  /** A CRLFCRLF keep-alive ping: answer with one CRLF. */
  | { readonly kind: 'ping' }
  /** Framing is lost: answer `status` if possible (with the header bytes seen), then close the connection. */
  | { readonly kind: 'error'; readonly head: Buffer; readonly status: number; readonly reason: string };

const PING = Buffer.from('\r\n\r\n');

/** Reads the Content-Length from a header section; undefined if absent, NaN if malformed or repeated. */
function contentLength(head: string): number | undefined {
  let found: number | undefined;
  for (const line of head.split('\r\n').slice(1)) {
    const match = /^(content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/i.exec(line);
    if (!match) continue;
    if (found !== undefined || !/^\d{1,10}$/.test(match[2] ?? '')) return Number.NaN;
    found = Number(match[2]);
  }
  return found;
}

/** Incremental framer for one connection. */
export class StreamFramer {
  #buffer: Buffer = Buffer.alloc(0);
  #failed = false;
  readonly #maxSize: number;

  /** `maxSize`: the largest message accepted, headers and body, in bytes. */
  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  /** Adds bytes and returns every complete item; after an error item, everything else is ignored. */
  push(chunk: Buffer): FramedItem[] {
    if (this.#failed) return [];
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const items: FramedItem[] = [];
    for (;;) {
      const buffer = this.#buffer;
      if (buffer.length >= 4 && buffer.subarray(0, 4).equals(PING)) {
        items.push({ kind: 'ping' });
        this.#buffer = buffer.subarray(4);
        continue;
      }
      if (buffer.length >= 2 && buffer[0] === 0x0d && buffer[1] === 0x0a) {
        // A lone CRLF is a pong (or padding before a message) unless it is the start of a ping still arriving.
        if (buffer.length < 4 && (buffer.length === 2 || buffer[2] === 0x0d)) break;
        this.#buffer = buffer.subarray(2);
        continue;
      }
      if (buffer.length === 0) break;
      const headerEnd = findHeaderEnd(buffer);
      if (headerEnd < 0) {
        if (buffer.length > this.#maxSize) return this.#fail(items, buffer, 513, 'Message too large');
        break;
      }
      const head = buffer.subarray(0, headerEnd);
      const length = contentLength(head.toString('latin1'));
      if (length === undefined) return this.#fail(items, head, 400, 'Missing Content-Length on a stream transport');
      if (Number.isNaN(length)) return this.#fail(items, head, 400, 'Malformed or repeated Content-Length');
      const total = headerEnd + 4 + length;
      if (total > this.#maxSize) return this.#fail(items, head, 513, 'Message too large');
      if (buffer.length < total) break;
      items.push({ kind: 'message', data: Buffer.from(buffer.subarray(0, total)) });
      this.#buffer = buffer.subarray(total);
    }
    return items;
  }

  #fail(items: FramedItem[], head: Buffer, status: number, reason: string): FramedItem[] {
    this.#failed = true;
    this.#buffer = Buffer.alloc(0);
    items.push({ kind: 'error', head: Buffer.from(head.subarray(0, this.#maxSize)), status, reason });
    return items;
  }
}
