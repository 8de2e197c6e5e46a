// The SDK's SIP library against the router: two sip.js UserAgents (Node, over the `ws` package, with a session
// description handler that only passes SDP text around) register over WebSocket and call each other through the
// PBX: proxy authentication, Record-Route, BYE from either side.
import { after, afterEach, before } from 'node:test';
import { WebSocket } from 'ws';
import type { Invitation, Session, SessionDescriptionHandler, UserAgent as UserAgentType } from 'sip.js';
import { describe, it, expect } from '../../support/harness.js';
import { COMPANY, passwordOf, startPbx, type TestPbx } from './support/pbx.js';

// sip.js's WebSocket transport expects the browser's global; Node 20 has none.
const globals = globalThis as unknown as { WebSocket?: unknown };
globals.WebSocket ??= WebSocket;
const { Inviter, Registerer, RegistererState, SessionState, UserAgent } = await import('sip.js');

const OFFER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

/** No media: the description is fixed text, and whatever the far end sends is accepted. */
function textOnlyHandler(): SessionDescriptionHandler {
  let remote = false;
  return {
    close: () => undefined,
    getDescription: () => Promise.resolve({ body: OFFER, contentType: 'application/sdp' }),
    hasDescription: (contentType) => contentType === 'application/sdp',
    setDescription: () => {
      remote = true;
      return Promise.resolve();
    },
    sendDtmf: () => remote,
  };
}

function waitFor(session: Session, wanted: string): Promise<void> {
  if (session.state === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const listener = (state: string): void => {
      if (state !== wanted) return;
      session.stateChange.removeListener(listener);
      resolve();
    };
    session.stateChange.addListener(listener);
  });
}

describe('interop: sip.js user agents call each other through the router', () => {
  let pbx: TestPbx;
  const agents: UserAgentType[] = [];
  before(async () => {
    pbx = await startPbx();
  });
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((agent) => agent.stop()));
    await pbx.reset();
  });
  after(async () => {
    await pbx.close();
  });

  async function agent(extension: string, onInvite?: (invitation: Invitation) => void): Promise<UserAgentType> {
    const uri = UserAgent.makeURI(`sip:${extension}@${COMPANY}`);
    if (!uri) throw new Error('bad test URI');
    const ua = new UserAgent({
      uri,
      transportOptions: { server: pbx.wsUrl },
      authorizationUsername: extension,
      authorizationPassword: passwordOf(extension),
      sessionDescriptionHandlerFactory: () => textOnlyHandler(),
      logLevel: 'error',
      ...(onInvite ? { delegate: { onInvite } } : {}),
    });
    agents.push(ua);
    await ua.start();
    const registerer = new Registerer(ua, { expires: 300 });
    const registered = new Promise<void>((resolve) => {
      registerer.stateChange.addListener((state) => {
        if (state === RegistererState.Registered) resolve();
      });
    });
    await registerer.register();
    await registered;
    return ua;
  }

  it('places a call from one sip.js agent to another and hangs up from each side', async () => {
    const incoming: Invitation[] = [];
    let notify: (() => void) | undefined;
    await agent('11', (invitation) => {
      incoming.push(invitation);
      void invitation.accept();
      notify?.();
    });
    const caller = await agent('10');
    for (const hangUpBy of ['caller', 'callee'] as const) {
      const arrived = new Promise<void>((resolve) => (notify = resolve));
      const target = UserAgent.makeURI(`sip:11@${COMPANY}`);
      if (!target) throw new Error('bad target');
      const inviter = new Inviter(caller, target);
      await inviter.invite();
      await arrived;
      await waitFor(inviter, SessionState.Established);
      const invitation = incoming.at(-1)!;
      await waitFor(invitation, SessionState.Established);
      expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(true);
      if (hangUpBy === 'caller') await inviter.bye();
      else await invitation.bye();
      await Promise.all([waitFor(inviter, SessionState.Terminated), waitFor(invitation, SessionState.Terminated)]);
      expect(pbx.lines.isBusy(pbx.users['11']!.id)).to.equal(false);
    }
    const history = pbx.store.listHistory(pbx.users['10']!.id);
    expect(history.map((entry) => entry.result)).to.deep.equal(['answered', 'answered']);
  });
});
