/**
 * Reading request bodies and query strings field by field. Types are checked here (a wrong type is a
 * `400 validation-failed` naming the field); rules about content (lengths, formats, uniqueness) are the store's.
 * Unknown fields are always rejected, so a typo never passes silently.
 * @packageDocumentation
 */
import { invalid } from './errors.js';

/** A JSON object from a request. */
export type JsonObject = Readonly<Record<string, unknown>>;

function path(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`;
}

/**
 * Checks that `value` is a JSON object with no fields but `allowed`.
 * @param where - the field path of the object, for messages (`''` for the body)
 */
export function expectObject(value: unknown, allowed: readonly string[], where = ''): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(where === '' ? 'body' : where, where === '' ? 'The body must be a JSON object.' : `${where} must be an object.`);
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw invalid(path(where, key), `Unknown field "${path(where, key)}".`);
  }
  return value as JsonObject;
}

/** A required string field. */
export function requiredString(object: JsonObject, key: string, where = ''): string {
  const value = object[key];
  if (typeof value !== 'string') throw invalid(path(where, key), `${path(where, key)} is required and must be text.`);
  return value;
}

/** An optional string field (absent → `undefined`). */
export function optionalString(object: JsonObject, key: string, where = ''): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(path(where, key), `${path(where, key)} must be text.`);
  return value;
}

/** An optional string field that may also be `null` (to clear it). */
export function nullableString(object: JsonObject, key: string, where = ''): string | null | undefined {
  const value = object[key];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'string') throw invalid(path(where, key), `${path(where, key)} must be text or null.`);
  return value;
}

/** An optional boolean field. */
export function optionalBoolean(object: JsonObject, key: string, where = ''): boolean | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw invalid(path(where, key), `${path(where, key)} must be true or false.`);
  return value;
}

/** An optional whole-number field. */
export function optionalInteger(object: JsonObject, key: string, where = ''): number | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid(path(where, key), `${path(where, key)} must be a whole number.`);
  }
  return value;
}

/** An optional field with one of a few string values. */
export function optionalEnum<T extends string>(object: JsonObject, key: string, values: readonly T[], where = ''): T | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw invalid(path(where, key), `${path(where, key)} must be one of ${values.join(', ')}.`);
  }
  return value as T;
}

/** An optional array field. */
export function optionalArray(object: JsonObject, key: string, where = ''): readonly unknown[] | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw invalid(path(where, key), `${path(where, key)} must be a list.`);
  return value;
}

/** A whole-number query parameter within bounds (absent → `fallback`). */
export function queryInteger(query: URLSearchParams, key: string, min: number, max: number, fallback: number): number {
  const raw = query.get(key);
  if (raw === null) return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw invalid(key, `${key} must be a whole number from ${min} to ${max}.`);
  }
  return Number(raw);
}

const FORWARDING_SHAPE = {
  settings: ['activeProfile', 'profiles'],
  profile: ['number', 'title', 'color', 'forwarding', 'selective'],
  forwarding: ['always', 'busy', 'noAnswer', 'notRegistered'],
  noAnswer: ['after', 'to'],
  destination: ['type', 'number'],
  rule: ['id', 'match', 'forwarding'],
  match: ['type', 'extension', 'contactId', 'prefix'],
} as const;

function checkKeys(value: unknown, allowed: readonly string[], where: string): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) expectObject(value, allowed, where);
}

function checkForwardingKeys(value: unknown, where: string): void {
  checkKeys(value, FORWARDING_SHAPE.forwarding, where);
  if (typeof value !== 'object' || value === null) return;
  const forwarding = value as Record<string, unknown>;
  for (const condition of ['always', 'busy', 'notRegistered']) {
    checkKeys(forwarding[condition], FORWARDING_SHAPE.destination, `${where}.${condition}`);
  }
  checkKeys(forwarding['noAnswer'], FORWARDING_SHAPE.noAnswer, `${where}.noAnswer`);
  const noAnswer = forwarding['noAnswer'];
  if (typeof noAnswer === 'object' && noAnswer !== null) {
    checkKeys((noAnswer as Record<string, unknown>)['to'], FORWARDING_SHAPE.destination, `${where}.noAnswer.to`);
  }
}

/**
 * Rejects unknown fields anywhere in forwarding settings (the core's validation checks everything else), so that
 * forwarding bodies follow the same rule as all other bodies.
 */
export function checkForwardingFields(value: unknown): void {
  expectObject(value, FORWARDING_SHAPE.settings);
  const profiles = (value as Record<string, unknown>)['profiles'];
  if (!Array.isArray(profiles)) return;
  profiles.forEach((profile: unknown, p) => {
    const at = `profiles.${p}`;
    checkKeys(profile, FORWARDING_SHAPE.profile, at);
    if (typeof profile !== 'object' || profile === null) return;
    const record = profile as Record<string, unknown>;
    checkForwardingKeys(record['forwarding'], `${at}.forwarding`);
    const rules = record['selective'];
    if (!Array.isArray(rules)) return;
    rules.forEach((rule: unknown, r) => {
      checkKeys(rule, FORWARDING_SHAPE.rule, `${at}.selective.${r}`);
      if (typeof rule !== 'object' || rule === null) return;
      const ruleRecord = rule as Record<string, unknown>;
      checkKeys(ruleRecord['match'], FORWARDING_SHAPE.match, `${at}.selective.${r}.match`);
      checkForwardingKeys(ruleRecord['forwarding'], `${at}.selective.${r}.forwarding`);
    });
  });
}
