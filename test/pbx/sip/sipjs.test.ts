// The SDK's own SIP library against the PBX: a sip.js UserAgent registers and unregisters over WebSocket with the
// server's default challenges (SHA-256 first, MD5 last; sip.js 0.21 answers the last one, with MD5).
import { after, before } from 'node:test';
import { WebSocket } from 'ws';
import { describe, it, expect } from '../../support/harness.js';
import type { RegistrationEvent } from '../../../src/pbx/sip/index.js';
import { DOMAIN } from './support/messages.js';
import { startServer, USERS, type RunningServer } from './support/server.js';

// sip.js's WebSocket transport expects the browser's global; Node 20 has none.
const globals = globalThis as unknown as { WebSocket?: unknown };
globals.WebSocket ??= WebSocket;
const { Registerer, RegistererState, UserAgent } = await import('sip.js');

describe('interop: sip.js UserAgent over WebSocket', () => {
  let running: RunningServer;
  const events: RegistrationEvent[] = [];
  before(async () => {
    running = await startServer({ onRegistration: (event) => events.push(event) });
  });
  after(async () => {
    await running.close();
  });

  it('registers with digest and unregisters', async () => {
    const uri = UserAgent.makeURI(`sip:201@${DOMAIN}`);
    if (!uri) throw new Error('bad test URI');
    const agent = new UserAgent({
      uri,
      transportOptions: { server: running.wsUrl },
      authorizationUsername: '201',
      authorizationPassword: USERS['201']!,
      logLevel: 'error',
    });
    await agent.start();
    const registerer = new Registerer(agent, { expires: 300 });
    const reached = (wanted: string): Promise<void> =>
      new Promise((resolve) => {
        const listener = (state: string): void => {
          if (state === wanted) {
            registerer.stateChange.removeListener(listener);
            resolve();
          }
        };
        registerer.stateChange.addListener(listener);
      });
    const registered = reached(RegistererState.Registered);
    await registerer.register();
    await registered;
    const [binding] = running.server.lookup(`sip:201@${DOMAIN}`);
    expect(binding?.owner.userId).to.equal('u-201');
    expect(binding?.flowId).to.match(/^ws:/);

    const unregistered = reached(RegistererState.Unregistered);
    await registerer.unregister();
    await unregistered;
    expect(running.server.lookup(`sip:201@${DOMAIN}`)).to.have.length(0);
    expect(events.map((event) => event.type)).to.deep.equal(['registered', 'unregistered']);
    await agent.stop();
  });
});
