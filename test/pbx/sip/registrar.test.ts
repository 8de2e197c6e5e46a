// The registrar over UDP, TCP and WebSocket: digest with MD5 and SHA-256, contacts, expiry, unregistering, outbound.
import { randomFillSync } from 'node:crypto';
import { after, before } from 'node:test';
import { describe, it, expect } from '../../support/harness.js';
import { ManualClock, type RegistrationEvent, type SipResponse } from '../../../src/pbx/sip/index.js';
import { TcpPeer, UdpPeer, WsPeer, type TestPeer } from './support/clients.js';
import { DOMAIN, newCallId, register, registerWithDigest } from './support/messages.js';
import { startServer, USERS, type RunningServer } from './support/server.js';

const PASSWORD = USERS['201']!;

function contactsOf(response: SipResponse): string[] {
  return response.headers.getAll('Contact');
}

describe('registrar: digest registration over every transport', () => {
  let running: RunningServer;
  const events: RegistrationEvent[] = [];
  before(async () => {
    running = await startServer({ onRegistration: (event) => events.push(event) });
  });
  after(async () => {
    await running.close();
  });

  const transports: Array<[string, () => Promise<TestPeer>]> = [
    ['UDP', () => UdpPeer.open(running.udp)],
    ['TCP', () => TcpPeer.open(running.tcp)],
    ['WebSocket', () => WsPeer.open(running.wsUrl)],
  ];
  for (const [name, open] of transports) {
    for (const algorithm of ['MD5', 'SHA-256'] as const) {
      it(`registers with ${algorithm} digest over ${name}`, async () => {
        const peer = await open();
        try {
          const { response } = await registerWithDigest({ peer, user: '202', password: USERS['202']!, algorithm, expires: 300 });
          expect(response.status).to.equal(200);
          const mine = contactsOf(response).find((contact) => contact.includes(`transport=${peer.viaTransport.toLowerCase()}`));
          expect(mine).to.match(/;expires=300$/);
          expect(response.headers.get('Date')).to.match(/ GMT$/);
          const binding = running.server.lookup(`sip:202@${DOMAIN}`).find((candidate) => candidate.contact === mine?.slice(1, mine.indexOf('>')));
          expect(binding?.owner).to.deep.include({ userId: 'u-202', tenantId: 't-1', extension: '202' });
          expect(binding?.flowId.split(':')[0]).to.equal(name === 'WebSocket' ? 'ws' : name.toLowerCase());
          expect(events.some((event) => event.type === 'registered' && event.binding === binding)).to.equal(true);
        } finally {
          await peer.close();
        }
      });
    }
  }

  it('negotiates the sip subprotocol and refuses WebSocket clients that do not offer it', async () => {
    const peer = await WsPeer.open(running.wsUrl, ['chat', 'sip']);
    expect(peer.protocol).to.equal('sip');
    await peer.close();
    let refused: unknown;
    try {
      await WsPeer.open(running.wsUrl, ['chat']);
    } catch (error) {
      refused = error;
    }
    expect(String(refused)).to.include('HTTP 400');
  });

  it('drops the bindings of a WebSocket when it closes', async () => {
    const peer = await WsPeer.open(running.wsUrl);
    const { response } = await registerWithDigest({ peer, user: 'alice', password: USERS['alice']!, algorithm: 'SHA-256' });
    expect(response.status).to.equal(200);
    expect(running.server.lookup(`sip:alice@${DOMAIN}`)).to.have.length(1);
    const gone = new Promise<RegistrationEvent>((resolve) => {
      const poll = (): void => {
        const event = events.find((candidate) => candidate.type === 'unregistered' && candidate.binding.aor === `sip:alice@${DOMAIN}`);
        if (event) resolve(event);
        else setImmediate(poll);
      };
      poll();
    });
    await peer.close();
    const event = await gone;
    expect(event.type === 'unregistered' && event.reason).to.equal('flow-closed');
    expect(running.server.lookup(`sip:alice@${DOMAIN}`)).to.have.length(0);
  });

  it('answers STUN Binding requests on the UDP port with the address they came from (UDP keep-alive)', async () => {
    const peer = await UdpPeer.open(running.udp);
    const request = Buffer.alloc(20);
    request.writeUInt16BE(0x0001, 0);
    request.writeUInt32BE(0x2112a442, 4);
    randomFillSync(request, 8, 12);
    peer.send(request);
    const { raw } = await peer.next();
    expect(raw.readUInt16BE(0)).to.equal(0x0101);
    expect(raw.subarray(8, 20).equals(request.subarray(8, 20))).to.equal(true);
    expect(raw.readUInt16BE(20)).to.equal(0x0020);
    expect(raw.readUInt16BE(26) ^ 0x2112).to.equal(peer.address.port);
    const address = (raw.readUInt32BE(28) ^ 0x2112a442) >>> 0;
    expect([address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.')).to.equal('127.0.0.1');
    await peer.close();
  });

  it('answers CRLF keep-alive pings with a CRLF pong on TCP and WebSocket', async () => {
    for (const peer of [await TcpPeer.open(running.tcp), await WsPeer.open(running.wsUrl)]) {
      peer.send('\r\n\r\n');
      const pong = await peer.next();
      expect(pong.raw.toString()).to.equal('\r\n');
      await peer.close();
    }
  });
});

describe('registrar: bindings, expiry and unregistering', () => {
  let running: RunningServer;
  const clock = new ManualClock();
  const events: RegistrationEvent[] = [];
  let phone: UdpPeer;
  let desk: UdpPeer;
  before(async () => {
    running = await startServer({ clock, onRegistration: (event) => events.push(event) });
    phone = await UdpPeer.open(running.udp);
    desk = await UdpPeer.open(running.udp);
  });
  after(async () => {
    await phone.close();
    await desk.close();
    await running.close();
  });

  it('keeps several contacts per user and lists all of them in the 200 OK', async () => {
    await registerWithDigest({ peer: phone, user: '201', password: PASSWORD, algorithm: 'SHA-256', expires: 600 });
    const { response } = await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', expires: 600 });
    expect(response.status).to.equal(200);
    expect(contactsOf(response)).to.have.length(2);
    expect(running.server.lookup(`sip:201@${DOMAIN}`).map((binding) => binding.source.port).sort()).to.deep.equal(
      [phone.address.port, desk.address.port].sort(),
    );
  });

  it('answers a REGISTER without Contact with the current bindings and changes nothing', async () => {
    const callId = newCallId();
    const peer = phone;
    const before = running.server.lookup(`sip:201@${DOMAIN}`).length;
    const { response } = await registerWithDigest({ peer, user: '201', password: PASSWORD, algorithm: 'MD5', contacts: [], callId });
    expect(response.status).to.equal(200);
    expect(contactsOf(response)).to.have.length(before);
  });

  it('grants the Expires header, a contact expires parameter, and shortens intervals above the maximum', async () => {
    const { response } = await registerWithDigest({
      peer: phone,
      user: '201',
      password: PASSWORD,
      algorithm: 'MD5',
      contacts: [`<sip:201@${phone.address.address}:${phone.address.port};transport=udp>;expires=7200`],
    });
    const mine = contactsOf(response).find((contact) => contact.includes(`:${phone.address.port};`));
    expect(mine).to.match(/;expires=3600$/);
  });

  it('answers 423 Interval Too Brief with Min-Expires', async () => {
    const { response } = await registerWithDigest({ peer: phone, user: '201', password: PASSWORD, algorithm: 'MD5', expires: 10 });
    expect(response.status).to.equal(423);
    expect(response.headers.get('Min-Expires')).to.equal('60');
  });

  it('expires bindings when their time is up and reports it', async () => {
    await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', expires: 120 });
    clock.advance(121_000);
    const expired = events.filter((event) => event.type === 'unregistered' && event.reason === 'expired');
    expect(expired.map((event) => event.binding.source.port)).to.include(desk.address.port);
    expect(running.server.lookup(`sip:201@${DOMAIN}`).map((binding) => binding.source.port)).to.deep.equal([phone.address.port]);
  });

  it('removes one contact with Expires: 0 and every contact with Contact: *', async () => {
    await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', expires: 600 });
    expect(running.server.lookup(`sip:201@${DOMAIN}`)).to.have.length(2);
    const one = await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'SHA-256', expires: 0 });
    expect(one.response.status).to.equal(200);
    expect(contactsOf(one.response)).to.have.length(1);
    await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', expires: 600 });
    const all = await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', contact: '*', expires: 0 });
    expect(all.response.status).to.equal(200);
    expect(contactsOf(all.response)).to.have.length(0);
    expect(running.server.lookup(`sip:201@${DOMAIN}`)).to.have.length(0);
    const removed = events.filter((event) => event.type === 'unregistered' && event.reason === 'removed');
    expect(removed.length).to.be.at.least(3);
  });

  it('rejects Contact: * without Expires: 0', async () => {
    const { response } = await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', contact: '*' });
    expect(response.status).to.equal(400);
  });

  it('refuses an out-of-order REGISTER of the same Call-ID with 500', async () => {
    const callId = newCallId();
    const first = await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', callId, cseq: 10 });
    expect(first.response.status).to.equal(200);
    const again = await registerWithDigest({ peer: desk, user: '201', password: PASSWORD, algorithm: 'MD5', callId, cseq: 3 });
    expect(again.response.status).to.equal(500);
  });

  it('does not let a user change the bindings of another user (403)', async () => {
    const callId = newCallId();
    desk.send(register({ peer: desk, user: '202', callId, cseq: 1 }));
    const challenge = await desk.response(callId, 401);
    const { digestAnswer, challengesOf } = await import('./support/messages.js');
    const authorization = digestAnswer({
      challenge: challengesOf(challenge)[0]!,
      username: '201',
      password: PASSWORD,
      method: 'REGISTER',
      uri: `sip:${DOMAIN}`,
    });
    desk.send(register({ peer: desk, user: '202', callId, cseq: 2, authorization }));
    expect((await desk.finalResponse(callId)).status).to.equal(403);
  });

  it('answers 404 for a domain it does not serve and 400 for a To that is not a SIP URI', async () => {
    const callId = newCallId();
    desk.send(register({ peer: desk, user: '201', callId, cseq: 1, domain: 'elsewhere.example' }));
    expect((await desk.finalResponse(callId)).status).to.equal(404);
    const other = newCallId();
    desk.send(
      register({ peer: desk, user: '201', callId: other, cseq: 1 }).replace(/^To: .*$/m, 'To: <tel:+498912345>'),
    );
    expect((await desk.finalResponse(other)).status).to.equal(400);
  });
});

