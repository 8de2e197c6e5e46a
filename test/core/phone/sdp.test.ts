import { describe, it, expect } from '../../support/harness.js';
import { answerDirection, candidateSatisfies, hasTelephoneEvent, hasUsableCandidate, isRemoteHold, mediaSections, offerDirection } from '../../../src/core/phone/sdp.js';

const SDP = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=sendrecv',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111 126',
  'a=mid:0',
  'a=rtpmap:111 opus/48000/2',
  'a=rtpmap:126 telephone-event/8000',
  'a=sendonly',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0',
  'm=video 9 UDP/TLS/RTP/SAVPF 96',
  'a=mid:1',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'a=mid:2',
  'a=inactive',
  '',
].join('\r\n');

describe('SDP helpers', () => {
  it('reads m-lines with mids and directions (session level as fallback)', () => {
    expect(mediaSections(SDP)).to.deep.equal([
      { kind: 'audio', mid: '0', port: 9, direction: 'sendonly' },
      { kind: 'video', mid: '1', port: 9, direction: 'sendrecv' },
      { kind: 'video', mid: '2', port: 0, direction: 'inactive' },
    ]);
  });

  it('offers sendonly/inactive on hold and recvonly without media to send', () => {
    expect(offerDirection(true, false)).to.equal('sendrecv');
    expect(offerDirection(false, false)).to.equal('recvonly');
    expect(offerDirection(true, true)).to.equal('sendonly');
    expect(offerDirection(false, true)).to.equal('inactive');
  });

  it('answers each offered direction by RFC 3264 rules', () => {
    const table: [Parameters<typeof answerDirection>, string][] = [
      [['sendrecv', true, false], 'sendrecv'],
      [['sendrecv', false, false], 'recvonly'],
      [['sendrecv', true, true], 'sendonly'],
      [['sendonly', true, false], 'recvonly'],
      [['sendonly', true, true], 'inactive'],
      [['recvonly', true, false], 'sendonly'],
      [['recvonly', false, false], 'inactive'],
      [['inactive', true, false], 'inactive'],
    ];
    for (const [args, expected] of table) expect(answerDirection(...args), args.join(' ')).to.equal(expected);
  });

  it('tells a remote hold from the audio line', () => {
    expect(isRemoteHold(SDP)).to.equal(true);
    expect(isRemoteHold(SDP.replace('a=sendonly', 'a=sendrecv'))).to.equal(false);
  });

  it('decides whether a description may be sent before gathering completes', () => {
    expect(hasUsableCandidate(SDP, 'first')).to.equal(true);
    expect(hasUsableCandidate(SDP, 'reflexive')).to.equal(false);
    expect(hasUsableCandidate(SDP, 'complete')).to.equal(false);
    expect(hasUsableCandidate(undefined, 'first')).to.equal(false);
    expect(candidateSatisfies('candidate:2 1 udp 1 203.0.113.5 4000 typ srflx raddr 10.0.0.1 rport 4000', 'reflexive')).to.equal(true);
    expect(candidateSatisfies('candidate:3 1 udp 1 198.51.100.9 3478 typ relay raddr 0.0.0.0 rport 0', 'relay')).to.equal(true);
    expect(candidateSatisfies('candidate:2 1 udp 1 203.0.113.5 4000 typ srflx', 'relay')).to.equal(false);
  });

  it('finds RFC 4733 telephone events', () => {
    expect(hasTelephoneEvent(SDP)).to.equal(true);
    expect(hasTelephoneEvent(SDP.replace('telephone-event', 'CN'))).to.equal(false);
  });
});
