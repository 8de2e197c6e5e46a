import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import {
  createDefaultForwarding,
  planIncomingCall,
  type ForwardingSettings,
  type IncomingCall,
} from '../../../src/core/forwarding/index.js';
import { CONTEXT, FREE, deepFreeze, withActiveProfile } from './fixtures.js';

const fromExtension = (extension: string): IncomingCall => ({ from: { extension } });
const fromNumber = (number: string): IncomingCall => ({ from: { number } });
const ANONYMOUS: IncomingCall = { from: { anonymous: true } };

function defaultWith(forwarding: ForwardingSettings['profiles'][number]['forwarding']): ForwardingSettings {
  const settings = createDefaultForwarding();
  return { ...settings, profiles: [{ ...settings.profiles[0]!, forwarding }] };
}

describe('planIncomingCall: the four conditions of a profile (manual B.4)', () => {
  it('rings a free, registered user when nothing is set', () => {
    expect(planIncomingCall(createDefaultForwarding(), fromExtension('22'), FREE, CONTEXT)).to.deep.equal({
      action: 'ring',
    });
  });

  it('"Immer" sends every caller straight to the destination', () => {
    const settings = defaultWith({ always: { type: 'number', number: '33' } });
    for (const call of [fromExtension('22'), fromNumber('+4930123456'), ANONYMOUS]) {
      expect(planIncomingCall(settings, call, FREE, CONTEXT)).to.deep.equal({
        action: 'forward',
        to: { type: 'number', number: '33' },
        reason: 'always',
      });
    }
  });

  it('"Besetzt" forwards only when the user is busy and call waiting is off', () => {
    const settings = defaultWith({ busy: { type: 'voicemail' } });
    const busy = { registered: true, busy: true };
    expect(planIncomingCall(settings, fromExtension('22'), busy, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'voicemail' },
      reason: 'busy',
    });
    // With call waiting on, the second call knocks instead; a decline would still go to voicemail.
    expect(planIncomingCall(settings, fromExtension('22'), { ...busy, callWaiting: true }, CONTEXT)).to.deep.equal({
      action: 'ring',
      onBusy: { type: 'voicemail' },
    });
  });

  it('rejects with 486 when busy without a busy destination, and 480 when not registered', () => {
    expect(planIncomingCall(createDefaultForwarding(), fromExtension('22'), { registered: true, busy: true }, CONTEXT))
      .to.deep.equal({ action: 'reject', status: 486, reason: 'busy' });
    expect(planIncomingCall(createDefaultForwarding(), fromExtension('22'), { registered: false, busy: false }, CONTEXT))
      .to.deep.equal({ action: 'reject', status: 480, reason: 'not-registered' });
  });

  it('"Keine Antwort" rings first and names the timeout and destination', () => {
    for (const after of [5, 10, 15, 20] as const) {
      const settings = defaultWith({ noAnswer: { after, to: { type: 'number', number: '0891234567' } } });
      expect(planIncomingCall(settings, fromExtension('22'), FREE, CONTEXT)).to.deep.equal({
        action: 'ring',
        onNoAnswer: { after, to: { type: 'number', number: '0891234567' } },
      });
    }
  });

  it('"Nicht registriert" forwards when no device is registered (e.g. a broken cable)', () => {
    const settings = defaultWith({ notRegistered: { type: 'number', number: '+491713921234' } });
    expect(planIncomingCall(settings, fromExtension('22'), { registered: false, busy: false }, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'number', number: '+491713921234' },
      reason: 'not-registered',
    });
  });

  it('evaluates always before not-registered before busy', () => {
    const settings = defaultWith({
      always: { type: 'voicemail' },
      busy: { type: 'number', number: '33' },
      notRegistered: { type: 'number', number: '34' },
    });
    const offline = { registered: false, busy: true };
    expect(planIncomingCall(settings, fromExtension('22'), offline, CONTEXT)).to.include({ reason: 'always' });
    const { always: _always, ...rest } = settings.profiles[0]!.forwarding;
    expect(planIncomingCall(defaultWith(rest), fromExtension('22'), offline, CONTEXT)).to.include({
      reason: 'not-registered',
    });
  });

  it('only the active profile counts', () => {
    const settings = withActiveProfile({ forwarding: { always: { type: 'voicemail' } }, selective: [] });
    expect(planIncomingCall(settings, fromExtension('22'), FREE, CONTEXT)).to.include({ action: 'forward' });
    expect(planIncomingCall({ ...settings, activeProfile: 0 }, fromExtension('22'), FREE, CONTEXT)).to.deep.equal({
      action: 'ring',
    });
  });
});

