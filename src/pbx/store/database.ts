/**
 * Opening the SQLite file and bringing its schema up to date.
 * @packageDocumentation
 */
import BetterSqlite3 from 'better-sqlite3';
import { StoreError } from './errors.js';

/** The better-sqlite3 connection type. */
export type Db = BetterSqlite3.Database;

/** One step of the schema. Steps run in `version` order, each in its own transaction together with its version bump. */
export interface Migration {
  /** 1, 2, 3 …: the `PRAGMA user_version` the database has after this step. */
  readonly version: number;
  /** What the step does, for logs. */
  readonly name: string;
  /** Changes the schema (and data). Runs inside a transaction; throwing rolls the whole step back. */
  readonly up: (db: Db) => void;
}

/**
 * How hard SQLite works to keep a commit on disk.
 * - `full` (default): the WAL is synced on every commit, so an acknowledged write survives a power cut, not only a
 *   crashed process.
 * - `normal`: synced at checkpoints only; survives `kill -9` but may lose the last commits on power loss.
 */
export type Synchronous = 'full' | 'normal';

/** Options of {@link openDatabase}. */
export interface OpenDatabaseOptions {
  /** The database file; created when missing. */
  readonly file: string;
  /** Default `'full'`; see {@link Synchronous}. */
  readonly synchronous?: Synchronous;
  /** How long a write waits for another connection's lock, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
}

/**
 * Opens (or creates) a database file with the PBX's settings: WAL journal, foreign keys on, the chosen
 * synchronous level and a busy timeout. Does not migrate; see {@link migrate}.
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  const db = new BetterSqlite3(options.file, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    db.pragma('journal_mode = WAL');
    // Foreign keys are per connection and cannot be switched inside a transaction: set them before anything else.
    db.pragma('foreign_keys = ON');
    db.pragma(`synchronous = ${options.synchronous === 'normal' ? 'NORMAL' : 'FULL'}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The schema version a database is at (`PRAGMA user_version`). */
export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/**
 * Applies every migration newer than the database, in order, each in one transaction with its version bump: a
 * failing step leaves the database at the previous version, never half-migrated.
 *
 * @returns the versions applied
 * @throws StoreError `schema-too-new` when the database is newer than the newest migration (an older PBX must not
 *   write to it)
 */
export function migrate(db: Db, migrations: readonly Migration[]): number[] {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3 … without gaps; found ${migration.version} at ${index + 1}.`);
    }
  });
  const current = schemaVersion(db);
  const newest = ordered.length;
  if (current > newest) {
    throw new StoreError(
      'schema-too-new',
      `The database is at schema version ${current}, but this PBX knows only up to ${newest}; use a newer PBX.`,
    );
  }
  const applied: number[] = [];
  for (const migration of ordered.slice(current)) {
    db.transaction(() => {
      migration.up(db);
      // A step that rebuilds tables could leave dangling references; check before the step is committed.
      const problems = db.pragma('foreign_key_check') as unknown[];
      if (problems.length > 0) {
        throw new Error(`Migration ${migration.version} (${migration.name}) left ${problems.length} foreign key violations.`);
      }
      // PRAGMA takes no bound parameters; the version is an integer we control.
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.version);
  }
  return applied;
}
