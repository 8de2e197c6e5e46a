/**
 * The schema of the PBX database, as an ordered list of migrations. Never edit a released step: add a new one.
 * Tables are STRICT (SQLite checks column types) and every reference has a foreign key, so deleting a user or a
 * tenant removes everything that belonged to it.
 * @packageDocumentation
 */
import { createDefaultForwarding } from '../../core/forwarding/index.js';
import type { Migration } from './database.js';

/** Version 1: tenants, users and everything needed to sign in (devices, SIP credentials, sessions, set-password links). */
const accounts: Migration = {
  version: 1,
  name: 'accounts',
  up: (db) => {
    db.exec(`
      CREATE TABLE tenants (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        country TEXT NOT NULL,
        main_number TEXT,
        ext_min INTEGER NOT NULL CHECK (ext_min >= 1),
        ext_max INTEGER NOT NULL CHECK (ext_max >= ext_min AND ext_max <= 15),
        sip_domain TEXT NOT NULL COLLATE NOCASE UNIQUE,
        allowed_origins TEXT NOT NULL DEFAULT '[]',
        allow_international INTEGER NOT NULL DEFAULT 0 CHECK (allow_international IN (0, 1)),
        allow_premium INTEGER NOT NULL DEFAULT 0 CHECK (allow_premium IN (0, 1)),
        max_concurrent_calls INTEGER NOT NULL DEFAULT 2 CHECK (max_concurrent_calls >= 1),
        created_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        email TEXT NOT NULL,
        email_key TEXT NOT NULL UNIQUE,
        password_hash TEXT,
        role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
        extension TEXT NOT NULL,
        language TEXT NOT NULL CHECK (language IN ('de', 'en')),
        settings TEXT NOT NULL DEFAULT '{}',
        primary_device_id TEXT REFERENCES devices(id) ON DELETE SET NULL,
        voicemail_pin_hash TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (tenant_id, extension)
      ) STRICT;

      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('web', 'desk', 'mobile', 'external')),
        name TEXT NOT NULL,
        number TEXT,
        created_at INTEGER NOT NULL,
        CHECK ((kind = 'external') = (number IS NOT NULL))
      ) STRICT;
      CREATE INDEX devices_by_user ON devices (user_id);

      CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sessions_by_user ON sessions (user_id);
      CREATE INDEX sessions_by_expiry ON sessions (expires_at);

      CREATE TABLE sip_credentials (
        id TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        session_id TEXT REFERENCES sessions(id) ON DELETE CASCADE,
        realm TEXT NOT NULL COLLATE NOCASE,
        username TEXT NOT NULL,
        ha1_md5 TEXT NOT NULL,
        ha1_sha256 TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        UNIQUE (realm, username)
      ) STRICT;
      CREATE INDEX sip_credentials_by_device ON sip_credentials (device_id, created_at);
      CREATE INDEX sip_credentials_by_expiry ON sip_credentials (expires_at);

      CREATE TABLE password_resets (
        id TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL UNIQUE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
      CREATE INDEX password_resets_by_user ON password_resets (user_id);
    `);
  },
};

/** Version 2: the telephony data of each user (contacts, function keys, forwarding, queues, call list, rooms). */
const telephony: Migration = {
  version: 2,
  name: 'telephony data',
  up: (db) => {
    db.exec(`
      CREATE TABLE contacts (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        owner_id TEXT REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        company TEXT,
        email TEXT,
        numbers TEXT NOT NULL DEFAULT '[]',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX contacts_by_owner ON contacts (tenant_id, owner_id);

      CREATE TABLE favorites (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        position INTEGER NOT NULL CHECK (position BETWEEN 1 AND 64),
        name TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('blf', 'speed-dial', 'star-code')),
        target TEXT NOT NULL,
        UNIQUE (user_id, position)
      ) STRICT;

      CREATE TABLE forwarding (
        user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        settings TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE queues (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        extension TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (tenant_id, extension)
      ) STRICT;

      CREATE TABLE queue_members (
        queue_id TEXT NOT NULL REFERENCES queues(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        logged_in INTEGER NOT NULL DEFAULT 0 CHECK (logged_in IN (0, 1)),
        changed_at INTEGER NOT NULL,
        PRIMARY KEY (queue_id, user_id)
      ) STRICT;
      CREATE INDEX queue_members_by_user ON queue_members (user_id);

      CREATE TABLE history (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        peer_number TEXT,
        peer_extension TEXT,
        peer_name TEXT,
        forwarded_by_number TEXT,
        forwarded_by_extension TEXT,
        forwarded_by_name TEXT,
        result TEXT NOT NULL CHECK (result IN ('answered', 'missed', 'rejected', 'busy', 'failed')),
        started_at INTEGER NOT NULL,
        duration_s INTEGER NOT NULL CHECK (duration_s >= 0)
      ) STRICT;
      CREATE INDEX history_by_user ON history (user_id, started_at);

      CREATE TABLE rooms (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        extension TEXT NOT NULL,
        pin_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (tenant_id, extension)
      ) STRICT;

      CREATE TABLE room_subscriptions (
        room_id TEXT NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (room_id, user_id)
      ) STRICT;
      CREATE INDEX room_subscriptions_by_user ON room_subscriptions (user_id);
    `);
    // Users created under version 1 get the default forwarding every new user gets.
    db.prepare<[string]>('INSERT INTO forwarding (user_id, settings, updated_at) SELECT id, ?, created_at FROM users').run(
      JSON.stringify(createDefaultForwarding()),
    );
  },
};

