import { describe, it, expect } from '../../support/harness.js';
import { mergeCapabilities, NO_CAPABILITIES, parseCapabilities, supports } from '../../../src/core/phone/capabilities.js';

describe('capability discovery', () => {
  it('reads Allow, Supported and Allow-Events, normalizing case and dropping garbage', () => {
    const caps = parseCapabilities({
      allow: ['INVITE, ack,BYE', 'refer , SUBSCRIBE'],
      supported: ['Replaces, outbound', 'gruu;x=1'],
      allowEvents: ['dialog, presence', 'message-summary, <bad>'],
    });
    expect(caps).to.deep.equal({
      methods: ['ACK', 'BYE', 'INVITE', 'REFER', 'SUBSCRIBE'],
      extensions: ['gruu', 'outbound', 'replaces'],
      events: ['dialog', 'message-summary', 'presence'],
    });
  });

  it('merges sources and answers "unknown" when a category was never announced', () => {
    const merged = mergeCapabilities(parseCapabilities({ allow: ['INVITE'] }), parseCapabilities({ allow: ['REFER'], allowEvents: ['dialog'] }));
    expect(merged.methods).to.deep.equal(['INVITE', 'REFER']);
    expect(supports(merged, 'method', 'refer')).to.equal(true);
    expect(supports(merged, 'event', 'presence')).to.equal(false);
    expect(supports(merged, 'extension', 'replaces')).to.equal(undefined);
    expect(supports(NO_CAPABILITIES, 'method', 'INVITE')).to.equal(undefined);
  });
});
