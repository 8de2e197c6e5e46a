import type { Core } from 'sip.js';
import { describe, it, expect } from '../../support/harness.js';
import { silentLogger } from '../../../src/core/phone/logger.js';
import { DEFAULT_KEEP_ALIVE, WebSocketTransport } from '../../../src/core/phone/transport.js';
import { FakeClock, FakeWebSocket, settle } from './fakes.js';

function setup(options: { connectTimeout?: number; keepAlive?: { interval: number; timeout: number } } = {}) {
  const clock = new FakeClock();
  // The worst case: every ping at the full interval.
  clock.randomValue = 1;
  const sockets: FakeWebSocket[] = [];
  const transport = new WebSocketTransport(undefined as unknown as Core.Logger, {
    server: 'wss://pbx.example.com/ws',
    createWebSocket: (url, protocol) => {
      const socket = new FakeWebSocket(url, protocol);
      sockets.push(socket);
      return socket;
    },
    connectTimeout: options.connectTimeout ?? 5000,
    keepAlive: options.keepAlive ?? DEFAULT_KEEP_ALIVE,
    clock,
    logger: silentLogger,
    traceSip: false,
  });
  const events: string[] = [];
  transport.onConnect = () => events.push('connect');
  transport.onDisconnect = (error) => events.push(error ? `lost: ${error.message}` : 'closed');
  transport.onMessage = (message) => events.push(`message: ${message.split('\r\n')[0]}`);
  return { clock, sockets, transport, events };
}

async function connected(options?: Parameters<typeof setup>[0]) {
  const ctx = setup(options);
  const connecting = ctx.transport.connect();
  ctx.sockets[0]!.open();
  await connecting;
  return ctx;
}

describe('WebSocket transport', () => {
  it('opens with the sip subprotocol and reports the connection', async () => {
    const { sockets, transport, events } = await connected();
    expect(sockets[0]?.protocol).to.equal('sip');
    expect(sockets[0]?.url).to.equal('wss://pbx.example.com/ws');
    expect(transport.protocol).to.equal('WSS');
    expect(transport.isConnected()).to.equal(true);
    expect(events).to.deep.equal(['connect']);
  });

  it('passes SIP messages on and swallows CRLF pongs', async () => {
    const { sockets, events } = await connected();
    sockets[0]!.serverSend('\r\n');
    sockets[0]!.serverSend('OPTIONS sip:1001@x SIP/2.0\r\n\r\n');
    expect(events).to.deep.equal(['connect', 'message: OPTIONS sip:1001@x SIP/2.0']);
  });

  it('pings with a double CRLF at 80–100 % of the interval; a pong keeps the connection', async () => {
    const { clock, sockets, transport, events } = await connected();
    clock.advance(9000);
    expect(sockets[0]!.sent).to.deep.equal(['\r\n\r\n']);
    sockets[0]!.serverSend('\r\n');
    // From now on the server answers every ping at once.
    sockets[0]!.onClientMessage = (data) => {
      if (data === '\r\n\r\n') sockets[0]!.serverSend('\r\n');
    };
    clock.advance(60_000);
    expect(transport.isConnected()).to.equal(true);
    expect(events).to.deep.equal(['connect']);
    expect(sockets[0]!.sent.length).to.be.greaterThan(5);
  });

  it('declares a silent connection dead within 14 s and reports the loss', async () => {
    const { clock, sockets, transport, events } = await connected();
    clock.advance(13_999);
    expect(transport.isConnected()).to.equal(true);
    clock.advance(1);
    expect(transport.isConnected()).to.equal(false);
    expect(events[1]).to.match(/^lost: keep-alive: no answer within 5000 ms/);
    expect(sockets[0]!.closed).to.equal(true);
    // A late frame from the abandoned socket changes nothing.
    sockets[0]!.serverSend('SIP/2.0 200 OK\r\n\r\n');
    expect(events).to.have.length(2);
  });

  it('counts any message as a sign of life', async () => {
    const { clock, sockets, transport } = await connected({ keepAlive: { interval: 1000, timeout: 500 } });
    for (let i = 0; i < 10; i++) {
      clock.advance(1000);
      sockets[0]!.serverSend('NOTIFY sip:x SIP/2.0\r\n\r\n');
    }
    expect(transport.isConnected()).to.equal(true);
  });

  it('honours a shorter interval (Flow-Timer) at once', async () => {
    const { clock, sockets, transport } = await connected();
    transport.setKeepAlive({ interval: 2000, timeout: 5000 });
    clock.advance(2000);
    expect(sockets[0]!.sent).to.deep.equal(['\r\n\r\n']);
  });

  it('reports a server-side close as a loss with an error', async () => {
    const { sockets, events } = await connected();
    sockets[0]!.drop(1006);
    expect(events[1]).to.match(/^lost: WebSocket closed by the network or server \(code 1006\)/);
  });

  it('reports its own disconnect without an error', async () => {
    const { transport, events } = await connected();
    await transport.disconnect();
    expect(events).to.deep.equal(['connect', 'closed']);
    expect(transport.isConnected()).to.equal(false);
  });

  it('rejects connect when the socket closes first or does not open in time', async () => {
    const first = setup();
    const failing = first.transport.connect();
    first.sockets[0]!.drop(1006);
    expect(await failing.catch((e: Error) => e.message)).to.match(/closed before opening/);

    const second = setup({ connectTimeout: 3000 });
    const slow = second.transport.connect();
    second.clock.advance(3000);
    expect(await slow.catch((e: Error) => e.message)).to.match(/connect timeout after 3000 ms/);
    await settle();
    expect(second.events).to.deep.equal([]);
  });
});
