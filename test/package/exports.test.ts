// The published entry points, as a consumer imports them: by package name, from the built dist/ (npm test builds
// first). `centrex-sdk/core` must load in Node 20 with no DOM at all.
import { describe, it, expect } from '../support/harness.js';
import type * as Core from '../../src/core/index.js';

describe('package entry points', () => {
  it('centrex-sdk/core imports in Node without a DOM and exposes the engines', async () => {
    expect(typeof (globalThis as { document?: unknown }).document).to.equal('undefined');
    // A variable specifier keeps tsc from resolving dist/ at typecheck time (it is built later in npm test).
    const entry = 'centrex-sdk/core';
    const core = (await import(entry)) as typeof Core;
    for (const name of ['planIncomingCall', 'validateForwarding', 'parseStarCode', 'applyStarCode', 'toStarCodes', 'normalizeNumber', 'formatNumber', 'CentrexError']) {
      expect(typeof (core as Record<string, unknown>)[name], name).to.equal('function');
    }
    const plan = core.planIncomingCall(
      core.applyStarCode(core.createDefaultForwarding(), core.parseStarCode('*11*791')!),
      { from: { number: '0171 3921234' } },
      { registered: true, busy: false },
      { dialPlan: { country: 'DE' } },
    );
    expect(plan).to.deep.equal({ action: 'forward', to: { type: 'voicemail' }, reason: 'always' });
  });

  it('ships type declarations for every entry point', async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as {
      exports: Record<string, { types?: string; default?: string } | string>;
    };
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue;
      for (const file of [target.types, target.default]) {
        await readFile(new URL(`../../${file}`, import.meta.url)).catch(() => expect.fail(`${entry}: ${file} is missing; run npm run build`));
      }
    }
  });
});
