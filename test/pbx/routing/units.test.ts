// The routing layer's pure parts: best-response choice, state tables, header texts, dial strings, the click-to-dial
// black-hole SDP answer.
import { describe, it, expect } from '../../support/harness.js';
import { SipHeaders, SipRequest, SipResponse } from '../../../src/pbx/sip/index.js';
import {
  blackHoleAnswer,
  CALL_STATES,
  CALL_TRANSITIONS,
  describeStarCode,
  dialStringOf,
  nextBranchState,
  nextCallState,
  readReason,
} from '../../../src/pbx/routing/index.js';
import { diversionHeaders, headerText, historyInfoHeader, reasonHeader, stripCallerControlled, wantsAnonymity } from '../../../src/pbx/routing/headers.js';
import { bestOutcome } from '../../../src/pbx/routing/responses.js';

const response = (status: number): SipResponse => new SipResponse(status, 'x');

describe('routing units', () => {
  it('chooses the best response as RFC 3261 §16.7 says, and never passes a 503 on', () => {
    const pick = (...statuses: number[]): number => bestOutcome(statuses.map((status) => ({ status, response: response(status) }))).status;
    expect(pick(486, 603, 480)).to.equal(603);
    expect(pick(480, 302, 404)).to.equal(302);
    expect(pick(480, 486, 404)).to.equal(486);
    expect(pick(404, 480)).to.equal(480);
    expect(pick(487, 404)).to.equal(404);
    expect(pick(500, 404)).to.equal(404);
    expect(pick(407, 486)).to.equal(407);
    expect(bestOutcome([{ status: 503, response: response(503) }])).to.deep.equal({ status: 500, response: undefined });
    expect(bestOutcome([])).to.deep.equal({ status: 408, response: undefined });
  });

  it('has a transition table row for every call state, and refuses events that make no sense', () => {
    expect(Object.keys(CALL_TRANSITIONS).sort()).to.deep.equal([...CALL_STATES].sort());
    expect(nextCallState('early', 'answered')).to.equal('confirmed');
    expect(nextCallState('cancelled', 'answered')).to.equal(undefined);
    expect(nextCallState('confirmed', 'provisional')).to.equal(undefined);
    expect(nextBranchState('cancelling', 'answer')).to.equal('answered');
    expect(nextBranchState('failed', 'provisional')).to.equal(undefined);
  });

  it('writes Reason, Diversion and History-Info headers with cleaned texts', () => {
    expect(reasonHeader(480, 'Voicemail "not" available\r\nX: y')).to.deep.equal(['Reason', 'SIP;cause=480;text="Voicemail not available X: y"']);
    expect(readReason('SIP;cause=200;text="Profile 3 active"')).to.deep.equal({ cause: 200, text: 'Profile 3 active' });
    expect(readReason('Q.850;cause=16')).to.equal(undefined);
    expect(headerText('a'.repeat(300))).to.have.length(200);
    const steps = [
      { from: 'sip:11@a.test', name: 'Ben', reason: 'no-answer' as const },
      { from: 'sip:12@a.test', name: 'Clara', reason: 'user-busy' as const },
    ];
    expect(diversionHeaders(steps).map(([, value]) => value)).to.deep.equal([
      '"Clara" <sip:12@a.test>;reason=user-busy;counter=2',
      '"Ben" <sip:11@a.test>;reason=no-answer;counter=1',
    ]);
    expect(historyInfoHeader(steps, 'sip:13@a.test')?.[1]).to.equal(
      '<sip:11@a.test?Reason=SIP%3Bcause%3D408%3Btext%3D%22no-answer%22>;index=1, ' +
        '<sip:12@a.test?Reason=SIP%3Bcause%3D486%3Btext%3D%22user-busy%22>;index=1.1;mp=1, <sip:13@a.test>;index=1.1.1;mp=1.1',
    );
    expect(historyInfoHeader([], 'sip:13@a.test')).to.equal(undefined);
  });

  it('strips what a caller must not decide for the callee, and keeps the rest', () => {
    const headers = new SipHeaders();
    headers
      .append('P-Asserted-Identity', '<sip:boss@a.test>')
      .append('Alert-Info', '<urn:alert:service:auto-answer>')
      .append('Alert-Info', '<http://ring.example/tone.wav>')
      .append('Call-Info', '<sip:a.test>;answer-after=0')
      .append('Call-Info', '<http://a.test/photo.jpg>;purpose=icon')
      .append('Diversion', '<sip:x@a.test>;reason=unconditional')
      .append('Subject', 'hello');
    stripCallerControlled(headers);
    expect([...headers.entries()]).to.deep.equal([
      ['Alert-Info', '<http://ring.example/tone.wav>'],
      ['Call-Info', '<http://a.test/photo.jpg>;purpose=icon'],
      ['Subject', 'hello'],
    ]);
    expect(wantsAnonymity(['id'], 'sip:10@a.test', undefined)).to.equal(true);
    expect(wantsAnonymity([], 'sip:anonymous@anonymous.invalid', undefined)).to.equal(true);
    expect(wantsAnonymity(['none'], 'sip:10@a.test', 'Anna')).to.equal(false);
  });

  it('reads dial strings from sip and tel Request-URIs, and nothing else', () => {
    const dial = (uri: string): string | undefined => dialStringOf(new SipRequest('INVITE', uri));
    expect(dial('sip:*1133@a.test')).to.equal('*1133');
    expect(dial('sip:*80%2311@a.test')).to.equal('*80#11');
    expect(dial('sip:+4989123456711@a.test;user=phone')).to.equal('+4989123456711');
    expect(dial('tel:+49-89-1234567;phone-context=+49')).to.equal('+49891234567');
    expect(dial('sip:alice@a.test')).to.equal(undefined);
    expect(dial('sip:a.test')).to.equal(undefined);
    expect(describeStarCode({ type: 'set', condition: 'busy', to: { type: 'voicemail' } })).to.equal('Forwarding when busy to voicemail set; profile 0 active');
  });

  it('answers offers inactive, rejecting what is not audio or video, and refuses non-SDP', () => {
    const answer = blackHoleAnswer('v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=audio 5000 RTP/AVP 0\r\nm=video 0 RTP/AVP 96\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n');
    expect(answer?.split('\r\n').filter((line) => line.startsWith('m='))).to.deep.equal([
      'm=audio 9 RTP/AVP 0',
      'm=video 0 RTP/AVP 96',
      'm=application 0 UDP/DTLS/SCTP webrtc-datachannel',
    ]);
    expect(answer).to.include('a=inactive');
    expect(answer).not.to.include('a=ice-ufrag');
    expect(blackHoleAnswer('hello')).to.equal(undefined);
    expect(blackHoleAnswer(`v=0\r\nm=audio 1 RTP/AVP 0\r\n${'a=x\r\n'.repeat(20_000)}`)).to.equal(undefined);
  });
});
