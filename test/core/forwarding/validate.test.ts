import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import {
  assertValidForwarding,
  createDefaultForwarding,
  validateForwarding,
  type ForwardingSettings,
} from '../../../src/core/forwarding/index.js';
import { withActiveProfile } from './fixtures.js';

const codesOf = (settings: unknown, dialPlan?: { country: 'DE' }): string[] =>
  validateForwarding(settings as ForwardingSettings, dialPlan).map((issue) => issue.code);

describe('validateForwarding', () => {
  it('accepts the default settings and a profile with selective rules', () => {
    expect(validateForwarding(createDefaultForwarding())).to.deep.equal([]);
    const settings = withActiveProfile({
      color: '#2e7d32',
      forwarding: { noAnswer: { after: 15, to: { type: 'voicemail' } }, busy: { type: 'busy' } },
      selective: [
        { id: 'a', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } },
        { id: 'b', match: { type: 'prefix', prefix: '+4989' }, forwarding: { always: { type: 'number', number: '0049 89 2343123' } } },
        { id: 'c', match: { type: 'contact', contactId: 'clara' }, forwarding: {} },
      ],
    });
    expect(validateForwarding(settings)).to.deep.equal([]);
    expect(validateForwarding(settings, { country: 'DE' })).to.deep.equal([]);
  });

  it('requires the default profile, without selective rules', () => {
    expect(codesOf({ activeProfile: 1, profiles: [{ number: 1, title: 'Urlaub', forwarding: {}, selective: [] }] })).to.include(
      'missing-default-profile',
    );
    const settings = createDefaultForwarding();
    const withRule = {
      ...settings,
      profiles: [{ ...settings.profiles[0]!, selective: [{ id: 'x', match: { type: 'internal' as const }, forwarding: {} }] }],
    };
    expect(validateForwarding(withRule)).to.deep.equal([
      {
        code: 'default-profile-selective-rules',
        message: 'The default profile cannot have selective rules; use another profile.',
        profile: 0,
      },
    ]);
  });

  it('allows at most ten profiles numbered 0–9, each number once, each with a title', () => {
    const profiles = Array.from({ length: 11 }, (_, number) => ({ number, title: `P${number}`, forwarding: {}, selective: [] }));
    expect(codesOf({ activeProfile: 0, profiles })).to.have.members(['too-many-profiles', 'profile-number-out-of-range']);
    const base = createDefaultForwarding();
    const dup = { ...base, profiles: [...base.profiles, { number: 0, title: 'Again', forwarding: {}, selective: [] }] };
    expect(codesOf(dup)).to.deep.equal(['duplicate-profile-number']);
    expect(codesOf({ ...base, profiles: [{ ...base.profiles[0]!, title: '  ' }] })).to.deep.equal(['empty-title']);
    expect(codesOf({ ...base, profiles: [...base.profiles, { number: 1.5, title: 'x', forwarding: {}, selective: [] }] })).to.deep.equal([
      'profile-number-out-of-range',
    ]);
  });

  it('requires the active profile to exist', () => {
    expect(codesOf({ ...createDefaultForwarding(), activeProfile: 3 })).to.deep.equal(['active-profile-missing']);
  });

  it('accepts only the no-answer timeouts 5, 10, 15 and 20 s', () => {
    for (const after of [0, 7, 30, '20', undefined]) {
      const settings = withActiveProfile({ forwarding: { noAnswer: { after, to: { type: 'voicemail' } } } as never, selective: [] });
      expect(validateForwarding(settings), String(after)).to.deep.include({
        code: 'invalid-no-answer-timeout',
        message: `No-answer timeout ${String(after)} s: choose 5, 10, 15 or 20 s.`,
        profile: 1,
        condition: 'noAnswer',
      });
    }
  });

  it('checks destinations and numbers, with the dial plan when one is given', () => {
    const withAlways = (always: unknown) => withActiveProfile({ forwarding: { always } as never, selective: [] });
    expect(codesOf(withAlways({ type: 'number', number: 'abc' }))).to.deep.equal(['invalid-destination-number']);
    expect(codesOf(withAlways({ type: 'number', number: '' }))).to.deep.equal(['invalid-destination-number']);
    expect(codesOf(withAlways({ type: 'number' }))).to.deep.equal(['invalid-destination-number']);
    expect(codesOf(withAlways({ type: 'fax' }))).to.deep.equal(['invalid-destination']);
    expect(codesOf(withAlways('voicemail'))).to.deep.equal(['invalid-destination']);
    expect(codesOf(withAlways({ type: 'number', number: '+49 1' }), { country: 'DE' })).to.deep.equal(['invalid-destination-number']);
    expect(codesOf(withAlways({ type: 'number', number: '0171 3921234' }), { country: 'DE' })).to.deep.equal([]);
    expect(codesOf(withAlways({ type: 'number', number: '33' }), { country: 'DE' })).to.deep.equal([]);
  });

  it('checks selective rules: ids, caller matches and their forwarding', () => {
    const settings = withActiveProfile({
      forwarding: {},
      selective: [
        { id: 'a', match: { type: 'prefix', prefix: 'Munich' }, forwarding: {} },
        { id: 'a', match: { type: 'extension', extension: '' }, forwarding: { busy: { type: 'nowhere' } } },
        { id: 'b', match: { type: 'everyone' }, forwarding: {} },
        { id: 'c', match: { type: 'contact', contactId: '' }, forwarding: {} },
      ] as never,
    });
    const issues = validateForwarding(settings);
    expect(issues.map((issue) => [issue.code, issue.rule])).to.deep.equal([
      ['invalid-caller-match', 'a'],
      ['duplicate-rule-id', 'a'],
      ['invalid-caller-match', 'a'],
      ['invalid-destination', 'a'],
      ['invalid-caller-match', 'b'],
      ['invalid-caller-match', 'c'],
    ]);
  });

  it('reports malformed input instead of throwing', () => {
    for (const input of [null, undefined, 42, 'x', [], { profiles: 'no' }]) {
      expect(codesOf(input), String(input)).to.deep.equal(['malformed-settings']);
    }
    expect(codesOf({ activeProfile: 0, profiles: [null] })).to.include('malformed-settings');
    expect(codesOf({ activeProfile: 0, profiles: [{ number: 0, title: 'S', forwarding: null, selective: null }] })).to.deep.equal([
      'malformed-settings',
      'malformed-settings',
    ]);
  });

  it('assertValidForwarding throws a CentrexError listing every issue', () => {
    try {
      assertValidForwarding({ activeProfile: 5, profiles: [] });
      expect.fail('should have thrown');
    } catch (error) {
      expect(isCentrexError(error, 'invalid-forwarding')).to.equal(true);
      const issues = (error as { details: { issues: { code: string }[] } }).details.issues;
      expect(issues.map((issue) => issue.code)).to.deep.equal(['missing-default-profile', 'active-profile-missing']);
    }
  });
});
