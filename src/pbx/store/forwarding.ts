/**
 * Each user's forwarding settings (the core `ForwardingSettings`). Whatever is stored passes the core's
 * `validateForwarding` with the tenant's dial plan and the tenant's toll-fraud policy; reads always return valid
 * settings.
 * @packageDocumentation
 */
import {
  createDefaultForwarding,
  validateForwarding,
  type CallerMatch,
  type ConditionalForwarding,
  type Destination,
  type ForwardingProfile,
  type ForwardingSettings,
  type SelectiveRule,
} from '../../core/forwarding/index.js';
import { notFound, parseJson, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { checkDestination } from './policy.js';
import type { Tenant } from './types.js';

/** The forwarding part of {@link Store}. */
export interface ForwardingStore {
  /** The user's forwarding settings (the default ones if none were stored). @throws StoreError `not-found` */
  getForwarding(userId: string): ForwardingSettings;
  /**
   * Replaces the user's forwarding settings. They must pass `validateForwarding` with the tenant's dial plan, and
   * every destination number that was not already stored must pass the tenant's toll-fraud policy.
   * @returns the settings as stored (unknown fields dropped)
   * @throws StoreError `not-found`; `validation-failed` with `issues` (the core's `ForwardingIssue`s);
   *   `destination-not-allowed`. Nothing is written when it throws.
   */
  setForwarding(userId: string, settings: ForwardingSettings): ForwardingSettings;
  /**
   * Reads, changes and writes the settings in one transaction, so a star code dialled on a phone and an edit in the
   * app cannot overwrite each other: `store.updateForwarding(id, (s) => applyStarCode(s, code))`.
   * @throws as {@link ForwardingStore.setForwarding}, and whatever `change` throws (nothing is written then)
   */
  updateForwarding(userId: string, change: (current: ForwardingSettings) => ForwardingSettings): ForwardingSettings;
}

function canonicalDestination(destination: Destination): Destination {
  return destination.type === 'number' ? { type: 'number', number: destination.number.trim() } : { type: destination.type };
}

function canonicalForwarding(forwarding: ConditionalForwarding): ConditionalForwarding {
  return {
    ...(forwarding.always ? { always: canonicalDestination(forwarding.always) } : {}),
    ...(forwarding.busy ? { busy: canonicalDestination(forwarding.busy) } : {}),
    ...(forwarding.noAnswer
      ? { noAnswer: { after: forwarding.noAnswer.after, to: canonicalDestination(forwarding.noAnswer.to) } }
      : {}),
    ...(forwarding.notRegistered ? { notRegistered: canonicalDestination(forwarding.notRegistered) } : {}),
  };
}

function canonicalMatch(match: CallerMatch): CallerMatch {
  switch (match.type) {
    case 'anonymous':
    case 'internal':
      return { type: match.type };
    case 'extension':
      return { type: 'extension', extension: match.extension.trim() };
    case 'contact':
      return { type: 'contact', contactId: match.contactId };
    case 'prefix':
      return { type: 'prefix', prefix: match.prefix.trim() };
  }
}

/** Keeps only the fields the core defines, so stored settings never carry anything else. */
function canonical(settings: ForwardingSettings): ForwardingSettings {
  return {
    activeProfile: settings.activeProfile,
    profiles: [...settings.profiles]
      .sort((a, b) => a.number - b.number)
      .map(
        (profile): ForwardingProfile => ({
          number: profile.number,
          title: profile.title.trim(),
          ...(profile.color === undefined ? {} : { color: profile.color }),
          forwarding: canonicalForwarding(profile.forwarding),
          selective: profile.selective.map(
            (rule): SelectiveRule => ({ id: rule.id, match: canonicalMatch(rule.match), forwarding: canonicalForwarding(rule.forwarding) }),
          ),
        }),
      ),
  };
}

function destinationsOf(forwarding: ConditionalForwarding): Destination[] {
  return [forwarding.always, forwarding.busy, forwarding.noAnswer?.to, forwarding.notRegistered].filter(
    (destination): destination is Destination => destination !== undefined,
  );
}

/** Every number destination with where it is, as a field path for error messages. */
function numbersOf(settings: ForwardingSettings): { number: string; field: string }[] {
  const found: { number: string; field: string }[] = [];
  settings.profiles.forEach((profile, p) => {
    const add = (forwarding: ConditionalForwarding, at: string): void => {
      for (const destination of destinationsOf(forwarding)) {
        if (destination.type === 'number') found.push({ number: destination.number, field: at });
      }
    };
    add(profile.forwarding, `profiles.${p}.forwarding`);
    profile.selective.forEach((rule, r) => add(rule.forwarding, `profiles.${p}.selective.${r}.forwarding`));
  });
  return found;
}

/** Checks what `validateForwarding` does not: lengths and colours, which end up in every client's UI. */
function extraIssues(settings: ForwardingSettings): string | undefined {
  for (const profile of settings.profiles) {
    if (typeof profile.title === 'string' && profile.title.length > 100) return `Profile ${profile.number}: the title is too long.`;
    if (profile.color !== undefined && (typeof profile.color !== 'string' || !/^#[0-9a-fA-F]{3,8}$|^[a-z]{3,20}$/.test(profile.color))) {
      return `Profile ${profile.number}: the colour must be a CSS colour such as #2e7d32.`;
    }
    if (Array.isArray(profile.selective) && profile.selective.length > 100) return `Profile ${profile.number}: at most 100 rules.`;
    for (const rule of Array.isArray(profile.selective) ? profile.selective : []) {
      if (typeof rule.id === 'string' && rule.id.length > 64) return `Profile ${profile.number}: rule ids have at most 64 characters.`;
    }
  }
  return undefined;
}

/** Builds the forwarding part of the store. */
export function forwardingStore(ctx: StoreContext, tenantOfUser: (userId: string) => Tenant | undefined): ForwardingStore {
  const read = (userId: string): ForwardingSettings => {
    const row = ctx.sql<[string], { settings: string }>('SELECT settings FROM forwarding WHERE user_id = ?').get(userId);
    const tenant = tenantOfUser(userId);
    if (row) {
      const stored = parseJson(row.settings, undefined) as ForwardingSettings | undefined;
      // Checked with the tenant's dial plan, as when written: national prefixes ("030 5550") are valid only with it.
      if (stored !== undefined && validateForwarding(stored, tenant?.dialPlan).length === 0) return stored;
    }
    if (!tenant) throw notFound('The user');
    // Only a damaged or missing row gets here; answering with the defaults keeps calls flowing.
    return createDefaultForwarding();
  };

  const write = (userId: string, settings: ForwardingSettings, current: ForwardingSettings): ForwardingSettings => {
    const tenant = tenantOfUser(userId);
    if (!tenant) throw notFound('The user');
    const issues = validateForwarding(settings, tenant.dialPlan);
    if (issues.length > 0) {
      throw new StoreError('validation-failed', issues.map((issue) => issue.message).join(' '), { issues, field: 'forwarding' });
    }
    const extra = extraIssues(settings);
    if (extra) throw new StoreError('validation-failed', extra, { field: 'forwarding' });
    const known = new Set(numbersOf(current).map((entry) => entry.number.trim()));
    for (const entry of numbersOf(settings)) {
      if (known.has(entry.number.trim())) continue;
      const checked = checkDestination(entry.number, tenant);
      if (!checked.allowed) {
        throw new StoreError(checked.reason === 'invalid' ? 'validation-failed' : 'destination-not-allowed', checked.message, {
          field: entry.field,
        });
      }
    }
    const clean = canonical(settings);
    ctx
      .sql<[string, string, number]>(
        `INSERT INTO forwarding (user_id, settings, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
      )
      .run(userId, JSON.stringify(clean), ctx.now());
    return clean;
  };

  return {
    getForwarding: read,
    setForwarding(userId, settings) {
      return ctx.tx(() => write(userId, settings, read(userId)));
    },
    updateForwarding(userId, change) {
      return ctx.tx(() => {
        const current = read(userId);
        return write(userId, change(current), current);
      });
    },
  };
}
