// BLF, presence and message-waiting subscriptions against a scripted presence server: rate limit, parsing with the
// core presence parsers, merging partial documents, resubscription after a reconnect.
import { describe, it, expect } from '../../support/harness.js';
import { Phone } from '../../../src/core/phone/phone.js';
import type { LineState } from '../../../src/core/presence/index.js';
import { FakeClock, FakeServer, request, respond, until, type SipMessage } from './fakes.js';

function dialogInfo(entity: string, version: number, state: 'full' | 'partial', dialogs: string): string {
  return `<?xml version="1.0"?>\n<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="${entity}">${dialogs}</dialog-info>`;
}

/** A presence server: accepts every SUBSCRIBE and sends an initial NOTIFY with the body the test chooses. */
function presenceServer(server: FakeServer, initialBody: (subscribe: SipMessage) => { type: string; body: string }) {
  const subscribes: SipMessage[] = [];
  server.onRequest = (req) => {
    if (req.method === 'SUBSCRIBE') {
      subscribes.push(req);
      const { type, body } = initialBody(req);
      return [respond(req, 200, 'OK', { toTag: `srv${subscribes.length}`, headers: ['Expires: 600', 'Contact: <sip:pbx.example.com;transport=ws>'] }), notify(req, subscribes.length, 1, type, body)];
    }
    return server.defaultHandler(req);
  };
  return { subscribes };
}

function notify(subscribe: SipMessage, tag: number, cseq: number, type: string, body: string): string {
  const contact = /<([^>]+)>/.exec(subscribe.header('contact') ?? '')?.[1] ?? '';
  return request('NOTIFY', contact, {
    from: `${subscribe.header('to')};tag=srv${tag}`,
    to: subscribe.header('from') ?? '',
    callId: subscribe.header('call-id') ?? '',
    cseq,
    contact: '<sip:pbx.example.com;transport=ws>',
    headers: [`Event: ${subscribe.header('event')}`, 'Subscription-State: active;expires=600'],
    body,
    contentType: type,
  });
}

/** Phones made by a test; disposed at its end so that sip.js's subscription timers do not outlive it. */
const phones: Phone[] = [];

async function cleanup(): Promise<void> {
  await Promise.all(phones.splice(0).map((phone) => phone.dispose()));
}

async function setup(options: { subscribeRate?: number; voicemail?: boolean } = {}) {
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
    keepAlive: { interval: 0 },
    presence: options,
  });
  phones.push(phone);
  return { server, clock, phone };
}

