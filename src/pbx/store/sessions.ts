/**
 * API sessions: opaque bearer tokens, stored only as SHA-256 hashes.
 * @packageDocumentation
 */
import { newId, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { randomToken, sha256Hex } from './secrets.js';
import type { IssuedToken, Session } from './types.js';

interface SessionRow {
  id: string;
  user_id: string;
  tenant_id: string;
  created_at: number;
  expires_at: number;
}

/** The session part of {@link Store}. */
export interface SessionStore {
  /** Starts a session and returns its token, which is never stored (only its hash is). */
  createSession(userId: string, ttlMs: number): IssuedToken;
  /** The unexpired session a token belongs to. */
  findSession(token: string): Session | undefined;
  /** Ends a session (and the SIP credentials issued under it). @returns whether it existed */
  deleteSession(sessionId: string): boolean;
  /** Ends every session of a user, except optionally one. @returns how many ended */
  deleteSessionsOfUser(userId: string, exceptSessionId?: string): number;
}

function toSession(row: SessionRow): Session {
  return { id: row.id, userId: row.user_id, tenantId: row.tenant_id, createdAt: row.created_at, expiresAt: row.expires_at };
}

/** Checks a lifetime in ms. */
export function cleanTtl(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0 || ttlMs > 400 * 24 * 3600 * 1000) {
    throw new StoreError('validation-failed', 'A lifetime must be a positive number of milliseconds (at most 400 days).');
  }
  return Math.floor(ttlMs);
}

/** Builds the session part of the store. */
export function sessionStore(ctx: StoreContext): SessionStore {
  return {
    createSession(userId, ttlMs) {
      const token = randomToken();
      const id = newId();
      const now = ctx.now();
      const expiresAt = now + cleanTtl(ttlMs);
      ctx
        .sql<[string, string, string, number, number]>(
          'INSERT INTO sessions (id, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
        )
        .run(id, sha256Hex(token), userId, now, expiresAt);
      return { id, token, expiresAt };
    },

    findSession(token) {
      if (typeof token !== 'string' || token === '' || token.length > 200) return undefined;
      const row = ctx
        .sql<[string, number], SessionRow>(
          `SELECT s.id, s.user_id, u.tenant_id, s.created_at, s.expires_at
           FROM sessions s JOIN users u ON u.id = s.user_id
           WHERE s.token_hash = ? AND s.expires_at > ?`,
        )
        .get(sha256Hex(token), ctx.now());
      return row ? toSession(row) : undefined;
    },

    deleteSession(sessionId) {
      return ctx.sql<[string]>('DELETE FROM sessions WHERE id = ?').run(sessionId).changes > 0;
    },

    deleteSessionsOfUser(userId, exceptSessionId) {
      return ctx
        .sql<[string, string]>('DELETE FROM sessions WHERE user_id = ? AND id <> ?')
        .run(userId, exceptSessionId ?? '').changes;
    },
  };
}
