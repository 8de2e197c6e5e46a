// RFC 3261 §17 transactions on a manual clock: retransmissions, absorption, timers A–M, ACK and CANCEL.
import { describe, it, expect } from '../../support/harness.js';
import {
  createResponse,
  ManualClock,
  parseMessage,
  serializeMessage,
  SipRequest,
  SipResponse,
  type SipFlow,
} from '../../../src/pbx/sip/index.js';
import { TimerScope } from '../../../src/pbx/sip/transaction/clock.js';
import { TransactionLayer } from '../../../src/pbx/sip/transaction/layer.js';
import { DEFAULT_TIMERS } from '../../../src/pbx/sip/transaction/timers.js';

class FakeFlow implements SipFlow {
  readonly id: string;
  readonly transport: 'udp' | 'tcp';
  readonly reliable: boolean;
  readonly remote;
  readonly local;
  closed = false;
  readonly sent: Array<SipRequest | SipResponse> = [];

  constructor(reliable = false) {
    this.reliable = reliable;
    this.transport = reliable ? 'tcp' : 'udp';
    this.id = reliable ? 'tcp:1' : 'udp:5060:192.0.2.1:5062';
    this.remote = { transport: this.transport, address: '192.0.2.1', port: 5062 };
    this.local = { transport: this.transport, address: '127.0.0.1', port: 5060 };
  }

  send(data: Buffer): boolean {
    const parsed = parseMessage(data);
    if (!parsed.ok) throw new Error(`sent an unparsable message: ${parsed.error.reason}`);
    this.sent.push(parsed.message);
    return true;
  }

  close(): void {
    this.closed = true;
  }

  statuses(): number[] {
    return this.sent.map((message) => (message instanceof SipResponse ? message.status : 0));
  }

  methods(): string[] {
    return this.sent.map((message) => (message instanceof SipRequest ? message.method : String((message as SipResponse).status)));
  }
}

function setup(): { clock: ManualClock; layer: TransactionLayer } {
  const clock = new ManualClock();
  const layer = new TransactionLayer({
    scope: new TimerScope(clock),
    timers: DEFAULT_TIMERS,
    sendResponse: (response, transaction) => transaction.flow.send(serializeMessage(response)),
  });
  return { clock, layer };
}

