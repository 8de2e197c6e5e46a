/**
 * A linear scan over the raw bytes of a PDF that finds every stream and reads the few dictionary entries needed to
 * judge how much it unpacks to: `/Filter`, `/Length`, `/Type`, `/Subtype`, `/Width`, `/Height`.
 *
 * It runs before pdf.js and pdf-lib see the file, because both unpack object streams (and pdf.js content streams)
 * into memory in one piece: a decompression bomb must be measured before either library touches it. The scan itself
 * allocates only the entries it keeps, never the contents of arrays or strings, and refuses nesting deeper than
 * {@link MAX_SCAN_DEPTH}, so hostile input cannot make it expensive.
 *
 * @packageDocumentation
 */

/** A stream found by {@link scanPdfStreams}. */
export interface ScannedStream {
  /** Offset of the first data byte. */
  readonly start: number;
  /** Offset just after the last data byte. */
  readonly end: number;
  /** The filter names in decoding order, without the slash (`['FlateDecode']`); abbreviations are expanded. */
  readonly filters: readonly string[];
  /** `/Type` (for example `ObjStm`, `XRef`, `XObject`), if it is a direct name. */
  readonly type: string | undefined;
  /** `/Subtype` (for example `Image`), if it is a direct name. */
  readonly subtype: string | undefined;
  /** `/Width` of an image, if it is a direct number. */
  readonly width: number | undefined;
  /** `/Height` of an image, if it is a direct number. */
  readonly height: number | undefined;
}

/** The result of {@link scanPdfStreams}. */
export interface StreamScan {
  /** Every stream, in file order. */
  readonly streams: readonly ScannedStream[];
  /** Whether a trailer or cross-reference stream names an `/Encrypt` dictionary. */
  readonly encrypted: boolean;
  /** Set when the scan found structure no PDF writer produces (nesting too deep); the file counts as damaged. */
  readonly damaged: string | undefined;
}

/** Dictionaries and arrays nested deeper than this make the scan give up. Real files stay below ten. */
export const MAX_SCAN_DEPTH = 100;

// Abbreviated filter names (allowed in inline images, sometimes seen in streams too).
const FILTER_ABBREVIATIONS: Readonly<Record<string, string>> = {
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  LZW: 'LZWDecode',
  Fl: 'FlateDecode',
  RL: 'RunLengthDecode',
  CCF: 'CCITTFaxDecode',
  DCT: 'DCTDecode',
};

// Entries of a stream dictionary that the scan keeps; everything else is skipped without allocating.
const KEPT_KEYS = new Set(['Filter', 'Length', 'Type', 'Subtype', 'Width', 'Height', 'Encrypt']);

type Value =
  | { readonly k: 'number'; readonly v: number }
  | { readonly k: 'name'; readonly v: string }
  | { readonly k: 'names'; readonly v: readonly string[] }
  | { readonly k: 'dict'; readonly v: ReadonlyMap<string, Value> }
  | { readonly k: 'other' };

const OTHER: Value = Object.freeze({ k: 'other' });

type Token =
  | { readonly t: 'eof' }
  | { readonly t: 'dict-open' }
  | { readonly t: 'dict-close' }
  | { readonly t: 'array-open' }
  | { readonly t: 'array-close' }
  | { readonly t: 'name'; readonly v: string }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'string' };

const isWhite = (c: number): boolean =>
  c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const isDelimiter = (c: number): boolean =>
  c === 0x28 ||
  c === 0x29 ||
  c === 0x3c ||
  c === 0x3e ||
  c === 0x5b ||
  c === 0x5d ||
  c === 0x7b ||
  c === 0x7d ||
  c === 0x2f ||
  c === 0x25;

const ENDSTREAM = [0x65, 0x6e, 0x64, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d]; // "endstream"

class TooDeep extends Error {}

