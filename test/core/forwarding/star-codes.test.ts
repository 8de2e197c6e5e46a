import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import {
  addProfile,
  applyStarCode,
  createDefaultForwarding,
  parseStarCode,
  starCodeGaps,
  toStarCodes,
  type ForwardingSettings,
  type StarCode,
} from '../../../src/core/forwarding/index.js';
import { deepFreeze } from './fixtures.js';

const DE = { country: 'DE' } as const;

function expectCentrexError(action: () => unknown, code: string, label: string): void {
  try {
    action();
    expect.fail(`${label}: should have thrown ${code}`);
  } catch (error) {
    expect(isCentrexError(error), `${label}: ${String(error)}`).to.equal(true);
    expect((error as { code: string }).code, label).to.equal(code);
  }
}

/** Three profiles, profile 2 active, as in the manual's example for *11. */
function threeProfiles(): ForwardingSettings {
  let settings = addProfile(createDefaultForwarding(), { number: 1, title: 'Urlaub' });
  settings = addProfile(settings, { number: 2, title: 'Homeoffice' });
  return { ...settings, activeProfile: 2 };
}

describe('parseStarCode: every code of the overview table (manual 4.2)', () => {
  it('*10n activates profile n (0–9)', () => {
    for (let n = 0; n <= 9; n += 1) {
      expect(parseStarCode(`*10${n}`)).to.deep.equal({ type: 'activate-profile', profile: n });
    }
  });

  const conditions = [
    ['1', 'always'],
    ['2', 'noAnswer'],
    ['3', 'busy'],
    ['4', 'notRegistered'],
  ] as const;

  for (const [digit, condition] of conditions) {
    it(`*1${digit} + number, + extension, + *791 set "${condition}"; **1${digit} clears it`, () => {
      expect(parseStarCode(`*1${digit}0049892343123`)).to.deep.equal({
        type: 'set',
        condition,
        to: { type: 'number', number: '0049892343123' },
      });
      expect(parseStarCode(`*1${digit}33`)).to.deep.equal({ type: 'set', condition, to: { type: 'number', number: '33' } });
      expect(parseStarCode(`*1${digit}*791`)).to.deep.equal({ type: 'set', condition, to: { type: 'voicemail' } });
      expect(parseStarCode(`**1${digit}`)).to.deep.equal({ type: 'clear', condition });
    });
  }

  it('accepts national and 00 numbers, blanks, a + from a web dialer and a closing #', () => {
    expect(parseStarCode('*11 089 2343123', DE)).to.deep.equal({ type: 'set', condition: 'always', to: { type: 'number', number: '0892343123' } });
    expect(parseStarCode('*110041441234567', DE)).to.deep.include({ to: { type: 'number', number: '0041441234567' } });
    expect(parseStarCode('*11+49892343123', DE)).to.deep.include({ to: { type: 'number', number: '+49892343123' } });
    expect(parseStarCode('*103#')).to.deep.equal({ type: 'activate-profile', profile: 3 });
  });

  it('rejects malformed forwarding codes with invalid-star-code', () => {
    for (const dial of ['*10', '*10x', '*1012', '*10 12', '*11', '*12#', '*11*79', '*11*7911', '*11*792', '*11*', '*1133x', '**11x', '**110', '*13ab', '*11+']) {
      expectCentrexError(() => parseStarCode(dial), 'invalid-star-code', dial);
    }
  });

  it('with a dial plan, rejects targets that are no extension or number', () => {
    expectCentrexError(() => parseStarCode('*111234567', DE), 'invalid-star-code', '7-digit target without 0');
    expectCentrexError(() => parseStarCode('*11+491', DE), 'invalid-star-code', 'impossible number');
    expect(parseStarCode('*111234567')).to.deep.include({ type: 'set' });
  });

  it('returns undefined for everything that is not a forwarding code', () => {
    for (const dial of ['33', '0892343123', '+49892343123', '*80 33', '*8033', '*791', '*15', '**15', '*2', '', '#', '*', '**', '*1']) {
      expect(parseStarCode(dial), dial).to.equal(undefined);
    }
  });

  it('throws invalid-argument for a dial string that is not text', () => {
    expectCentrexError(() => parseStarCode(103 as unknown as string), 'invalid-argument', 'number');
  });
});

