/**
 * Parsing SIP messages from bytes. The framing and header splitting are ours (bytes in, Content-Length counted in
 * bytes, folding, compact forms, lists); every header the PBX relies on is then checked with sip.js's grammar and
 * the range rules of RFC 3261, so that the rest of the stack can trust a message that parsed.
 */
import { URI } from 'sip.js/lib/grammar/index.js';
import { parseGrammar, type GrammarParse } from '../grammar.js';
import { uriScheme } from './address.js';
import { isListHeader, splitList } from './header-names.js';
import { SipHeaders } from './headers.js';
import { SipRequest, SipResponse, type SipMessage } from './message.js';
import { isToken } from './params.js';

/** The default largest message accepted, in bytes. */
export const DEFAULT_MAX_MESSAGE_SIZE = 65535;

/** Why a message could not be accepted, and what to answer (if anything can be answered). */
export interface SipParseError {
  /** The status a request deserves: 400, 505 or 513. Responses are never answered. */
  readonly status: number;
  /** A short explanation in our own words (used as Warning text; never echoes the input). */
  readonly reason: string;
  /** Whether the message looked like a response (those are dropped). */
  readonly isResponse: boolean;
  /**
   * The request as far as it could be read (raw header values), so that an error response can copy Via, From, To,
   * Call-ID and CSeq. Undefined for responses and for input that is not SIP at all.
   */
  readonly request: SipRequest | undefined;
}

/** The outcome of {@link parseMessage}. */
export type SipParseResult =
  | { readonly ok: true; readonly message: SipRequest | SipResponse }
  | { readonly ok: false; readonly error: SipParseError };

/** Options of {@link parseMessage}. */
export interface SipParseOptions {
  /** Largest accepted message in bytes (default 65535). */
  readonly maxSize?: number;
  /** Set for stream transports (TCP), where Content-Length is mandatory. */
  readonly stream?: boolean;
  /** @internal The grammar to use (the benchmark compares the cached and the stock one). */
  readonly grammar?: GrammarParse;
}

const HEADER_END = Buffer.from('\r\n\r\n');
const MAX_CSEQ = 2 ** 31 - 1;
const MAX_DELTA_SECONDS = 2 ** 32 - 1;
const DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const SINGLE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length', 'Content-Type', 'Expires'];

class Invalid extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The index just past leading CRLFs (RFC 3261 §7.5: they are ignored before a start line). */
export function skipLeadingCrlf(data: Buffer, from = 0): number {
  let i = from;
  while (i + 1 < data.length && data[i] === 0x0d && data[i + 1] === 0x0a) i += 2;
  return i;
}

/** Where the header section of a message starting at `from` ends (index of the blank line's CRLFCRLF), or -1. */
export function findHeaderEnd(data: Buffer, from = 0): number {
  return data.indexOf(HEADER_END, from);
}

interface RawMessage {
  readonly startLine: string;
  readonly headers: SipHeaders;
  readonly bodyStart: number;
  readonly error: Invalid | undefined;
}

function splitHeaders(data: Buffer, start: number, end: number): RawMessage {
  const head = data.toString('utf8', start, end);
  const lines = head.split('\r\n');
  const startLine = lines[0] ?? '';
  const headers = new SipHeaders();
  let error: Invalid | undefined;
  const fail = (reason: string): void => {
    error ??= new Invalid(400, reason);
  };
  if (/[\r\n]/.test(head.replace(/\r\n/g, ''))) fail('Bare CR or LF in the header section');
  let name: string | undefined;
  let value = '';
  const flush = (): void => {
    if (name === undefined) return;
    if (isListHeader(name)) {
      const parts = splitList(value);
      for (const part of parts) headers.append(name, part);
    } else headers.append(name, value);
    name = undefined;
  };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith(' ') || line.startsWith('\t')) {
      // Folding: the line break and leading whitespace become one space (RFC 3261 §7.3.1).
      if (name === undefined) fail('Continuation line without a header');
      else value = `${value} ${line.trim()}`.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    const headerName = colon < 0 ? '' : line.slice(0, colon).replace(/[ \t]+$/, '');
    if (colon < 0 || !isToken(headerName)) {
      fail('Malformed header line');
      continue;
    }
    name = headerName;
    value = line.slice(colon + 1).trim();
  }
  flush();
  return { startLine, headers, bodyStart: end + HEADER_END.length, error };
}

