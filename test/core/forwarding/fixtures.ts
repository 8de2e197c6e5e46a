// Shared settings for the forwarding tests, modelled on the manual's examples (B.4, 4.1).
import {
  addProfile,
  createDefaultForwarding,
  type CalleeState,
  type ForwardingProfile,
  type ForwardingSettings,
  type PlanContext,
} from '../../../src/core/forwarding/index.js';

/** A user who is online and free. */
export const FREE: CalleeState = { registered: true, busy: false };

/** The phone book used by contact rules: Clara has a mobile and an office number, in different formats. */
export const CONTACTS: Readonly<Record<string, readonly string[]>> = {
  clara: ['0171 3921234', '+49 (89) 123456'],
  assistant: ['21'],
};

/** Dial plan of a German company, with the phone book above. */
export const CONTEXT: PlanContext = {
  dialPlan: { country: 'DE' },
  contactNumbers: (id) => CONTACTS[id] ?? [],
};

/** Default profile plus the given profile, which is made active. */
export function withActiveProfile(profile: Omit<ForwardingProfile, 'number' | 'title'>): ForwardingSettings {
  const settings = addProfile(createDefaultForwarding(), { number: 1, title: 'Urlaub' });
  return {
    activeProfile: 1,
    profiles: settings.profiles.map((p) => (p.number === 1 ? { ...p, ...profile } : p)),
  };
}

/** Freezes a value and everything inside it, so a test proves that nothing was changed. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
