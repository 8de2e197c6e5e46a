import { describe, it, expect } from '../../support/harness.js';
import { MAX_SCAN_DEPTH, scanPdfStreams } from '../../../src/core/fax/stream-scan.js';
import { measureDecodedSize } from '../../../src/core/fax/decode-budget.js';
import { buildPdf, concat, deflate, deflatedZeros, latin1 } from './fixtures.js';

const streamText = (bytes: Uint8Array, stream: { start: number; end: number }): string =>
  String.fromCharCode(...bytes.subarray(stream.start, stream.end));

describe('scanPdfStreams', () => {
  it('finds each stream with its data range, filters and image size', () => {
    const pdf = buildPdf([
      { dict: '/Filter /FlateDecode', data: latin1('abc') },
      { dict: '/Type /XObject /Subtype /Image /Width 10 /Height 20 /Filter [/AHx /DCT]', data: latin1('hello') },
    ]);
    const scan = scanPdfStreams(pdf);
    expect(scan.damaged).to.equal(undefined);
    expect(scan.encrypted).to.equal(false);
    expect(scan.streams.length).to.equal(2);
    const [content, image] = scan.streams;
    expect(streamText(pdf, content!)).to.equal('abc');
    expect(content!.filters).to.deep.equal(['FlateDecode']);
    expect(streamText(pdf, image!)).to.equal('hello');
    expect(image).to.include({ subtype: 'Image', type: 'XObject', width: 10, height: 20 });
    expect(image!.filters).to.deep.equal(['ASCIIHexDecode', 'DCTDecode']);
  });

  it('finds the end of a stream whose /Length is indirect or wrong by its endstream keyword', () => {
    const pdf = latin1(
      '%PDF-1.4\n1 0 obj << /Length 9 0 R >>\nstream\r\nfirst data\r\nendstream endobj\n' +
        '2 0 obj << /Length 999 >>\nstream\nsecond\nendstream endobj\n',
    );
    const scan = scanPdfStreams(pdf);
    expect(scan.streams.map((stream) => streamText(pdf, stream))).to.deep.equal(['first data', 'second']);
  });

  it('is not confused by the word stream in strings, comments and binary data', () => {
    const binary = Uint8Array.from([0x28, 0x3c, 0x3c, 0x73, 0x74, 0x72, 0x65, 0x61, 0x6d, 0x0a, 0x29, 0xff]);
    const pdf = buildPdf([
      { dict: '/Title (stream) /Note (a \\) b (nested) stream)', data: binary },
      '<< /Comment (stream) >> % stream in a comment\n',
      { dict: '/Filter /FlateDecode', data: latin1('zz') },
    ]);
    const scan = scanPdfStreams(pdf);
    expect(scan.streams.length).to.equal(2);
    expect([...pdf.subarray(scan.streams[0]!.start, scan.streams[0]!.end)]).to.deep.equal([...binary]);
  });

  it('notices an /Encrypt entry in the trailer', () => {
    const pdf = latin1(
      '%PDF-1.7\n1 0 obj << /Filter /Standard /V 5 >> endobj\ntrailer << /Root 2 0 R /Encrypt 1 0 R >>\n',
    );
    expect(scanPdfStreams(pdf).encrypted).to.equal(true);
  });

  it('gives up on nesting no PDF writer produces, in linear time', () => {
    const depth = 100_000;
    const pdf = latin1(`%PDF-1.7\n1 0 obj ${'<< /A '.repeat(depth)}1${' >>'.repeat(depth)} endobj\n`);
    const started = performance.now();
    const scan = scanPdfStreams(pdf);
    expect(scan.damaged).to.contain(String(MAX_SCAN_DEPTH));
    expect(performance.now() - started).to.be.below(2000);
  });

  it('finds nothing in bytes that are not a PDF', () => {
    expect(scanPdfStreams(latin1('just text, no objects')).streams).to.deep.equal([]);
    expect(scanPdfStreams(new Uint8Array(0)).streams).to.deep.equal([]);
  });
});

