// The SIP torture tests of RFC 4475 and the IPv6 ones of RFC 5118 (../shared/corpora, read in place), sent over UDP
// and over WebSocket to a server without a routing layer. Each file's expected outcome is in the tables below.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { ManualClock, parseMessage } from '../../../src/pbx/sip/index.js';
import { UdpPeer, WsPeer, type TestPeer } from './support/clients.js';
import { DOMAIN, newBranch, newCallId, registerWithDigest } from './support/messages.js';
import { startServer, USERS, type RunningServer } from './support/server.js';
import { skipTest } from './support/skip.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const CORPORA = resolve(repoRoot, '../shared/corpora');

/**
 * `parses`: whether the message is syntactically acceptable to our parser. `answer`: the status the server sends,
 * or `drop` (responses without a transaction, and requests too broken to answer). The server here has no routing
 * layer, serves every domain, and knows no users of the corpus: valid INVITE/MESSAGE/BYE get 405, valid REGISTER
 * gets the 401 challenge.
 */
interface Expectation {
  readonly parses: boolean;
  readonly answer: number | 'drop';
  readonly why: string;
}

const RFC4475: Readonly<Record<string, Expectation>> = {
  // 3.1.1 valid messages: they must parse.
  wsinv: { parses: true, answer: 405, why: 'valid INVITE with odd whitespace, folding, compact forms' },
  intmeth: { parses: true, answer: 501, why: 'valid unknown method with an unusual Request-URI' },
  esc01: { parses: true, answer: 405, why: 'valid escapes in URIs' },
  escnull: { parses: true, answer: 401, why: 'valid REGISTER with %00 in URIs: challenged' },
  esc02: { parses: true, answer: 501, why: '"RE%47IST%45R" is a method of its own, not REGISTER' },
  lwsdisp: { parses: true, answer: 200, why: 'display name directly followed by <' },
  longreq: { parses: true, answer: 405, why: 'long values, still within the size limit' },
  dblreq: { parses: true, answer: 401, why: 'REGISTER then an INVITE in one datagram: the extra bytes are ignored' },
  semiuri: { parses: true, answer: 200, why: 'semicolon in the user part' },
  transports: { parses: true, answer: 200, why: 'unknown transports in lower Vias' },
  mpart01: { parses: true, answer: 405, why: 'binary multipart body counted in bytes' },
  unreason: { parses: true, answer: 'drop', why: 'valid response with a UTF-8 reason; no transaction: dropped' },
  noreason: { parses: true, answer: 'drop', why: 'valid response with an empty reason; no transaction: dropped' },
  // 3.1.2 invalid messages.
  badinv01: { parses: false, answer: 400, why: 'empty Via and Contact parameters' },
  clerr: { parses: false, answer: 400, why: 'Content-Length larger than the datagram' },
  ncl: { parses: false, answer: 400, why: 'negative Content-Length' },
  scalar02: { parses: false, answer: 400, why: 'CSeq beyond 2^31, Max-Forwards beyond 255, huge Expires' },
  scalarlg: { parses: false, answer: 'drop', why: 'response with out-of-range values: responses are never answered' },
  quotbal: { parses: false, answer: 400, why: 'unterminated quoted string in To' },
  ltgtruri: { parses: false, answer: 400, why: 'Request-URI in angle brackets' },
  lwsruri: { parses: false, answer: 400, why: 'whitespace inside the Request-URI' },
  lwsstart: { parses: false, answer: 400, why: 'several spaces between Request-Line elements' },
  trws: { parses: false, answer: 400, why: 'whitespace after the SIP version' },
  escruri: { parses: false, answer: 400, why: 'header part in the Request-URI' },
  baddate: { parses: false, answer: 400, why: 'Date not in GMT (we check every Date)' },
  regbadct: { parses: false, answer: 400, why: 'unbracketed Contact URI with a ? header part' },
  badaspec: { parses: false, answer: 400, why: 'spaces inside <> in To' },
  baddn: { parses: false, answer: 400, why: 'unquoted display name with a comma' },
  badvers: { parses: false, answer: 505, why: 'SIP/7.0: Version Not Supported' },
  mismatch01: { parses: false, answer: 400, why: 'CSeq method differs from the request method' },
  mismatch02: { parses: false, answer: 400, why: 'unknown method with an INVITE CSeq' },
  bigcode: { parses: false, answer: 'drop', why: 'response with a 10-digit status: dropped' },
  // 3.2 transaction layer.
  badbranch: { parses: true, answer: 200, why: 'a branch of only the magic cookie is matched the RFC 2543 way' },
  // 3.3 application layer.
  insuf: { parses: false, answer: 'drop', why: 'no From, To, Call-ID: no response can be built' },
  unkscm: { parses: true, answer: 416, why: 'unknown Request-URI scheme' },
  novelsc: { parses: true, answer: 416, why: 'unknown Request-URI scheme with a familiar look' },
  unksm2: { parses: true, answer: 400, why: 'a registrar needs a SIP URI in To' },
  bext01: { parses: true, answer: 420, why: 'Require and Proxy-Require with unknown option tags' },
  invut: { parses: true, answer: 405, why: 'unknown body type: the UAS decides, not the proxy' },
  regaut01: { parses: true, answer: 401, why: 'unknown authorization scheme: challenged' },
  multi01: { parses: false, answer: 400, why: 'several single-valued headers' },
  mcl01: { parses: false, answer: 400, why: 'two Content-Length headers' },
  bcast: { parses: true, answer: 'drop', why: 'response naming a broadcast Via: no transaction, never forwarded' },
  zeromf: { parses: true, answer: 200, why: 'OPTIONS with Max-Forwards 0 is answered by the server itself' },
  cparam01: { parses: true, answer: 401, why: 'unbracketed Contact: unknownparam is a header parameter' },
  cparam02: { parses: true, answer: 401, why: 'bracketed Contact: unknownparam is a URI parameter' },
  regescrt: { parses: true, answer: 401, why: 'escaped header in a bracketed Contact URI is fine' },
  sdp01: { parses: true, answer: 405, why: 'Accept a UAS cannot satisfy: the UAS decides' },
  // 3.4 backward compatibility.
  inv2543: { parses: true, answer: 405, why: 'RFC 2543 INVITE: no branch, no Max-Forwards, no Content-Length' },
};

