/**
 * An incremental parser for `text/event-stream` (the WHATWG HTML "server-sent events" format), fed with whatever
 * pieces the network delivers. Pure: no timers, no network.
 *
 * @packageDocumentation
 */
import { CentrexError } from '../errors.js';

/** What the parser found in the stream, in order. */
export type SseRecord =
  /**
   * An event was dispatched (a blank line after at least one `data` field). `name` is the `event` field or
   * `message`; `data` the `data` lines joined with `\n`; `lastEventId` the id in force (the last `id` field so far,
   * which carries over to later events and reconnects).
   */
  | { readonly kind: 'event'; readonly name: string; readonly data: string; readonly lastEventId: string }
  /** A `retry` field with a valid number: the server's reconnection delay in milliseconds. */
  | { readonly kind: 'retry'; readonly ms: number }
  /** A comment line (`: heartbeat`), without the colon. Servers send them to keep connections alive. */
  | { readonly kind: 'comment'; readonly text: string };

/** Options of {@link SseParser}. */
export interface SseParserOptions {
  /**
   * Most characters one event may buffer (its data plus the line being read) before the parser gives up; default
   * 1 MiB. A stream that never ends its lines would otherwise grow the buffer without bound.
   */
  readonly maxEventLength?: number;
  /** The last event id to start from (as sent in `Last-Event-ID` on a reconnect); default none. */
  readonly lastEventId?: string;
}

/** How many characters one event may buffer by default. */
export const DEFAULT_MAX_SSE_EVENT_LENGTH = 1024 * 1024;

const BOM = '\uFEFF';

/**
 * Parses server-sent events incrementally. Chunks may split the stream anywhere: inside a line, between a CR and its
 * LF, inside a multi-byte UTF-8 character (use {@link SseParser.feedBytes}). Lines may end in LF, CR or CRLF.
 *
 * Follows the WHATWG rules: a leading BOM is dropped; `:` starts a comment; one space after the field's colon is
 * removed; `data` lines accumulate; an `id` containing U+0000 is ignored; `retry` counts only when it is all ASCII
 * digits; unknown fields are ignored; a blank line dispatches the event when it has data and otherwise only resets
 * the event name; an event the stream ends in the middle of is dropped.
 *
 * @example
 * ```ts
 * const parser = new SseParser();
 * for (const record of parser.feed('event: ready\ndata: {}\n\n')) console.log(record);
 * ```
 */
export class SseParser {
  readonly #maxEventLength: number;
  // ignoreBOM keeps a BOM in the text, so that exactly one is dropped below, as the standard says.
  readonly #decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  #line = '';
  #data: string[] = [];
  #dataLength = 0;
  #eventName = '';
  #lastEventId: string;
  #started = false;
  // A CR ended the previous chunk: an LF at the start of the next one belongs to it.
  #afterCr = false;

  /**
   * @param options - buffer limit and the id to start from
   * @throws CentrexError `invalid-argument` when `maxEventLength` is not a positive whole number
   */
  constructor(options: SseParserOptions = {}) {
    const max = options.maxEventLength ?? DEFAULT_MAX_SSE_EVENT_LENGTH;
    if (!Number.isInteger(max) || max < 1) {
      throw new CentrexError('invalid-argument', 'maxEventLength must be a whole number of characters, at least 1.', {
        details: { maxEventLength: max },
      });
    }
    this.#maxEventLength = max;
    this.#lastEventId = options.lastEventId ?? '';
  }

  /** The id in force: the value of the last valid `id` field (or the starting id). Send it as `Last-Event-ID`. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /**
   * Parses a piece of the stream as bytes, decoding UTF-8 across chunk boundaries (invalid bytes become U+FFFD, as the
   * standard asks).
   *
   * @throws CentrexError `api-invalid-response` when one event outgrows `maxEventLength`
   */
  feedBytes(bytes: Uint8Array): SseRecord[] {
    return this.feed(this.#decoder.decode(bytes, { stream: true }));
  }

  /**
   * Parses a piece of the stream as text.
   *
   * @returns what the piece completed, in stream order
   * @throws CentrexError `api-invalid-response` when one event outgrows `maxEventLength`
   */
  feed(text: string): SseRecord[] {
    const out: SseRecord[] = [];
    let chunk = text;
    if (!this.#started && chunk.length > 0) {
      this.#started = true;
      if (chunk.startsWith(BOM)) chunk = chunk.slice(1);
    }
    let position = 0;
    if (this.#afterCr && chunk.length > 0) {
      this.#afterCr = false;
      if (chunk.charCodeAt(0) === 0x0a) position = 1;
    }
    // The next CR and LF are searched for again only once passed, so a chunk of many LF-only lines stays linear.
    let lf = -2;
    let cr = -2;
    while (position < chunk.length) {
      if (lf !== -1 && lf < position) lf = chunk.indexOf('\n', position);
      if (cr !== -1 && cr < position) cr = chunk.indexOf('\r', position);
      const end = lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
      if (end < 0) {
        this.#line += chunk.slice(position);
        this.#checkSize();
        break;
      }
      const line = this.#line + chunk.slice(position, end);
      this.#line = '';
      position = end + 1;
      if (chunk.charCodeAt(end) === 0x0d) {
        if (position < chunk.length) {
          if (chunk.charCodeAt(position) === 0x0a) position += 1;
        } else {
          this.#afterCr = true;
        }
      }
      this.#processLine(line, out);
    }
    return out;
  }

  /**
   * Ends the stream: flushes the UTF-8 decoder and forgets an event that was not finished by a blank line (the
   * standard drops it). The parser can be fed again afterwards, as for a new connection; the last event id stays.
   *
   * @returns records completed by the decoder's final characters (only comments, retry or nothing in practice)
   */
  end(): SseRecord[] {
    const rest = this.#decoder.decode();
    const out = rest.length > 0 ? this.feed(rest) : [];
    this.#line = '';
    this.#data = [];
    this.#dataLength = 0;
    this.#eventName = '';
    this.#started = false;
    this.#afterCr = false;
    return out;
  }

  #checkSize(): void {
    if (this.#line.length + this.#dataLength > this.#maxEventLength) {
      const size = this.#line.length + this.#dataLength;
      this.#line = '';
      this.#data = [];
      this.#dataLength = 0;
      throw new CentrexError(
        'api-invalid-response',
        `The event stream sent an event longer than ${this.#maxEventLength} characters; the connection is dropped.`,
        { details: { size, maxEventLength: this.#maxEventLength } },
      );
    }
  }

  #processLine(line: string, out: SseRecord[]): void {
    if (line === '') {
      this.#dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 0x3a) {
      out.push({ kind: 'comment', text: line.slice(1).replace(/^ /, '') });
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 0x20) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#eventName = value;
        break;
      case 'data':
        this.#data.push(value);
        this.#dataLength += value.length + 1;
        this.#checkSize();
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          const ms = Number(value);
          if (Number.isSafeInteger(ms)) out.push({ kind: 'retry', ms });
        }
        break;
      default:
        // Unknown fields are ignored, so servers can add some without breaking older clients.
        break;
    }
  }

  #dispatch(out: SseRecord[]): void {
    const name = this.#eventName === '' ? 'message' : this.#eventName;
    const hasData = this.#data.length > 0;
    const data = this.#data.join('\n');
    this.#data = [];
    this.#dataLength = 0;
    this.#eventName = '';
    if (hasData) out.push({ kind: 'event', name, data, lastEventId: this.#lastEventId });
  }
}