function checkRequestLine(request: SipRequest, startLine: string, grammar: GrammarParse): void {
  const parts = startLine.split(' ');
  if (parts.length !== 3) throw new Invalid(400, 'Malformed Request-Line');
  const version = parts[2] ?? '';
  if (/^SIP\/\d+\.\d+$/i.test(version) && version.toUpperCase() !== 'SIP/2.0') {
    throw new Invalid(505, 'SIP version not supported');
  }
  const parsed = grammar(startLine, 'Request_Response');
  if (parsed === -1 || typeof parsed !== 'object' || parsed === null) throw new Invalid(400, 'Malformed Request-Line');
  const scheme = uriScheme(request.uri);
  if (scheme === 'sip' || scheme === 'sips') {
    // The Request-Line rule parsed the URI already; an absoluteURI parse of a sip: URI (ipv6-bad) leaves no `uri`.
    const lineUri = (parsed as { uri?: unknown }).uri;
    if (lineUri instanceof URI) request.rememberSipUri(request.uri, lineUri);
    const uri = request.parsedSipUri(request.uri, grammar);
    if (uri === undefined) throw new Invalid(400, 'Malformed Request-URI');
    // RFC 3261 §19.1.5: header components are not allowed in a Request-URI.
    if (Object.keys(uri.headers).length > 0) throw new Invalid(400, 'Headers in the Request-URI');
  }
}

function checkSingle(headers: SipHeaders): void {
  for (const name of SINGLE) {
    if (headers.count(name) > 1) throw new Invalid(400, `More than one ${name} header`);
  }
}

function decimalHeader(headers: SipHeaders, name: string, max: number): void {
  const value = headers.get(name);
  if (value === undefined) return;
  if (!/^\d+$/.test(value) || Number(value) > max) throw new Invalid(400, `Malformed or out-of-range ${name}`);
}

function checkHeaders(message: SipMessage, method: string | undefined, grammar: GrammarParse): void {
  const headers = message.headers;
  for (const name of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
    if (!headers.has(name)) throw new Invalid(400, `Missing ${name} header`);
  }
  checkSingle(headers);
  for (const value of headers.getAll('Via')) {
    const via = message.parsedVia(value);
    if (!via || via.version !== '2.0') throw new Invalid(400, 'Malformed Via header');
  }
  for (const name of ['From', 'To']) {
    if (message.parsedAddress(headers.get(name) ?? '', grammar) === undefined) throw new Invalid(400, `Malformed ${name} header`);
  }
  if (grammar(headers.get('Call-ID') ?? '', 'Call_ID') === -1) throw new Invalid(400, 'Malformed Call-ID header');
  const cseq = /^(\d+)[ \t]+(\S+)$/.exec((headers.get('CSeq') ?? '').trim());
  if (!cseq || !isToken(cseq[2] ?? '') || Number(cseq[1]) > MAX_CSEQ) {
    throw new Invalid(400, 'Malformed or out-of-range CSeq');
  }
  if (method !== undefined && cseq[2] !== method) throw new Invalid(400, 'CSeq method does not match the request');
  decimalHeader(headers, 'Max-Forwards', 255);
  decimalHeader(headers, 'Content-Length', MAX_DELTA_SECONDS);
  decimalHeader(headers, 'Expires', MAX_DELTA_SECONDS);
  const contacts = headers.getAll('Contact');
  for (const value of contacts) {
    if (value === '*') {
      if (contacts.length !== 1) throw new Invalid(400, 'Contact * mixed with other contacts');
    } else {
      const address = message.parsedAddress(value, grammar);
      if (!address) throw new Invalid(400, 'Malformed Contact header');
      const expires = address.params.get('expires');
      if (expires !== undefined && (expires === null || !/^\d+$/.test(expires) || Number(expires) > MAX_DELTA_SECONDS)) {
        throw new Invalid(400, 'Malformed or out-of-range Contact expires');
      }
    }
  }
  for (const name of ['Route', 'Record-Route', 'Path']) {
    for (const value of headers.getAll(name)) {
      const address = message.parsedAddress(value, grammar);
      if (!address || !address.bracketed || !address.sipUri) throw new Invalid(400, `Malformed ${name} header`);
    }
  }
  for (const name of ['Require', 'Proxy-Require', 'Supported']) {
    for (const value of headers.getAll(name)) {
      if (value !== '' && !isToken(value)) throw new Invalid(400, `Malformed ${name} header`);
    }
  }
  const contentType = headers.get('Content-Type');
  if (contentType !== undefined && grammar(contentType, 'Content_Type') === -1) {
    throw new Invalid(400, 'Malformed Content-Type header');
  }
  const date = headers.get('Date');
  if (date !== undefined && !DATE.test(date)) throw new Invalid(400, 'Malformed Date header');
}

