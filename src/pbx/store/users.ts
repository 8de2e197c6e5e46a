/**
 * Users: accounts, login data and the settings of manual B.3.
 * @packageDocumentation
 */
import { createDefaultForwarding } from '../../core/forwarding/index.js';
import {
  assertExtensionFree,
  cleanEmail,
  cleanExtension,
  cleanText,
  emailKey,
  isRecord,
  newId,
  notFound,
  parseJson,
  type StoreContext,
} from './context.js';
import { StoreError } from './errors.js';
import { checkDestination } from './policy.js';
import type {
  Device,
  Language,
  NewUser,
  Role,
  Tenant,
  User,
  UserSettings,
  UserSettingsUpdate,
  UserUpdate,
} from './types.js';

interface UserRow {
  id: string;
  tenant_id: string;
  name: string;
  email: string;
  password_hash: string | null;
  role: string;
  extension: string;
  language: string;
  settings: string;
  primary_device_id: string | null;
  voicemail_pin_hash: string | null;
  created_at: number;
}

/** The user part of {@link Store}. */
export interface UserStore {
  /**
   * Creates a user with everything a new user starts with, in one transaction: the default forwarding
   * (`createDefaultForwarding`) and a web device ("Web-App"), which is the primary device.
   * @throws StoreError `not-found` (tenant), `validation-failed`, `conflict` (e-mail or extension taken)
   */
  createUser(tenantId: string, input: NewUser): { user: User; webDevice: Device };
  /** A user by id, whatever the tenant (for code that already knows the id is trusted, e.g. a session). */
  getUser(id: string): User | undefined;
  /** A user by id, only if they belong to `tenantId`. */
  getUserInTenant(tenantId: string, id: string): User | undefined;
  /** The users of a tenant, by extension. */
  listUsers(tenantId: string): User[];
  /** The user with this extension in the tenant; for routing calls to extensions. */
  findUserByExtension(tenantId: string, extension: string): User | undefined;
  /**
   * The user whose direct number (tenant main number + extension) this E.164 number is, on any tenant; for calls
   * arriving from outside and for the demo's "outside world" numbers.
   */
  findUserByNumber(e164: string): { tenant: Tenant; user: User } | undefined;
  /** The account and password hash for a login e-mail (compared without case). */
  findLoginByEmail(email: string): { user: User; passwordHash: string | null } | undefined;
  /** Stores a new password hash (from `hashPassword`). */
  setPasswordHash(userId: string, passwordHash: string): void;
  /** The password hash of a user, for re-checking the current password. */
  getPasswordHash(userId: string): string | null;
  /**
   * Changes name, e-mail, extension, role or language.
   * @throws StoreError `not-found`, `validation-failed`, `conflict`
   */
  updateUser(tenantId: string, userId: string, update: UserUpdate): User;
  /** Deletes a user and everything that belongs to them. @returns whether a user was deleted */
  deleteUser(tenantId: string, userId: string): boolean;
  /** How many admins the tenant has. */
  countAdmins(tenantId: string): number;
  /** The user's B.3 settings. @throws StoreError `not-found` */
  getUserSettings(userId: string): UserSettings;
  /**
   * Changes some settings. The parallel-call target must be an extension or a number the tenant's toll-fraud
   * policy allows; the primary device must be one of the user's devices.
   * @throws StoreError `not-found`, `validation-failed`, `destination-not-allowed`
   */
  updateUserSettings(userId: string, update: UserSettingsUpdate): UserSettings;
  /** The hash of the voicemail PIN, or `null` when none is set; for the voicemail service. */
  getVoicemailPinHash(userId: string): string | null;
}

const DEFAULT_SETTINGS: UserSettings = {
  primaryDevice: null,
  welcomeSound: true,
  callWaiting: false,
  intercom: false,
  parallelCall: { enabled: false, target: null },
  dnd: false,
  voicemail: { pinSet: false, sendByEmail: false, deleteAfterEmail: false },
};

function toUser(row: UserRow): User {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    name: row.name,
    email: row.email,
    role: row.role === 'admin' ? 'admin' : 'user',
    extension: row.extension,
    language: row.language === 'en' ? 'en' : 'de',
    hasPassword: row.password_hash !== null,
    createdAt: row.created_at,
  };
}