function request(method: string, branch = 'z9hG4bK-tx1', extra: string[] = []): SipRequest {
  const text = [
    `${method} sip:202@pbx.test SIP/2.0`,
    `Via: SIP/2.0/UDP 192.0.2.1:5062;branch=${branch}`,
    'Max-Forwards: 70',
    'From: <sip:201@pbx.test>;tag=f1',
    'To: <sip:202@pbx.test>',
    'Call-ID: tx-call@test',
    `CSeq: 7 ${method === 'ACK' || method === 'CANCEL' ? method : method}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const parsed = parseMessage(text);
  if (!parsed.ok) throw new Error(parsed.error.reason);
  return parsed.message as SipRequest;
}

function ackFor(response: SipResponse, branch = 'z9hG4bK-tx1'): SipRequest {
  const ack = request('ACK', branch);
  ack.headers.set('To', response.headers.get('To') ?? '');
  ack.headers.set('CSeq', '7 ACK');
  return ack;
}

describe('transactions: server side', () => {
  it('non-INVITE: absorbs retransmissions, repeats the final response, ends after Timer J', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const first = layer.receiveRequest(request('OPTIONS'), flow);
    expect(first.kind).to.equal('new');
    expect(layer.receiveRequest(request('OPTIONS'), flow).kind).to.equal('absorbed');
    expect(flow.sent).to.have.length(0);
    if (first.kind !== 'new') return;
    first.transaction.reply(200);
    expect(first.transaction.state).to.equal('completed');
    layer.receiveRequest(request('OPTIONS'), flow);
    expect(flow.statuses()).to.deep.equal([200, 200]);
    clock.advance(64 * 500 - 1);
    expect(layer.size.server).to.equal(1);
    clock.advance(1);
    expect(first.transaction.state).to.equal('terminated');
    expect(layer.size.server).to.equal(0);
  });

  it('non-INVITE over a reliable flow ends at once (Timer J = 0)', () => {
    const { clock, layer } = setup();
    const outcome = layer.receiveRequest(request('REGISTER'), new FakeFlow(true));
    if (outcome.kind !== 'new') throw new Error(outcome.kind);
    outcome.transaction.reply(200);
    clock.advance(0);
    expect(outcome.transaction.state).to.equal('terminated');
  });

  it('INVITE: repeats provisional responses for retransmissions', () => {
    const { layer } = setup();
    const flow = new FakeFlow();
    const outcome = layer.receiveRequest(request('INVITE'), flow);
    if (outcome.kind !== 'new') throw new Error(outcome.kind);
    outcome.transaction.reply(100);
    layer.receiveRequest(request('INVITE'), flow);
    expect(flow.statuses()).to.deep.equal([100, 100]);
  });

  it('INVITE with a failure: Timer G retransmits (T1 doubling up to T2) until the ACK; then Timer I ends it', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const outcome = layer.receiveRequest(request('INVITE'), flow);
    if (outcome.kind !== 'new') throw new Error(outcome.kind);
    const response = outcome.transaction.reply(486);
    const counts: number[] = [];
    for (const step of [500, 1000, 2000, 4000, 4000]) {
      clock.advance(step);
      counts.push(flow.sent.length);
    }
    expect(counts).to.deep.equal([2, 3, 4, 5, 6]);
    expect(layer.receiveRequest(ackFor(response), flow).kind).to.equal('absorbed');
    expect(outcome.transaction.state).to.equal('confirmed');
    clock.advance(4000);
    expect(flow.sent).to.have.length(6);
    clock.advance(1000);
    expect(outcome.transaction.state).to.equal('terminated');
  });

  it('INVITE with a failure and no ACK: Timer H ends the transaction after 64*T1', () => {
    const { clock, layer } = setup();
    const outcome = layer.receiveRequest(request('INVITE'), new FakeFlow());
    if (outcome.kind !== 'new') throw new Error(outcome.kind);
    outcome.transaction.reply(404);
    clock.advance(32_000);
    expect(outcome.transaction.state).to.equal('terminated');
  });

  it('INVITE answered 2xx: Accepted state absorbs retransmitted INVITEs, lets 2xx through, Timer L ends it', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const outcome = layer.receiveRequest(request('INVITE'), flow);
    if (outcome.kind !== 'new') throw new Error(outcome.kind);
    const ok = outcome.transaction.reply(200);
    expect(outcome.transaction.state).to.equal('accepted');
    expect(layer.receiveRequest(request('INVITE'), flow).kind).to.equal('absorbed');
    expect(flow.sent).to.have.length(1);
    expect(outcome.transaction.respond(ok)).to.equal(true);
    expect(outcome.transaction.respond(createResponse(outcome.transaction.request, 500))).to.equal(false);
    const ack = request('ACK', 'z9hG4bK-other-branch');
    expect(layer.receiveRequest(ack, flow).kind).to.equal('ack');
    clock.advance(32_000);
    expect(outcome.transaction.state).to.equal('terminated');
  });

  it('matches a CANCEL to its INVITE; the INVITE transaction reports it once', () => {
    const { layer } = setup();
    const flow = new FakeFlow();
    const invite = layer.receiveRequest(request('INVITE'), flow);
    if (invite.kind !== 'new') throw new Error(invite.kind);
    let cancels = 0;
    invite.transaction.onCancel(() => cancels++);
    const cancel = layer.receiveRequest(request('CANCEL'), flow);
    expect(cancel.kind).to.equal('cancel');
    if (cancel.kind !== 'cancel') return;
    expect(cancel.invite).to.equal(invite.transaction);
    cancel.invite?.receiveCancel();
    cancel.invite?.receiveCancel();
    expect(cancels).to.equal(1);
    expect(invite.transaction.cancelled).to.equal(true);
    const stray = layer.receiveRequest(request('CANCEL', 'z9hG4bK-nothing'), flow);
    expect(stray.kind === 'cancel' && stray.invite).to.equal(undefined);
  });

  it('matches RFC 2543 requests (no magic cookie) by Call-ID, CSeq, From tag, Request-URI and Via', () => {
    const { layer } = setup();
    const flow = new FakeFlow();
    const plain = (): SipRequest => {
      const message = request('OPTIONS');
      message.headers.set('Via', 'SIP/2.0/UDP 192.0.2.1:5062');
      return message;
    };
    expect(layer.receiveRequest(plain(), flow).kind).to.equal('new');
    expect(layer.receiveRequest(plain(), flow).kind).to.equal('absorbed');
  });
});

describe('transactions: client side', () => {
  function client(method: string, flow: FakeFlow, clock: ManualClock, layer: TransactionLayer) {
    const log: string[] = [];
    const transaction = layer.createClient(request(method, 'z9hG4bK-client1'), flow, {
      onResponse: (response) => log.push(String(response.status)),
      onTimeout: () => log.push('timeout'),
      onTransportError: () => log.push('transport-error'),
    });
    void clock;
    return { transaction, log };
  }

  it('non-INVITE: Timer E retransmits (500, 1000, 2000, 4000, 4000 ms), Timer F gives up after 64*T1', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const { log } = client('OPTIONS', flow, clock, layer);
    const counts: number[] = [];
    for (const step of [500, 1000, 2000, 4000, 4000]) {
      clock.advance(step);
      counts.push(flow.sent.length);
    }
    expect(counts).to.deep.equal([2, 3, 4, 5, 6]);
    clock.advance(32_000);
    expect(log).to.deep.equal(['timeout']);
    expect(layer.size.client).to.equal(0);
  });

  it('non-INVITE: a final response completes it, retransmissions of it are absorbed, Timer K ends it', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const { transaction, log } = client('OPTIONS', flow, clock, layer);
    const ok = createResponse(transaction.request, 200);
    expect(layer.receiveResponse(ok)).to.equal(true);
    expect(layer.receiveResponse(ok)).to.equal(true);
    expect(log).to.deep.equal(['200']);
    clock.advance(5000);
    expect(transaction.state).to.equal('terminated');
    expect(layer.receiveResponse(ok)).to.equal(false);
  });

  it('INVITE: Timer A doubles without limit until a provisional response; Timer B times out a silent callee', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const { log } = client('INVITE', flow, clock, layer);
    clock.advance(500 + 1000 + 2000 + 4000 + 8000 + 16_000);
    expect(flow.sent).to.have.length(7);
    clock.advance(500);
    expect(log).to.deep.equal(['timeout']);
  });

  it('INVITE: CANCEL waits for a provisional response, and a 487 is ACKed (again for each retransmission)', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const { transaction, log } = client('INVITE', flow, clock, layer);
    transaction.cancel();
    expect(flow.methods()).to.deep.equal(['INVITE']);
    layer.receiveResponse(createResponse(transaction.request, 180, { toTag: 'callee' }));
    expect(flow.methods()).to.deep.equal(['INVITE', 'CANCEL']);
    const cancel = flow.sent[1] as SipRequest;
    expect(cancel.headers.get('Via')).to.equal(transaction.request.headers.get('Via'));
    expect(cancel.cseq).to.deep.equal({ seq: 7, method: 'CANCEL' });
    clock.advance(10_000);
    expect(flow.methods().filter((method) => method === 'INVITE')).to.have.length(1);
    const terminated = createResponse(transaction.request, 487, { toTag: 'callee' });
    layer.receiveResponse(terminated);
    layer.receiveResponse(terminated);
    const acks = flow.sent.filter((message): message is SipRequest => message instanceof SipRequest && message.method === 'ACK');
    expect(acks).to.have.length(2);
    expect(acks[0]?.toTag).to.equal('callee');
    expect(acks[0]?.cseq).to.deep.equal({ seq: 7, method: 'ACK' });
    expect(log).to.deep.equal(['180', '487']);
    clock.advance(32_000);
    expect(transaction.state).to.equal('terminated');
  });

  it('INVITE: without a final response 64*T1 after its CANCEL, the INVITE counts as cancelled and ends', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const { transaction, log } = client('INVITE', flow, clock, layer);
    layer.receiveResponse(createResponse(transaction.request, 180, { toTag: 'callee' }));
    clock.advance(20_000);
    transaction.cancel();
    expect(flow.methods()).to.deep.equal(['INVITE', 'CANCEL']);
    clock.advance(31_999);
    expect(transaction.state).to.equal('proceeding');
    clock.advance(1);
    expect(transaction.state).to.equal('terminated');
    expect(log).to.deep.equal(['180', 'timeout']);
    expect(layer.size.client).to.equal(0);
  });

  it('INVITE: a 2xx moves to Accepted and its retransmissions reach the transaction user (Timer M)', () => {
    const { clock, layer } = setup();
    const flow = new FakeFlow();
    const { transaction, log } = client('INVITE', flow, clock, layer);
    const ok = createResponse(transaction.request, 200, { toTag: 'callee' });
    layer.receiveResponse(ok);
    layer.receiveResponse(ok);
    expect(transaction.state).to.equal('accepted');
    expect(log).to.deep.equal(['200', '200']);
    expect(flow.methods()).to.deep.equal(['INVITE']);
    clock.advance(32_000);
    expect(transaction.state).to.equal('terminated');
  });

  it('reports a flow that cannot carry the request', async () => {
    const { layer } = setup();
    const log: string[] = [];
    layer.createClient(request('OPTIONS', 'z9hG4bK-dead'), Promise.reject(new Error('refused')), {
      onTransportError: () => log.push('transport-error'),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(log).to.deep.equal(['transport-error']);
    expect(layer.size.client).to.equal(0);
  });
});
