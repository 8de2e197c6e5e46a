/**
 * `openStore`: the PBX's data store on one SQLite file.
 * @packageDocumentation
 */
import { contactStore, type ContactStore } from './contacts.js';
import { createContext } from './context.js';
import { migrate, openDatabase, schemaVersion, type Migration, type Synchronous } from './database.js';
import { deviceStore, type DeviceStore } from './devices.js';
import { faxStore, type FaxStore } from './fax.js';
import { favoriteStore, type FavoriteStore } from './favorites.js';
import { forwardingStore, type ForwardingStore } from './forwarding.js';
import { historyStore, type HistoryStore } from './history.js';
import { MIGRATIONS } from './migrations.js';
import { passwordResetStore, type PasswordResetStore } from './password-resets.js';
import { queueStore, type QueueStore } from './queues.js';
import { roomStore, type RoomStore } from './rooms.js';
import { sessionStore, type SessionStore } from './sessions.js';
import { sipCredentialStore, type SipCredentialStore } from './sip-credentials.js';
import { tenantStore, type TenantStore } from './tenants.js';
import type { Tenant } from './types.js';
import { userStore, type UserStore } from './users.js';

/** Options of {@link openStore}. */
export interface StoreOptions {
  /** The database file; created (and migrated) when missing. */
  readonly file: string;
  /** The clock for expiry decisions, in ms since the epoch; default `Date.now`. Tests inject their own. */
  readonly clock?: () => number;
  /** Default `'full'`: an acknowledged write survives power loss. See `Synchronous`. */
  readonly synchronous?: Synchronous;
  /** The schema steps to apply; default {@link MIGRATIONS}. Only tests pass fewer. */
  readonly migrations?: readonly Migration[];
}

/** What {@link Store.purgeExpired} removed. */
export interface PurgeResult {
  readonly sessions: number;
  readonly sipCredentials: number;
  readonly passwordResets: number;
}

/**
 * The PBX's data, grouped by area (each area's methods are documented on its interface). Every method is
 * synchronous, every multi-step write runs in one transaction, and every query that reads user data is scoped by
 * tenant and user.
 *
 * What the SIP side calls most: {@link SipCredentialStore.findSipCredential}, {@link UserStore.findUserByExtension},
 * {@link UserStore.findUserByNumber}, {@link TenantStore.findTenantBySipDomain}, {@link ForwardingStore.getForwarding}
 * / {@link ForwardingStore.updateForwarding}, {@link UserStore.getUserSettings}, {@link HistoryStore.addHistoryEntry}.
 */
export interface Store
  extends TenantStore,
    UserStore,
    DeviceStore,
    SipCredentialStore,
    ContactStore,
    FavoriteStore,
    ForwardingStore,
    QueueStore,
    HistoryStore,
    RoomStore,
    FaxStore,
    SessionStore,
    PasswordResetStore {
  /** The database file. */
  readonly file: string;
  /** The schema version the database is at. */
  readonly schemaVersion: number;
  /** The store's clock (ms since the epoch). */
  now(): number;
  /** The tenant a user belongs to. */
  tenantOfUser(userId: string): Tenant | undefined;
  /** Runs several store calls in one transaction: all are written, or none. */
  transaction<T>(fn: () => T): T;
  /** Deletes expired sessions, SIP credentials and set-password links (used ones older than a day too). */
  purgeExpired(): PurgeResult;
  /** SQLite's `PRAGMA integrity_check`; `['ok']` for a healthy file. */
  integrityCheck(): string[];
  /** Closes the database (checkpointing the WAL). The store is unusable afterwards. */
  close(): void;
}

/**
 * Opens the store on a file: WAL journal, foreign keys, synchronous FULL by default, then every pending migration
 * (each in its own transaction).
 *
 * @throws StoreError `schema-too-new` when the file was written by a newer PBX; SQLite errors for unreadable files
 */
export function openStore(options: StoreOptions): Store {
  const db = openDatabase({ file: options.file, ...(options.synchronous ? { synchronous: options.synchronous } : {}) });
  try {
    migrate(db, options.migrations ?? MIGRATIONS);
  } catch (error) {
    db.close();
    throw error;
  }
  const ctx = createContext(db, options.clock ?? Date.now);
  const tenants = tenantStore(ctx);
  const tenantOfUser = (userId: string): Tenant | undefined => {
    const row = ctx.sql<[string], { tenant_id: string }>('SELECT tenant_id FROM users WHERE id = ?').get(userId);
    return row ? tenants.getTenant(row.tenant_id) : undefined;
  };
  const DAY = 24 * 3600 * 1000;
  return {
    ...tenants,
    ...userStore(ctx, tenants.getTenant),
    ...deviceStore(ctx, tenantOfUser),
    ...sipCredentialStore(ctx, tenantOfUser),
    ...contactStore(ctx),
    ...favoriteStore(ctx, tenantOfUser),
    ...forwardingStore(ctx, tenantOfUser),
    ...queueStore(ctx, tenants.getTenant),
    ...historyStore(ctx),
    ...roomStore(ctx, tenants.getTenant),
    ...faxStore(ctx, tenants.getTenant),
    ...sessionStore(ctx),
    ...passwordResetStore(ctx),
    file: options.file,
    schemaVersion: schemaVersion(db),
    now: () => ctx.now(),
    tenantOfUser,
    transaction: (fn) => ctx.tx(fn),
    purgeExpired() {
      const now = ctx.now();
      return ctx.tx(() => ({
        sessions: ctx.sql<[number]>('DELETE FROM sessions WHERE expires_at <= ?').run(now).changes,
        sipCredentials: ctx.sql<[number]>('DELETE FROM sip_credentials WHERE expires_at <= ?').run(now).changes,
        passwordResets: ctx
          .sql<[number, number]>('DELETE FROM password_resets WHERE expires_at <= ? OR used_at <= ?')
          .run(now, now - DAY).changes,
      }));
    },
    integrityCheck() {
      return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check);
    },
    close() {
      if (db.open) db.close();
    },
  };
}
