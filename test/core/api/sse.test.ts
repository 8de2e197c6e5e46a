import { describe, it, expect } from '../../support/harness.js';
import { SseParser, type SseRecord } from '../../../src/core/api/index.js';
import { isCentrexError } from '../../../src/core/errors.js';

function parse(text: string): SseRecord[] {
  const parser = new SseParser();
  return [...parser.feed(text), ...parser.end()];
}

function events(records: readonly SseRecord[]): { name: string; data: string; id: string }[] {
  return records.flatMap((r) => (r.kind === 'event' ? [{ name: r.name, data: r.data, id: r.lastEventId }] : []));
}

// A stream with everything at once: CRLF, CR and LF endings, comments, ids, retry, multi-line data, a BOM, a field
// without colon, non-ASCII characters of 2, 3 and 4 UTF-8 bytes, and an unfinished event at the end.
const MIXED =
  '\uFEFF: hello\r\n' +
  'retry: 5000\n' +
  'id: 1\r' +
  'event: ready\r\n' +
  'data: {"userId":"ü"}\n' +
  '\n' +
  'data: first line\r\n' +
  'data:second line\r' +
  'data\n' +
  'data:  two spaces\n' +
  '\r\n' +
  ': heartbeat\n' +
  '\n' +
  'id: 2\n' +
  'event: presence\n' +
  'data: €uro 😀\r\n' +
  '\r' +
  'event: unfinished\n' +
  'data: never dispatched';

const MIXED_EXPECTED: SseRecord[] = [
  { kind: 'comment', text: 'hello' },
  { kind: 'retry', ms: 5000 },
  { kind: 'event', name: 'ready', data: '{"userId":"ü"}', lastEventId: '1' },
  { kind: 'event', name: 'message', data: 'first line\nsecond line\n\n two spaces', lastEventId: '1' },
  { kind: 'comment', text: 'heartbeat' },
  { kind: 'event', name: 'presence', data: '€uro 😀', lastEventId: '2' },
];

