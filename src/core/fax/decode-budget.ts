/**
 * Measures how many bytes a PDF stream unpacks to, without ever holding more than a chunk of the output, and stops
 * as soon as a budget is exceeded. This is the defence against decompression bombs: pdf.js and pdf-lib unpack a stream
 * into one buffer, so a 1 KB stream of nested FlateDecode that inflates to gigabytes must be caught here first.
 *
 * FlateDecode uses the platform's `DecompressionStream` (native code in browsers and Node 20, streaming); the other
 * transport filters (ASCIIHex, ASCII85, RunLength, LZW) are decoded by small streaming decoders below. Image codecs
 * (DCT, JPX, CCITTFax, JBIG2) end the measurement: their output is bounded by the image's pixel count, which the
 * checker limits separately.
 *
 * @packageDocumentation
 */

/** The result of {@link measureDecodedSize}. */
export interface DecodedSize {
  /** Bytes the transport filters produced (at most `budget + ` one chunk when exceeded). */
  readonly bytes: number;
  /** True when unpacking went past the budget and was stopped. */
  readonly exceeded: boolean;
}

type Chunks = AsyncIterable<Uint8Array>;
type Stage = (source: Chunks) => Chunks;

const CHUNK = 64 * 1024;

const STAGES: Readonly<Record<string, Stage>> = {
  FlateDecode: inflate,
  ASCIIHexDecode: asciiHex,
  ASCII85Decode: ascii85,
  RunLengthDecode: runLength,
  LZWDecode: lzw,
};

class BudgetExceeded extends Error {}

/**
 * Unpacks `data` through `filters` (in decoding order) and counts the output, stopping past `budget` bytes.
 * Corrupt or encrypted data simply ends the count (the libraries judge damage later); only the size matters here.
 */
export async function measureDecodedSize(
  data: Uint8Array,
  filters: readonly string[],
  budget: number,
): Promise<DecodedSize> {
  let chunks: Chunks = slices(data);
  const counters: { bytes: number }[] = [];
  for (const filter of filters) {
    const stage = STAGES[filter];
    if (!stage) break;
    const counter = { bytes: 0 };
    counters.push(counter);
    chunks = counted(stage(chunks), budget, counter);
  }
  if (counters.length === 0) return { bytes: data.length, exceeded: data.length > budget };
  try {
    for await (const _ of chunks) {
      // Draining is the point: the counters see every chunk.
    }
  } catch (error) {
    if (error instanceof BudgetExceeded) return { bytes: counters.at(-1)!.bytes, exceeded: true };
  }
  return { bytes: counters.at(-1)!.bytes, exceeded: false };
}

async function* slices(data: Uint8Array): Chunks {
  for (let at = 0; at < data.length; at += CHUNK) yield data.subarray(at, Math.min(at + CHUNK, data.length));
}

async function* counted(source: Chunks, budget: number, counter: { bytes: number }): Chunks {
  for await (const chunk of source) {
    counter.bytes += chunk.length;
    // Every stage is counted, not only the last: a later filter must not hide a bomb by shrinking the output.
    if (counter.bytes > budget) throw new BudgetExceeded();
    yield chunk;
  }
}

/** A zlib stream starts with CMF/FLG bytes whose 16-bit value is a multiple of 31 and method 8 (deflate). */
function hasZlibHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 2) return true;
  return (bytes[0]! & 0x0f) === 8 && ((bytes[0]! << 8) | bytes[1]!) % 31 === 0;
}

async function* inflate(source: Chunks): Chunks {
  const input = source[Symbol.asyncIterator]();
  const first = await input.next();
  if (first.done) return;
  // Some writers omit the zlib header; viewers accept raw deflate, so the measurement must too.
  const stream = new DecompressionStream(hasZlibHeader(first.value) ? 'deflate' : 'deflate-raw');
  const writer = stream.writable.getWriter();
  const reader = stream.readable.getReader();
  const pump = (async () => {
    try {
      for (let chunk: IteratorResult<Uint8Array> = first; !chunk.done; chunk = await input.next()) {
        // Typed arrays over a SharedArrayBuffer never reach here; the cast only satisfies the DOM typing.
        await writer.write(chunk.value as BufferSource);
      }
      await writer.close();
    } catch {
      // The readable side was cancelled or the data is corrupt; the reader reports what matters.
      await input.return?.();
    }
  })();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
    await pump;
  }
}

/**
 * Collects output bytes in chunks of {@link CHUNK} bytes. A decoder pushes bytes and, after each input unit, yields
 * what is `ready`, so the budget is checked at least once per input byte or LZW code, never after a whole input chunk.
 */
