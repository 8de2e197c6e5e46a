/**
 * The reference PBX's data store: SQLite through better-sqlite3 (a file, WAL, versioned migrations).
 * @packageDocumentation
 */
export { openStore, type Store, type StoreOptions, type PurgeResult } from './store.js';
export { StoreError, isStoreError, type StoreErrorCode, type StoreErrorOptions } from './errors.js';
export { MIGRATIONS } from './migrations.js';
export { migrate, openDatabase, schemaVersion, type Db, type Migration, type Synchronous, type OpenDatabaseOptions } from './database.js';
export { hashPassword, verifyPassword, dummyHash, randomToken, sha256Hex, md5Hex, digestHa1, SCRYPT_PARAMS } from './secrets.js';
export { checkDestination, isPremiumRate, isInternational, type DestinationCheck } from './policy.js';
export { cleanOrigin, type TenantStore } from './tenants.js';
export { directNumberOf, type UserStore } from './users.js';
export { MAX_DEVICES, type DeviceStore } from './devices.js';
export { MAX_CREDENTIALS_PER_DEVICE, type SipCredentialRequest, type SipCredentialStore } from './sip-credentials.js';
export { MAX_CONTACT_NUMBERS, type ContactStore } from './contacts.js';
export type { FavoriteStore } from './favorites.js';
export type { ForwardingStore } from './forwarding.js';
export type { QueueStore } from './queues.js';
export { MAX_HISTORY_PER_USER, type HistoryStore } from './history.js';
export type { RoomStore } from './rooms.js';
export type { FaxStore } from './fax.js';
export { cleanTtl, type SessionStore } from './sessions.js';
export type { PasswordResetStore } from './password-resets.js';
export * from './types.js';
