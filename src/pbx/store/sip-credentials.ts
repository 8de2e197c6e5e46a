/**
 * Short-lived SIP digest credentials per device. Only the HA1 values (RFC 7616: H(username:realm:password), for MD5
 * and SHA-256) are stored: they let the registrar check a digest response, but are not the password.
 * @packageDocumentation
 */
import { randomBytes } from 'node:crypto';
import { newId, notFound, type StoreContext } from './context.js';
import { StoreError } from './errors.js';
import { digestHa1, randomToken } from './secrets.js';
import { cleanTtl } from './sessions.js';
import type { IssuedSipCredential, SipCredentialMatch, Tenant } from './types.js';

/** How many credentials one device keeps; issuing more removes the oldest (each browser tab gets its own). */
export const MAX_CREDENTIALS_PER_DEVICE = 10;

/** What {@link SipCredentialStore.issueSipCredential} needs. */
export interface SipCredentialRequest {
  readonly userId: string;
  readonly deviceId: string;
  /** Lifetime in ms. */
  readonly ttlMs: number;
  /** Ties the credential to an API session: signing out revokes it. */
  readonly sessionId?: string;
  /** A chosen authorization username (letters, digits, `.`, `_`, `-`); default: extension + random suffix. */
  readonly username?: string;
  /** A chosen password (e.g. for a desk phone or SIPp); default: 192 random bits. */
  readonly password?: string;
}

/** The SIP credential part of {@link Store}. */
export interface SipCredentialStore {
  /**
   * Issues a credential for one of the user's devices, in the realm of the user's tenant (its SIP domain). A chosen
   * username replaces an earlier credential with the same username.
   * @throws StoreError `not-found` (user or device), `validation-failed`
   */
  issueSipCredential(request: SipCredentialRequest): IssuedSipCredential;
  /**
   * What the registrar needs to check a digest response from `username` in `realm`; `undefined` for unknown and
   * expired credentials (so both get the same answer).
   */
  findSipCredential(realm: string, username: string): SipCredentialMatch | undefined;
  /** Revokes every credential of a device. @returns how many */
  revokeSipCredentials(deviceId: string): number;
}

interface MatchRow {
  user_id: string;
  tenant_id: string;
  device_id: string;
  extension: string;
  ha1_md5: string;
  ha1_sha256: string;
  expires_at: number;
}

/** Builds the SIP credential part of the store. */
export function sipCredentialStore(ctx: StoreContext, tenantOfUser: (userId: string) => Tenant | undefined): SipCredentialStore {
  return {
    issueSipCredential(request) {
      const tenant = tenantOfUser(request.userId);
      if (!tenant) throw notFound('The user');
      const ttl = cleanTtl(request.ttlMs);
      if (request.username !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(request.username)) {
        throw new StoreError('validation-failed', 'A SIP username is 1–64 letters, digits, ".", "_" or "-".', {
          field: 'username',
        });
      }
      if (request.password !== undefined && (request.password.length < 8 || request.password.length > 128)) {
        throw new StoreError('validation-failed', 'A SIP password has 8 to 128 characters.', { field: 'password' });
      }
      return ctx.tx(() => {
        const device = ctx
          .sql<[string, string], { extension: string }>(
            'SELECT u.extension FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = ? AND d.user_id = ?',
          )
          .get(request.deviceId, request.userId);
        if (!device) throw notFound('The device');
        const username = request.username ?? `${device.extension}-${randomBytes(6).toString('hex')}`;
        const password = request.password ?? randomToken(24);
        const realm = tenant.sipDomain;
        const ha1 = digestHa1(username, realm, password);
        const now = ctx.now();
        const expiresAt = now + ttl;
        ctx.sql<[string, string]>('DELETE FROM sip_credentials WHERE realm = ? AND username = ?').run(realm, username);
        ctx
          .sql<[string, string, string | null, string, string, string, string, number, number]>(
            `INSERT INTO sip_credentials (id, device_id, session_id, realm, username, ha1_md5, ha1_sha256, created_at,
               expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(newId(), request.deviceId, request.sessionId ?? null, realm, username, ha1.md5, ha1.sha256, now, expiresAt);
        ctx
          .sql<[string, string, number]>(
            `DELETE FROM sip_credentials WHERE device_id = ? AND id NOT IN
               (SELECT id FROM sip_credentials WHERE device_id = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
          )
          .run(request.deviceId, request.deviceId, MAX_CREDENTIALS_PER_DEVICE);
        return { deviceId: request.deviceId, username, password, realm, expiresAt };
      });
    },

    findSipCredential(realm, username) {
      if (typeof realm !== 'string' || typeof username !== 'string' || username.length > 64) return undefined;
      const row = ctx
        .sql<[string, string, number], MatchRow>(
          `SELECT u.id AS user_id, u.tenant_id, d.id AS device_id, u.extension, c.ha1_md5, c.ha1_sha256, c.expires_at
           FROM sip_credentials c JOIN devices d ON d.id = c.device_id JOIN users u ON u.id = d.user_id
           WHERE c.realm = ? AND c.username = ? AND c.expires_at > ?`,
        )
        .get(realm.trim(), username, ctx.now());
      if (!row) return undefined;
      return {
        userId: row.user_id,
        tenantId: row.tenant_id,
        deviceId: row.device_id,
        extension: row.extension,
        ha1: { md5: row.ha1_md5, sha256: row.ha1_sha256 },
        expiresAt: row.expires_at,
      };
    },

    revokeSipCredentials(deviceId) {
      return ctx.sql<[string]>('DELETE FROM sip_credentials WHERE device_id = ?').run(deviceId).changes;
    },
  };
}