class Lexer {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}

  next(): Token {
    const b = this.bytes;
    for (;;) {
      while (this.pos < b.length && isWhite(b[this.pos]!)) this.pos++;
      if (this.pos >= b.length) return { t: 'eof' };
      if (b[this.pos] !== 0x25) break;
      // A comment runs to the end of the line.
      while (this.pos < b.length && b[this.pos] !== 0x0a && b[this.pos] !== 0x0d) this.pos++;
    }
    const c = b[this.pos]!;
    if (c === 0x3c) {
      if (b[this.pos + 1] === 0x3c) {
        this.pos += 2;
        return { t: 'dict-open' };
      }
      const close = b.indexOf(0x3e, this.pos + 1);
      this.pos = close < 0 ? b.length : close + 1;
      return { t: 'string' };
    }
    if (c === 0x3e) {
      this.pos += b[this.pos + 1] === 0x3e ? 2 : 1;
      return { t: 'dict-close' };
    }
    if (c === 0x5b || c === 0x5d) {
      this.pos++;
      return { t: c === 0x5b ? 'array-open' : 'array-close' };
    }
    if (c === 0x28) {
      this.skipLiteralString();
      return { t: 'string' };
    }
    if (c === 0x2f) {
      this.pos++;
      return { t: 'name', v: this.readRegular(true) };
    }
    if (c === 0x29 || c === 0x7b || c === 0x7d) {
      this.pos++;
      return { t: 'word', v: String.fromCharCode(c) };
    }
    return { t: 'word', v: this.readRegular(false) };
  }

  /** Reads the next `count` tokens without consuming them. */
  peek(count: number): Token[] {
    const saved = this.pos;
    const tokens: Token[] = [];
    for (let i = 0; i < count; i++) tokens.push(this.next());
    this.pos = saved;
    return tokens;
  }

  private readRegular(name: boolean): string {
    const b = this.bytes;
    const start = this.pos;
    // Names and keywords in real files are short; a longer run is skipped but not kept.
    while (this.pos < b.length && !isWhite(b[this.pos]!) && !isDelimiter(b[this.pos]!)) this.pos++;
    const end = Math.min(this.pos, start + 127);
    let text = '';
    for (let i = start; i < end; i++) {
      const ch = b[i]!;
      if (name && ch === 0x23 && i + 2 < end) {
        const code = Number.parseInt(String.fromCharCode(b[i + 1]!, b[i + 2]!), 16);
        if (!Number.isNaN(code)) {
          text += String.fromCharCode(code);
          i += 2;
          continue;
        }
      }
      text += String.fromCharCode(ch);
    }
    return text;
  }

  private skipLiteralString(): void {
    const b = this.bytes;
    let depth = 0;
    while (this.pos < b.length) {
      const ch = b[this.pos++]!;
      if (ch === 0x5c) this.pos++;
      else if (ch === 0x28) depth++;
      else if (ch === 0x29 && --depth === 0) return;
    }
  }
}

/**
 * Finds the streams of a PDF without interpreting the document. Never throws; a file that is not a PDF simply has no
 * streams. Damage the libraries would trip over later (a missing `endstream`) is tolerated here: the stream then runs
 * to the end of the file, which only makes the size estimate larger.
 */
export function scanPdfStreams(bytes: Uint8Array): StreamScan {
  const lexer = new Lexer(bytes);
  const streams: ScannedStream[] = [];
  let encrypted = false;
  let lastDict: ReadonlyMap<string, Value> | undefined;
  try {
    for (;;) {
      const token = lexer.next();
      if (token.t === 'eof') break;
      if (token.t === 'dict-open') {
        lastDict = parseDict(lexer, 1);
        if (lastDict.has('Encrypt')) encrypted = true;
        continue;
      }
      if (token.t === 'word' && token.v === 'stream' && lastDict) {
        const stream = readStream(bytes, lexer, lastDict);
        streams.push(stream);
      }
      lastDict = undefined;
    }
  } catch (error) {
    if (!(error instanceof TooDeep)) throw error;
    return { streams, encrypted, damaged: `objects nested deeper than ${MAX_SCAN_DEPTH} levels` };
  }
  return { streams, encrypted, damaged: undefined };
}

function parseDict(lexer: Lexer, depth: number): Map<string, Value> {
  if (depth > MAX_SCAN_DEPTH) throw new TooDeep();
  const entries = new Map<string, Value>();
  for (;;) {
    const token = lexer.next();
    if (token.t === 'eof' || token.t === 'dict-close') return entries;
    if (token.t !== 'name') continue; // tolerate junk between entries, as viewers do
    const keep = KEPT_KEYS.has(token.v);
    const value = parseValue(lexer, depth, keep);
    if (keep) entries.set(token.v, value);
  }
}