function flag(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

function toSettings(row: UserRow): UserSettings {
  const stored = parseJson(row.settings, {});
  const data = isRecord(stored) ? stored : {};
  const parallel = isRecord(data['parallelCall']) ? data['parallelCall'] : {};
  const voicemail = isRecord(data['voicemail']) ? data['voicemail'] : {};
  const target = parallel['target'];
  return {
    primaryDevice: row.primary_device_id,
    welcomeSound: flag(data['welcomeSound'], DEFAULT_SETTINGS.welcomeSound),
    callWaiting: flag(data['callWaiting'], DEFAULT_SETTINGS.callWaiting),
    intercom: flag(data['intercom'], DEFAULT_SETTINGS.intercom),
    parallelCall: { enabled: flag(parallel['enabled'], false), target: typeof target === 'string' ? target : null },
    dnd: flag(data['dnd'], DEFAULT_SETTINGS.dnd),
    voicemail: {
      pinSet: row.voicemail_pin_hash !== null,
      sendByEmail: flag(voicemail['sendByEmail'], false),
      deleteAfterEmail: flag(voicemail['deleteAfterEmail'], false),
    },
  };
}

/** What is kept in the `settings` column: everything but the primary device and the PIN, which have columns. */
function settingsColumn(settings: UserSettings): string {
  return JSON.stringify({
    welcomeSound: settings.welcomeSound,
    callWaiting: settings.callWaiting,
    intercom: settings.intercom,
    parallelCall: settings.parallelCall,
    dnd: settings.dnd,
    voicemail: { sendByEmail: settings.voicemail.sendByEmail, deleteAfterEmail: settings.voicemail.deleteAfterEmail },
  });
}

function cleanRole(value: unknown): Role {
  if (value !== 'admin' && value !== 'user') {
    throw new StoreError('validation-failed', 'role must be "admin" or "user".', { field: 'role' });
  }
  return value;
}

function cleanLanguage(value: unknown): Language {
  if (value !== 'de' && value !== 'en') {
    throw new StoreError('validation-failed', 'language must be "de" or "en".', { field: 'language' });
  }
  return value;
}

/**
 * The user's direct number from outside: the tenant's main number followed by the extension, or `null` when the
 * tenant has no main number.
 */
export function directNumberOf(tenant: Tenant, user: Pick<User, 'extension'>): string | null {
  return tenant.dialPlan.mainNumber === null ? null : tenant.dialPlan.mainNumber + user.extension;
}

/** Builds the user part of the store. */
export function userStore(ctx: StoreContext, getTenant: (id: string) => Tenant | undefined): UserStore {
  const row = (id: string): UserRow | undefined => ctx.sql<[string], UserRow>('SELECT * FROM users WHERE id = ?').get(id);
  const requireRow = (id: string): UserRow => {
    const found = row(id);
    if (!found) throw notFound('The user');
    return found;
  };
  const emailTaken = (key: string, except?: string): boolean => {
    const found = ctx.sql<[string], { id: string }>('SELECT id FROM users WHERE email_key = ?').get(key);
    return found !== undefined && found.id !== except;
  };

  const store: UserStore = {
    createUser(tenantId, input) {
      const tenant = getTenant(tenantId);
      if (!tenant) throw notFound('The tenant');
      const name = cleanText(input.name, 'name', { max: 200 });
      const email = cleanEmail(input.email);
      const extension = cleanExtension(input.extension, tenant);
      const role = cleanRole(input.role ?? 'user');
      const language = cleanLanguage(input.language ?? 'de');
      const id = newId();
      const deviceId = newId();
      const now = ctx.now();
      return ctx.tx(() => {
        if (emailTaken(emailKey(email))) {
          throw new StoreError('conflict', `There is already an account for ${email}.`, { field: 'email' });
        }
        assertExtensionFree(ctx, tenantId, extension);
        ctx
          .sql<[string, string, string, string, string, string | null, string, string, string, string, number]>(
            `INSERT INTO users (id, tenant_id, name, email, email_key, password_hash, role, extension, language, settings,
               created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(id, tenantId, name, email, emailKey(email), input.passwordHash ?? null, role, extension, language,
            settingsColumn(DEFAULT_SETTINGS), now);
        ctx
          .sql<[string, string, string, string, number]>(
            `INSERT INTO devices (id, user_id, tenant_id, kind, name, number, created_at) VALUES (?, ?, ?, 'web', ?, NULL, ?)`,
          )
          .run(deviceId, id, tenantId, language === 'de' ? 'Web-App' : 'Web app', now);
        ctx.sql<[string, string]>('UPDATE users SET primary_device_id = ? WHERE id = ?').run(deviceId, id);
        ctx
          .sql<[string, string, number]>('INSERT INTO forwarding (user_id, settings, updated_at) VALUES (?, ?, ?)')
          .run(id, JSON.stringify(createDefaultForwarding(language === 'de' ? 'Standard' : 'Default')), now);
        const webDevice: Device = {
          id: deviceId,
          userId: id,
          tenantId,
          kind: 'web',
          name: language === 'de' ? 'Web-App' : 'Web app',
          number: null,
          createdAt: now,
        };
        return { user: toUser(requireRow(id)), webDevice };
      });
    },

    getUser(id) {
      const found = row(id);
      return found ? toUser(found) : undefined;
    },

    getUserInTenant(tenantId, id) {
      const found = ctx.sql<[string, string], UserRow>('SELECT * FROM users WHERE id = ? AND tenant_id = ?').get(id, tenantId);
      return found ? toUser(found) : undefined;
    },

    listUsers(tenantId) {
      return ctx
        .sql<[string], UserRow>('SELECT * FROM users WHERE tenant_id = ? ORDER BY length(extension), extension')
        .all(tenantId)
        .map(toUser);
    },

    findUserByExtension(tenantId, extension) {
      if (typeof extension !== 'string') return undefined;
      const found = ctx
        .sql<[string, string], UserRow>('SELECT * FROM users WHERE tenant_id = ? AND extension = ?')
        .get(tenantId, extension.trim());
      return found ? toUser(found) : undefined;
    },

    findUserByNumber(e164) {
      if (typeof e164 !== 'string' || !/^\+\d{4,15}$/.test(e164)) return undefined;
      const tenants = ctx
        .sql<[string], { id: string; main_number: string }>(
          `SELECT id, main_number FROM tenants
           WHERE main_number IS NOT NULL AND substr(?, 1, length(main_number)) = main_number`,
        )
        .all(e164);
      for (const candidate of tenants) {
        const tenant = getTenant(candidate.id);
        const user = tenant ? store.findUserByExtension(tenant.id, e164.slice(candidate.main_number.length)) : undefined;
        if (tenant && user) return { tenant, user };
      }
      return undefined;
    },

    findLoginByEmail(email) {
      if (typeof email !== 'string') return undefined;
      const found = ctx.sql<[string], UserRow>('SELECT * FROM users WHERE email_key = ?').get(emailKey(email));
      return found ? { user: toUser(found), passwordHash: found.password_hash } : undefined;
    },

    setPasswordHash(userId, passwordHash) {
      const result = ctx.sql<[string, string]>('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
      if (result.changes === 0) throw notFound('The user');
    },

    getPasswordHash(userId) {
      return requireRow(userId).password_hash;
    },

    updateUser(tenantId, userId, update) {
      const tenant = getTenant(tenantId);
      if (!tenant) throw notFound('The tenant');
      return ctx.tx(() => {
        const current = ctx
          .sql<[string, string], UserRow>('SELECT * FROM users WHERE id = ? AND tenant_id = ?')
          .get(userId, tenantId);
        if (!current) throw notFound('The user');
        const name = update.name === undefined ? current.name : cleanText(update.name, 'name', { max: 200 });
        const email = update.email === undefined ? current.email : cleanEmail(update.email);
        const extension = update.extension === undefined ? current.extension : cleanExtension(update.extension, tenant);
        const role = update.role === undefined ? current.role : cleanRole(update.role);
        const language = update.language === undefined ? current.language : cleanLanguage(update.language);
        if (emailTaken(emailKey(email), userId)) {
          throw new StoreError('conflict', `There is already an account for ${email}.`, { field: 'email' });
        }
        if (extension !== current.extension) assertExtensionFree(ctx, tenantId, extension, userId);
        ctx
          .sql<[string, string, string, string, string, string, string]>(
            'UPDATE users SET name = ?, email = ?, email_key = ?, extension = ?, role = ?, language = ? WHERE id = ?',
          )
          .run(name, email, emailKey(email), extension, role, language, userId);
        return toUser(requireRow(userId));
      });
    },

    deleteUser(tenantId, userId) {
      return ctx.sql<[string, string]>('DELETE FROM users WHERE id = ? AND tenant_id = ?').run(userId, tenantId).changes > 0;
    },

    countAdmins(tenantId) {
      return (
        ctx.sql<[string], { n: number }>("SELECT count(*) AS n FROM users WHERE tenant_id = ? AND role = 'admin'").get(tenantId)
          ?.n ?? 0
      );
    },

    getUserSettings(userId) {
      return toSettings(requireRow(userId));
    },

    updateUserSettings(userId, update) {
      return ctx.tx(() => {
        const current = requireRow(userId);
        const tenant = getTenant(current.tenant_id);
        if (!tenant) throw notFound('The tenant');
        const before = toSettings(current);
        let primaryDevice = before.primaryDevice;
        if (update.primaryDevice !== undefined) {
          if (update.primaryDevice !== null) {
            const device = ctx
              .sql<[string, string], { id: string }>('SELECT id FROM devices WHERE id = ? AND user_id = ?')
              .get(update.primaryDevice, userId);
            if (!device) {
              throw new StoreError('validation-failed', 'The primary device must be one of your devices.', {
                field: 'primaryDevice',
              });
            }
          }
          primaryDevice = update.primaryDevice;
        }
        const parallelCall = cleanParallelCall(
          { ...before.parallelCall, ...(update.parallelCall ?? {}) },
          before.parallelCall,
          tenant,
          current.extension,
        );
        const next: UserSettings = {
          primaryDevice,
          welcomeSound: update.welcomeSound ?? before.welcomeSound,
          callWaiting: update.callWaiting ?? before.callWaiting,
          intercom: update.intercom ?? before.intercom,
          parallelCall,
          dnd: update.dnd ?? before.dnd,
          voicemail: {
            pinSet: before.voicemail.pinSet,
            sendByEmail: update.voicemail?.sendByEmail ?? before.voicemail.sendByEmail,
            deleteAfterEmail: update.voicemail?.deleteAfterEmail ?? before.voicemail.deleteAfterEmail,
          },
        };
        const pinHash = update.voicemail?.pinHash === undefined ? current.voicemail_pin_hash : update.voicemail.pinHash;
        ctx
          .sql<[string, string | null, string | null, string]>(
            'UPDATE users SET settings = ?, primary_device_id = ?, voicemail_pin_hash = ? WHERE id = ?',
          )
          .run(settingsColumn(next), primaryDevice, pinHash, userId);
        return toSettings(requireRow(userId));
      });
    },

    getVoicemailPinHash(userId) {
      return requireRow(userId).voicemail_pin_hash;
    },
  };
  return store;
}

function cleanParallelCall(
  wanted: { enabled?: boolean; target?: string | null },
  before: UserSettings['parallelCall'],
  tenant: Tenant,
  ownExtension: string,
): UserSettings['parallelCall'] {
  const enabled = wanted.enabled ?? false;
  const rawTarget = wanted.target ?? null;
  if (rawTarget === null || (typeof rawTarget === 'string' && rawTarget.trim() === '')) {
    if (enabled) {
      throw new StoreError('validation-failed', 'Choose an extension or a number for the parallel call.', {
        field: 'parallelCall.target',
      });
    }
    return { enabled: false, target: null };
  }
  // A stored target stays while the parallel call is off, even if the policy changed since; switching on re-checks.
  if (!enabled && rawTarget === before.target) return { enabled, target: rawTarget };
  const checked = checkDestination(rawTarget, tenant);
  if (!checked.allowed) {
    throw new StoreError(checked.reason === 'invalid' ? 'validation-failed' : 'destination-not-allowed', checked.message, {
      field: 'parallelCall.target',
    });
  }
  const target = checked.kind === 'extension' ? checked.extension : checked.e164;
  if (target === ownExtension) {
    throw new StoreError('validation-failed', 'The parallel call cannot ring your own extension.', {
      field: 'parallelCall.target',
    });
  }
  return { enabled, target };
}
