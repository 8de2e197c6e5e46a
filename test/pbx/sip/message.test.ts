// Parsing and serializing SIP messages: round trips, compact and multi-valued headers, framing, hostile input.
import { describe, it, expect } from '../../support/harness.js';
import {
  createResponse,
  grammarCacheActive,
  parseAddress,
  parseMessage,
  parseVia,
  serializeMessage,
  SipRequest,
  type SipResponse,
} from '../../../src/pbx/sip/index.js';
import { rewriteGrammarSource } from '../../../src/pbx/sip/grammar.js';
import { StreamFramer } from '../../../src/pbx/sip/transport/stream-framer.js';
import { stampVia } from '../../../src/pbx/sip/message/via.js';

const INVITE = [
  'INVITE sip:202@pbx.test SIP/2.0',
  'v: SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK-a1;rport, SIP/2.0/TCP proxy.example.net;branch=z9hG4bK-b2',
  'Via: SIP/2.0/WS abc.invalid;branch=z9hG4bK-c3',
  'Max-Forwards: 70',
  'f: "Anna, Sales" <sip:201@pbx.test>;tag=1928301774',
  't: <sip:202@pbx.test>',
  'i: a84b4c76e66710@pc33.example.net',
  'CSeq: 314159 INVITE',
  'm: <sip:201@192.0.2.1:5062>;expires=60, "Desk" <sip:201@192.0.2.9>;q=0.5',
  'Route: <sip:edge.example.net;lr>,',
  ' <sip:core.example.net;lr>',
  'Supported: outbound, path',
  'k: timer',
  'Subject: a,b,c stay one value',
  'c: application/sdp',
  'l: 8',
  '',
  'v=0\r\nx=1',
].join('\r\n');