function parseValue(lexer: Lexer, depth: number, keep: boolean): Value {
  const token = lexer.next();
  switch (token.t) {
    case 'dict-open': {
      const dict = parseDict(lexer, depth + 1);
      return keep ? { k: 'dict', v: dict } : OTHER;
    }
    case 'array-open':
      return parseArray(lexer, depth + 1, keep);
    case 'name':
      return { k: 'name', v: token.v };
    case 'word': {
      const number = Number(token.v);
      if (token.v === '' || Number.isNaN(number)) return OTHER;
      // `12 0 R` is a reference, which the scan cannot follow: it counts as unknown.
      const [generation, r] = lexer.peek(2);
      if (generation?.t === 'word' && /^\d+$/.test(generation.v) && r?.t === 'word' && r.v === 'R') {
        lexer.next();
        lexer.next();
        return OTHER;
      }
      return { k: 'number', v: number };
    }
    default:
      return OTHER;
  }
}

function parseArray(lexer: Lexer, depth: number, keep: boolean): Value {
  if (depth > MAX_SCAN_DEPTH) throw new TooDeep();
  const names: string[] = [];
  for (;;) {
    const token = lexer.next();
    if (token.t === 'eof' || token.t === 'array-close') return keep ? { k: 'names', v: names } : OTHER;
    if (token.t === 'name') {
      if (keep && names.length < 16) names.push(token.v);
    } else if (token.t === 'dict-open') {
      parseDict(lexer, depth + 1);
    } else if (token.t === 'array-open') {
      parseArray(lexer, depth + 1, false);
    }
  }
}

function readStream(bytes: Uint8Array, lexer: Lexer, dict: ReadonlyMap<string, Value>): ScannedStream {
  // The keyword is followed by CR LF or LF (a lone CR is tolerated); the data starts after it.
  let start = lexer.pos;
  if (bytes[start] === 0x0d) start++;
  if (bytes[start] === 0x0a) start++;
  let end = -1;
  const length = dict.get('Length');
  if (length?.k === 'number' && Number.isInteger(length.v) && length.v >= 0 && start + length.v <= bytes.length) {
    let after = start + length.v;
    while (after < bytes.length && isWhite(bytes[after]!)) after++;
    if (matchesAt(bytes, after, ENDSTREAM)) end = start + length.v;
  }
  if (end < 0) {
    // /Length is indirect or wrong: the data ends before the next "endstream" (minus its line end).
    const found = indexOfSequence(bytes, ENDSTREAM, start);
    end = found < 0 ? bytes.length : found;
    if (end > start && bytes[end - 1] === 0x0a) end--;
    if (end > start && bytes[end - 1] === 0x0d) end--;
  }
  const next = indexOfSequence(bytes, ENDSTREAM, end);
  lexer.pos = next < 0 ? bytes.length : next + ENDSTREAM.length;
  const nameOf = (key: string): string | undefined => {
    const value = dict.get(key);
    return value?.k === 'name' ? value.v : undefined;
  };
  const numberOf = (key: string): number | undefined => {
    const value = dict.get(key);
    return value?.k === 'number' ? value.v : undefined;
  };
  const filter = dict.get('Filter');
  const filters = filter?.k === 'name' ? [filter.v] : filter?.k === 'names' ? filter.v : [];
  return {
    start,
    end,
    filters: filters.map((name) => FILTER_ABBREVIATIONS[name] ?? name),
    type: nameOf('Type'),
    subtype: nameOf('Subtype'),
    width: numberOf('Width'),
    height: numberOf('Height'),
  };
}

function matchesAt(bytes: Uint8Array, at: number, sequence: readonly number[]): boolean {
  if (at + sequence.length > bytes.length) return false;
  for (let i = 0; i < sequence.length; i++) if (bytes[at + i] !== sequence[i]) return false;
  return true;
}

function indexOfSequence(bytes: Uint8Array, sequence: readonly number[], from: number): number {
  let at = bytes.indexOf(sequence[0]!, from);
  while (at >= 0) {
    if (matchesAt(bytes, at, sequence)) return at;
    at = bytes.indexOf(sequence[0]!, at + 1);
  }
  return -1;
}
