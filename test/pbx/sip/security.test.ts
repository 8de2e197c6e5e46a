// Safe by default: same answer for unknown users, each nonce count accepted once, stale nonces, lockouts and flood
// limits.
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { ManualClock, type SipResponse, type SipSecurityEvent } from '../../../src/pbx/sip/index.js';
import { AddressGuard, DEFAULT_GUARD_OPTIONS } from '../../../src/pbx/sip/auth/guard.js';
import { NonceStore } from '../../../src/pbx/sip/auth/nonce.js';
import { TcpPeer, UdpPeer, WsPeer } from './support/clients.js';
import { challengesOf, digestAnswer, DOMAIN, newCallId, register, registerWithDigest, type Challenge } from './support/messages.js';
import { startServer, USERS, type RunningServer } from './support/server.js';

/** Sends a REGISTER for `user`, answers the first challenge of `algorithm` with `password`, returns both replies. */
async function attempt(
  peer: UdpPeer,
  user: string,
  password: string,
  algorithm: 'MD5' | 'SHA-256' = 'SHA-256',
): Promise<{ challenge: SipResponse; answer: SipResponse }> {
  const callId = newCallId();
  peer.send(register({ peer, user, callId, cseq: 1 }));
  const challenge = await peer.response(callId);
  const offered = challengesOf(challenge).find((candidate) => candidate.algorithm === algorithm)!;
  const authorization = digestAnswer({ challenge: offered, username: user, password, method: 'REGISTER', uri: `sip:${DOMAIN}` });
  peer.send(register({ peer, user, callId, cseq: 2, authorization }));
  return { challenge, answer: await peer.finalResponse(callId) };
}

