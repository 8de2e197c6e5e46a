import { describe, it, expect } from '../../support/harness.js';
import { isCentrexError } from '../../../src/core/errors.js';
import { CALL_TRANSITIONS, CallStates } from '../../../src/core/phone/call-state.js';
import { REGISTRATION_TRANSITIONS, RegistrationStates } from '../../../src/core/phone/registration-state.js';
import { assertTransition, canTransition } from '../../../src/core/phone/state-machine.js';

describe('registration state machine', () => {
  it('lists every state in the transition table, and only known states as targets', () => {
    const states = Object.values(RegistrationStates);
    expect(Object.keys(REGISTRATION_TRANSITIONS).sort()).to.deep.equal([...states].sort());
    for (const targets of Object.values(REGISTRATION_TRANSITIONS)) for (const to of targets) expect(states).to.include(to);
  });

  it('allows the normal life cycle and recovery', () => {
    const path = ['idle', 'connecting', 'registering', 'registered', 'reconnecting', 'connecting', 'registering', 'registered', 'unregistering', 'stopped', 'connecting'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(REGISTRATION_TRANSITIONS, path[i - 1]!, path[i]!), `${path[i - 1]} → ${path[i]}`).to.equal(true);
  });

  it('refuses impossible transitions with invalid-transition naming both states', () => {
    let caught: unknown;
    try {
      assertTransition(REGISTRATION_TRANSITIONS, 'idle', 'registered', 'phone sip:1001@example.com');
    } catch (error) {
      caught = error;
    }
    expect(isCentrexError(caught, 'invalid-transition')).to.equal(true);
    expect((caught as Error).message).to.contain('"idle"').and.contain('"registered"').and.contain('sip:1001@example.com');
  });

  it('never registers again after an authentication failure without start()', () => {
    expect(canTransition(REGISTRATION_TRANSITIONS, 'failed', 'registering')).to.equal(false);
    expect(canTransition(REGISTRATION_TRANSITIONS, 'failed', 'connecting')).to.equal(true);
  });
});

describe('call state machine', () => {
  it('lists every state, and ended is final', () => {
    const states = Object.values(CallStates);
    expect(Object.keys(CALL_TRANSITIONS).sort()).to.deep.equal([...states].sort());
    expect(CALL_TRANSITIONS.ended).to.deep.equal([]);
    for (const state of states) if (state !== 'ended') expect(CALL_TRANSITIONS[state], state).to.include('ended');
  });

  it('allows outgoing and incoming paths, hold and transfer', () => {
    const ok: [string, string][] = [
      ['dialling', 'ringing'],
      ['ringing', 'early-media'],
      ['early-media', 'established'],
      ['dialling', 'established'],
      ['established', 'held'],
      ['held', 'established'],
      ['held', 'transferring'],
      ['transferring', 'held'],
      ['transferring', 'ended'],
    ];
    for (const [from, to] of ok) expect(canTransition(CALL_TRANSITIONS, from as never, to as never), `${from} → ${to}`).to.equal(true);
  });

  it('refuses holding a call that is not answered', () => {
    expect(canTransition(CALL_TRANSITIONS, 'ringing', 'held')).to.equal(false);
    expect(canTransition(CALL_TRANSITIONS, 'ended', 'established')).to.equal(false);
    expect(() => assertTransition(CALL_TRANSITIONS, 'ringing', 'held', 'call 1')).to.throw(/cannot go from "ringing" to "held"/);
  });
});