class Output {
  #buffer = new Uint8Array(CHUNK);
  #length = 0;
  /** Full chunks waiting to be yielded. */
  ready: Uint8Array[] = [];
  push(byte: number): void {
    this.#buffer[this.#length++] = byte;
    if (this.#length === CHUNK) {
      this.ready.push(this.#buffer);
      this.#buffer = new Uint8Array(CHUNK);
      this.#length = 0;
    }
  }
  /** Returns the full chunks and forgets them. */
  take(): Uint8Array[] {
    const ready = this.ready;
    this.ready = [];
    return ready;
  }
  /** Returns every chunk, including the last partial one. */
  finish(): Uint8Array[] {
    if (this.#length > 0) this.ready.push(this.#buffer.subarray(0, this.#length));
    this.#length = 0;
    return this.take();
  }
}

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1;

async function* asciiHex(source: Chunks): Chunks {
  const out = new Output();
  let high = -1;
  let ended = false;
  for await (const chunk of source) {
    for (const c of chunk) {
      if (c === 0x3e) {
        ended = true; // ">" ends the data
        break;
      }
      const value = hexValue(c);
      if (value < 0) continue; // white space and junk are skipped, as viewers do
      if (high < 0) high = value;
      else {
        out.push((high << 4) | value);
        high = -1;
      }
    }
    // Hex never grows data, so one check per input chunk is enough.
    yield* out.take();
    if (ended) break;
  }
  if (high >= 0) out.push(high << 4);
  yield* out.finish();
}

async function* ascii85(source: Chunks): Chunks {
  const out = new Output();
  const group: number[] = [];
  const flush = (count: number): void => {
    let value = 0;
    for (let i = 0; i < 5; i++) value = value * 85 + (group[i] ?? 84);
    for (let i = 0; i < count - 1; i++) out.push(Math.floor(value / 2 ** (24 - 8 * i)) & 0xff);
    group.length = 0;
  };
  let ended = false;
  for await (const chunk of source) {
    for (const c of chunk) {
      if (c === 0x7e) {
        ended = true; // "~>" ends the data
        break;
      }
      if (c === 0x7a && group.length === 0) {
        // "z" stands for four zero bytes: at most four times the input, so checking per input chunk is enough.
        for (let i = 0; i < 4; i++) out.push(0);
        continue;
      }
      if (c < 0x21 || c > 0x75) continue;
      group.push(c - 0x21);
      if (group.length === 5) flush(5);
    }
    yield* out.take();
    if (ended) break;
  }
  // A partial group of n characters gives n - 1 bytes.
  if (group.length > 1) flush(group.length);
  yield* out.finish();
}

async function* runLength(source: Chunks): Chunks {
  const out = new Output();
  let literal = 0; // bytes still to copy
  let repeat = -1; // set after a repeat length byte, until its data byte arrives
  for await (const chunk of source) {
    for (const c of chunk) {
      if (literal > 0) {
        literal--;
        out.push(c);
      } else if (repeat > 0) {
        for (let i = 0; i < repeat; i++) out.push(c);
        repeat = -1;
        // A run multiplies by up to 128: hand over the output before reading on.
        yield* out.take();
      } else if (c === 128) {
        yield* out.finish();
        return;
      } else if (c < 128) {
        literal = c + 1;
      } else {
        repeat = 257 - c;
      }
    }
    yield* out.take();
  }
  yield* out.finish();
}

async function* lzw(source: Chunks): Chunks {
  // The table stores each entry as (prefix code, last byte, length, first byte), so no entry holds a string.
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const firstByte = new Uint8Array(4096);
  for (let i = 0; i < 256; i++) {
    suffix[i] = i;
    firstByte[i] = i;
  }
  const stack = new Uint8Array(4096);
  const out = new Output();
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let bitCount = 0;
  for await (const chunk of source) {
    for (const c of chunk) {
      bits = ((bits << 8) | c) & 0xffffff;
      bitCount += 8;
      while (bitCount >= width) {
        const code = (bits >>> (bitCount - width)) & ((1 << width) - 1);
        bitCount -= width;
        if (code === 256) {
          next = 258;
          width = 9;
          previous = -1;
          continue;
        }
        if (code === 257) {
          yield* out.finish();
          return;
        }
        let entry: number;
        if (previous < 0) {
          if (code > 255) return; // corrupt: the first code must be a literal
          entry = code;
        } else if (code < next) {
          entry = code;
          if (next < 4096) addEntry(next++, previous, firstByte[code]!);
        } else if (code === next && next < 4096) {
          addEntry(next++, previous, firstByte[previous]!);
          entry = code;
        } else {
          return; // corrupt
        }
        // PDF's LZW switches to wider codes one code early (EarlyChange 1, the default).
        if (next + 1 >= 1 << width && width < 12) width++;
        previous = code;
        // Write the entry's bytes: walk the prefix chain backwards into the stack, then copy forwards.
        let size = 0;
        for (let at = entry; ; at = prefix[at]!) {
          stack[size++] = suffix[at]!;
          if (at < 256) break;
        }
        while (size > 0) out.push(stack[--size]!);
        // One code can stand for 4096 bytes: hand over the output after every code.
        yield* out.take();
      }
    }
  }
  yield* out.finish();

  function addEntry(code: number, from: number, byte: number): void {
    prefix[code] = from;
    suffix[code] = byte;
    firstByte[code] = firstByte[from]!;
  }
}