describe('measureDecodedSize', () => {
  it('counts the output of FlateDecode, with and without the zlib header', async () => {
    const text = latin1('Fax '.repeat(10_000));
    const zlib = await deflate([text]);
    expect(await measureDecodedSize(zlib, ['FlateDecode'], 1e9)).to.deep.equal({ bytes: text.length, exceeded: false });
    // Raw deflate: the same stream without its 2-byte header and 4-byte checksum.
    const raw = zlib.subarray(2, zlib.length - 4);
    expect(await measureDecodedSize(raw, ['FlateDecode'], 1e9)).to.deep.equal({ bytes: text.length, exceeded: false });
  });

  it('follows a chain of filters', async () => {
    const twice = await deflate([await deflatedZeros(3)]);
    expect(await measureDecodedSize(twice, ['FlateDecode', 'FlateDecode'], 1e9)).to.deep.equal({
      bytes: 3 * 1024 * 1024,
      exceeded: false,
    });
    const hexOfDeflate = latin1(
      [...(await deflate([latin1('abcabc')]))].map((b) => b.toString(16).padStart(2, '0')).join(' ') + '>',
    );
    expect(await measureDecodedSize(hexOfDeflate, ['ASCIIHexDecode', 'FlateDecode'], 1e9)).to.deep.equal({
      bytes: 6,
      exceeded: false,
    });
  });

  it('stops as soon as the budget is passed, without unpacking the rest', async () => {
    const bomb = await deflate([await deflatedZeros(128)]);
    const started = performance.now();
    const result = await measureDecodedSize(bomb, ['FlateDecode', 'FlateDecode'], 8 * 1024 * 1024);
    expect(result.exceeded).to.equal(true);
    expect(result.bytes).to.be.below(9 * 1024 * 1024);
    // Unpacking all 128 MiB takes a while; stopping at 8 MiB takes a fraction of that.
    expect(performance.now() - started).to.be.below(3000);
  });

  it('decodes ASCIIHex, ASCII85 (with z), RunLength and LZW', async () => {
    expect(await measureDecodedSize(latin1('48 65 6c 6C 6f7>'), ['ASCIIHexDecode'], 100)).to.deep.equal({
      bytes: 6,
      exceeded: false,
    });
    // "Man " is "9jqo^"; "z" is four zero bytes; "/c" is a final partial group of one byte.
    expect(await measureDecodedSize(latin1('9jqo^z/c~>'), ['ASCII85Decode'], 100)).to.deep.equal({
      bytes: 9,
      exceeded: false,
    });
    // 2 literal bytes, then 0x00 repeated 127 times, then end of data.
    expect(
      await measureDecodedSize(Uint8Array.from([1, 65, 66, 130, 0, 128]), ['RunLengthDecode'], 1000),
    ).to.deep.equal({
      bytes: 129,
      exceeded: false,
    });
    // The example of the PDF reference (7.4.4.2): "-----A---B".
    const lzw = Uint8Array.from([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
    expect(await measureDecodedSize(lzw, ['LZWDecode'], 100)).to.deep.equal({ bytes: 10, exceeded: false });
  });

  it('counts RunLength amplification against the budget', async () => {
    const runs = concat(Array.from({ length: 10_000 }, () => Uint8Array.from([129, 7])));
    const result = await measureDecodedSize(runs, ['RunLengthDecode'], 100_000);
    expect(result.exceeded).to.equal(true);
  });

  it('ends the count at an image codec or an unknown filter, and on corrupt data', async () => {
    expect(await measureDecodedSize(latin1('41 42>'), ['ASCIIHexDecode', 'DCTDecode'], 100)).to.deep.equal({
      bytes: 2,
      exceeded: false,
    });
    expect(await measureDecodedSize(latin1('abc'), ['Crypt'], 100)).to.deep.equal({ bytes: 3, exceeded: false });
    expect(await measureDecodedSize(latin1('not deflate at all'), ['FlateDecode'], 100)).to.include({
      exceeded: false,
    });
    expect(await measureDecodedSize(latin1('abcd'), [], 2)).to.deep.equal({ bytes: 4, exceeded: true });
  });
});
