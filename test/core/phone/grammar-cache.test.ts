import { Grammar, NameAddrHeader, URI } from 'sip.js';
import { describe, it, expect } from '../../support/harness.js';
import { deepCopy, grammarCacheStats, installGrammarCache } from '../../../src/core/phone/grammar-cache.js';

const SAMPLES: [string, string][] = [
  ['SIP/2.0 180 Ringing', 'Request_Response'],
  ['INVITE sip:1002@example.com;user=phone SIP/2.0', 'Request_Response'],
  ['SIP/2.0/WSS abc.invalid;branch=z9hG4bK776;rport=5060;received=10.0.0.1', 'Via'],
  ['"Clara" <sip:1001@example.com>;tag=as83', 'From'],
  ['<sip:1002@example.com>', 'To'],
  ['<sip:a@b.invalid;transport=ws;ob>;expires=600, <sip:c@d>', 'Contact'],
  ['<sip:127.0.0.1:18080;transport=ws;r2=on;lr=on;ftag=x>', 'Record_Route'],
  ['2 INVITE', 'CSeq'],
  ['application/sdp', 'Content_Type'],
  ['Digest realm="example.com", nonce="abc", qop="auth"', 'Proxy_Authenticate'],
  ['not a header at all <<<', 'From'],
];

describe('grammar memo', () => {
  it('returns what the grammar returns, as fresh copies, and remembers it', () => {
    const direct = SAMPLES.map(([input, rule]) => Grammar.parse(input, rule) as unknown);
    installGrammarCache();
    const before = grammarCacheStats() ?? { hits: 0, misses: 0 };
    const first = SAMPLES.map(([input, rule]) => Grammar.parse(input, rule) as unknown);
    const second = SAMPLES.map(([input, rule]) => Grammar.parse(input, rule) as unknown);
    expect(first).to.deep.equal(direct);
    expect(second).to.deep.equal(direct);
    const after = grammarCacheStats()!;
    expect(after.hits - before.hits).to.be.at.least(SAMPLES.length);
    const from = second[3] as NameAddrHeader;
    expect(from).to.be.instanceOf(NameAddrHeader);
    expect(from.uri).to.be.instanceOf(URI);
    expect(from.getParam('tag')).to.equal('as83');
    expect(second[10]).to.equal(-1);
    // What one caller changes, the next does not see.
    from.setParam('tag', 'changed');
    expect((Grammar.parse(SAMPLES[3]![0], 'From') as NameAddrHeader).getParam('tag')).to.equal('as83');
    expect(second[3]).to.not.equal(first[3]);
  });

  it('copies deeply, keeping prototypes', () => {
    const uri = new URI('sip', 'alice', 'example.com', 5060, { transport: 'ws' });
    const copy = deepCopy({ list: [uri], n: 1, s: 'x', none: undefined });
    expect(copy.list[0]).to.be.instanceOf(URI).and.not.equal(uri);
    expect(copy.list[0]?.toString()).to.equal(uri.toString());
    expect(copy.none).to.equal(undefined);
  });
});