/**
 * Version 3: fax (manual B.3 "Fax"). Fax extensions are provisioned by admins with a login and a PIN (stored as a
 * hash) and assigned to users, who link them with that login and PIN. Outgoing jobs keep their document until they
 * are done, so a restarted PBX picks up every queued or interrupted job; received faxes belong to a fax extension.
 */
const fax: Migration = {
  version: 3,
  name: 'fax',
  up: (db) => {
    db.exec(`
      CREATE TABLE fax_extensions (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        login TEXT NOT NULL,
        login_key TEXT NOT NULL,
        pin_hash TEXT NOT NULL,
        extension TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (tenant_id, login_key),
        UNIQUE (tenant_id, extension)
      ) STRICT;

      CREATE TABLE fax_assignments (
        fax_extension_id TEXT NOT NULL REFERENCES fax_extensions(id) ON DELETE CASCADE,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        linked_at INTEGER,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (fax_extension_id, user_id)
      ) STRICT;
      CREATE INDEX fax_assignments_by_user ON fax_assignments (user_id);

      CREATE TABLE fax_cover_sheets (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        subject TEXT NOT NULL,
        message TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (user_id, name_key)
      ) STRICT;

      CREATE TABLE fax_jobs (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        owner_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        fax_extension_id TEXT NOT NULL REFERENCES fax_extensions(id) ON DELETE CASCADE,
        from_extension TEXT NOT NULL,
        from_number TEXT NOT NULL,
        sender_name TEXT NOT NULL,
        to_number TEXT NOT NULL,
        to_kind TEXT NOT NULL CHECK (to_kind IN ('internal', 'external')),
        cover_mode TEXT NOT NULL CHECK (cover_mode IN ('none', 'render', 'included')),
        cover_subject TEXT,
        cover_message TEXT,
        locale TEXT NOT NULL,
        document BLOB NOT NULL,
        rendered BLOB,
        pages INTEGER NOT NULL CHECK (pages >= 1),
        state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        max_attempts INTEGER NOT NULL CHECK (max_attempts >= 1),
        next_attempt_at INTEGER NOT NULL,
        failure_reason TEXT,
        failure_message TEXT,
        revision INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        CHECK ((cover_mode = 'render') = (cover_subject IS NOT NULL AND cover_message IS NOT NULL)),
        CHECK (state != 'failed' OR failure_reason IS NOT NULL)
      ) STRICT;
      CREATE INDEX fax_jobs_due ON fax_jobs (state, next_attempt_at);
      CREATE INDEX fax_jobs_by_owner ON fax_jobs (owner_id, created_at);

      CREATE TABLE fax_received (
        id TEXT PRIMARY KEY,
        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
        fax_extension_id TEXT NOT NULL REFERENCES fax_extensions(id) ON DELETE CASCADE,
        from_number TEXT NOT NULL,
        pages INTEGER NOT NULL CHECK (pages >= 1),
        document BLOB NOT NULL,
        job_id TEXT UNIQUE,
        received_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX fax_received_by_extension ON fax_received (fax_extension_id, received_at);
    `);
  },
};

/** Every migration, oldest first. `openStore` applies the ones a database has not seen yet. */
export const MIGRATIONS: readonly Migration[] = [accounts, telephony, fax];