describe('SIP messages: parsing', () => {
  it('runs sip.js grammar with the cached bytecode table', () => {
    expect(grammarCacheActive).to.equal(true);
  });

  it('reads a request with compact, folded and multi-valued headers', () => {
    const result = parseMessage(INVITE);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    const request = result.message as SipRequest;
    expect(request).to.be.instanceOf(SipRequest);
    expect(request.method).to.equal('INVITE');
    expect(request.uri).to.equal('sip:202@pbx.test');
    expect(request.sipUri?.user).to.equal('202');
    expect(request.headers.getAll('Via')).to.have.length(3);
    expect(request.vias.map((via) => via.transport)).to.deep.equal(['UDP', 'TCP', 'WS']);
    expect(request.topVia?.rport).to.equal(true);
    expect(request.topVia?.branch).to.equal('z9hG4bK-a1');
    expect(request.headers.get('i')).to.equal('a84b4c76e66710@pc33.example.net');
    expect(request.callId).to.equal('a84b4c76e66710@pc33.example.net');
    expect(request.cseq).to.deep.equal({ seq: 314159, method: 'INVITE' });
    expect(request.from?.displayName).to.equal('Anna, Sales');
    expect(request.fromTag).to.equal('1928301774');
    expect(request.to?.sipUri?.user).to.equal('202');
    expect(request.contacts).to.have.length(2);
    expect(request.headers.getAll('Route')).to.deep.equal(['<sip:edge.example.net;lr>', '<sip:core.example.net;lr>']);
    expect(request.headers.getAll('Supported')).to.deep.equal(['outbound', 'path', 'timer']);
    expect(request.headers.get('Subject')).to.equal('a,b,c stay one value');
    expect(request.maxForwards).to.equal(70);
    expect(request.bodyText).to.equal('v=0\r\nx=1');
  });

  it('serializes with long header names and a computed Content-Length, and parses back to the same message', () => {
    const first = parseMessage(INVITE);
    if (!first.ok) throw new Error('did not parse');
    const text = serializeMessage(first.message).toString('utf8');
    expect(text).to.match(/^INVITE sip:202@pbx\.test SIP\/2\.0\r\n/);
    expect(text).to.include('\r\nCall-ID: a84b4c76e66710@pc33.example.net\r\n');
    expect(text).to.include('\r\nContent-Type: application/sdp\r\n');
    expect(text).to.include('\r\nContent-Length: 8\r\n\r\nv=0\r\nx=1');
    expect(text).not.to.match(/\r\n[a-z]:/);
    const second = parseMessage(text);
    if (!second.ok) throw new Error('serialized message did not parse');
    expect([...second.message.headers.entries()]).to.deep.equal([...first.message.headers.entries()]);
    expect(second.message.body.equals(first.message.body)).to.equal(true);
  });

  it('reads responses, including an empty reason phrase and UTF-8 reasons', () => {
    const text = 'SIP/2.0 180 Klingelt für dich\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n';
    const result = parseMessage(text);
    if (!result.ok) throw new Error(result.error.reason);
    const response = result.message as SipResponse;
    expect(response.status).to.equal(180);
    expect(response.reason).to.equal('Klingelt für dich');
    expect(serializeMessage(response).toString('utf8')).to.equal(text);
    const empty = parseMessage(text.replace('180 Klingelt für dich', '100 '));
    expect(empty.ok && (empty.message as SipResponse).reason).to.equal('');
  });

  it('counts Content-Length in bytes and keeps binary bodies intact', () => {
    const body = Buffer.from([0x00, 0xff, 0xc3, 0x28, 0x0d, 0x0a, 0x80]);
    const head = Buffer.from(
      `MESSAGE sip:202@pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    const result = parseMessage(Buffer.concat([head, body, Buffer.from('trailing garbage')]));
    if (!result.ok) throw new Error(result.error.reason);
    expect(result.message.body.equals(body)).to.equal(true);
    expect(serializeMessage(result.message).subarray(-body.length).equals(body)).to.equal(true);
  });

  it('rejects, with the status a request deserves, what RFC 3261 forbids', () => {
    const base = [
      'OPTIONS sip:pbx.test SIP/2.0',
      'Via: SIP/2.0/UDP h;branch=z9hG4bK1',
      'From: <sip:a@b>;tag=1',
      'To: <sip:c@d>',
      'Call-ID: x',
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
    ];
    const check = (lines: string[], status: number): void => {
      const result = parseMessage(`${lines.join('\r\n')}\r\n\r\n`);
      expect(result.ok, lines.join(' | ')).to.equal(false);
      if (!result.ok) expect(result.error.status, result.error.reason).to.equal(status);
    };
    check(base.map((line) => line.replace('CSeq: 1 OPTIONS', 'CSeq: 1 INVITE')), 400);
    check(base.map((line) => line.replace('Max-Forwards: 70', 'Max-Forwards: 256')), 400);
    check(base.map((line) => line.replace('CSeq: 1 OPTIONS', 'CSeq: 2147483648 OPTIONS')), 400);
    check(base.map((line) => line.replace('SIP/2.0', 'SIP/3.0')), 505);
    check([...base, 'Content-Length: 5'], 400);
    check([...base, 'Content-Length: 0', 'l: 0'], 400);
    check([...base, 'Expires: 4294967296'], 400);
    check([...base, 'Contact: *', 'Contact: <sip:a@b>'], 400);
    check([...base, 'Route: sip:edge.example.net'], 400);
    check([...base, 'Bad Header: x'], 400);
    check([...base, 'Date: Fri, 01 Jan 2010 16:00:00 EST'], 400);
    check(base.filter((line) => !line.startsWith('Call-ID')), 400);
    check([...base, `X-Big: ${'a'.repeat(70_000)}`], 513);
  });

  it('tells whether a rejected request can be answered', () => {
    const broken = parseMessage('INVITE <sip:a@b> SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n');
    expect(broken.ok).to.equal(false);
    if (broken.ok) return;
    expect(broken.error.request?.headers.get('Call-ID')).to.equal('x');
    const reply = createResponse(broken.error.request!, 400);
    expect(reply.headers.get('CSeq')).to.equal('1 INVITE');
    expect(reply.toTag).to.be.a('string');
    const garbage = parseMessage(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x00, 0x0d, 0x0a]));
    expect(garbage.ok).to.equal(false);
  });

  it('never throws on random bytes', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const alphabet = ['INVITE ', 'SIP/2.0', '\r\n', ':', ';', ',', '<', '>', '"', '\\', 'Via', 'v', 'CSeq', ' ', '\t', '\0', 'é', '[', ']', '@', 'sip:', '%'];
    for (let round = 0; round < 2000; round++) {
      let text = '';
      const parts = Math.floor(random() * 40);
      for (let i = 0; i < parts; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(() => parseMessage(text)).not.to.throw();
    }
  });
});

describe('SIP messages: addresses, Via and responses', () => {
  it('parses name-addr and addr-spec forms', () => {
    expect(parseAddress('sip:+19725552222@gw1.example.net;unknownparam')?.params.has('unknownparam')).to.equal(true);
    expect(parseAddress('<sip:+19725552222@gw1.example.net;unknownparam>')?.sipUri?.hasParam('unknownparam')).to.equal(true);
    expect(parseAddress('<tel:+498912345>;tag=1')?.uri).to.equal('tel:+498912345');
    expect(parseAddress('"Mr. J. User <sip:j.user@example.com>')).to.equal(undefined);
    expect(parseAddress('Bell, Alexander <sip:a.g.bell@example.com>')).to.equal(undefined);
    expect(parseAddress('< sip:t.watson@example.org >')).to.equal(undefined);
    expect(parseAddress('sip:user@example.com?Route=%3Csip:sip.example.com%3E')).to.equal(undefined);
  });

  it('stamps received and rport on a Via as RFC 3581 describes', () => {
    const source = { address: '203.0.113.7', port: 40123 };
    const stamp = (value: string, force: boolean): string => stampVia(value, parseVia(value), source, force);
    const stamped = parseVia(stamp('SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK9;rport', false));
    expect(stamped?.received).to.equal('203.0.113.7');
    expect(stamped?.rport).to.equal(40123);
    const plain = parseVia(stamp('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK9', false));
    expect(plain?.received).to.equal(undefined);
    expect(plain?.rport).to.equal(undefined);
    const forced = parseVia(stamp('SIP/2.0/UDP 203.0.113.7:5060;branch=z9hG4bK9', true));
    expect(forced?.rport).to.equal(40123);
  });

  it('builds responses that copy the transaction headers and add a To tag', () => {
    const result = parseMessage(INVITE);
    if (!result.ok) throw new Error('did not parse');
    const response = createResponse(result.message as SipRequest, 486, { headers: [['Retry-After', '30']] });
    expect(response.reason).to.equal('Busy Here');
    expect(response.headers.getAll('Via')).to.have.length(3);
    expect(response.toTag).to.match(/^[0-9a-f]{12}$/);
    expect(response.headers.get('Retry-After')).to.equal('30');
    expect(createResponse(result.message as SipRequest, 100).toTag).to.equal(undefined);
  });
});

describe('SIP messages: stream framing and the grammar cache', () => {
  it('cuts a TCP stream by Content-Length across chunk borders and answers CRLF keep-alives', () => {
    const framer = new StreamFramer(65535);
    const message = 'OPTIONS sip:a SIP/2.0\r\nContent-Length: 4\r\n\r\nbody';
    const stream = Buffer.from(`\r\n\r\n${message}${message}\r\n`);
    const items = [...framer.push(stream.subarray(0, 30)), ...framer.push(stream.subarray(30, 61)), ...framer.push(stream.subarray(61))];
    expect(items.map((item) => item.kind)).to.deep.equal(['ping', 'message', 'message']);
  });

  it('reports lost framing: no or repeated Content-Length, oversized messages', () => {
    expect(new StreamFramer(65535).push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nVia: x\r\n\r\n'))[0]).to.include({ kind: 'error', status: 400 });
    expect(new StreamFramer(65535).push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nl: 1\r\nContent-Length: 1\r\n\r\nx'))[0]).to.include({ kind: 'error', status: 400 });
    expect(new StreamFramer(100).push(Buffer.from('OPTIONS sip:a SIP/2.0\r\nContent-Length: 500\r\n\r\n'))[0]).to.include({ kind: 'error', status: 513 });
    expect(new StreamFramer(100).push(Buffer.alloc(200, 0x41))[0]).to.include({ kind: 'error', status: 513 });
  });

  it('refuses to rewrite a grammar module of an unexpected shape', () => {
    expect(rewriteGrammarSource('export const parse = () => 1;')).to.equal(undefined);
    const shaped = [
      'import { NameAddrHeader } from "../../name-addr-header.js";',
      'import { URI } from "../../uri.js";',
      'export class SyntaxError extends Error {}',
      'function peg$parse(input, options) {',
      '    const peg$bytecode = [',
      '        peg$decode("x"),',
      '    ];',
      '}',
      'export const parse = peg$parse;',
    ].join('\n');
    const rewritten = rewriteGrammarSource(shaped);
    expect(rewritten).to.include('peg$bytecodeCache || (peg$bytecodeCache = [');
    expect(rewriteGrammarSource(`${shaped}\nexport const extra = 1;`)).to.equal(undefined);
  });
});