describe('planIncomingCall: global do-not-disturb', () => {
  const dnd = { ...FREE, dnd: true };

  it('forwards to the "always" destination, which doubles as the DND destination', () => {
    const settings = defaultWith({ always: { type: 'number', number: '33' }, busy: { type: 'voicemail' } });
    expect(planIncomingCall(settings, fromExtension('22'), dnd, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'number', number: '33' },
      reason: 'dnd',
    });
  });

  it('uses the "busy" destination when there is no "always"', () => {
    const settings = defaultWith({ busy: { type: 'voicemail' } });
    expect(planIncomingCall(settings, fromExtension('22'), dnd, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'voicemail' },
      reason: 'dnd',
    });
  });

  it('gives a busy signal when neither is set, even when not registered', () => {
    expect(planIncomingCall(createDefaultForwarding(), fromExtension('22'), { ...dnd, registered: false }, CONTEXT))
      .to.deep.equal({ action: 'forward', to: { type: 'busy' }, reason: 'dnd' });
  });
});

describe('planIncomingCall: selective rules (manual 4 and 4.1)', () => {
  it('Clara always goes to voicemail, on any of her numbers in any format; others ring', () => {
    const settings = withActiveProfile({
      forwarding: {},
      selective: [{ id: 'clara', match: { type: 'contact', contactId: 'clara' }, forwarding: { always: { type: 'voicemail' } } }],
    });
    for (const number of ['+491713921234', '01713921234', '0049 171 392 1234', '+49 89 123456']) {
      expect(planIncomingCall(settings, fromNumber(number), FREE, CONTEXT), number).to.deep.equal({
        action: 'forward',
        to: { type: 'voicemail' },
        reason: 'always',
        rule: 'clara',
      });
    }
    expect(planIncomingCall(settings, fromNumber('+491709999999'), FREE, CONTEXT)).to.deep.equal({ action: 'ring' });
  });

  it('a rule can send Clara a busy signal instead', () => {
    const settings = withActiveProfile({
      forwarding: {},
      selective: [{ id: 'clara', match: { type: 'contact', contactId: 'clara' }, forwarding: { always: { type: 'busy' } } }],
    });
    expect(planIncomingCall(settings, fromNumber('01713921234'), FREE, CONTEXT)).to.deep.include({
      to: { type: 'busy' },
      rule: 'clara',
    });
  });

  it('anonymous callers go to voicemail; callers with a number do not', () => {
    const settings = withActiveProfile({
      forwarding: {},
      selective: [{ id: 'anon', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } }],
    });
    for (const call of [ANONYMOUS, { from: {} }, { from: { number: '', extension: '' } }, { from: { anonymous: true, number: '+4930123456' } }]) {
      expect(planIncomingCall(settings, call, FREE, CONTEXT), JSON.stringify(call)).to.deep.include({
        action: 'forward',
        rule: 'anon',
      });
    }
    expect(planIncomingCall(settings, fromNumber('+4930123456'), FREE, CONTEXT)).to.deep.equal({ action: 'ring' });
    expect(planIncomingCall(settings, fromExtension('22'), FREE, CONTEXT)).to.deep.equal({ action: 'ring' });
  });

  it('internal calls go to the assistant, but the assistant still gets through', () => {
    const settings = withActiveProfile({
      forwarding: { noAnswer: { after: 20, to: { type: 'voicemail' } } },
      selective: [
        { id: 'internal', match: { type: 'internal' }, forwarding: { always: { type: 'number', number: '21' } } },
        { id: 'assistant', match: { type: 'extension', extension: '21' }, forwarding: {} },
      ],
    });
    expect(planIncomingCall(settings, fromExtension('22'), FREE, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'number', number: '21' },
      reason: 'always',
      rule: 'internal',
    });
    // The assistant's own rule is empty: it replaces the profile's forwarding, so the call simply rings.
    expect(planIncomingCall(settings, fromExtension('21'), FREE, CONTEXT)).to.deep.equal({
      action: 'ring',
      rule: 'assistant',
    });
    // A colleague whose number arrives as a short internal number is internal too.
    expect(planIncomingCall(settings, fromNumber('23'), FREE, CONTEXT)).to.deep.include({ rule: 'internal' });
    // External callers are not internal: the profile's general forwarding applies.
    expect(planIncomingCall(settings, fromNumber('+4930123456'), FREE, CONTEXT)).to.deep.equal({
      action: 'ring',
      onNoAnswer: { after: 20, to: { type: 'voicemail' } },
    });
  });

  it('rule order does not matter: the exact extension beats "internal" either way', () => {
    const settings = withActiveProfile({
      forwarding: {},
      selective: [
        { id: 'assistant', match: { type: 'extension', extension: '21' }, forwarding: {} },
        { id: 'internal', match: { type: 'internal' }, forwarding: { always: { type: 'number', number: '21' } } },
      ],
    });
    expect(planIncomingCall(settings, fromExtension('21'), FREE, CONTEXT)).to.deep.equal({ action: 'ring', rule: 'assistant' });
  });

  it('a contact rule can name a colleague by extension', () => {
    const settings = withActiveProfile({
      forwarding: { always: { type: 'voicemail' } },
      selective: [{ id: 'assistant-contact', match: { type: 'contact', contactId: 'assistant' }, forwarding: {} }],
    });
    expect(planIncomingCall(settings, fromExtension('21'), FREE, CONTEXT)).to.deep.equal({
      action: 'ring',
      rule: 'assistant-contact',
    });
  });

  describe('prefixes: Germany, Munich, the customer company, one person there', () => {
    const colleague = { type: 'number', number: '44' } as const;
    const settings = withActiveProfile({
      forwarding: {},
      selective: [
        { id: 'germany', match: { type: 'prefix', prefix: '+49' }, forwarding: { always: colleague } },
        { id: 'munich', match: { type: 'prefix', prefix: '+4989' }, forwarding: { always: colleague } },
        { id: 'customer', match: { type: 'prefix', prefix: '+49 89 999998' }, forwarding: { always: colleague } },
        { id: 'contact-person', match: { type: 'prefix', prefix: '+4989999998101' }, forwarding: {} },
      ],
    });
    const ruleFor = (number: string): string | undefined => {
      const plan = planIncomingCall(settings, fromNumber(number), FREE, CONTEXT);
      return 'rule' in plan ? plan.rule : undefined;
    };

    it('the longest matching prefix decides', () => {
      expect(ruleFor('+49301234567')).to.equal('germany');
      expect(ruleFor('030 1234567')).to.equal('germany');
      expect(ruleFor('+49891234567')).to.equal('munich');
      expect(ruleFor('089 1234567')).to.equal('munich');
      expect(ruleFor('+4989999998102')).to.equal('customer');
    });

    it('the one person whose whole number is a rule always gets through', () => {
      expect(planIncomingCall(settings, fromNumber('0049 89 999998 101'), FREE, CONTEXT)).to.deep.equal({
        action: 'ring',
        rule: 'contact-person',
      });
    });

    it('callers from abroad, colleagues and anonymous callers match no prefix', () => {
      expect(ruleFor('+43 1 5123456')).to.equal(undefined);
      expect(ruleFor('22')).to.equal(undefined);
      expect(planIncomingCall(settings, ANONYMOUS, FREE, CONTEXT)).to.deep.equal({ action: 'ring' });
    });

    it('prefixes may be written nationally or with 00', () => {
      const national = withActiveProfile({
        forwarding: {},
        selective: [
          { id: 'munich', match: { type: 'prefix', prefix: '089' }, forwarding: { always: colleague } },
          { id: 'germany', match: { type: 'prefix', prefix: '0049' }, forwarding: { always: { type: 'voicemail' } } },
        ],
      });
      expect(planIncomingCall(national, fromNumber('+49891234567'), FREE, CONTEXT)).to.include({ rule: 'munich' });
      expect(planIncomingCall(national, fromNumber('+49301234567'), FREE, CONTEXT)).to.include({ rule: 'germany' });
    });
  });

  it('selective rules on the default profile are ignored, as the manual allows none there', () => {
    const settings = createDefaultForwarding();
    const broken: ForwardingSettings = {
      ...settings,
      profiles: [{ ...settings.profiles[0]!, selective: [{ id: 'x', match: { type: 'internal' }, forwarding: { always: { type: 'voicemail' } } }] }],
    };
    expect(planIncomingCall(broken, fromExtension('22'), FREE, CONTEXT)).to.deep.equal({ action: 'ring' });
  });

  it('a rule decides busy and not-registered handling too, and DND still wins', () => {
    const settings = withActiveProfile({
      forwarding: { busy: { type: 'voicemail' } },
      selective: [{ id: 'boss', match: { type: 'extension', extension: '10' }, forwarding: { busy: { type: 'number', number: '21' } } }],
    });
    const busy = { registered: true, busy: true };
    expect(planIncomingCall(settings, fromExtension('10'), busy, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'number', number: '21' },
      reason: 'busy',
      rule: 'boss',
    });
    expect(planIncomingCall(settings, fromExtension('10'), { ...FREE, dnd: true }, CONTEXT)).to.deep.equal({
      action: 'forward',
      to: { type: 'number', number: '21' },
      reason: 'dnd',
      rule: 'boss',
    });
  });
});