describe('registrar: outbound flows and Path', () => {
  let running: RunningServer;
  const events: RegistrationEvent[] = [];
  before(async () => {
    running = await startServer({ onRegistration: (event) => events.push(event) });
  });
  after(async () => {
    await running.close();
  });

  it('keeps the flow of a reg-id binding, answers Require: outbound, and drops the binding when the flow closes', async () => {
    const peer = await TcpPeer.open(running.tcp);
    const instance = '"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>"';
    const { response } = await registerWithDigest({
      peer,
      user: '202',
      password: USERS['202']!,
      algorithm: 'SHA-256',
      contacts: [`<sip:202@${peer.address.address}:${peer.address.port};transport=tcp;ob>;+sip.instance=${instance};reg-id=1`],
      headers: ['Supported: outbound, path'],
    });
    expect(response.status).to.equal(200);
    expect(response.headers.get('Require')).to.equal('outbound');
    expect(contactsOf(response)[0]).to.include('reg-id=1').and.to.include('+sip.instance=');
    const [binding] = running.server.lookup(`sip:202@${DOMAIN}`);
    expect(binding?.instanceId).to.equal('<urn:uuid:00000000-0000-1000-8000-000A95A0E128>');
    expect(binding?.regId).to.equal(1);
    const flow = running.server.flow(binding!.flowId);
    expect(flow?.transport).to.equal('tcp');
    expect(flow?.remote.port).to.equal(peer.address.port);

    // The same instance and reg-id replace the binding instead of adding one.
    const again = await registerWithDigest({
      peer,
      user: '202',
      password: USERS['202']!,
      algorithm: 'MD5',
      contacts: [`<sip:202@other.invalid;transport=tcp;ob>;+sip.instance=${instance};reg-id=1`],
    });
    expect(contactsOf(again.response)).to.have.length(1);

    const closed = peer.close();
    await closed;
    await new Promise<void>((resolve) => {
      const poll = (): void => (running.server.lookup(`sip:202@${DOMAIN}`).length === 0 ? resolve() : void setImmediate(poll));
      poll();
    });
    expect(events.some((event) => event.type === 'unregistered' && event.reason === 'flow-closed')).to.equal(true);
  });

  it('stores Path and returns it in the 200 OK', async () => {
    const peer = await UdpPeer.open(running.udp);
    const { response } = await registerWithDigest({
      peer,
      user: 'alice',
      password: USERS['alice']!,
      algorithm: 'MD5',
      headers: ['Path: <sip:edge.example.net;lr>', 'Supported: path'],
    });
    expect(response.headers.getAll('Path')).to.deep.equal(['<sip:edge.example.net;lr>']);
    expect(running.server.lookup(`sip:alice@${DOMAIN}`)[0]?.path).to.deep.equal(['<sip:edge.example.net;lr>']);
    await peer.close();
  });
});
