/**
 * Pure helpers over SDP text: media directions per m-line, the hold/offer/answer direction rules, whether a
 * description already holds an ICE candidate that is good enough to send, and DTMF support.
 *
 * @packageDocumentation
 */

/** An SDP media direction (RFC 3264), or `stopped` for a rejected m-line. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** One m-line of a description. */
export interface MediaSection {
  /** `audio`, `video`, `application` … */
  readonly kind: string;
  /** The `a=mid` value, if any. */
  readonly mid: string | undefined;
  /** The direction attribute, falling back to the session-level one, then `sendrecv`. */
  readonly direction: MediaDirection;
  /** The port of the m-line; 0 means the stream was rejected or stopped. */
  readonly port: number;
}

/**
 * Which ICE candidates are enough to send an offer or answer without waiting for gathering to finish.
 *
 * - `first`: any candidate (on a LAN or loopback a host candidate works; the fastest setup).
 * - `reflexive`: a server-reflexive or relay candidate (needs STUN/TURN servers; for callers behind NAT).
 * - `relay`: a relay candidate (TURN only).
 * - `complete`: wait for gathering to complete (sip.js's behaviour; slowest).
 */
export type IceCandidatePolicy = 'first' | 'reflexive' | 'relay' | 'complete';

const DIRECTIONS = new Set(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** Splits a description into its m-lines. */
export function mediaSections(sdp: string): MediaSection[] {
  const lines = sdp.split(/\r?\n/);
  let sessionDirection: MediaDirection = 'sendrecv';
  const sections: { kind: string; port: number; mid?: string; direction?: MediaDirection }[] = [];
  for (const line of lines) {
    const m = /^m=(\S+)\s+(\d+)/.exec(line);
    if (m) {
      sections.push({ kind: m[1]!, port: Number(m[2]) });
      continue;
    }
    const current = sections[sections.length - 1];
    const dir = /^a=(sendrecv|sendonly|recvonly|inactive)\s*$/.exec(line)?.[1];
    if (dir && DIRECTIONS.has(dir)) {
      if (current) current.direction = dir as MediaDirection;
      else sessionDirection = dir as MediaDirection;
      continue;
    }
    const mid = /^a=mid:(\S+)/.exec(line)?.[1];
    if (mid !== undefined && current) current.mid = mid;
  }
  return sections.map((s) => ({ kind: s.kind, mid: s.mid, port: s.port, direction: s.direction ?? sessionDirection }));
}

/**
 * The direction to offer for one m-line.
 *
 * @param wantToSend - this side has (or wants to have) media to send on this line
 * @param hold - this side holds the call: it stops receiving (RFC 3264 section 8.4)
 */
export function offerDirection(wantToSend: boolean, hold: boolean): MediaDirection {
  if (hold) return wantToSend ? 'sendonly' : 'inactive';
  return wantToSend ? 'sendrecv' : 'recvonly';
}

/**
 * The direction to answer for one m-line, intersecting what was offered with what this side wants
 * (RFC 3264 section 6.1).
 *
 * @param offered - the direction in the offer (from the offerer's point of view)
 * @param wantToSend - this side has media to send on this line
 * @param hold - this side holds the call
 */
export function answerDirection(offered: MediaDirection, wantToSend: boolean, hold: boolean): MediaDirection {
  const remoteSends = offered === 'sendrecv' || offered === 'sendonly';
  const remoteReceives = offered === 'sendrecv' || offered === 'recvonly';
  const send = remoteReceives && wantToSend;
  const receive = remoteSends && !hold;
  if (send && receive) return 'sendrecv';
  if (send) return 'sendonly';
  if (receive) return 'recvonly';
  return 'inactive';
}

/** Whether the far end holds this call, judged from the audio m-line of its latest description. */
export function isRemoteHold(remoteSdp: string): boolean {
  const audio = mediaSections(remoteSdp).find((s) => s.kind === 'audio' && s.port !== 0);
  return audio !== undefined && (audio.direction === 'sendonly' || audio.direction === 'inactive');
}

/** Whether an ICE candidate (an `a=candidate:` line or the `candidate` string of an RTCIceCandidate) satisfies the policy. */
export function candidateSatisfies(candidate: string, policy: IceCandidatePolicy): boolean {
  const type = /\btyp\s+(host|srflx|prflx|relay)\b/.exec(candidate)?.[1];
  if (type === undefined) return false;
  switch (policy) {
    case 'first':
      return true;
    case 'reflexive':
      return type === 'srflx' || type === 'relay';
    case 'relay':
      return type === 'relay';
    case 'complete':
      return false;
  }
}

/** Whether a description already holds a candidate that satisfies the policy (so it can be sent now). */
export function hasUsableCandidate(sdp: string | undefined, policy: IceCandidatePolicy): boolean {
  if (sdp === undefined || policy === 'complete') return false;
  return sdp.split(/\r?\n/).some((line) => line.startsWith('a=candidate:') && candidateSatisfies(line, policy));
}

/** Whether a description offers or accepts RFC 4733 telephone events (RTP DTMF). */
export function hasTelephoneEvent(sdp: string): boolean {
  return /^a=rtpmap:\d+ telephone-event\//im.test(sdp);
}