describe('PresenceWatcher', () => {
  it('subscribes after registering, at the configured rate, and reports line states', async () => {
    try {
      const { server, clock, phone } = await setup({ subscribeRate: 2 });
      const { subscribes } = presenceServer(server, (sub) => ({
        type: 'application/dialog-info+xml',
        body: dialogInfo(/<(sip:[^>]+)>/.exec(sub.header('to') ?? '')?.[1] ?? '', 0, 'full', ''),
      }));
      const lines: [string, LineState][] = [];
      phone.presence.on('line', ({ target, state }) => lines.push([target, state]));
      phone.presence.watch(['1002', '1003', '1004']);
      expect(subscribes).to.have.length(0);
      await phone.start();
      await until('first SUBSCRIBE', () => subscribes.length === 1);
      expect(subscribes[0]?.uri).to.equal('sip:1002@example.com');
      expect(subscribes[0]?.header('event')).to.equal('dialog');
      expect(subscribes[0]?.header('accept')).to.equal('application/dialog-info+xml');
      clock.advance(499);
      expect(subscribes).to.have.length(1);
      clock.advance(1);
      await until('second SUBSCRIBE', () => subscribes.length === 2);
      clock.advance(500);
      await until('third SUBSCRIBE', () => subscribes.length === 3);
      await until('three idle lines', () => lines.length === 3);
      expect(lines.map(([, state]) => state)).to.deep.equal(['idle', 'idle', 'idle']);
      expect(phone.presence.targets).to.deep.equal(['1002', '1003', '1004']);

      // A ringing dialog, then a partial update that answers it.
      const first = subscribes[0]!;
      server.socket.serverSend(notify(first, 1, 2, 'application/dialog-info+xml', dialogInfo('sip:1002@example.com', 1, 'full', '<dialog id="d1" direction="recipient"><state>early</state></dialog>')));
      await until('ringing', () => phone.presence.lineState('1002') === 'ringing');
      server.socket.serverSend(notify(first, 1, 3, 'application/dialog-info+xml', dialogInfo('sip:1002@example.com', 2, 'partial', '<dialog id="d1" direction="recipient"><state>confirmed</state></dialog>')));
      await until('busy', () => phone.presence.lineState('1002') === 'busy');
      // A late, older document changes nothing.
      server.socket.serverSend(notify(first, 1, 4, 'application/dialog-info+xml', dialogInfo('sip:1002@example.com', 1, 'full', '')));
      await until('NOTIFY answered', () => server.received.filter((m) => m.status === 200 && /NOTIFY/.test(m.header('cseq') ?? '')).length >= 6);
      expect(phone.presence.lineState('1002')).to.equal('busy');
    } finally {
      await cleanup();
    }
  });

  it('reports unreadable documents as errors and keeps going', async () => {
    try {
      const { server, phone } = await setup();
      presenceServer(server, () => ({ type: 'application/dialog-info+xml', body: '<dialog-info><!DOCTYPE x [<!ENTITY a "b">]></dialog-info>' }));
      const errors: string[] = [];
      phone.presence.on('error', ({ error }) => errors.push(error.code));
      await phone.start();
      phone.presence.watch(['1002']);
      await until('error event', () => errors.length === 1);
      expect(['invalid-xml', 'unexpected-document']).to.include(errors[0]);
      expect(phone.presence.lineState('1002')).to.equal(undefined);
    } finally {
      await cleanup();
    }
  });

  it('reads presence (PIDF) and the voicemail summary', async () => {
    try {
      const { server, clock, phone } = await setup({ voicemail: true });
      presenceServer(server, (sub) =>
        sub.header('event') === 'message-summary'
          ? { type: 'application/simple-message-summary', body: 'Messages-Waiting: yes\r\nVoice-Message: 3/1\r\n' }
          : {
              type: 'application/pidf+xml',
              body: '<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:1002@example.com"><tuple id="t"><status><basic>closed</basic></status></tuple></presence>',
            },
      );
      await phone.start();
      phone.presence.watch(['1002'], { dialog: false, presence: true });
      await until('voicemail', () => phone.presence.voicemail !== undefined);
      // The second SUBSCRIBE waits its turn (10 per second).
      clock.advance(100);
      expect(phone.presence.voicemail?.messagesWaiting).to.equal(true);
      expect(phone.presence.voicemail?.counts.voice).to.deep.include({ newMessages: 3, oldMessages: 1 });
      await until('availability', () => phone.presence.availability('1002') !== undefined);
      expect(phone.presence.availability('1002')).to.equal('offline');
    } finally {
      await cleanup();
    }
  });

  it('subscribes again after a reconnect, and stops with unwatch()', async () => {
    try {
      const { server, clock, phone } = await setup();
      const { subscribes } = presenceServer(server, () => ({ type: 'application/dialog-info+xml', body: dialogInfo('sip:1002@example.com', 0, 'full', '') }));
      await phone.start();
      phone.presence.watch(['1002']);
      await until('SUBSCRIBE', () => subscribes.length === 1);
      server.socket.drop();
      clock.advance(375);
      const fresh = (): SipMessage[] => subscribes.filter((m) => m.header('expires') !== '0');
      await until('SUBSCRIBE on the new connection', () => fresh().length === 2);
      expect(server.sockets).to.have.length(2);
      phone.presence.unwatch(['1002']);
      await until('un-SUBSCRIBE', () => server.requests('SUBSCRIBE').some((m) => m.header('expires') === '0'));
      expect(phone.presence.targets).to.deep.equal([]);
    } finally {
      await cleanup();
    }
  });
});
