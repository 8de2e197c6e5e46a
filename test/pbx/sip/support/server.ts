/** A SipServer with a small user directory, for tests. */
import { createServer, type Server as HttpServer } from 'node:http';
import {
  computeHa1Pair,
  SipServer,
  type SipCredential,
  type SipServerOptions,
} from '../../../../src/pbx/sip/index.js';
import { DOMAIN } from './messages.js';

/** Test users: extension → password. */
export const USERS: Readonly<Record<string, string>> = { '201': 'secret-201', '202': 'secret-202', alice: 'wonderland' };

/** The credential lookup of the test directory (realm = domain). */
export function testCredentials(realm: string, username: string): SipCredential | undefined {
  const password = USERS[username];
  if (password === undefined || realm !== DOMAIN) return undefined;
  return { userId: `u-${username}`, tenantId: 't-1', extension: username, ha1: computeHa1Pair(username, realm, password) };
}

/** A running server with UDP, TCP and WebSocket on 127.0.0.1 ephemeral ports. */
export interface RunningServer {
  readonly server: SipServer;
  readonly http: HttpServer;
  readonly udp: { address: string; port: number };
  readonly tcp: { address: string; port: number };
  readonly wsUrl: string;
  close(): Promise<void>;
}

/** Starts a server; `options` override the defaults (domain `pbx.test` and the loopback addresses are served). */
export async function startServer(options: Partial<SipServerOptions> = {}): Promise<RunningServer> {
  const server = new SipServer({
    realmFor: (domain) => (domain === DOMAIN || domain === '127.0.0.1' ? DOMAIN : undefined),
    findCredential: testCredentials,
    ...options,
  });
  const udp = await server.listenUdp(0, '127.0.0.1');
  const tcp = await server.listenTcp(0, '127.0.0.1');
  const http = createServer((_request, response) => response.writeHead(404).end());
  server.attachWebSocket(http, '/sip');
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    server,
    http,
    udp,
    tcp,
    wsUrl: `ws://127.0.0.1:${port}/sip`,
    async close() {
      await server.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
