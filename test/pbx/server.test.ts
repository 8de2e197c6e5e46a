// "Done when" of the reference PBX: the PBX that `npm start` runs (demo tenant), two users log in through the API,
// take their SIP credentials from /me/sip, and two sip.js user agents register and call each other through it.
import { after, before } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import type { Invitation, Session, SessionDescriptionHandler, UserAgent as UserAgentType } from 'sip.js';
import { describe, it, expect } from '../support/harness.js';
import { HttpApi } from '../../src/core/api/index.js';
import { startPbx, type RunningPbx } from '../../src/pbx/server.js';

// sip.js's WebSocket transport expects the browser's global; Node 20 has none.
(globalThis as unknown as { WebSocket?: unknown }).WebSocket ??= WebSocket;
const { Inviter, Registerer, RegistererState, SessionState, UserAgent } = await import('sip.js');

const OFFER = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

/** No media in Node: the session description is fixed text (media is tested in Chromium). */
function textOnlyHandler(): SessionDescriptionHandler {
  return {
    close: () => undefined,
    getDescription: () => Promise.resolve({ body: OFFER, contentType: 'application/sdp' }),
    hasDescription: (contentType) => contentType === 'application/sdp',
    setDescription: () => Promise.resolve(),
    sendDtmf: () => false,
  };
}

function reached(session: Session, wanted: string): Promise<void> {
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

describe('the PBX of npm start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'centrex-pbx-'));
  let pbx: RunningPbx;
  const agents: UserAgentType[] = [];

  before(async () => {
    pbx = await startPbx({ db: join(dir, 'pbx.db'), port: 0, sipPort: 0, demo: true, demoPassword: 'demo-test-pw' });
  });
  after(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await pbx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Logs a demo user in through the API and registers a sip.js agent with the credentials the API hands out. */
  async function signIn(email: string, onInvite?: (invitation: Invitation) => void): Promise<UserAgentType> {
    const api = new HttpApi({ baseUrl: pbx.url });
    await api.login(email, 'demo-test-pw');
    const sip = await api.getSipRegistration();
    const ua = new UserAgent({
      uri: UserAgent.makeURI(sip.uri)!,
      transportOptions: { server: sip.websocketUrl },
      authorizationUsername: sip.authorizationUsername,
      authorizationPassword: sip.password,
      displayName: sip.displayName,
      sessionDescriptionHandlerFactory: () => textOnlyHandler(),
      logLevel: 'error',
      ...(onInvite ? { delegate: { onInvite } } : {}),
    });
    agents.push(ua);
    await ua.start();
    const registerer = new Registerer(ua);
    const registered = new Promise<void>((resolve) =>
      registerer.stateChange.addListener((state) => state === RegistererState.Registered && resolve()),
    );
    await registerer.register();
    await registered;
    return ua;
  }

  it('two users log in, register with their API credentials and call each other', async () => {
    let ring!: (invitation: Invitation) => void;
    const ringing = new Promise<Invitation>((resolve) => (ring = resolve));
    await signIn('clara@demo.test', (invitation) => ring(invitation));
    const ben = await signIn('ben@demo.test');

    const call = new Inviter(ben, UserAgent.makeURI('sip:12@localhost')!);
    await call.invite();
    const incoming = await ringing;
    expect(incoming.remoteIdentity.uri.user).to.equal('11');
    await incoming.accept();
    await Promise.all([reached(call, SessionState.Established), reached(incoming, SessionState.Established)]);
    expect(pbx.lines.isBusy(pbx.store.findUserByExtension(pbx.store.findTenantBySipDomain('localhost')!.id, '12')!.id)).to.equal(true);

    await call.bye();
    await Promise.all([reached(call, SessionState.Terminated), reached(incoming, SessionState.Terminated)]);
  });
});
