/**
 * The only SDP the PBX writes: a "black hole" answer (RFC 3725 §4 calls it bh-SDP) for the click-to-dial control
 * leg, where the device's 2xx carries an offer and the PBX, which has no media, must answer it in the ACK. Every
 * stream is accepted as `inactive` on 0.0.0.0, so nothing flows, and the device is then asked to call the real
 * destination itself (REFER). Media of real calls is never touched: it stays end to end.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';

/** The largest offer the PBX reads (a browser's offer is a few kilobytes). */
const MAX_OFFER = 64 * 1024;

function fingerprint(): string {
  return [...randomBytes(32)].map((byte) => byte.toString(16).padStart(2, '0').toUpperCase()).join(':');
}

/**
 * An inactive answer to `offer`: the same media sections in the same order (as RFC 3264 requires), each with port 9
 * and `a=inactive`, or port 0 where the offer rejected the stream or it is not audio/video. For WebRTC offers (ICE,
 * DTLS) it carries fresh ICE credentials, a DTLS fingerprint, `setup:active`, the `mid`s and BUNDLE group, so that a
 * browser accepts it; there are no candidates, so no connection is ever attempted. Returns undefined when the offer
 * has no media section or is too large.
 */
export function blackHoleAnswer(offer: string): string | undefined {
  if (offer.length > MAX_OFFER) return undefined;
  const lines = offer.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const sections: string[][] = [];
  const session: string[] = [];
  for (const line of lines) {
    if (line.startsWith('m=')) sections.push([line]);
    else (sections.at(-1) ?? session).push(line);
  }
  if (sections.length === 0) return undefined;
  const webrtc = lines.some((line) => line.startsWith('a=ice-ufrag:') || line.startsWith('a=fingerprint:'));
  const id = BigInt(`0x${randomBytes(6).toString('hex')}`).toString();
  const out = ['v=0', `o=centrex-pbx ${id} 1 IN IP4 0.0.0.0`, 's=-', 'c=IN IP4 0.0.0.0', 't=0 0'];
  const bundle = session.find((line) => line.startsWith('a=group:BUNDLE'));
  if (bundle) out.push(bundle);
  const ufrag = randomBytes(6).toString('hex');
  const pwd = randomBytes(16).toString('hex');
  const print = webrtc ? fingerprint() : '';
  for (const section of sections) {
    const match = /^m=(\S+) (\d+)(?:\/\d+)? (\S+) ?(.*)$/.exec(section[0] ?? '');
    if (!match) return undefined;
    const [, media = '', port = '0', proto = '', formats = ''] = match;
    const accepted = port !== '0' && (media === 'audio' || media === 'video');
    out.push(`m=${media} ${accepted ? 9 : 0} ${proto} ${formats}`.trimEnd());
    const keep = (prefix: string): void => {
      for (const line of section) if (line.startsWith(prefix)) out.push(line);
    };
    keep('a=mid:');
    if (!accepted) continue;
    out.push('c=IN IP4 0.0.0.0');
    keep('a=rtpmap:');
    keep('a=fmtp:');
    keep('a=rtcp-mux');
    if (webrtc) out.push(`a=ice-ufrag:${ufrag}`, `a=ice-pwd:${pwd}`, `a=fingerprint:sha-256 ${print}`, 'a=setup:active');
    out.push('a=inactive');
  }
  return `${out.join('\r\n')}\r\n`;
}
