// The SipServer as the routing layer sees it: OPTIONS, default answers, the request handler, authenticate(),
// CANCEL, requests sent through client transactions, and hostile input on every transport.
import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import {
  ManualClock,
  SipRequest,
  SipHeaders,
  createResponse,
  serializeMessage,
  type ServerTransaction,
  type SipRequestContext,
  type SipResponse,
} from '../../../src/pbx/sip/index.js';
import { TcpPeer, UdpPeer, WsPeer, type TestPeer } from './support/clients.js';
import { challengesOf, digestAnswer, DOMAIN, newBranch, newCallId, registerWithDigest } from './support/messages.js';
import { startServer, USERS, type RunningServer } from './support/server.js';

function request(peer: TestPeer, method: string, options: { uri?: string; callId?: string; headers?: string[]; cseqMethod?: string; body?: string; branch?: string } = {}): string {
  const { address, port } = peer.address;
  const hostPort = port === 0 ? address : `${address}:${port}`;
  const body = options.body ?? '';
  return [
    `${method} ${options.uri ?? `sip:202@${DOMAIN}`} SIP/2.0`,
    `Via: SIP/2.0/${peer.viaTransport} ${hostPort};branch=${options.branch ?? newBranch()};rport`,
    ...(options.headers?.some((line) => line.startsWith('Max-Forwards')) ? [] : ['Max-Forwards: 70']),
    `From: <sip:201@${DOMAIN}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:202@${DOMAIN}>`,
    `Call-ID: ${options.callId ?? newCallId()}`,
    `CSeq: 1 ${options.cseqMethod ?? method}`,
    `Contact: <sip:201@${hostPort}>`,
    ...(options.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

async function ask(peer: TestPeer, text: string): Promise<SipResponse> {
  const callId = /Call-ID: (.*)\r\n/.exec(text)?.[1] ?? '';
  peer.send(text);
  return peer.finalResponse(callId);
}

describe('server: answers without a routing layer', () => {
  let running: RunningServer;
  let peer: UdpPeer;
  before(async () => {
    running = await startServer();
    peer = await UdpPeer.open(running.udp);
  });
  after(async () => {
    await peer.close();
    await running.close();
  });

  it('answers OPTIONS with 200 and its capabilities, even with Max-Forwards: 0', async () => {
    for (const maxForwards of ['70', '0']) {
      const response = await ask(peer, request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}`, headers: [`Max-Forwards: ${maxForwards}`] }));
      expect(response.status).to.equal(200);
      expect(response.headers.getAll('Allow').join(', ')).to.equal('OPTIONS, REGISTER');
      expect(response.headers.get('Accept')).to.equal('application/sdp');
      expect(response.headers.getAll('Supported').join(',')).to.include('outbound');
      expect(response.headers.get('Server')).to.equal('centrex-pbx');
    }
  });

  it('answers 405 for known methods, 501 for unknown ones, 404 for foreign domains, 416 for foreign schemes', async () => {
    const invite = await ask(peer, request(peer, 'INVITE'));
    expect(invite.status).to.equal(405);
    expect(invite.headers.getAll('Allow').join(', ')).to.equal('OPTIONS, REGISTER');
    expect((await ask(peer, request(peer, 'FROBNICATE'))).status).to.equal(501);
    expect((await ask(peer, request(peer, 'MESSAGE', { uri: 'sip:someone@elsewhere.example' }))).status).to.equal(404);
    expect((await ask(peer, request(peer, 'OPTIONS', { uri: 'mailto:someone@example.com' }))).status).to.equal(416);
  });

  it('answers 420 with Unsupported for extensions it does not know', async () => {
    const response = await ask(peer, request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}`, headers: ['Require: foo, outbound', 'Proxy-Require: bar'] }));
    expect(response.status).to.equal(420);
    expect(response.headers.getAll('Unsupported').sort()).to.deep.equal(['bar', 'foo']);
  });

  it('answers 481 to a CANCEL that matches nothing and never answers an ACK', async () => {
    expect((await ask(peer, request(peer, 'CANCEL'))).status).to.equal(481);
    const callId = newCallId();
    peer.send(request(peer, 'ACK', { callId }));
    const marker = await ask(peer, request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}` }));
    expect(marker.status).to.equal(200);
    expect(peer.received.some((item) => item.message?.callId === callId)).to.equal(false);
  });

  it('repeats its answer to a retransmitted request instead of processing it again', async () => {
    const text = request(peer, 'INVITE');
    const callId = /Call-ID: (.*)\r\n/.exec(text)?.[1] ?? '';
    peer.send(text);
    await peer.finalResponse(callId);
    peer.send(text);
    const again = await peer.finalResponse(callId);
    expect(again.status).to.equal(405);
    expect(running.server.transactionCount.server).to.be.at.least(1);
  });

  it('answers malformed requests with 400 and a Warning, on the flow they came from, and keeps working', async () => {
    const broken = request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}`, cseqMethod: 'INVITE' });
    const response = await ask(peer, broken);
    expect(response.status).to.equal(400);
    expect(response.headers.get('Warning')).to.match(/^399 centrex-pbx "CSeq method/);
    for (let i = 0; i < 200; i++) peer.send(randomBytes(20 + (i % 300)));
    expect((await ask(peer, request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}` }))).status).to.equal(200);
  });
});

describe('server: the routing layer', () => {
  let running: RunningServer;
  let caller: UdpPeer;
  let callee: WsPeer;
  const seen: Array<{ request: SipRequest; transaction: ServerTransaction | undefined; context: SipRequestContext }> = [];
  let behaviour: (request: SipRequest, transaction: ServerTransaction | undefined, context: SipRequestContext) => void = () => undefined;
  before(async () => {
    running = await startServer({
      onRequest: (request, transaction, context) => {
        seen.push({ request, transaction, context });
        behaviour(request, transaction, context);
      },
    });
    caller = await UdpPeer.open(running.udp);
    callee = await WsPeer.open(running.wsUrl);
    const { response } = await registerWithDigest({ peer: callee, user: '202', password: USERS['202']!, algorithm: 'SHA-256' });
    expect(response.status).to.equal(200);
  });
  after(async () => {
    await caller.close();
    await callee.close();
    await running.close();
  });

  it('hands INVITEs to the handler with their flow, sends 100 Trying, and lets it challenge with 407', async () => {
    behaviour = (request, transaction) => {
      if (!transaction) return;
      // Answer later, as a routing layer that looks things up would: the server says 100 Trying meanwhile.
      setImmediate(() => {
        const user = running.server.authenticate(request, transaction);
        if (user) transaction.reply(486, { reason: `Busy ${user.extension}` });
      });
    };
    const callId = newCallId();
    caller.send(request(caller, 'INVITE', { callId }));
    const trying = await caller.response(callId, 100);
    expect(trying.toTag).to.equal(undefined);
    const challenge = await caller.response(callId, 407);
    const offered = challengesOf(challenge);
    expect(offered.map((item) => item.algorithm)).to.deep.equal(['SHA-256', 'MD5']);
    const ack = request(caller, 'ACK', { callId });
    caller.send(ack);
    const proxyAuthorization = digestAnswer({ challenge: offered[1]!, username: '201', password: USERS['201']!, method: 'INVITE', uri: `sip:202@${DOMAIN}` });
    caller.send(request(caller, 'INVITE', { callId, headers: [`Proxy-Authorization: ${proxyAuthorization}`] }));
    const busy = await caller.response(callId, 486);
    expect(busy.reason).to.equal('Busy 201');
    const last = seen.at(-1)!;
    expect(last.context.authenticatedUser?.userId).to.equal('u-201');
    expect(last.context.flow.transport).to.equal('udp');
    expect(last.context.source.port).to.equal(caller.address.port);
    expect(last.request.topVia?.received).to.equal('127.0.0.1');
    expect(last.request.topVia?.rport).to.equal(caller.address.port);
  });

  it('passes CANCEL to the pending INVITE (200 for the CANCEL, then the handler answers 487)', async () => {
    behaviour = (_request, transaction) => {
      if (!transaction) return;
      transaction.reply(180);
      transaction.onCancel(() => transaction.reply(487));
    };
    const callId = newCallId();
    const branch = newBranch();
    caller.send(request(caller, 'INVITE', { callId, branch }));
    const ringing = await caller.response(callId, 180);
    caller.send(request(caller, 'CANCEL', { callId, branch }));
    const ok = await caller.next((item) => item.message?.callId === callId && item.message.cseq?.method === 'CANCEL');
    expect((ok.message as SipResponse).status).to.equal(200);
    expect(ok.message?.toTag).to.equal(ringing.toTag);
    expect((await caller.response(callId, 487)).status).to.equal(487);
  });

  it('routes a response given to send() through its server transaction', async () => {
    const arrived = new Promise<SipRequest>((resolve) => {
      behaviour = (request) => resolve(request);
    });
    const callId = newCallId();
    caller.send(request(caller, 'MESSAGE', { callId }));
    const pending = await arrived;
    expect(running.server.send(createResponse(pending, 202))).to.equal(true);
    expect((await caller.finalResponse(callId)).status).to.equal(202);
  });

  it('answers 500 when the handler throws or rejects, and 483 when Max-Forwards is spent', async () => {
    behaviour = () => {
      throw new Error('routing bug');
    };
    expect((await ask(caller, request(caller, 'MESSAGE'))).status).to.equal(500);
    expect((await ask(caller, request(caller, 'MESSAGE', { headers: ['Max-Forwards: 0'] }))).status).to.equal(483);
  });

  it('sends requests on a registered flow through a client transaction and delivers the answers', async () => {
    const [binding] = running.server.lookup(`sip:202@${DOMAIN}`);
    expect(binding?.flowId).to.match(/^ws:/);
    const headers = new SipHeaders()
      .append('From', `<sip:pbx@${DOMAIN}>;tag=pbx1`)
      .append('To', `<sip:202@${DOMAIN}>`)
      .append('Call-ID', newCallId())
      .append('CSeq', '1 OPTIONS');
    const options = new SipRequest('OPTIONS', binding!.contact, headers);
    const answered = new Promise<SipResponse>((resolve) => {
      running.server.sendRequest(options, { flowId: binding!.flowId }, { onResponse: resolve });
    });
    const received = await callee.request('OPTIONS');
    expect(received.topVia?.transport).to.equal('WS');
    expect(received.topVia?.branch).to.match(/^z9hG4bK/);
    expect(received.maxForwards).to.equal(70);
    callee.send(serializeMessage(createResponse(received, 200)));
    expect((await answered).status).to.equal(200);
  });

  it('puts a flow token in its Record-Route and finds the flow again from it', () => {
    const [binding] = running.server.lookup(`sip:202@${DOMAIN}`);
    const flow = running.server.flow(binding!.flowId)!;
    const recordRoute = running.server.recordRoute(flow);
    expect(recordRoute).to.match(/^<sip:f-[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}@127\.0\.0\.1:\d+;transport=ws;lr>$/);
    expect(running.server.flowOfRoute(recordRoute)?.id).to.equal(flow.id);
    expect(running.server.isOwnUri(recordRoute)).to.equal(true);
    expect(running.server.isOwnUri(`sip:202@${DOMAIN}`)).to.equal(true);
    expect(running.server.isOwnUri('sip:elsewhere.example.net;lr')).to.equal(false);
    expect(running.server.flowOfRoute('<sip:f-bm9wZQ@127.0.0.1;lr>')).to.equal(undefined);
    // A token for another connection with this one's signature, or with the signature changed, names no flow: a client
    // cannot steer requests into someone else's connection by writing its own Route header.
    const [, id, mac] = /f-([^.]+)\.([^@]+)@/.exec(recordRoute)!;
    const otherId = Buffer.from('ws:999').toString('base64url');
    expect(running.server.flowOfRoute(recordRoute.replace(`f-${id}.`, `f-${otherId}.`))).to.equal(undefined);
    const flipped = `${mac!.slice(0, -1)}${mac!.endsWith('A') ? 'B' : 'A'}`;
    expect(running.server.flowOfRoute(recordRoute.replace(`.${mac}@`, `.${flipped}@`))).to.equal(undefined);
  });

  it('reports a timeout when a UDP target never answers (Timers E and F, on a manual clock)', async () => {
    const clock = new ManualClock();
    const quiet = await startServer({ clock });
    const silent = await UdpPeer.open(quiet.udp);
    try {
      const headers = new SipHeaders()
        .append('From', `<sip:pbx@${DOMAIN}>;tag=pbx2`)
        .append('To', `<sip:202@${DOMAIN}>`)
        .append('Call-ID', newCallId())
        .append('CSeq', '1 OPTIONS');
      let timedOut = false;
      quiet.server.sendRequest(new SipRequest('OPTIONS', `sip:202@127.0.0.1:${silent.address.port}`, headers), {
        transport: 'udp',
        address: '127.0.0.1',
        port: silent.address.port,
      }, { onTimeout: () => (timedOut = true) });
      await silent.request('OPTIONS');
      clock.advance(500);
      await silent.next((item) => item.message instanceof SipRequest);
      clock.advance(32_000);
      expect(timedOut).to.equal(true);
    } finally {
      await silent.close();
      await quiet.close();
    }
  });

  it('hands an ACK for a 2xx to the handler without a transaction', async () => {
    const callId = newCallId();
    const arrived = new Promise<{ transaction: ServerTransaction | undefined }>((resolve) => {
      behaviour = (request, transaction) => {
        if (request.method === 'ACK') resolve({ transaction });
      };
    });
    caller.send(request(caller, 'ACK', { callId, headers: [] }).replace(`To: <sip:202@${DOMAIN}>`, `To: <sip:202@${DOMAIN}>;tag=x`));
    expect((await arrived).transaction).to.equal(undefined);
  });
});

describe('server: hostile input on every transport', () => {
  let running: RunningServer;
  before(async () => {
    running = await startServer({ maxMessageSize: 4096 });
  });
  after(async () => {
    await running.close();
  });

  it('answers 513 to an oversized TCP message and closes the connection', async () => {
    const peer = await TcpPeer.open(running.tcp);
    peer.send(request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}`, body: 'x'.repeat(5000) }));
    const response = await peer.response();
    expect(response.status).to.equal(513);
    await peer.closed();
  });

  it('answers 400 to a TCP message without Content-Length and closes the connection', async () => {
    const peer = await TcpPeer.open(running.tcp);
    peer.send(request(peer, 'OPTIONS', { uri: `sip:${DOMAIN}` }).replace(/Content-Length: 0\r\n/, ''));
    expect((await peer.response()).status).to.equal(400);
    await peer.closed();
  });

  it('survives random bytes over TCP and WebSocket and still registers afterwards', async () => {
    const tcp = await TcpPeer.open(running.tcp);
    tcp.send(randomBytes(3000));
    tcp.send('\r\n\r\n');
    await tcp.close();
    const ws = await WsPeer.open(running.wsUrl);
    for (let i = 0; i < 50; i++) ws.send(randomBytes(100 + i * 10));
    ws.send('x'.repeat(10_000));
    const fresh = await WsPeer.open(running.wsUrl);
    const { response } = await registerWithDigest({ peer: fresh, user: '201', password: USERS['201']!, algorithm: 'MD5' });
    expect(response.status).to.equal(200);
    await ws.close();
    await fresh.close();
  });
});
