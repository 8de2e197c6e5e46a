import { describe, it, expect } from '../../support/harness.js';
import {
  identityFromHeader,
  parseAutoAnswer,
  parseDiversion,
  parseHistoryInfo,
  parseNameAddr,
  splitHeaderValues,
  splitUri,
} from '../../../src/core/phone/sip-headers.js';

describe('SIP header readers', () => {
  it('splits values at commas outside quotes and angle brackets', () => {
    expect(splitHeaderValues('"Doe, John" <sip:a@b;x=1,2>;p=1, <sip:c@d>')).to.deep.equal(['"Doe, John" <sip:a@b;x=1,2>;p=1', '<sip:c@d>']);
    expect(splitHeaderValues('')).to.deep.equal([]);
  });

  it('reads name-addr and addr-spec with parameters', () => {
    const quoted = parseNameAddr('"Clara \\"C\\" Meier" <sip:1001@pbx.example.com;transport=ws>;tag=abc;reason=no-answer');
    expect(quoted).to.deep.include({ uri: 'sip:1001@pbx.example.com;transport=ws', user: '1001', host: 'pbx.example.com', displayName: 'Clara "C" Meier' });
    expect(quoted?.params).to.deep.equal({ tag: 'abc', reason: 'no-answer' });
    expect(parseNameAddr('Bob <sips:bob@example.org>')?.displayName).to.equal('Bob');
    expect(parseNameAddr('sip:1002@example.org;tag=x')).to.deep.include({ uri: 'sip:1002@example.org', user: '1002' });
    expect(parseNameAddr('not an address')).to.equal(undefined);
    expect(parseNameAddr('"unterminated <sip:a@b>')).to.equal(undefined);
  });

  it('splits users and hosts of sip and tel URIs', () => {
    expect(splitUri('sip:%2B4989@example.com:5060;user=phone')).to.deep.equal({ user: '+4989', host: 'example.com' });
    expect(splitUri('tel:+4989123')).to.deep.equal({ user: '+4989123', host: undefined });
    expect(splitUri('sip:[2001:db8::1]:5060')).to.deep.equal({ user: undefined, host: '[2001:db8::1]' });
    expect(identityFromHeader('"Anna" <sip:1003@x>;tag=1')).to.deep.equal({ uri: 'sip:1003@x', user: '1003', host: 'x', displayName: 'Anna' });
  });

  it('reads Diversion (RFC 5806) hops with reasons', () => {
    const hops = parseDiversion(['<sip:1002@pbx>;reason=user-busy;counter=1', '"Front desk" <sip:100@pbx>;reason=unconditional']);
    expect(hops.map((h) => [h.from.user, h.reason])).to.deep.equal([
      ['1002', 'user-busy'],
      ['100', 'unconditional'],
    ]);
  });

  it('reads History-Info (RFC 7044): retargeted entries are forwarding hops', () => {
    const hops = parseHistoryInfo([
      '<sip:1002@pbx?Reason=SIP%3Bcause%3D302%3Btext%3D%22Moved%22>;index=1',
      '<sip:1003@pbx>;index=1.1;rc=1',
    ]);
    expect(hops).to.have.length(1);
    expect(hops[0]?.from.user).to.equal('1002');
    expect(hops[0]?.from.uri).to.equal('sip:1002@pbx');
    expect(hops[0]?.reason).to.equal('302');
    expect(parseHistoryInfo(['<sip:a@b>;index=1', '<sip:c@d>;index=1.1;mp=1']).map((h) => h.from.user)).to.deep.equal(['a']);
  });

  it('recognizes the three intercom conventions', () => {
    expect(parseAutoAnswer({ callInfo: ['<sip:pbx>;answer-after=0'] })).to.deep.equal({ delaySeconds: 0, source: 'call-info' });
    expect(parseAutoAnswer({ callInfo: ['<sip:pbx>;Answer-After=2'] })?.delaySeconds).to.equal(2);
    expect(parseAutoAnswer({ alertInfo: ['<http://x>;info=alert-autoanswer'] })?.source).to.equal('alert-info');
    expect(parseAutoAnswer({ alertInfo: ['info=Auto Answer;delay=3'] })).to.deep.equal({ delaySeconds: 3, source: 'alert-info' });
    expect(parseAutoAnswer({ answerMode: ['Auto;require'] })).to.deep.equal({ delaySeconds: 0, source: 'answer-mode' });
    expect(parseAutoAnswer({ alertInfo: ['<http://x/ring.wav>'], callInfo: ['<http://x/photo.jpg>;purpose=icon'], answerMode: ['Manual'] })).to.equal(undefined);
  });
});