describe('planIncomingCall: robustness', () => {
  it('never changes its inputs', () => {
    const settings = deepFreeze(
      withActiveProfile({
        forwarding: { noAnswer: { after: 10, to: { type: 'voicemail' } } },
        selective: [{ id: 'anon', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } }],
      }),
    );
    const before = JSON.stringify(settings);
    planIncomingCall(settings, deepFreeze(ANONYMOUS), deepFreeze({ ...FREE }), CONTEXT);
    planIncomingCall(settings, deepFreeze(fromExtension('22')), deepFreeze({ ...FREE }), CONTEXT);
    expect(JSON.stringify(settings)).to.equal(before);
  });

  it('falls back to the default profile when the active one is missing', () => {
    const settings = { ...defaultWith({ always: { type: 'voicemail' } }), activeProfile: 7 };
    expect(planIncomingCall(settings, fromExtension('22'), FREE, CONTEXT)).to.include({ reason: 'always' });
  });

  it('an unreadable caller number matches no number rule but is not anonymous', () => {
    const settings = withActiveProfile({
      forwarding: {},
      selective: [{ id: 'anon', match: { type: 'anonymous' }, forwarding: { always: { type: 'voicemail' } } }],
    });
    expect(planIncomingCall(settings, fromNumber('unknown'), FREE, CONTEXT)).to.deep.equal({ action: 'ring' });
  });

  it('throws only CentrexError for arguments of the wrong kind', () => {
    const cases: unknown[][] = [
      [null, fromExtension('1'), FREE, CONTEXT],
      [{ activeProfile: 0 }, fromExtension('1'), FREE, CONTEXT],
      [createDefaultForwarding(), null, FREE, CONTEXT],
      [createDefaultForwarding(), { from: null }, FREE, CONTEXT],
      [createDefaultForwarding(), fromExtension('1'), undefined, CONTEXT],
      [createDefaultForwarding(), fromExtension('1'), FREE, { dialPlan: { country: 'ZZ' } }],
    ];
    for (const args of cases) {
      try {
        (planIncomingCall as (...a: unknown[]) => unknown)(...args);
        expect.fail(`should have thrown for ${JSON.stringify(args)}`);
      } catch (error) {
        expect(isCentrexError(error), String(error)).to.equal(true);
      }
    }
  });
});
