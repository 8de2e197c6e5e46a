import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { dialTargetToUri } from '../../../src/core/phone/targets.js';

describe('dial targets', () => {
  const DE = { country: 'DE' as const };

  it('normalizes extensions and numbers with the dial plan', () => {
    expect(dialTargetToUri('1002', 'pbx.example.com', DE)).to.deep.equal({ uri: 'sip:1002@pbx.example.com', kind: 'extension', user: '1002' });
    expect(dialTargetToUri('0171 392 1234', 'pbx.example.com', DE)).to.deep.equal({
      uri: 'sip:+491713921234@pbx.example.com;user=phone',
      kind: 'external',
      user: '+491713921234',
    });
    expect(dialTargetToUri('+44 20 7946 0958', 'pbx', DE).user).to.equal('+442079460958');
  });

  it('passes star codes, SIP users and URIs through', () => {
    expect(dialTargetToUri('*80 1002', 'pbx', DE)).to.deep.equal({ uri: 'sip:*801002@pbx', kind: 'service', user: '*801002' });
    expect(dialTargetToUri('#31#', 'pbx').uri).to.equal('sip:%2331%23@pbx');
    expect(dialTargetToUri('clara', 'pbx').uri).to.equal('sip:clara@pbx');
    expect(dialTargetToUri('sip:room4@conf.example.com', 'pbx')).to.deep.equal({ uri: 'sip:room4@conf.example.com', kind: 'uri', user: 'room4' });
    expect(dialTargetToUri('tel:+4989123456', 'pbx').uri).to.equal('sip:+4989123456@pbx;user=phone');
    expect(dialTargetToUri('alice@example.org', 'pbx').uri).to.equal('sip:alice@example.org');
  });

  it('dials digits as typed without a dial plan', () => {
    expect(dialTargetToUri('089 / 123-45', 'pbx').uri).to.equal('sip:08912345@pbx');
  });

  it('refuses what cannot be dialled, with the reason', () => {
    for (const [input, reason] of [
      ['', 'empty'],
      ['12ab!', 'not-a-number'],
      ['1', 'unknown-format'],
    ] as const) {
      let caught: unknown;
      try {
        dialTargetToUri(input, 'pbx', DE);
      } catch (error) {
        caught = error;
      }
      expect(isCentrexError(caught, 'invalid-number'), input).to.equal(true);
      expect((caught as { details?: { reason?: string } }).details?.reason, input).to.equal(reason);
    }
  });
});