describe('applyStarCode', () => {
  it('*103 activates profile 3; an unknown profile is an error', () => {
    const settings = addProfile(createDefaultForwarding(), { number: 3, title: 'Urlaub' });
    expect(applyStarCode(settings, parseStarCode('*103')!).activeProfile).to.equal(3);
    expectCentrexError(() => applyStarCode(settings, parseStarCode('*104')!), 'unknown-profile', '*104');
  });

  it('*110049892343123 with profile 2 active sets "always" on the default profile and activates it', () => {
    const before = deepFreeze(threeProfiles());
    const after = applyStarCode(before, parseStarCode('*110049892343123')!);
    expect(after.activeProfile).to.equal(0);
    expect(after.profiles[0]!.forwarding).to.deep.equal({ always: { type: 'number', number: '0049892343123' } });
    expect(after.profiles.slice(1)).to.deep.equal(before.profiles.slice(1));
    expect(before.activeProfile).to.equal(2);
  });

  it('*1133 forwards everything to extension 33; *11*791 to voicemail', () => {
    expect(applyStarCode(createDefaultForwarding(), parseStarCode('*1133')!).profiles[0]!.forwarding).to.deep.equal({
      always: { type: 'number', number: '33' },
    });
    expect(applyStarCode(createDefaultForwarding(), parseStarCode('*11*791')!).profiles[0]!.forwarding).to.deep.equal({
      always: { type: 'voicemail' },
    });
  });

  it('*12 keeps the current no-answer timeout, or uses 20 s', () => {
    const fresh = applyStarCode(createDefaultForwarding(), parseStarCode('*1233')!);
    expect(fresh.profiles[0]!.forwarding.noAnswer).to.deep.equal({ after: 20, to: { type: 'number', number: '33' } });
    const base = createDefaultForwarding();
    const with10 = { ...base, profiles: [{ ...base.profiles[0]!, forwarding: { noAnswer: { after: 10, to: { type: 'voicemail' } } } }] } as ForwardingSettings;
    expect(applyStarCode(with10, parseStarCode('*1244')!).profiles[0]!.forwarding.noAnswer).to.deep.equal({
      after: 10,
      to: { type: 'number', number: '44' },
    });
  });

  it('*13 and *14 set busy and not-registered', () => {
    let settings = applyStarCode(createDefaultForwarding(), parseStarCode('*13*791')!);
    settings = applyStarCode(settings, parseStarCode('*140171 3921234')!);
    expect(settings.profiles[0]!.forwarding).to.deep.equal({
      busy: { type: 'voicemail' },
      notRegistered: { type: 'number', number: '01713921234' },
    });
  });

  it('**11–**14 clear the condition on the default profile without changing the active profile', () => {
    let settings = threeProfiles();
    for (const code of ['*11*791', '*1233', '*1344', '*14*791']) settings = applyStarCode(settings, parseStarCode(code)!);
    settings = { ...settings, activeProfile: 1 };
    const cleared = ['**11', '**12', '**13', '**14'].reduce((s, code) => applyStarCode(s, parseStarCode(code)!), settings);
    expect(cleared.profiles[0]!.forwarding).to.deep.equal({});
    expect(cleared.activeProfile).to.equal(1);
    // Clearing what is not set changes nothing.
    expect(applyStarCode(cleared, parseStarCode('**11')!)).to.deep.equal(cleared);
  });

  it('rejects a code or settings of the wrong shape', () => {
    expectCentrexError(() => applyStarCode(createDefaultForwarding(), { type: 'explode' } as unknown as StarCode), 'invalid-argument', 'bad code');
    expectCentrexError(() => applyStarCode(null as unknown as ForwardingSettings, { type: 'clear', condition: 'busy' }), 'invalid-argument', 'null');
    expectCentrexError(
      () => applyStarCode({ activeProfile: 1, profiles: [{ number: 1, title: 'x', forwarding: {}, selective: [] }] }, { type: 'clear', condition: 'busy' }),
      'unknown-profile',
      'no default profile',
    );
  });
});

describe('toStarCodes', () => {
  it('writes the default profile as codes that reproduce it when dialled', () => {
    const base = threeProfiles();
    const settings: ForwardingSettings = {
      ...base,
      profiles: [
        { ...base.profiles[0]!, forwarding: { always: { type: 'number', number: '+49 89 2343123' }, noAnswer: { after: 20, to: { type: 'voicemail' } }, notRegistered: { type: 'number', number: '33' } } },
        ...base.profiles.slice(1),
      ],
    };
    const codes = toStarCodes(settings);
    expect(codes).to.deep.equal(['*110049892343123', '*12*791', '**13', '*1433', '*102']);
    const replayed = codes.reduce((s, code) => applyStarCode(s, parseStarCode(code, DE)!), threeProfiles());
    expect(replayed.activeProfile).to.equal(2);
    expect(replayed.profiles[0]!.forwarding).to.deep.equal({
      always: { type: 'number', number: '0049892343123' },
      noAnswer: { after: 20, to: { type: 'voicemail' } },
      notRegistered: { type: 'number', number: '33' },
    });
  });

  it('names what star codes cannot say', () => {
    const base = createDefaultForwarding();
    const settings: ForwardingSettings = {
      ...base,
      profiles: [{ ...base.profiles[0]!, forwarding: { busy: { type: 'busy' }, noAnswer: { after: 5, to: { type: 'voicemail' } } } }],
    };
    expect(starCodeGaps(settings)).to.deep.equal(['noAnswer', 'busy']);
    expect(toStarCodes(settings)).to.deep.equal(['**11', '*12*791', '**14', '*100']);
    expect(starCodeGaps(createDefaultForwarding())).to.deep.equal([]);
  });
});
