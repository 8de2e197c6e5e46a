// Shared fixtures of the PBX store (and API) tests: a fresh SQLite file in a temp dir, a movable clock, and two
// tenants with a few users.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword, type Store, type Tenant, type User } from '../../../src/pbx/store/index.js';

/** A clock tests move by hand, so expiry needs no sleeping. */
export interface TestClock {
  now: number;
  readonly read: () => number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  const clock: TestClock = {
    now: start,
    read: () => clock.now,
    advance(ms) {
      clock.now += ms;
    },
  };
  return clock;
}

/** A new empty directory under the OS temp dir. */
export function tempDir(prefix = 'centrex-pbx-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The password of every fixture user. */
export const PASSWORD = 'correct horse battery';

export interface Fixture {
  readonly alpha: Tenant;
  readonly beta: Tenant;
  /** Alpha's admin (ext 10), two users (11, 12); Beta's only user (ext 10). */
  readonly users: { readonly admin: User; readonly ann: User; readonly bob: User; readonly zoe: User };
}

/** Two tenants: Alpha (DE, +49 89 1234567, origin https://intranet.alpha.test) and Beta (its own origin). */
export async function seedFixture(store: Store): Promise<Fixture> {
  const hashes = await Promise.all([1, 2, 3, 4].map(() => hashPassword(PASSWORD)));
  return store.transaction(() => {
    const alpha = store.createTenant({
      name: 'Alpha GmbH',
      country: 'DE',
      mainNumber: '+49 89 1234567',
      sipDomain: 'alpha.test',
      allowedOrigins: ['https://intranet.alpha.test'],
    });
    const beta = store.createTenant({
      name: 'Beta AG',
      country: 'DE',
      mainNumber: '+49 30 7654321',
      sipDomain: 'beta.test',
      allowedOrigins: ['https://crm.beta.test'],
    });
    const make = (tenant: Tenant, name: string, email: string, extension: string, role: 'admin' | 'user', hash: string | undefined): User =>
      store.createUser(tenant.id, { name, email, extension, role, ...(hash === undefined ? {} : { passwordHash: hash }) }).user;
    return {
      alpha,
      beta,
      users: {
        admin: make(alpha, 'Alma Admin', 'admin@alpha.test', '10', 'admin', hashes[0]),
        ann: make(alpha, 'Ann Alpha', 'ann@alpha.test', '11', 'user', hashes[1]),
        bob: make(alpha, 'Bob Alpha', 'bob@alpha.test', '12', 'user', hashes[2]),
        zoe: make(beta, 'Zoe Beta', 'zoe@beta.test', '10', 'user', hashes[3]),
      },
    };
  });
}

