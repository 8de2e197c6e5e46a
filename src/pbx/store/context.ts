/**
 * What every area of the store shares: the connection, the clock, transactions and input checks.
 * @packageDocumentation
 */
import { randomUUID } from 'node:crypto';
import { normalizeNumber } from '../../core/numbers/index.js';
import type BetterSqlite3 from 'better-sqlite3';
import type { Db } from './database.js';
import { StoreError } from './errors.js';
import type { Tenant } from './types.js';

/** The shared state of one open store. */
export interface StoreContext {
  readonly db: Db;
  /** The current time in ms; injected so tests can move it. */
  readonly now: () => number;
  /** Runs `fn` in one write transaction; inside another transaction it simply joins it. */
  readonly tx: <T>(fn: () => T) => T;
  /** A prepared statement for `source`, prepared once per connection and reused. */
  readonly sql: <P extends unknown[] = [], R = unknown>(source: string) => BetterSqlite3.Statement<P, R>;
}

/** Builds the context for a connection. */
export function createContext(db: Db, now: () => number): StoreContext {
  const statements = new Map<string, BetterSqlite3.Statement<unknown[], unknown>>();
  return {
    db,
    now,
    sql: <P extends unknown[] = [], R = unknown>(source: string): BetterSqlite3.Statement<P, R> => {
      let statement = statements.get(source);
      if (!statement) {
        statement = db.prepare<unknown[], unknown>(source);
        statements.set(source, statement);
      }
      // The cache is keyed by SQL text, so one text always comes back with the parameter and row types it was asked with.
      return statement as unknown as BetterSqlite3.Statement<P, R>;
    },
    tx: <T>(fn: () => T): T => {
      if (db.inTransaction) return fn();
      // IMMEDIATE takes the write lock at BEGIN, so a read-then-write step cannot fail half-way on SQLITE_BUSY.
      return db.transaction(fn).immediate();
    },
  };
}

/** A new random id. */
export function newId(): string {
  return randomUUID();
}

/** SQLite booleans are 0/1. */
export function bit(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

/** Parses a JSON column, falling back when it is damaged (a damaged column must not take the whole PBX down). */
export function parseJson(text: string, fallback: unknown): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fallback;
  }
}

/** Narrows to a plain object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Options of {@link cleanText}. */
export interface TextRule {
  /** Longest allowed length after trimming. */
  readonly max: number;
  /** Whether an empty string is allowed (default no). */
  readonly allowEmpty?: boolean;
}

/**
 * Trims a text field and checks its length; rejects control characters, which no name or label needs and which
 * would corrupt logs and SIP headers.
 */
export function cleanText(value: unknown, field: string, rule: TextRule): string {
  if (typeof value !== 'string') throw new StoreError('validation-failed', `${field} must be text.`, { field });
  const text = value.trim();
  if (text === '' && rule.allowEmpty !== true) throw new StoreError('validation-failed', `${field} must not be empty.`, { field });
  if (text.length > rule.max) {
    throw new StoreError('validation-failed', `${field} is longer than ${rule.max} characters.`, { field });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) {
    throw new StoreError('validation-failed', `${field} must not contain control characters.`, { field });
  }
  return text;
}

/** Like {@link cleanText} for optional fields: `null`, `undefined` and blank become `null`. */
export function cleanOptionalText(value: unknown, field: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const text = cleanText(value, field, { max, allowEmpty: true });
  return text === '' ? null : text;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks the form of an e-mail address (something@domain.tld, at most 254 characters). */
export function cleanEmail(value: unknown, field = 'email'): string {
  const email = cleanText(value, field, { max: 254 });
  if (!EMAIL.test(email)) throw new StoreError('validation-failed', `"${email}" is not an e-mail address.`, { field });
  return email;
}

/** The key e-mail addresses are compared by: logins ignore case. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** Checks that a string is an extension of the tenant's dial plan and returns it without separators. */
export function cleanExtension(value: unknown, tenant: Tenant, field = 'extension'): string {
  if (typeof value !== 'string') throw new StoreError('validation-failed', `${field} must be text.`, { field });
  const normalized = normalizeNumber(value, tenant.dialPlan);
  if (normalized.kind !== 'extension') {
    const [min, max] = tenant.dialPlan.extensionDigits;
    throw new StoreError(
      'validation-failed',
      `"${value}" is not an extension: use ${min === max ? min : `${min}–${max}`} digits, not starting with 0.`,
      { field },
    );
  }
  return normalized.extension;
}

/**
 * Throws `conflict` when an extension is already used in the tenant by a user, a queue, a room or a fax extension
 * (they share one number space, because each is dialled the same way).
 *
 * @param except - the id of the record being changed, which may keep its own extension
 */
export function assertExtensionFree(ctx: StoreContext, tenantId: string, extension: string, except?: string, field = 'extension'): void {
  const owner = ctx
    .sql<[string, string, string, string, string, string, string, string], { id: string }>(
      `SELECT id FROM users WHERE tenant_id = ? AND extension = ?
       UNION ALL SELECT id FROM queues WHERE tenant_id = ? AND extension = ?
       UNION ALL SELECT id FROM rooms WHERE tenant_id = ? AND extension = ?
       UNION ALL SELECT id FROM fax_extensions WHERE tenant_id = ? AND extension = ?`,
    )
    .all(tenantId, extension, tenantId, extension, tenantId, extension, tenantId, extension)
    .find((row) => row.id !== except);
  if (owner) throw new StoreError('conflict', `Extension ${extension} is already in use.`, { field });
}

/** Throws `not-found` for a missing record. */
export function notFound(what: string): StoreError {
  return new StoreError('not-found', `${what} does not exist.`);
}
