/** Typed SIP requests and responses. */
import type { URI } from 'sip.js/lib/grammar/index.js';
import { parseAddress, parseSipUri, type SipAddress } from './address.js';
import { SipHeaders } from './headers.js';
import type { GrammarParse } from '../grammar.js';
import { parseVia, type SipVia } from './via.js';

/** CSeq: sequence number and method. */
export interface SipCSeq {
  readonly seq: number;
  readonly method: string;
}

/** A Contact value: an address, or `*` (all bindings, only with `Expires: 0`). */
export type SipContact = SipAddress | { readonly star: true };

const EMPTY = Buffer.alloc(0);

function toBuffer(body: Buffer | string | undefined): Buffer {
  if (body === undefined) return EMPTY;
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/** What requests and responses share: headers, body and parsed views of the common headers. */
export abstract class SipMessage {
  /** Every header, in order. */
  headers: SipHeaders;
  /** The body as bytes (SIP bodies may be binary, e.g. multipart with S/MIME). */
  body: Buffer;

  // Parsed header values by kind and text: parsing runs sip.js's grammar, so each distinct value is parsed once per
  // message. Changing a header's text changes the key, so edits are always seen.
  readonly #parsed = new Map<string, unknown>();

  protected constructor(headers: SipHeaders | undefined, body: Buffer | string | undefined) {
    this.headers = headers ?? new SipHeaders();
    this.body = toBuffer(body);
  }

  /**
   * @internal The parsed form of a Via value, cached per message. Parsed views (here and in the getters) are shared:
   * treat them as read-only and change a message by setting header text.
   */
  parsedVia(value: string): ReturnType<typeof parseVia> {
    return this.#memo(`v:${value}`, () => parseVia(value));
  }

  /** @internal The parsed form of an address value (From, To, Contact, Route…), cached per message. */
  parsedAddress(value: string, grammar?: GrammarParse): SipAddress | undefined {
    return this.#memo(`a:${value}`, () => parseAddress(value, grammar));
  }

  /** @internal A parsed sip/sips URI, cached per message. */
  parsedSipUri(value: string, grammar?: GrammarParse): URI | undefined {
    return this.#memo(`u:${value}`, () => parseSipUri(value, grammar));
  }

  /** @internal Records the parsed form of a URI that was parsed as part of something larger (the Request-Line). */
  rememberSipUri(value: string, uri: URI): void {
    this.#parsed.set(`u:${value}`, uri);
  }

  #memo<T>(key: string, compute: () => T): T {
    if (this.#parsed.has(key)) return this.#parsed.get(key) as T;
    const value = compute();
    this.#parsed.set(key, value);
    return value;
  }

  /** The body decoded as UTF-8. */
  get bodyText(): string {
    return this.body.toString('utf8');
  }

  /** Replaces the body (Content-Length is computed when the message is serialized). */
  setBody(body: Buffer | string, contentType?: string): void {
    this.body = toBuffer(body);
    if (contentType !== undefined) this.headers.set('Content-Type', contentType);
  }

  /** The Call-ID, or '' when absent. */
  get callId(): string {
    return this.headers.get('Call-ID') ?? '';
  }

  /** The parsed CSeq, or undefined when absent or malformed. */
  get cseq(): SipCSeq | undefined {
    const match = /^(\d{1,10})[ \t]+(\S+)$/.exec((this.headers.get('CSeq') ?? '').trim());
    if (!match) return undefined;
    return { seq: Number(match[1]), method: match[2] ?? '' };
  }

  /** The parsed From address. */
  get from(): SipAddress | undefined {
    const value = this.headers.get('From');
    return value === undefined ? undefined : this.parsedAddress(value);
  }

  /** The parsed To address. */
  get to(): SipAddress | undefined {
    const value = this.headers.get('To');
    return value === undefined ? undefined : this.parsedAddress(value);
  }

  /** The From tag. */
  get fromTag(): string | undefined {
    return this.from?.params.get('tag') ?? undefined;
  }

  /** The To tag. */
  get toTag(): string | undefined {
    return this.to?.params.get('tag') ?? undefined;
  }

  /** Every Via, top first; malformed values are skipped. */
  get vias(): SipVia[] {
    const vias: SipVia[] = [];
    for (const value of this.headers.getAll('Via')) {
      const via = this.parsedVia(value);
      if (via) vias.push(via);
    }
    return vias;
  }

  /** The top Via. */
  get topVia(): SipVia | undefined {
    const value = this.headers.get('Via');
    return value === undefined ? undefined : this.parsedVia(value);
  }

  /** Every Contact value; malformed values are skipped. */
  get contacts(): SipContact[] {
    const contacts: SipContact[] = [];
    for (const value of this.headers.getAll('Contact')) {
      if (value.trim() === '*') contacts.push({ star: true });
      else {
        const address = this.parsedAddress(value);
        if (address) contacts.push(address);
      }
    }
    return contacts;
  }

  /** Max-Forwards as a number, undefined when absent or malformed. */
  get maxForwards(): number | undefined {
    return decimal(this.headers.get('Max-Forwards'));
  }

  /** The Expires header as a number of seconds, undefined when absent or malformed. */
  get expires(): number | undefined {
    return decimal(this.headers.get('Expires'));
  }

  /** A deep copy. */
  abstract clone(): SipMessage;
}

function decimal(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

/** A SIP request. */
export class SipRequest extends SipMessage {
  /** The method, case-sensitive (RFC 3261 §7.1). */
  method: string;
  /** The Request-URI as written. */
  uri: string;

  constructor(method: string, uri: string, headers?: SipHeaders, body?: Buffer | string) {
    super(headers, body);
    this.method = method;
    this.uri = uri;
  }

  /** The Request-URI parsed by sip.js when it is a sip/sips URI. */
  get sipUri(): URI | undefined {
    return this.parsedSipUri(this.uri);
  }

  /** A deep copy (what a proxy forwards). */
  clone(): SipRequest {
    return new SipRequest(this.method, this.uri, this.headers.clone(), Buffer.from(this.body));
  }
}

/** A SIP response. */
export class SipResponse extends SipMessage {
  /** The status code, 100–699. */
  status: number;
  /** The reason phrase (may be empty or contain UTF-8). */
  reason: string;

  constructor(status: number, reason: string, headers?: SipHeaders, body?: Buffer | string) {
    super(headers, body);
    this.status = status;
    this.reason = reason;
  }

  /** A deep copy. */
  clone(): SipResponse {
    return new SipResponse(this.status, this.reason, this.headers.clone(), Buffer.from(this.body));
  }
}

/** Whether `message` is a request. */
export function isRequest(message: SipMessage): message is SipRequest {
  return message instanceof SipRequest;
}
