import { CentrexError } from '../errors.js';
import { DEFAULT_PROFILE_NUMBER, MAX_PROFILES } from './defaults.js';
import type { ForwardingProfile, ForwardingSettings } from './types.js';
import { assertValidForwarding } from './validate.js';

/** What a new profile needs (manual: "Titel", "Nummer", optional "Farbe"). */
export interface NewProfile {
  /** 1–9, not yet used. */
  readonly number: number;
  /** Shown to people; not empty. */
  readonly title: string;
  /** Optional CSS colour. */
  readonly color?: string;
}

/**
 * Adds an empty profile (no forwarding, no rules). Returns new settings; the input is not changed.
 *
 * @throws CentrexError `invalid-forwarding` when the number is taken or out of range, the title is empty, or ten
 *   profiles exist already
 */
export function addProfile(settings: ForwardingSettings, profile: NewProfile): ForwardingSettings {
  return withProfile(settings, { ...profile, forwarding: {}, selective: [] });
}

/**
 * Copies a profile (its forwarding and selective rules) under a new number and title (manual: "Profil duplizieren").
 * Copying the default profile gives a profile that can then take selective rules.
 *
 * @throws CentrexError `unknown-profile` when `from` does not exist; `invalid-forwarding` as for {@link addProfile}
 */
export function duplicateProfile(settings: ForwardingSettings, from: number, copy: NewProfile): ForwardingSettings {
  const source = requireProfile(settings, from);
  return withProfile(settings, { ...source, ...copy, selective: source.selective });
}

/**
 * Replaces a profile with an edited version (same number). Returns new settings.
 *
 * @throws CentrexError `unknown-profile` when no profile has that number; `invalid-forwarding` when the result
 *   breaks a rule (see {@link validateForwarding})
 */
export function updateProfile(settings: ForwardingSettings, profile: ForwardingProfile): ForwardingSettings {
  requireProfile(settings, profile.number);
  const next = { ...settings, profiles: settings.profiles.map((p) => (p.number === profile.number ? profile : p)) };
  assertValidForwarding(next);
  return next;
}

/**
 * Deletes a profile. Deleting the active profile makes the default profile active.
 *
 * @throws CentrexError `invalid-forwarding` for the default profile (it cannot be deleted); `unknown-profile` when
 *   no profile has that number
 */
export function deleteProfile(settings: ForwardingSettings, number: number): ForwardingSettings {
  if (number === DEFAULT_PROFILE_NUMBER) {
    throw new CentrexError('invalid-forwarding', 'The default profile cannot be deleted.', { details: { profile: number } });
  }
  requireProfile(settings, number);
  return {
    activeProfile: settings.activeProfile === number ? DEFAULT_PROFILE_NUMBER : settings.activeProfile,
    profiles: settings.profiles.filter((profile) => profile.number !== number),
  };
}

/**
 * Makes a profile the active one.
 *
 * @throws CentrexError `unknown-profile` when no profile has that number
 */
export function activateProfile(settings: ForwardingSettings, number: number): ForwardingSettings {
  requireProfile(settings, number);
  return { ...settings, activeProfile: number };
}

function withProfile(settings: ForwardingSettings, profile: ForwardingProfile): ForwardingSettings {
  if (settings.profiles.length >= MAX_PROFILES) {
    throw new CentrexError('invalid-forwarding', `At most ${MAX_PROFILES} profiles are possible; delete one first.`);
  }
  if (settings.profiles.some((existing) => existing.number === profile.number)) {
    throw new CentrexError('invalid-forwarding', `Profile number ${profile.number} is taken; choose another from 1 to 9.`, {
      details: { profile: profile.number },
    });
  }
  const next = { ...settings, profiles: [...settings.profiles, profile].sort((a, b) => a.number - b.number) };
  assertValidForwarding(next);
  return next;
}

function requireProfile(settings: ForwardingSettings, number: number): ForwardingProfile {
  const found = settings.profiles.find((profile) => profile.number === number);
  if (!found) {
    throw new CentrexError('unknown-profile', `There is no forwarding profile ${number}.`, { details: { profile: number } });
  }
  return found;
}