const RFC5118: Readonly<Record<string, Expectation>> = {
  'ipv4-mapped-ipv6': { parses: true, answer: 405, why: 'IPv4-mapped IPv6 references' },
  'ipv6-bad': { parses: false, answer: 400, why: 'IPv6 address without brackets in the Request-URI' },
  // Policy: the third colon makes this no IPv6 address (RFC 4291; RFC 5954 fixed the ABNF). We reject it: a host we
  // could never route to or compare reliably is better refused than half-understood.
  'ipv6-bug-abnf-3-colons': { parses: false, answer: 400, why: 'policy: reject the 3-colon form' },
  'ipv6-correct-abnf-2-colons': { parses: true, answer: 200, why: 'correct IPv6 reference with an IPv4 tail' },
  'ipv6-good': { parses: true, answer: 401, why: 'valid IPv6 REGISTER' },
  'ipv6-in-sdp': { parses: true, answer: 405, why: 'IPv6 in SDP' },
  'mult-ip-in-header': { parses: true, answer: 405, why: 'IPv4 and IPv6 Vias' },
  'mult-ip-in-sdp': { parses: true, answer: 405, why: 'IPv4 and IPv6 in SDP' },
  // Policy: inside the brackets, ":5070" is part of the address; the URI has the default port. Valid.
  'port-ambiguous': { parses: true, answer: 401, why: 'policy: 2001:db8::10:5070 is the address, no port' },
  'port-unambiguous': { parses: true, answer: 401, why: 'port after the brackets' },
  'via-received-param-no-delim': { parses: true, answer: 200, why: 'received without brackets (RFC 3261 ABNF)' },
  'via-received-param-with-delim': { parses: true, answer: 405, why: 'received with brackets: accepted too' },
};

const corporaPresent = existsSync(resolve(CORPORA, 'rfc4475')) && existsSync(resolve(CORPORA, 'rfc5118'));
const MISSING = `SIP torture corpora not found at ${CORPORA} (expected rfc4475/*.dat and rfc5118/*)`;

interface CorpusFile {
  readonly name: string;
  readonly data: Buffer;
  readonly expectation: Expectation | undefined;
}

