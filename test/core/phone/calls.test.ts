// Calls against a scripted SIP peer, with a session description handler that has no WebRTC: the call state
// machine, end reasons, hold, call waiting, forwarding, redirects, transfers and DTMF by SIP INFO.
import type { SessionDescriptionHandler } from 'sip.js';
import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import type { Call } from '../../../src/core/phone/call.js';
import type { CallState } from '../../../src/core/phone/call-state.js';
import { Phone, type PhoneOptions } from '../../../src/core/phone/phone.js';
import { FakeClock, FakeServer, FakeSessionDescriptionHandler, fakeSdp, parseSip, request, respond, until, type SipMessage } from './fakes.js';

const PEER_CONTACT = '<sip:1002@10.0.0.2;transport=ws>';

async function registered(extra: Partial<PhoneOptions> = {}) {
  const server = new FakeServer();
  server.challenge = false;
  const clock = new FakeClock();
  const phone = new Phone({
    server: 'wss://pbx.example.com/ws',
    uri: 'sip:1001@example.com',
    password: 'secret',
    webSocket: server.factory,
    clock,
    media: { mediaDevices: undefined, createAudioElement: undefined, AudioContext: undefined },
    watchNetwork: false,
    // The fake clock jumps over the pong; keep-alive has its own tests.
    keepAlive: { interval: 0 },
    sessionDescriptionHandlerFactory: () => new FakeSessionDescriptionHandler() as unknown as SessionDescriptionHandler,
    ...extra,
  });
  phones.push(phone);
  await phone.start();
  const contact = /<([^>]+)>/.exec(server.requests('REGISTER')[0]?.header('contact') ?? '')?.[1] ?? '';
  return { server, clock, phone, contact };
}

function track(call: Call): CallState[] {
  const states: CallState[] = [call.state];
  call.on('statechange', ({ to }) => states.push(to));
  return states;
}

/** Makes the server answer outgoing INVITEs with 100 and 180, and keeps the INVITE for the test to answer. */
function ringOutgoing(server: FakeServer): { invites: SipMessage[] } {
  const invites: SipMessage[] = [];
  const previous = server.onRequest;
  server.onRequest = (req, socket) => {
    if (req.method === 'INVITE' && !/;tag=/.test(req.header('to') ?? '')) {
      invites.push(req);
      return [respond(req, 100, 'Trying'), respond(req, 180, 'Ringing', { toTag: 'callee', headers: [`Contact: ${PEER_CONTACT}`] })];
    }
    if (['BYE', 'CANCEL', 'INFO', 'REFER', 'INVITE', 'NOTIFY'].includes(req.method ?? '')) return [respond(req, req.method === 'REFER' ? 202 : 200, 'OK')];
    return previous(req, socket);
  };
  return { invites };
}

function answer(server: FakeServer, invite: SipMessage, headers: string[] = []): void {
  server.socket.serverSend(respond(invite, 200, 'OK', { toTag: 'callee', headers: [`Contact: ${PEER_CONTACT}`, 'Allow: INVITE, ACK, BYE, CANCEL, REFER, INFO', 'Supported: replaces', ...headers], body: fakeSdp() }));
}

/** A request from the far end inside the dialog of an outgoing call. */
function fromCallee(invite: SipMessage, method: string, cseq: number, extra: { headers?: string[]; body?: string; contentType?: string } = {}): string {
  const contact = /<([^>]+)>/.exec(invite.header('contact') ?? '')?.[1] ?? '';
  return request(method, contact, { from: `${invite.header('to')};tag=callee`, to: invite.header('from') ?? '', callId: invite.header('call-id') ?? '', cseq, contact: PEER_CONTACT, ...extra });
}