function checkResponseLine(startLine: string, grammar: GrammarParse): { status: number; reason: string } {
  const match = /^SIP\/2\.0 (\d{3}) (.*)$/s.exec(startLine);
  if (!match) throw new Invalid(400, 'Malformed Status-Line');
  const status = Number(match[1]);
  if (status < 100 || status > 699 || grammar(startLine, 'Request_Response') === -1) {
    throw new Invalid(400, 'Malformed Status-Line');
  }
  return { status, reason: match[2] ?? '' };
}

/**
 * Parses one SIP message from a datagram, a WebSocket message or a framed stream chunk. Never throws.
 * Extra bytes after the Content-Length are discarded (RFC 3261 §18.3); a Content-Length larger than the data is
 * an error. Without Content-Length the body runs to the end of the data (not allowed when `stream` is set).
 */
export function parseMessage(input: Buffer | string, options: SipParseOptions = {}): SipParseResult {
  const grammar = options.grammar ?? parseGrammar;
  const data = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const start = skipLeadingCrlf(data);
  const notSip = (reason: string): SipParseResult => ({
    ok: false,
    error: { status: 400, reason, isResponse: false, request: undefined },
  });
  if (start >= data.length) return notSip('Empty message');
  let headerEnd = findHeaderEnd(data, start);
  const truncated = headerEnd < 0;
  if (truncated) headerEnd = data.length;
  let raw: RawMessage;
  try {
    raw = splitHeaders(data, start, headerEnd);
  } catch {
    return notSip('Unreadable message');
  }
  const isResponse = /^SIP\//i.test(raw.startLine);
  let request: SipRequest | undefined;
  if (!isResponse) {
    const [method = '', uri = ''] = raw.startLine.split(' ');
    request = new SipRequest(method, uri, raw.headers);
  }
  const failure = (status: number, reason: string): SipParseResult => ({
    ok: false,
    error: { status, reason, isResponse, request },
  });
  try {
    if (data.length - start > (options.maxSize ?? DEFAULT_MAX_MESSAGE_SIZE)) throw new Invalid(513, 'Message too large');
    if (truncated) throw new Invalid(400, 'No end of the header section');
    if (raw.error) throw raw.error;
    let message: SipRequest | SipResponse;
    if (request) {
      checkRequestLine(request, raw.startLine, grammar);
      message = request;
    } else {
      const line = checkResponseLine(raw.startLine, grammar);
      message = new SipResponse(line.status, line.reason, raw.headers);
    }
    checkHeaders(message, request?.method, grammar);
    const available = data.length - raw.bodyStart;
    const lengthText = raw.headers.get('Content-Length');
    let length = available;
    if (lengthText !== undefined) {
      length = Number(lengthText);
      if (length > available) throw new Invalid(400, 'Content-Length larger than the message');
    } else if (options.stream) throw new Invalid(400, 'Missing Content-Length on a stream transport');
    const body = Buffer.from(data.subarray(raw.bodyStart, raw.bodyStart + length));
    // The stored Content-Length would go stale when a body is replaced: serialization writes the real one.
    raw.headers.delete('Content-Length');
    message.body = body;
    return { ok: true, message };
  } catch (error) {
    if (error instanceof Invalid) return failure(error.status, error.reason);
    return failure(400, 'Unreadable message');
  }
}

