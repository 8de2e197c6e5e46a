import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import {
  activateProfile,
  addProfile,
  createDefaultForwarding,
  deleteProfile,
  duplicateProfile,
  updateProfile,
  validateForwarding,
  type ForwardingSettings,
} from '../../../src/core/forwarding/index.js';
import { deepFreeze } from './fixtures.js';

function expectCode(action: () => unknown, code: string): void {
  try {
    action();
    expect.fail(`should have thrown ${code}`);
  } catch (error) {
    expect(isCentrexError(error, code as never), String(error)).to.equal(true);
  }
}

describe('forwarding profiles (manual B.4: anlegen, editieren, duplizieren, aktivieren)', () => {
  it('every user starts with the active, empty default profile "Standard"', () => {
    expect(createDefaultForwarding()).to.deep.equal({
      activeProfile: 0,
      profiles: [{ number: 0, title: 'Standard', forwarding: {}, selective: [] }],
    });
    expect(createDefaultForwarding('Default').profiles[0]!.title).to.equal('Default');
  });

  it('creates "Urlaub" with a colour, edits it and activates it, never changing the input', () => {
    const start = deepFreeze(createDefaultForwarding());
    const created = addProfile(start, { number: 1, title: 'Urlaub', color: '#ff9800' });
    expect(created.profiles.map((p) => [p.number, p.title, p.color])).to.deep.equal([
      [0, 'Standard', undefined],
      [1, 'Urlaub', '#ff9800'],
    ]);
    expect(created.activeProfile).to.equal(0);
    const edited = updateProfile(created, {
      ...created.profiles[1]!,
      forwarding: { always: { type: 'voicemail' } },
      selective: [{ id: 'boss', match: { type: 'extension', extension: '10' }, forwarding: {} }],
    });
    const active = activateProfile(edited, 1);
    expect(active.activeProfile).to.equal(1);
    expect(validateForwarding(active)).to.deep.equal([]);
    expect(start.profiles).to.have.length(1);
  });

  it('allows up to nine more profiles and no duplicate numbers', () => {
    let settings: ForwardingSettings = createDefaultForwarding();
    for (let n = 9; n >= 1; n -= 1) settings = addProfile(settings, { number: n, title: `Profil ${n}` });
    expect(settings.profiles.map((p) => p.number)).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expectCode(() => addProfile(settings, { number: 5, title: 'x' }), 'invalid-forwarding');
    const nine = deleteProfile(settings, 9);
    expectCode(() => addProfile(nine, { number: 5, title: 'x' }), 'invalid-forwarding');
    expectCode(() => addProfile(nine, { number: 10, title: 'x' }), 'invalid-forwarding');
    expectCode(() => addProfile(nine, { number: 9, title: ' ' }), 'invalid-forwarding');
  });

  it('duplicates a profile with its rules under a new number and title', () => {
    const base = addProfile(createDefaultForwarding(), { number: 1, title: 'Urlaub' });
    const urlaub = updateProfile(base, {
      ...base.profiles[1]!,
      forwarding: { busy: { type: 'voicemail' } },
      selective: [{ id: 'anon', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } }],
    });
    const copy = duplicateProfile(urlaub, 1, { number: 2, title: 'Urlaub 2' });
    expect(copy.profiles[2]).to.deep.equal({ ...urlaub.profiles[1]!, number: 2, title: 'Urlaub 2' });
    expectCode(() => duplicateProfile(urlaub, 7, { number: 3, title: 'x' }), 'unknown-profile');
  });

  it('the default profile cannot be deleted and takes no selective rules', () => {
    const settings = createDefaultForwarding();
    expectCode(() => deleteProfile(settings, 0), 'invalid-forwarding');
    expectCode(
      () => updateProfile(settings, { ...settings.profiles[0]!, selective: [{ id: 'x', match: { type: 'internal' }, forwarding: {} }] }),
      'invalid-forwarding',
    );
  });

  it('deleting the active profile activates the default profile', () => {
    const settings = activateProfile(addProfile(createDefaultForwarding(), { number: 4, title: 'Meeting' }), 4);
    expect(deleteProfile(settings, 4)).to.deep.equal(createDefaultForwarding());
    expectCode(() => deleteProfile(settings, 5), 'unknown-profile');
    expectCode(() => activateProfile(settings, 5), 'unknown-profile');
    expectCode(() => updateProfile(settings, { number: 6, title: 'x', forwarding: {}, selective: [] }), 'unknown-profile');
  });
});