/** Sends an INVITE from "Anna" (1003) to the phone and returns the call the phone created. */
async function incoming(server: FakeServer, phone: Phone, contact: string, options: { callId?: string; headers?: string[] } = {}): Promise<{ call: Call; send: (method: string, cseq: number, extra?: { headers?: string[]; body?: string; contentType?: string }) => void; from: string; callId: string }> {
  const callId = options.callId ?? `in-${Math.random().toString(36).slice(2)}`;
  const from = '"Anna" <sip:1003@example.com>;tag=caller';
  const created = phone.calls.next('incoming', { timeout: 3000 });
  server.socket.serverSend(request('INVITE', contact, { from, to: '<sip:1001@example.com>', callId, cseq: 1, contact: '<sip:1003@10.0.0.3;transport=ws>', headers: options.headers ?? [], body: fakeSdp() }));
  const { call } = await created;
  const send = (method: string, cseq: number, extra: { headers?: string[]; body?: string; contentType?: string } = {}): void => {
    const ok = server.received.find((m) => m.status === 200 && m.header('call-id') === callId && /INVITE/.test(m.header('cseq') ?? ''));
    const to = ok?.header('to') ?? '<sip:1001@example.com>';
    server.socket.serverSend(request(method, contact, { from, to, callId, cseq, contact: '<sip:1003@10.0.0.3;transport=ws>', ...extra }));
  };
  return { call, send, from, callId };
}

/** Answers an incoming call and plays the caller's ACK. */
async function acceptIncoming(server: FakeServer, call: Call, send: (method: string, cseq: number) => void): Promise<void> {
  await call.accept();
  await until('200 OK to the INVITE', () => server.received.some((m) => m.status === 200 && /INVITE/.test(m.header('cseq') ?? '')));
  send('ACK', 1);
  await until('established', () => call.state === 'established');
}

/** Phones made by the running test; disposed at its end so that sip.js's timers (no-answer, transactions) do not
 * keep the test process alive. */
const phones: Phone[] = [];

/** `it`, disposing the test's phones afterwards. */
function test(name: string, body: () => Promise<void> | void): void {
  it(name, async () => {
    try {
      await body();
    } finally {
      await Promise.all(phones.splice(0).map((phone) => phone.dispose().catch(() => undefined)));
    }
  });
}

