// Child process of crash.test.ts: writes rows as fast as it can and prints the id of each one after its
// transaction committed ("acknowledged"). The test kills it with SIGKILL somewhere in the middle.
import { openStore } from '../../../src/pbx/store/index.js';

const file = process.argv[2];
if (!file) throw new Error('usage: crash-writer.ts <database file>');
const store = openStore({ file });
const tenant = store.createTenant({ name: 'Crash Co', country: 'DE', sipDomain: `crash-${process.pid}.test` });
const { user } = store.createUser(tenant.id, { name: 'Crash Test', email: `crash-${process.pid}@crash.test`, extension: '10' });
process.stdout.write(`user ${user.id}\n`);

for (let i = 0; ; i += 1) {
  // Two rows per transaction (and a call-list entry), so a kill is likely to land inside a commit.
  const id = store.transaction(() => {
    const viewer = { tenantId: tenant.id, userId: user.id };
    const numbers = Array.from({ length: 8 }, (_, n) => ({ label: `n${n}`, number: `+49 89 ${1000000 + i * 10 + n}` }));
    const first = store.createContact(viewer, 'private', { name: `Contact ${i} a`, numbers });
    store.createContact(viewer, 'private', { name: `Contact ${i} b`, company: 'x'.repeat(150), numbers });
    store.addHistoryEntry(user.id, { direction: 'in', peer: { number: `+4989${1000000 + i}` }, result: 'answered', startedAt: Date.now(), durationS: i });
    return first.id;
  });
  // Pipes are written synchronously on Linux: once this returns, the parent can read the id.
  process.stdout.write(`${id}\n`);
}
