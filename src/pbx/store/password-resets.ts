/**
 * Set-password links (manual part C: "the user receives an e-mail to define a password"): single-use, expiring
 * tokens, stored only as SHA-256 hashes.
 * @packageDocumentation
 */
import { newId, type StoreContext } from './context.js';
import { randomToken, sha256Hex } from './secrets.js';
import { cleanTtl } from './sessions.js';
import type { IssuedToken } from './types.js';

/** The password-reset part of {@link Store}. */
export interface PasswordResetStore {
  /** Issues a set-password token for a user; earlier unused tokens of the user stop working. */
  createPasswordReset(userId: string, ttlMs: number): IssuedToken;
  /** The user a token is valid for (unused and unexpired), without using it up. */
  findPasswordReset(token: string): { userId: string; expiresAt: number } | undefined;
  /**
   * Uses a token up and sets the user's password hash, in one transaction, and signs the user out everywhere.
   * @returns the user's id, or `undefined` when the token is unknown, expired or used (then nothing changes)
   */
  consumePasswordReset(token: string, passwordHash: string): string | undefined;
}

/** Builds the password-reset part of the store. */
export function passwordResetStore(ctx: StoreContext): PasswordResetStore {
  const find = (token: string): { id: string; userId: string; expiresAt: number } | undefined => {
    if (typeof token !== 'string' || token === '' || token.length > 200) return undefined;
    const row = ctx
      .sql<[string, number], { id: string; user_id: string; expires_at: number }>(
        'SELECT id, user_id, expires_at FROM password_resets WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?',
      )
      .get(sha256Hex(token), ctx.now());
    return row ? { id: row.id, userId: row.user_id, expiresAt: row.expires_at } : undefined;
  };
  return {
    createPasswordReset(userId, ttlMs) {
      const token = randomToken();
      const id = newId();
      const now = ctx.now();
      const expiresAt = now + cleanTtl(ttlMs);
      ctx.tx(() => {
        ctx.sql<[string]>('DELETE FROM password_resets WHERE user_id = ? AND used_at IS NULL').run(userId);
        ctx
          .sql<[string, string, string, number, number]>(
            'INSERT INTO password_resets (id, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(id, sha256Hex(token), userId, now, expiresAt);
      });
      return { id, token, expiresAt };
    },

    findPasswordReset(token) {
      const found = find(token);
      return found ? { userId: found.userId, expiresAt: found.expiresAt } : undefined;
    },

    consumePasswordReset(token, passwordHash) {
      return ctx.tx(() => {
        const found = find(token);
        if (!found) return undefined;
        ctx.sql<[number, string]>('UPDATE password_resets SET used_at = ? WHERE id = ?').run(ctx.now(), found.id);
        ctx.sql<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, found.userId);
        ctx.sql<[string]>('DELETE FROM sessions WHERE user_id = ?').run(found.userId);
        return found.userId;
      });
    },
  };
}