describe('outgoing calls', () => {
  test('go dialling → ringing → established, know who they are with, and hang up with BYE', async () => {
    const { server, clock, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002', { displayName: 'Bob' });
    const states = track(call);
    expect(call.direction).to.equal('outgoing');
    expect(call.remote).to.deep.include({ user: '1002', displayName: 'Bob' });
    await until('ringing', () => call.state === 'ringing');
    expect(invites[0]?.uri).to.equal('sip:1002@example.com');
    answer(server, invites[0]!);
    await until('established', () => call.state === 'established');
    expect(call.capabilities.extensions).to.include('replaces');
    expect(phone.calls.active).to.equal(call);
    clock.advance(65_000);
    expect(call.duration).to.equal(65_000);
    await call.hangup();
    await until('ended', () => call.state === 'ended');
    expect(server.requests('BYE')).to.have.length(1);
    expect(states).to.deep.equal(['dialling', 'ringing', 'established', 'ended']);
    expect(call.endReason).to.equal('hangup');
    expect(phone.calls.calls).to.deep.equal([]);
  });

  test('end as busy with the SIP status when the far end refuses', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    server.socket.serverSend(respond(invites[0]!, 486, 'Busy Here', { toTag: 'callee' }));
    await until('ended', () => call.state === 'ended');
    expect(call.endReason).to.equal('busy');
    expect(call.endStatus).to.equal(486);
    expect(isCentrexError(call.endError, 'call-rejected')).to.equal(true);
    expect(call.endError?.details?.['status']).to.equal(486);
  });

  test('are cancelled while ringing', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('ringing', () => call.state === 'ringing');
    await call.hangup();
    await until('CANCEL', () => server.requests('CANCEL').length === 1);
    server.socket.serverSend(respond(invites[0]!, 487, 'Request Terminated', { toTag: 'callee' }));
    await until('ended', () => call.state === 'ended');
    expect(call.endReason).to.equal('cancelled');
  });

  test('follow a 302 redirect to the new target and remember who forwarded', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    server.socket.serverSend(respond(invites[0]!, 302, 'Moved Temporarily', { toTag: 'callee', headers: ['Contact: <sip:1003@example.com>', 'Diversion: <sip:1002@example.com>;reason=deflection'] }));
    await until('second INVITE', () => invites.length === 2);
    expect(invites[1]?.uri).to.equal('sip:1003@example.com');
    expect(invites[1]?.header('diversion')).to.contain('sip:1002@example.com');
    expect(call.remote.user).to.equal('1003');
    expect(call.forwardedBy.map((hop) => [hop.from.user, hop.reason])).to.deep.equal([['1002', 'deflection']]);
    answer(server, invites[1]!);
    await until('established', () => call.state === 'established');
  });

  test('hold and resume with re-INVITEs offering sendonly and sendrecv', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    answer(server, invites[0]!);
    await until('established', () => call.state === 'established');
    server.onRequest = (req) => (req.method === 'INVITE' ? [respond(req, 200, 'OK', { body: fakeSdp('recvonly'), headers: [`Contact: ${PEER_CONTACT}`] })] : server.defaultHandler(req));
    await call.hold();
    expect(call.state).to.equal('held');
    expect(call.held).to.equal(true);
    const reinvites = server.requests('INVITE').slice(1);
    expect(reinvites[0]?.body).to.contain('a=sendonly');
    expect(phone.calls.active).to.equal(undefined);
    await call.resume();
    expect(call.state).to.equal('established');
    expect(server.requests('INVITE').at(-1)?.body).to.contain('a=sendrecv');
    // A refused hold leaves the call as it was.
    server.onRequest = (req) => (req.method === 'INVITE' ? [respond(req, 488, 'Not Acceptable Here')] : server.defaultHandler(req));
    const error = await call.hold().catch((e: unknown) => e);
    expect(isCentrexError(error, 'call-failed')).to.equal(true);
    expect(call.state).to.equal('established');
  });

  test('blind transfer: REFER to the target, then BYE; the call ends as transferred', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    answer(server, invites[0]!);
    await until('established', () => call.state === 'established');
    const progress: string[] = [];
    call.on('transfer', ({ status }) => progress.push(status));
    await call.transfer('1003');
    const refer = server.requests('REFER')[0];
    expect(refer?.header('refer-to')).to.equal('<sip:1003@example.com>');
    expect(refer?.header('referred-by')).to.contain('sip:1001@example.com');
    await until('ended', () => call.state === 'ended');
    expect(call.endReason).to.equal('transferred');
    expect(progress).to.deep.equal(['requested', 'accepted', 'succeeded']);
    expect(server.requests('BYE')).to.have.length(1);
  });

  test('send DTMF by SIP INFO and report DTMF INFO from the far end', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    answer(server, invites[0]!);
    await until('established', () => call.state === 'established');
    expect(await call.sendDtmf('4#', { method: 'info' })).to.equal('info');
    await until('two INFOs', () => server.requests('INFO').length === 2);
    expect(server.requests('INFO').map((m) => /Signal=(.)/.exec(m.body)?.[1])).to.deep.equal(['4', '#']);
    expect(server.requests('INFO')[0]?.header('content-type')).to.equal('application/dtmf-relay');
    const tones: string[] = [];
    call.on('dtmf', ({ tone }) => tones.push(tone));
    server.socket.serverSend(fromCallee(invites[0]!, 'INFO', 2, { body: 'Signal=7\r\nDuration=160\r\n', contentType: 'application/dtmf-relay' }));
    await until('dtmf event', () => tones.length === 1);
    expect(tones).to.deep.equal(['7']);
    expect(await call.sendDtmf('x').catch((e: unknown) => isCentrexError(e, 'invalid-argument'))).to.equal(true);
  });

  test('end as remote-hangup when the far end sends BYE', async () => {
    const { server, phone } = await registered();
    const { invites } = ringOutgoing(server);
    const call = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    answer(server, invites[0]!);
    await until('established', () => call.state === 'established');
    const ended = call.next('ended', { timeout: 3000 });
    server.socket.serverSend(fromCallee(invites[0]!, 'BYE', 2));
    expect((await ended).reason).to.equal('remote-hangup');
  });

  test('answer the PBX challenge once, then authorize later INVITEs up front with the next nonce count', async () => {
    const { server, phone } = await registered();
    const invites: SipMessage[] = [];
    server.onRequest = (req) => {
      if (req.method !== 'INVITE') return server.defaultHandler(req);
      invites.push(req);
      if (!req.header('proxy-authorization')) {
        return [respond(req, 407, 'Proxy Authentication Required', { toTag: 'p', headers: ['Proxy-Authenticate: Digest realm="example.com", nonce="n1", qop="auth"'] })];
      }
      return [respond(req, 486, 'Busy Here', { toTag: 'b' })];
    };
    const first = await phone.calls.dial('1002');
    await until('first call over', () => first.state === 'ended');
    expect(invites.map((m) => m.header('proxy-authorization') === undefined)).to.deep.equal([true, false]);
    const second = await phone.calls.dial('1003');
    await until('second call over', () => second.state === 'ended');
    expect(invites).to.have.length(3);
    const auth = invites[2]?.header('proxy-authorization') ?? '';
    expect(auth).to.contain('nonce="n1"').and.contain('nc=00000002').and.contain('uri="sip:1003@example.com"');
  });

  test('refuse dialling when not registered and bad numbers', async () => {
    const { phone } = await registered({ dialPlan: { country: 'DE' } });
    expect(await phone.calls.dial('12ab').catch((e: unknown) => (e as { code?: string }).code)).to.equal('invalid-number');
    await phone.stop();
    expect(await phone.calls.dial('1002').catch((e: unknown) => (e as { code?: string }).code)).to.equal('not-registered');
  });
});