describe('SseParser', () => {
  it('reads events, comments, ids and retry', () => {
    expect(parse(MIXED)).to.deep.equal(MIXED_EXPECTED);
  });

  it('gives the same records however the bytes are split, even inside a character or a CRLF', () => {
    const bytes = new TextEncoder().encode(MIXED);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const parser = new SseParser();
      const records = [...parser.feedBytes(bytes.slice(0, cut)), ...parser.feedBytes(bytes.slice(cut)), ...parser.end()];
      expect(records, `split at byte ${cut}`).to.deep.equal(MIXED_EXPECTED);
    }
  });

  it('gives the same records for every pair of cuts, and byte by byte', () => {
    const bytes = new TextEncoder().encode(MIXED);
    for (let first = 0; first <= bytes.length; first += 1) {
      for (let second = first; second <= bytes.length; second += 1) {
        const parser = new SseParser();
        const records = [
          ...parser.feedBytes(bytes.slice(0, first)),
          ...parser.feedBytes(bytes.slice(first, second)),
          ...parser.feedBytes(bytes.slice(second)),
          ...parser.end(),
        ];
        if (JSON.stringify(records) !== JSON.stringify(MIXED_EXPECTED)) {
          expect(records, `cuts at ${first} and ${second}`).to.deep.equal(MIXED_EXPECTED);
        }
      }
    }
    const parser = new SseParser();
    const records: SseRecord[] = [];
    for (const byte of bytes) records.push(...parser.feedBytes(Uint8Array.of(byte)));
    expect([...records, ...parser.end()]).to.deep.equal(MIXED_EXPECTED);
  });

  it('splits text chunks anywhere too, including between CR and LF', () => {
    for (let cut = 0; cut <= MIXED.length; cut += 1) {
      const parser = new SseParser();
      const records = [...parser.feed(MIXED.slice(0, cut)), ...parser.feed(''), ...parser.feed(MIXED.slice(cut)), ...parser.end()];
      expect(records, `split at character ${cut}`).to.deep.equal(MIXED_EXPECTED);
    }
    // A CR at the end of one chunk and an LF at the start of the next are one line ending, not two.
    const parser = new SseParser();
    const records = [...parser.feed('data: a\r'), ...parser.feed('\n'), ...parser.feed('\r\n')];
    expect(events(records)).to.deep.equal([{ name: 'message', data: 'a', id: '' }]);
  });

  it('reads the PBX format: id, event and JSON data, with heartbeats', () => {
    const records = parse('retry: 5000\n\nid: 1\nevent: ready\ndata: {"userId":"u1","tenantId":"t1"}\n\n: heartbeat\n\n');
    expect(records).to.deep.equal([
      { kind: 'retry', ms: 5000 },
      { kind: 'event', name: 'ready', data: '{"userId":"u1","tenantId":"t1"}', lastEventId: '1' },
      { kind: 'comment', text: 'heartbeat' },
    ]);
  });

  it('keeps the last id for later events, and lets an empty id reset it', () => {
    const records = parse('id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\nid: 8\n\ndata: d\n\n');
    expect(events(records).map((e) => e.id)).to.deep.equal(['7', '7', '', '8']);
  });

  it('ignores ids containing NUL, bad retry values, unknown fields and fields in the wrong case', () => {
    const records = parse('id: 1\n\nid: a\u0000b\nretry: 12x\nretry: -5\nretry:\nEvent: shout\nfoo: bar\ndata: x\n\n');
    expect(records).to.deep.equal([{ kind: 'event', name: 'message', data: 'x', lastEventId: '1' }]);
  });

  it('dispatches nothing for a blank line without data, and forgets the event name then', () => {
    expect(events(parse('event: lonely\n\ndata: y\n\n'))).to.deep.equal([{ name: 'message', data: 'y', id: '' }]);
  });

  it('dispatches an event whose only data line is empty, with empty data', () => {
    expect(events(parse('event: ping\ndata\n\n'))).to.deep.equal([{ name: 'ping', data: '', id: '' }]);
  });

  it('takes exactly one space after the colon away, and no other whitespace', () => {
    expect(events(parse('event:tight\ndata:\tTab \n\n'))).to.deep.equal([{ name: 'tight', data: '\tTab ', id: '' }]);
  });

  it('drops one leading BOM only', () => {
    expect(events(parse('\uFEFFdata: a\n\n'))).to.deep.equal([{ name: 'message', data: 'a', id: '' }]);
    // A second BOM is part of the first field name, which then is unknown.
    expect(events(parse('\uFEFF\uFEFFdata: a\n\n'))).to.deep.equal([]);
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('data: b\n\n')]);
    const parser = new SseParser();
    expect(events([...parser.feedBytes(bytes.slice(0, 2)), ...parser.feedBytes(bytes.slice(2))])).to.deep.equal([
      { name: 'message', data: 'b', id: '' },
    ]);
  });

  it('replaces invalid UTF-8 with U+FFFD instead of failing', () => {
    const parser = new SseParser();
    const records = parser.feedBytes(new Uint8Array([0x64, 0x61, 0x74, 0x61, 0x3a, 0x20, 0xff, 0x0a, 0x0a]));
    expect(events(records)).to.deep.equal([{ name: 'message', data: '\uFFFD', id: '' }]);
  });

  it('drops an event the stream ended in the middle of, and starts clean for the next connection', () => {
    const parser = new SseParser();
    expect(parser.feed('id: 3\nevent: half\ndata: part')).to.deep.equal([]);
    expect(parser.end()).to.deep.equal([]);
    // The id survives (it is what a reconnect sends as Last-Event-ID); name and data do not.
    expect(parser.lastEventId).to.equal('3');
    expect(events(parser.feed('data: whole\n\n'))).to.deep.equal([{ name: 'message', data: 'whole', id: '3' }]);
  });

  it('starts from a given last event id', () => {
    const parser = new SseParser({ lastEventId: '41' });
    expect(parser.lastEventId).to.equal('41');
    expect(events(parser.feed('data: x\n\n'))[0]?.id).to.equal('41');
  });

  it('refuses an event that outgrows the buffer limit, in one line or in many', () => {
    const long = new SseParser({ maxEventLength: 16 });
    let caught: unknown;
    try {
      long.feed('data: 0123456789abcdef');
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'api-invalid-response')).to.equal(true);

    const many = new SseParser({ maxEventLength: 16 });
    caught = undefined;
    try {
      many.feed('data: 12345\ndata: 12345\ndata: 12345\n');
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'api-invalid-response')).to.equal(true);
    // Events within the limit still pass, and a long stream of short events never hits it.
    const fine = new SseParser({ maxEventLength: 16 });
    const records: SseRecord[] = [];
    for (let i = 0; i < 100; i += 1) records.push(...fine.feed(`data: ${i}\n\n`));
    expect(events(records)).to.have.length(100);
  });

  it('refuses a nonsensical limit', () => {
    let caught: unknown;
    try {
      new SseParser({ maxEventLength: 0 });
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'invalid-argument')).to.equal(true);
  });

  it('stays linear on a big chunk of many short lines', () => {
    const text = 'data: x\n\n'.repeat(50_000);
    const parser = new SseParser();
    expect(events(parser.feed(text))).to.have.length(50_000);
  });
});
