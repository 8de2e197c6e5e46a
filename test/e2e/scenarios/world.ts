// What every scenario needs: one server under test, the test page, and three people — Anna, Ben and Clara — each in
// their own Chromium profile with a fake microphone and camera. Before each test every page is reloaded and every
// phone registers afresh, so no test sees what the one before it left behind.
import { after, afterEach, before, beforeEach } from 'node:test';
import { TestPage, User } from '../support/browser.js';
import type { StartOptions } from '../support/page/harness.js';
import { PEOPLE, type Person, type ServerKind, type ServerUnderTest } from '../support/servers.js';

/** The people and the server of a scenario suite. */
export interface CallWorld {
  readonly server: ServerUnderTest;
  readonly anna: User;
  readonly ben: User;
  readonly clara: User;
  /** The settings `user`'s phone starts with on this server, with `extra` on top. */
  phoneOptions(user: User, extra?: Partial<StartOptions>): Promise<StartOptions>;
  /** Starts `user`'s phone with {@link CallWorld.phoneOptions}; resolves once it is registered. */
  startPhone(user: User, extra?: Partial<StartOptions>): Promise<void>;
}

/**
 * Registers the hooks that start `kind`, the page and the three browsers before the suite, stop them after it, and
 * reload and register the phones before each test. Returns a getter: the world exists once the hooks have run.
 */
export function useCallWorld(kind: ServerKind): () => CallWorld {
  let world: CallWorld | undefined;
  let server: ServerUnderTest | undefined;
  let page: TestPage | undefined;
  const users: User[] = [];

  before(async () => {
    server = await kind.start();
    page = await TestPage.start();
    const testPage = page;
    const people = Object.keys(PEOPLE) as Person[];
    users.push(...(await Promise.all(people.map((person) => User.launch(person, PEOPLE[person].extension, testPage)))));
    const [anna, ben, clara] = users as [User, User, User];
    const running = server;
    const phoneOptions = async (user: User, extra: Partial<StartOptions> = {}): Promise<StartOptions> => ({
      ...(await running.phoneOptions(user.name as Person)),
      ...extra,
    });
    world = {
      server: running,
      anna,
      ben,
      clara,
      phoneOptions,
      startPhone: async (user, extra) => user.start(await phoneOptions(user, extra)),
    };
  });

  after(async () => {
    await Promise.all(users.map((user) => user.close()));
    await page?.stop();
    await server?.shutDown();
  });

  // Everyone hangs up at the end of a test (whatever it left): a server must not carry calls of closed pages into the
  // next test, where they would make people busy. A page that cannot even do that is reloaded anyway.
  afterEach(async () => {
    await Promise.all(users.map((user) => user.page.evaluate(() => window.harness.hangUpAll()).catch(() => undefined)));
  });

  beforeEach(async () => {
    const { startPhone } = current();
    await Promise.all(users.map((user) => user.reload()));
    await Promise.all(users.map((user) => startPhone(user)));
  });

  const current = (): CallWorld => {
    if (!world) throw new Error(`${kind.label} did not start (see the error of the "before" hook)`);
    return world;
  };
  return current;
}
