/**
 * Element tests talk to a real reference PBX that the test runner starts (test/support/pbx-plugin.mjs). These
 * helpers sign demo users in and wait for things to happen, without fixed sleeps.
 */
import { CentrexClient, type CentrexClientOptions } from '../../../src/core/client/index.js';

/** Where the test PBX runs and the demo users' password. */
export interface TestPbx {
  readonly url: string;
  readonly password: string;
}

let pbx: Promise<TestPbx> | undefined;

/** The test PBX's address (fetched once per page). */
export function testPbx(): Promise<TestPbx> {
  pbx ??= fetch('/__centrex/pbx.json').then(async (response) => {
    if (!response.ok) throw new Error('The test PBX is not running: is test/support/pbx-plugin.mjs in the test runner config?');
    return (await response.json()) as TestPbx;
  });
  return pbx;
}

/** The demo users: anna (admin, 10), ben (11), clara (12), david (13). */
export type DemoUser = 'anna' | 'ben' | 'clara' | 'david';

/** Demo users' extensions. */
export const EXTENSIONS: Readonly<Record<DemoUser, string>> = { anna: '10', ben: '11', clara: '12', david: '13' };

const clients: CentrexClient[] = [];

/**
 * A client signed in as a demo user. Without `phone` it runs no web phone (data only); with `phone: true` (or phone
 * options) the phone is registered before this resolves. Call {@link signOutAll} in `afterEach`.
 */
export async function signedInClient(
  user: DemoUser,
  options: { phone?: boolean | Exclude<CentrexClientOptions['phone'], false>; client?: Partial<CentrexClientOptions> } = {},
): Promise<CentrexClient> {
  const { url, password } = await testPbx();
  const phone = typeof options.phone === 'object' ? options.phone : {};
  const client = new CentrexClient({
    ...options.client,
    server: url,
    phone: options.phone ? { ...phone, ice: { servers: [], ...phone.ice } } : false,
  });
  clients.push(client);
  await client.signIn(`${user}@demo.test`, password);
  if (options.phone) await until(() => client.phone?.registered === true, `${user}'s web phone registers`);
  return client;
}

/** Signs every client made by {@link signedInClient} out (ending their calls). */
export async function signOutAll(): Promise<void> {
  const all = clients.splice(0);
  await Promise.all(all.map((client) => client.signOut().catch(() => undefined)));
}

/**
 * Waits until `condition` holds, checking on every animation frame; fails with `what` after `timeoutMs`.
 * For state that changes through events the test cannot subscribe to directly (rendering, server pushes).
 */
export async function until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting until ${what}`);
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}

/** Text of an element's shadow root part or selector, trimmed, with runs of whitespace made single spaces. */
export function textOf(root: Element | ShadowRoot | null | undefined): string {
  return (root?.textContent ?? '').replace(/\s+/g, ' ').trim();
}