function corpus(): CorpusFile[] {
  if (!corporaPresent) return [];
  const files: CorpusFile[] = [];
  for (const name of readdirSync(resolve(CORPORA, 'rfc4475')).sort()) {
    if (!name.endsWith('.dat')) continue;
    files.push({ name: `rfc4475/${name}`, data: readFileSync(resolve(CORPORA, 'rfc4475', name)), expectation: RFC4475[name.slice(0, -4)] });
  }
  for (const name of readdirSync(resolve(CORPORA, 'rfc5118')).sort()) {
    files.push({ name: `rfc5118/${name}`, data: readFileSync(resolve(CORPORA, 'rfc5118', name)), expectation: RFC5118[name] });
  }
  return files;
}

/** A valid OPTIONS whose answer proves the server handled everything sent before it on the same flow. */
function marker(peer: TestPeer, callId: string): string {
  const { address, port } = peer.address;
  const hostPort = port === 0 ? address : `${address}:${port}`;
  return [
    `OPTIONS sip:${DOMAIN} SIP/2.0`,
    `Via: SIP/2.0/${peer.viaTransport} ${hostPort};branch=${newBranch()};rport`,
    'Max-Forwards: 70',
    `From: <sip:marker@${DOMAIN}>;tag=m`,
    `To: <sip:${DOMAIN}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('SIP torture corpora: parser verdicts', () => {
  it('has an expectation for every file and a file for every expectation', (context?: unknown) => {
    if (!corporaPresent) return skipTest(context, MISSING);
    const files = corpus();
    expect(files.filter((file) => !file.expectation).map((file) => file.name)).to.deep.equal([]);
    expect(files.filter((file) => file.name.startsWith('rfc4475/'))).to.have.length(Object.keys(RFC4475).length);
    expect(files.filter((file) => file.name.startsWith('rfc5118/'))).to.have.length(Object.keys(RFC5118).length);
  });

  it('parses exactly the valid messages', (context?: unknown) => {
    if (!corporaPresent) return skipTest(context, MISSING);
    for (const file of corpus()) {
      const result = parseMessage(file.data);
      expect(result.ok, `${file.name}: ${result.ok ? 'parsed' : result.error.reason}`).to.equal(file.expectation?.parses);
    }
  });
});

for (const transport of ['UDP', 'WebSocket'] as const) {
  describe(`SIP torture corpora over ${transport}`, () => {
    let running: RunningServer;
    let peer: TestPeer;
    const clock = new ManualClock();
    before(async () => {
      if (!corporaPresent) return;
      running = await startServer({ clock, realmFor: () => DOMAIN });
      peer = transport === 'UDP' ? await UdpPeer.open(running.udp) : await WsPeer.open(running.wsUrl);
    });
    after(async () => {
      if (!corporaPresent) return;
      await peer.close();
      await running.close();
    });

    it('answers every file as its table entry says, and never crashes', async (context?: unknown) => {
      if (!corporaPresent) return skipTest(context, MISSING);
      const outcomes: Record<string, string> = {};
      const expected: Record<string, string> = {};
      for (const file of corpus()) {
        const start = peer.received.length;
        const markerId = newCallId();
        peer.send(file.data);
        peer.send(marker(peer, markerId));
        await peer.response(markerId, 200);
        // Answers may copy the broken headers of the request, so they are read by status line, not parsed.
        const answers = peer.received
          .slice(start)
          .map((item) => item.raw.toString('latin1'))
          .filter((raw) => raw.startsWith('SIP/2.0 ') && !raw.includes(markerId))
          .map((raw) => raw.slice(8, 11));
        outcomes[file.name] = answers.length === 0 ? 'drop' : answers.join(',');
        expected[file.name] = String(file.expectation?.answer);
        // Let every transaction of this file end (files reuse branches), then flush what the timers resent.
        clock.advance(40_000);
        const flushId = newCallId();
        peer.send(marker(peer, flushId));
        await peer.response(flushId, 200);
      }
      expect(outcomes).to.deep.equal(expected);
    });

    it('still registers a real user afterwards', async (context?: unknown) => {
      if (!corporaPresent) return skipTest(context, MISSING);
      const { response } = await registerWithDigest({ peer, user: '202', password: USERS['202']!, algorithm: 'SHA-256' });
      expect(response.status).to.equal(200);
    });
  });
}
