// Forwarding settings read back exactly as written, including rules that need the tenant's dial plan to be valid.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import { addProfile, createDefaultForwarding, type ForwardingSettings } from '../../../src/core/forwarding/index.js';
import { seedDemoTenant } from '../../../src/pbx/demo.js';
import { openStore } from '../../../src/pbx/store/index.js';

describe('forwarding store', () => {
  it('keeps a national-prefix rule (valid only with the dial plan) when reading it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'centrex-fwd-'));
    const store = openStore({ file: join(dir, 'pbx.db') });
    try {
      await seedDemoTenant(store, { password: 'pw-for-test' });
      const tenant = store.findTenantBySipDomain('localhost')!;
      const ben = store.findUserByExtension(tenant.id, '11')!;
      const base = addProfile(createDefaultForwarding(), { number: 5, title: 'Berlin' });
      // Built by hand: without a dial plan the core's profile helpers cannot read a national prefix.
      const settings: ForwardingSettings = {
        activeProfile: 5,
        profiles: base.profiles.map((p) =>
          p.number === 5
            ? { ...p, selective: [{ id: 'berlin', match: { type: 'prefix', prefix: '030 5550' }, forwarding: { always: { type: 'voicemail' } } }] }
            : p,
        ),
      };
      store.setForwarding(ben.id, settings);
      expect(store.getForwarding(ben.id)).to.deep.equal(settings);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