/** A response with the parts that legitimately differ per request (tags, nonces) blanked out. */
function shape(response: SipResponse): unknown {
  return {
    status: response.status,
    reason: response.reason,
    headers: [...response.headers.entries()]
      .filter(([name]) => !['Via', 'From', 'To', 'Call-ID', 'CSeq'].includes(name))
      .map(([name, value]) => [name, value.replace(/nonce="[^"]*"/, 'nonce=""')]),
    body: response.bodyText,
  };
}

describe('security: digest answers', () => {
  let running: RunningServer;
  let peer: UdpPeer;
  before(async () => {
    running = await startServer({ security: { maxAuthFailures: 1000 } });
    peer = await UdpPeer.open(running.udp);
  });
  after(async () => {
    await peer.close();
    await running.close();
  });

  it('offers SHA-256 first, then MD5, with one nonce, qop=auth and an opaque value', async () => {
    const callId = newCallId();
    peer.send(register({ peer, user: '201', callId, cseq: 1 }));
    const response = await peer.response(callId, 401);
    const [first, second] = challengesOf(response);
    expect(first).to.include({ algorithm: 'SHA-256', realm: DOMAIN, qop: 'auth', stale: false });
    expect(second).to.include({ algorithm: 'MD5', realm: DOMAIN, qop: 'auth' });
    expect(first?.nonce).to.equal(second?.nonce);
    expect(first?.opaque).to.be.a('string');
  });

  it('answers a wrong password with a fresh challenge, and an unknown user exactly the same way', async () => {
    const wrong = await attempt(peer, '201', 'not-the-password');
    const unknown = await attempt(peer, 'mallory', 'whatever');
    expect(wrong.answer.status).to.equal(401);
    expect(shape(unknown.answer)).to.deep.equal(shape(wrong.answer));
    expect(shape(unknown.challenge)).to.deep.equal(shape(wrong.challenge));
    const nonces = [wrong.challenge, wrong.answer, unknown.answer].map((response) => challengesOf(response)[0]?.nonce);
    expect(new Set(nonces).size).to.equal(3);
  });

  it('accepts a nonce count once: replaying the same Authorization gets a new challenge, not 200', async () => {
    const callId = newCallId();
    peer.send(register({ peer, user: '201', callId, cseq: 1 }));
    const offered = challengesOf(await peer.response(callId, 401))[0]!;
    const authorization = digestAnswer({ challenge: offered, username: '201', password: USERS['201']!, method: 'REGISTER', uri: `sip:${DOMAIN}` });
    peer.send(register({ peer, user: '201', callId, cseq: 2, authorization }));
    expect((await peer.finalResponse(callId)).status).to.equal(200);
    peer.send(register({ peer, user: '201', callId, cseq: 3, authorization }));
    const replay = await peer.finalResponse(callId);
    expect(replay.status).to.equal(401);
    const fresh = challengesOf(replay)[0]!;
    expect(fresh.nonce).not.to.equal(offered.nonce);
    expect(fresh.stale).to.equal(true);
  });

  it('ignores Authorization of unknown schemes and challenges (RFC 4475 regaut01)', async () => {
    const callId = newCallId();
    peer.send(register({ peer, user: '201', callId, cseq: 1, authorization: 'NoOneKnowsThisScheme opaque-data=here' }));
    expect((await peer.finalResponse(callId)).status).to.equal(401);
  });
});

describe('security: nonce lifetime and counts', () => {
  it('answers an expired nonce with stale=true when the credentials were right', async () => {
    const clock = new ManualClock();
    const running = await startServer({ clock });
    const peer = await UdpPeer.open(running.udp);
    try {
      const callId = newCallId();
      peer.send(register({ peer, user: '202', callId, cseq: 1 }));
      const offered = challengesOf(await peer.response(callId, 401))[1]!;
      clock.advance(301_000);
      const authorization = digestAnswer({ challenge: offered, username: '202', password: USERS['202']!, method: 'REGISTER', uri: `sip:${DOMAIN}` });
      peer.send(register({ peer, user: '202', callId, cseq: 2, authorization }));
      const stale = await peer.finalResponse(callId);
      expect(stale.status).to.equal(401);
      expect(challengesOf(stale).every((challenge) => challenge.stale)).to.equal(true);
    } finally {
      await peer.close();
      await running.close();
    }
  });

  for (const singleUseNonces of [false, true]) {
    it(singleUseNonces ? 'with singleUseNonces, spends a nonce on its first use' : 'by default, takes a nonce again only with a growing nonce count', async () => {
      const running = await startServer(singleUseNonces ? { security: { singleUseNonces } } : {});
      const peer = await UdpPeer.open(running.udp);
      try {
        const callId = newCallId();
        peer.send(register({ peer, user: '202', callId, cseq: 1 }));
        const offered: Challenge = challengesOf(await peer.response(callId, 401))[0]!;
        const answer = (nc: number, cseq: number): void => {
          const authorization = digestAnswer({ challenge: offered, username: '202', password: USERS['202']!, method: 'REGISTER', uri: `sip:${DOMAIN}`, nc });
          peer.send(register({ peer, user: '202', callId, cseq, authorization }));
        };
        answer(1, 2);
        expect((await peer.finalResponse(callId)).status).to.equal(200);
        answer(1, 3);
        expect((await peer.finalResponse(callId)).status, 'the same nonce count again').to.equal(401);
        answer(3, 4);
        expect((await peer.finalResponse(callId)).status, 'a higher nonce count').to.equal(singleUseNonces ? 401 : 200);
        answer(2, 5);
        expect((await peer.finalResponse(callId)).status, 'a lower nonce count than the last accepted').to.equal(401);
      } finally {
        await peer.close();
        await running.close();
      }
    });
  }

  it('keeps nonce bookkeeping bounded and time-based', () => {
    const clock = new ManualClock();
    const store = new NonceStore({ clock, lifetimeMs: 1000, maxOutstanding: 3 });
    const nonces = [store.issue(), store.issue(), store.issue(), store.issue()];
    expect(store.size).to.equal(3);
    expect(store.inspect(nonces[0]!, 1)).to.equal('used');
    expect(store.inspect(nonces[3]!, 1)).to.equal('fresh');
    expect(store.inspect(`${nonces[3]!.slice(0, -2)}AA`, 1)).to.equal('unknown');
    expect(store.inspect('not-a-nonce', 1)).to.equal('unknown');
    clock.advance(1001);
    expect(store.inspect(nonces[3]!, 1)).to.equal('expired');
    store.sweep();
    expect(store.size).to.equal(0);
  });
});

describe('security: lockouts and floods', () => {
  it('locks an address out for 300 s after repeated failures while other clients keep registering', async () => {
    const clock = new ManualClock();
    const events: SipSecurityEvent[] = [];
    const running = await startServer({
      clock,
      security: { maxAuthFailures: 3, lockoutResponse: 'forbidden' },
      onSecurityEvent: (event) => events.push(event),
    });
    const attacker = await UdpPeer.open(running.udp, '127.0.0.2');
    const client = await UdpPeer.open(running.udp, '127.0.0.1');
    try {
      const first = await attempt(attacker, '201', 'guess-0');
      expect(first.answer.status).to.equal(401);
      // A challenge whose nonce was never used successfully: still good for a correct answer later.
      const earlier = challengesOf(first.answer)[0]!;
      expect((await attempt(attacker, '201', 'guess-1')).answer.status).to.equal(401);
      // The third failure locks the address: that answer and every later one is 403.
      expect((await attempt(attacker, '201', 'guess-2')).answer.status).to.equal(403);
      const callId = newCallId();
      attacker.send(register({ peer: attacker, user: '201', callId, cseq: 1 }));
      expect((await attacker.finalResponse(callId)).status).to.equal(403);
      expect(running.server.isLockedOut('127.0.0.2')).to.equal(true);
      expect(events.filter((event) => event.type === 'auth-failure')).to.have.length(3);
      expect(events.find((event) => event.type === 'lockout')).to.deep.include({ address: '127.0.0.2', reason: 'auth-failures' });

      const ok = await registerWithDigest({ peer: client, user: '201', password: USERS['201']!, algorithm: 'SHA-256' });
      expect(ok.response.status).to.equal(200);

      // Even the right password does not help while locked out; after 300 s the address may try again.
      const lateCall = newCallId();
      const authorization = digestAnswer({ challenge: earlier, username: '201', password: USERS['201']!, method: 'REGISTER', uri: `sip:${DOMAIN}` });
      attacker.send(register({ peer: attacker, user: '201', callId: lateCall, cseq: 5, authorization }));
      expect((await attacker.finalResponse(lateCall)).status).to.equal(403);
      clock.advance(300_000);
      expect(running.server.isLockedOut('127.0.0.2')).to.equal(false);
      expect((await attempt(attacker, '201', USERS['201']!)).answer.status).to.equal(200);
    } finally {
      await attacker.close();
      await client.close();
      await running.close();
    }
  });

  it('drops everything from a locked-out address by default, on every transport', async () => {
    const events: SipSecurityEvent[] = [];
    let blocked: () => void = () => undefined;
    const running = await startServer({
      security: { maxAuthFailures: 1 },
      onSecurityEvent: (event) => {
        events.push(event);
        if (event.type === 'blocked') blocked();
      },
    });
    const attacker = await UdpPeer.open(running.udp, '127.0.0.3');
    try {
      const callId = newCallId();
      attacker.send(register({ peer: attacker, user: '201', callId, cseq: 1 }));
      const offered = challengesOf(await attacker.response(callId, 401))[0]!;
      const authorization = digestAnswer({ challenge: offered, username: '201', password: 'wrong', method: 'REGISTER', uri: `sip:${DOMAIN}` });
      const refused = new Promise<void>((resolve) => (blocked = resolve));
      attacker.send(register({ peer: attacker, user: '201', callId, cseq: 2, authorization }));
      attacker.send(register({ peer: attacker, user: '201', callId, cseq: 3 }));
      await refused;
      expect(attacker.received.filter((item) => item.message?.callId === callId)).to.have.length(1);

      const tcp = await TcpPeer.open(running.tcp, '127.0.0.3');
      await tcp.closed();
      let wsError: unknown;
      try {
        await WsPeer.open(running.wsUrl, ['sip'], '127.0.0.3');
      } catch (error) {
        wsError = error;
      }
      expect(wsError).to.be.instanceOf(Error);
    } finally {
      await attacker.close();
      await running.close();
    }
  });

  it('cuts off a REGISTER flood from one address without slowing another', async () => {
    const events: SipSecurityEvent[] = [];
    const running = await startServer({
      security: { floodMaxRequests: 20, floodWindowMs: 60_000 },
      onSecurityEvent: (event) => events.push(event),
    });
    const flooder = await UdpPeer.open(running.udp, '127.0.0.4');
    const client = await UdpPeer.open(running.udp, '127.0.0.1');
    try {
      const callIds: string[] = [];
      for (let i = 0; i < 40; i++) {
        const callId = newCallId();
        callIds.push(callId);
        flooder.send(register({ peer: flooder, user: '201', callId, cseq: 1 }));
      }
      // Requests are handled in order: the answer to the 20th proves the rest have been seen too (or dropped).
      await flooder.response(callIds[19]);
      const ok = await registerWithDigest({ peer: client, user: '202', password: USERS['202']!, algorithm: 'MD5' });
      expect(ok.response.status).to.equal(200);
      expect(events.find((event) => event.type === 'lockout')).to.deep.include({ address: '127.0.0.4', reason: 'flood' });
      const answered = new Set(flooder.received.map((item) => item.message?.callId));
      expect(answered.size).to.equal(20);
      expect(running.server.isLockedOut('127.0.0.4')).to.equal(true);
      expect(running.server.isLockedOut('127.0.0.1')).to.equal(false);
    } finally {
      await flooder.close();
      await client.close();
      await running.close();
    }
  });

  it('counts per address, forgets old records and exempts trusted addresses', () => {
    const clock = new ManualClock();
    const locked: string[] = [];
    const guard = new AddressGuard(
      { ...DEFAULT_GUARD_OPTIONS, maxAuthFailures: 2, floodMaxRequests: 3, trusted: ['10.0.0.1'] },
      clock,
      (address) => locked.push(address),
    );
    for (let i = 0; i < 5; i++) expect(guard.allowRequest('10.0.0.1', 'INVITE')).to.equal(true);
    expect(guard.allowRequest('10.0.0.2', 'OPTIONS')).to.equal(true);
    expect([1, 2, 3, 4].map(() => guard.allowRequest('10.0.0.2', 'INVITE'))).to.deep.equal([true, true, true, false]);
    expect(guard.recordFailure('10.0.0.3')).to.equal(false);
    clock.advance(61_000);
    expect(guard.recordFailure('10.0.0.3')).to.equal(false);
    expect(guard.recordFailure('10.0.0.3')).to.equal(true);
    expect(locked).to.deep.equal(['10.0.0.2', '10.0.0.3']);
    clock.advance(300_001);
    guard.sweep();
    expect(guard.isBlocked('10.0.0.2')).to.equal(false);
  });
});
