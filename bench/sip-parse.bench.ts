// SIP message parse cost: sip.js's generated grammar rebuilds its bytecode table on every call; the PBX loads it
// with the table cached (src/pbx/sip/grammar.ts). This prints per-message figures for typical REGISTER and INVITE
// messages, for sip.js's own Parser.parseMessage and for the PBX's parser, each with the stock and the cached
// grammar. Figures only, no assertions. Run with `node --import tsx bench/sip-parse.bench.ts`.
import { cpus } from 'node:os';
import { Parser } from 'sip.js/lib/core/index.js';
import { Grammar } from 'sip.js/lib/grammar/index.js';
import { grammarCacheActive, parseGrammar, parseGrammarUncached, type GrammarParse } from '../src/pbx/sip/grammar.js';
import { parseMessage } from '../src/pbx/sip/message/parse.js';

const REGISTER = [
  'REGISTER sip:pbx.example.com SIP/2.0',
  'Via: SIP/2.0/WSS 9tp2m4e0jd8c.invalid;branch=z9hG4bK7291838;rport',
  'Max-Forwards: 70',
  'To: <sip:201@pbx.example.com>',
  'From: "Anna Schmidt" <sip:201@pbx.example.com>;tag=ab7r3kq1oe',
  'Call-ID: 8k3j2h1g0f9e8d7c6b5a',
  'CSeq: 2 REGISTER',
  'Authorization: Digest algorithm=SHA-256, username="201", realm="pbx.example.com", nonce="AAABjG3xQk4Yw9n2c1s0dF8hKq3t7uVbO5RzX2m1pLc", uri="sip:pbx.example.com", response="5f0e1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7", qop=auth, cnonce="k2j3h4g5", nc=00000001',
  'Contact: <sip:x7h2k9@9tp2m4e0jd8c.invalid;transport=ws;ob>;+sip.ice;reg-id=1;+sip.instance="<urn:uuid:3c8d1d5e-9c9a-4e0e-8f1f-2b7a5c3d9e10>";expires=600',
  'Supported: path, gruu, outbound',
  'User-Agent: centrex-sdk/0.1 (sip.js 0.21.2)',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

const SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 0 8',
  'c=IN IP4 0.0.0.0',
  'a=rtcp:9 IN IP4 0.0.0.0',
  'a=ice-ufrag:Hk3s',
  'a=ice-pwd:9d8s7f6g5h4j3k2l1q0w9e8r',
  'a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF',
  'a=setup:actpass',
  'a=mid:0',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  '',
].join('\r\n');

const INVITE = [
  'INVITE sip:202@pbx.example.com SIP/2.0',
  'Via: SIP/2.0/WSS 9tp2m4e0jd8c.invalid;branch=z9hG4bK5729173;rport',
  'Max-Forwards: 70',
  'To: <sip:202@pbx.example.com>',
  'From: "Anna Schmidt" <sip:201@pbx.example.com>;tag=pq8s0v2c4e',
  'Call-ID: 3j5k7l9m1n3b5v7c9x',
  'CSeq: 1 INVITE',
  'Route: <sip:pbx.example.com;transport=ws;lr>',
  'Contact: <sip:x7h2k9@9tp2m4e0jd8c.invalid;transport=ws;ob>',
  'Allow: ACK, CANCEL, INVITE, MESSAGE, BYE, OPTIONS, INFO, NOTIFY, REFER',
  'Supported: outbound',
  'User-Agent: centrex-sdk/0.1 (sip.js 0.21.2)',
  'Content-Type: application/sdp',
  `Content-Length: ${Buffer.byteLength(SDP)}`,
  '',
  SDP,
].join('\r\n');

const silent = { log: () => undefined, debug: () => undefined, warn: () => undefined, error: () => undefined };
type Logger = Parameters<typeof Parser.parseMessage>[1];
const sipJsGrammar = Grammar as unknown as { parse: GrammarParse };
const stockParse = sipJsGrammar.parse;

function measure(iterations: number, run: () => unknown): { median: number; p95: number } {
  for (let i = 0; i < Math.min(200, iterations); i++) run();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = process.hrtime.bigint();
    const result = run();
    samples.push(Number(process.hrtime.bigint() - start) / 1000);
    if (result === undefined) throw new Error('a benchmark message did not parse');
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(samples.length / 2)] ?? 0, p95: samples[Math.floor(samples.length * 0.95)] ?? 0 };
}

const rows: Array<{ message: string; parser: string; grammar: string; median: number; p95: number }> = [];
for (const [name, text] of [['REGISTER', REGISTER], ['INVITE', INVITE]] as const) {
  const bytes = Buffer.from(text);
  for (const cached of [false, true]) {
    const iterations = cached ? 5000 : 600;
    sipJsGrammar.parse = cached ? parseGrammar : stockParse;
    try {
      const sipJs = measure(iterations, () => Parser.parseMessage(text, silent as unknown as Logger));
      rows.push({ message: name, parser: 'sip.js Parser.parseMessage', grammar: cached ? 'cached' : 'uncached', ...sipJs });
    } finally {
      sipJsGrammar.parse = stockParse;
    }
    const grammar = cached ? parseGrammar : parseGrammarUncached;
    const ours = measure(iterations, () => {
      const result = parseMessage(bytes, { grammar });
      return result.ok ? result.message : undefined;
    });
    rows.push({ message: name, parser: 'centrex parseMessage', grammar: cached ? 'cached' : 'uncached', ...ours });
  }
}

console.log(`SIP parse cost per message (node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'})`);
console.log(`grammar cache active: ${grammarCacheActive}`);
console.log('message   parser                       grammar    median µs    p95 µs');
for (const row of rows) {
  console.log(
    `${row.message.padEnd(9)} ${row.parser.padEnd(28)} ${row.grammar.padEnd(9)} ${row.median.toFixed(1).padStart(10)} ${row.p95.toFixed(1).padStart(9)}`,
  );
}
