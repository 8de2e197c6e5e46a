import { after } from 'node:test';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, expect } from '../../support/harness.js';
import { MIGRATIONS, isStoreError, migrate, openDatabase, openStore, schemaVersion, type Migration } from '../../../src/pbx/store/index.js';
import { tempDir } from './fixture.js';

const dir = tempDir();
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const freshFile = (): string => join(dir, `db-${++count}.sqlite`);

describe('store migrations', () => {
  it('creates a fresh database at the newest version with WAL, foreign keys and synchronous FULL', () => {
    const file = freshFile();
    const store = openStore({ file });
    expect(store.schemaVersion).to.equal(MIGRATIONS.length);
    store.close();
    const db = openDatabase({ file });
    expect(schemaVersion(db)).to.equal(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).to.equal('wal');
    expect(db.pragma('foreign_keys', { simple: true })).to.equal(1);
    expect(db.pragma('synchronous', { simple: true })).to.equal(2); // FULL
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
    expect(tables).to.include.members(['tenants', 'users', 'devices', 'sip_credentials', 'contacts', 'favorites', 'forwarding', 'queues', 'history', 'rooms', 'sessions', 'password_resets']);
    db.close();
  });

  it('upgrades an existing version-1 database and keeps its data (users get default forwarding)', () => {
    const file = freshFile();
    const db = openDatabase({ file });
    expect(migrate(db, MIGRATIONS.slice(0, 1))).to.deep.equal([1]);
    db.prepare(
      "INSERT INTO tenants (id, name, country, ext_min, ext_max, sip_domain, created_at) VALUES ('t1', 'Old Co', 'DE', 2, 4, 'old.test', 1)",
    ).run();
    db.prepare(
      "INSERT INTO users (id, tenant_id, name, email, email_key, role, extension, language, created_at) VALUES ('u1', 't1', 'Olga', 'olga@old.test', 'olga@old.test', 'user', '21', 'de', 1)",
    ).run();
    db.close();

    const store = openStore({ file });
    expect(store.schemaVersion).to.equal(MIGRATIONS.length);
    expect(store.getUser('u1')?.email).to.equal('olga@old.test');
    expect(store.findTenantBySipDomain('old.test')?.name).to.equal('Old Co');
    expect(store.getForwarding('u1').profiles.map((p) => p.number)).to.deep.equal([0]);
    store.close();
    const check = openDatabase({ file });
    expect((check.prepare('SELECT count(*) AS n FROM forwarding').get() as { n: number }).n).to.equal(1);
    expect(migrate(check, MIGRATIONS)).to.deep.equal([]);
    check.close();
  });

  it('rolls a failing migration back completely and stays at the previous version', () => {
    const file = freshFile();
    openStore({ file }).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up: (db) => {
        db.exec('CREATE TABLE half_done (a INTEGER)');
        throw new Error('boom');
      },
    };
    expect(() => openStore({ file, migrations: [...MIGRATIONS, broken] })).to.throw('boom');
    const db = openDatabase({ file });
    expect(schemaVersion(db)).to.equal(MIGRATIONS.length);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").get()).to.equal(undefined);
    db.close();
  });

  it('refuses a database written by a newer PBX', () => {
    const file = freshFile();
    const db = openDatabase({ file });
    db.pragma('user_version = 99');
    db.close();
    let caught: unknown;
    try {
      openStore({ file });
    } catch (error) {
      caught = error;
    }
    expect(isStoreError(caught, 'schema-too-new')).to.equal(true);
  });

  it('rejects migration lists with gaps', () => {
    const db = openDatabase({ file: freshFile() });
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: () => undefined }])).to.throw(/without gaps/);
    db.close();
  });
});