describe('incoming calls', () => {
  test('ring with the caller, who forwarded and who transferred; accept → established; BYE → remote-hangup', async () => {
    const { server, phone, contact } = await registered();
    const { call, send } = await incoming(server, phone, contact, {
      headers: ['Diversion: <sip:1005@example.com>;reason=no-answer', 'Referred-By: "Clara" <sip:1004@example.com>'],
    });
    const states = track(call);
    expect(call.state).to.equal('ringing');
    expect(call.remote).to.deep.include({ user: '1003', displayName: 'Anna' });
    expect(call.forwardedBy.map((hop) => [hop.from.user, hop.reason])).to.deep.equal([['1005', 'no-answer']]);
    expect(call.referredBy?.displayName).to.equal('Clara');
    expect(server.received.some((m) => m.status === 180)).to.equal(true);
    await acceptIncoming(server, call, send);
    send('BYE', 2);
    await until('ended', () => call.state === 'ended');
    expect(states).to.deep.equal(['ringing', 'established', 'ended']);
    expect(call.endReason).to.equal('remote-hangup');
  });

  test('are missed when the caller cancels, or answered elsewhere', async () => {
    const { server, phone, contact } = await registered();
    for (const [reason, expected] of [
      [undefined, 'missed'],
      ['SIP;cause=200;text="Call completed elsewhere"', 'answered-elsewhere'],
    ] as const) {
      const { call, from, callId } = await incoming(server, phone, contact);
      const invite = server.received.find((m) => m.status === 180 && m.header('call-id') === callId);
      const via = /branch=([^;]+)/.exec(invite?.header('via') ?? '')?.[1];
      server.socket.serverSend(request('CANCEL', contact, { from, to: '<sip:1001@example.com>', callId, cseq: 1, ...(via ? { branch: via } : {}), headers: reason ? [`Reason: ${reason}`] : [] }));
      await until('ended', () => call.state === 'ended');
      expect(call.endReason).to.equal(expected);
    }
  });

  test('are rejected with 486 by default, forwarded with 302, or sent to voicemail', async () => {
    const { server, phone, contact } = await registered({ calls: { voicemail: '*791' } });
    const rejected = await incoming(server, phone, contact);
    await rejected.call.reject();
    await until('486', () => server.received.some((m) => m.status === 486));
    expect(rejected.call.endReason).to.equal('rejected');

    const forwarded = await incoming(server, phone, contact);
    await forwarded.call.forward('1009');
    await until('302', () => server.received.some((m) => m.status === 302));
    const moved = server.received.find((m) => m.status === 302)!;
    expect(moved.header('contact')).to.equal('<sip:1009@example.com>');
    expect(moved.header('diversion')).to.contain('<sip:1001@example.com>;reason=deflection');
    expect(forwarded.call.endReason).to.equal('forwarded');

    const voicemail = await incoming(server, phone, contact);
    await voicemail.call.sendToVoicemail();
    await until('second 302', () => server.received.filter((m) => m.status === 302).length === 2);
    expect(server.received.filter((m) => m.status === 302)[1]?.header('contact')).to.equal('<sip:*791@example.com>');
    expect(voicemail.call.endReason).to.equal('voicemail');
  });

  test('call waiting: a second call rings while talking; answering it holds the first', async () => {
    const { server, phone, contact } = await registered();
    server.onRequest = (req) => (req.method === 'INVITE' ? [respond(req, 200, 'OK', { body: fakeSdp('recvonly'), headers: ['Contact: <sip:1003@10.0.0.3;transport=ws>'] })] : server.defaultHandler(req));
    const first = await incoming(server, phone, contact, { callId: 'first' });
    await acceptIncoming(server, first.call, first.send);
    const second = await incoming(server, phone, contact, { callId: 'second' });
    expect(second.call.state).to.equal('ringing');
    await second.call.accept();
    await until('second 200', () => server.received.some((m) => m.status === 200 && m.header('call-id') === 'second'));
    second.send('ACK', 1);
    await until('second established', () => second.call.state === 'established');
    expect(first.call.state).to.equal('held');
    expect(server.requests('INVITE').some((m) => m.header('call-id') === 'first' && m.body.includes('a=sendonly'))).to.equal(true);
    await phone.calls.swap();
    expect(first.call.state).to.equal('established');
    expect(second.call.state).to.equal('held');
  });

  test('reject a second call with 486 when call waiting is off', async () => {
    const { server, phone, contact } = await registered({ calls: { callWaiting: false } });
    const first = await incoming(server, phone, contact, { callId: 'a' });
    await acceptIncoming(server, first.call, first.send);
    const ended = phone.calls.next('ended', { timeout: 3000 });
    server.socket.serverSend(request('INVITE', contact, { from: '<sip:1004@example.com>;tag=x', to: '<sip:1001@example.com>', callId: 'b', cseq: 1, contact: '<sip:1004@10.0.0.4>', body: fakeSdp() }));
    await ended;
    expect(server.received.some((m) => m.status === 486 && m.header('call-id') === 'b')).to.equal(true);
  });

  test('refuse operations that do not fit the state', async () => {
    const { server, phone, contact } = await registered();
    const { call } = await incoming(server, phone, contact);
    for (const action of [() => call.hold(), () => call.resume(), () => call.transfer('1002'), () => call.sendDtmf('1')]) {
      const error = await action().catch((e: unknown) => e);
      expect(isCentrexError(error, 'invalid-call-state')).to.equal(true);
    }
    expect(await call.sendToVoicemail().catch((e: unknown) => (e as { code?: string }).code)).to.equal('not-supported');
  });

  test('intercom: answered automatically only when allowed', async () => {
    const allowed = await registered({ calls: { intercomAutoAnswer: true } });
    const { call, send } = await incoming(allowed.server, allowed.phone, allowed.contact, { headers: ['Call-Info: <sip:pbx>;answer-after=0'] });
    expect(call.autoAnswer).to.deep.equal({ delaySeconds: 0, source: 'call-info' });
    allowed.clock.advance(0);
    await until('200 OK', () => allowed.server.received.some((m) => m.status === 200 && /INVITE/.test(m.header('cseq') ?? '')));
    send('ACK', 1);
    await until('established', () => call.state === 'established');

    const refused = await registered();
    const other = await incoming(refused.server, refused.phone, refused.contact, { headers: ['Call-Info: <sip:pbx>;answer-after=0'] });
    refused.clock.advance(10_000);
    expect(other.call.state).to.equal('ringing');
    expect(refused.server.received.some((m) => m.status === 200 && /INVITE/.test(m.header('cseq') ?? ''))).to.equal(false);
  });

  test('attended transfer before answering: 302 to the consulted party with Replaces', async () => {
    const { server, phone, contact } = await registered();
    const ringing = await incoming(server, phone, contact, { callId: 'unanswered' });
    const { invites } = ringOutgoing(server);
    const consultation = await phone.calls.dial('1002');
    await until('INVITE', () => invites.length === 1);
    answer(server, invites[0]!);
    await until('established', () => consultation.state === 'established');
    expect(ringing.call.state).to.equal('ringing');
    await phone.calls.attendedTransfer(ringing.call, consultation);
    await until('302', () => server.received.some((m) => m.status === 302));
    const moved = server.received.find((m) => m.status === 302)!;
    const callId = invites[0]!.header('call-id')!;
    expect(moved.header('contact')).to.match(/^<sip:1002@example\.com\?Replaces=/);
    expect(decodeURIComponent(/Replaces=([^>]+)/.exec(moved.header('contact') ?? '')?.[1] ?? '')).to.equal(`${callId};to-tag=callee;from-tag=${/tag=([^;]+)/.exec(invites[0]!.header('from') ?? '')?.[1]}`);
    expect(ringing.call.endReason).to.equal('transferred');
    server.socket.serverSend(fromCallee(invites[0]!, 'BYE', 2));
    await until('consultation ended', () => consultation.state === 'ended');
    expect(consultation.endReason).to.equal('transferred');
  });

  test('follow a transfer request (REFER) from the far end: 202, then a new call to the target with Referred-By', async () => {
    const { server, phone, contact } = await registered();
    const { call, send } = await incoming(server, phone, contact);
    await acceptIncoming(server, call, send);
    const next = phone.calls.next('call', { timeout: 3000 });
    send('REFER', 2, { headers: ['Refer-To: <sip:1002@example.com>', 'Referred-By: <sip:1003@example.com>'] });
    const { call: transferred } = await next;
    await until('202', () => server.received.some((m) => m.status === 202));
    expect(transferred.direction).to.equal('outgoing');
    expect(transferred.remote.user).to.equal('1002');
    expect(transferred.referredBy?.user).to.equal('1003');
    await until('INVITE to the target', () => server.requests('INVITE').some((m) => m.uri === 'sip:1002@example.com'));
    expect(server.requests('INVITE').find((m) => m.uri === 'sip:1002@example.com')?.header('referred-by')).to.contain('1003');
    send('BYE', 3);
    await until('old call ended', () => call.state === 'ended');
    expect(call.endReason).to.equal('transferred');
  });
});

describe('sanity of the fake server', () => {
  test('parses what it builds', () => {
    const message = parseSip(respond(parseSip(request('OPTIONS', 'sip:a@b', { from: '<sip:x@y>;tag=1', to: '<sip:a@b>', callId: 'c', cseq: 5 })), 200, 'OK', { toTag: 't' }));
    expect(message.status).to.equal(200);
    expect(message.header('to')).to.equal('<sip:a@b>;tag=t');
    expect(message.header('cseq')).to.equal('5 OPTIONS');
  });
});
