// Busy lamp field (BLF): a colleague's key shows their line ringing, then busy, then free again.
import { describe, it } from 'node:test';
import { expect } from '../../support/harness.js';
import type { CallWorld } from './world.js';

/** The BLF scenario against `world()`'s server. */
export function describeLineLamps(world: () => CallWorld): void {
  describe('busy lamp field', () => {
    it('a watched extension shows ringing, then busy, then idle', async () => {
      const { anna, ben, clara } = world();
      const lampIs = (state: string): Promise<unknown> =>
        clara.page.waitForFunction(([ext, s]) => window.harness.lineStates(ext).at(-1) === s, [ben.extension, state] as const, { timeout: 10_000 });
      await clara.page.evaluate((ext) => window.harness.watch([ext]), ben.extension);
      await lampIs('idle');
      const ab = await anna.dial(ben.extension);
      const ba = await ben.waitForCall({ direction: 'incoming', state: 'ringing' });
      await lampIs('ringing');
      await ben.act(ba, 'accept');
      await lampIs('busy');
      await anna.act(ab, 'hangup');
      await lampIs('idle');
      expect(await clara.page.evaluate((ext) => window.harness.lineStates(ext), ben.extension)).to.deep.equal(['idle', 'ringing', 'busy', 'idle']);
    });
  });
}
