import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DB_FILE, openStore } from '../../../src/adapters/store/open-store.js';
import { MIGRATIONS } from '../../../src/adapters/store/migrations/index.js';
import type { Migration } from '../../../src/adapters/store/migrate.js';
import { isAppError } from '../../../src/errors.js';
import { tempDir } from '../../helpers/tmp.js';

const tables = (db: Database.Database): string[] =>
  db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];

const NEWEST = Math.max(...MIGRATIONS.map((m) => m.version));
const ALL = MIGRATIONS.map((m) => m.version).sort((a, b) => a - b);
const CORE_TABLES = [
  'audit',
  'job_steps',
  'jobs',
  'schedule_state',
  'schema_version',
  'slack_messages',
  'webhook_deliveries',
];

// Test-only versions, far above any real migration.
const extra = (version: number): Migration => ({
  version,
  name: `extra-${version}`,
  sql: `CREATE TABLE extra_${version} (id INTEGER PRIMARY KEY);`,
});

describe('openStore migrations', () => {
  it('creates the data directory and a WAL database with every table at the newest version', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const store = openStore(dataDir);
    try {
      expect(existsSync(join(dataDir, DB_FILE))).toBe(true);
      expect(store.migration).toEqual({ from: 0, to: NEWEST, applied: ALL });
      expect(store.schemaVersion()).toBe(NEWEST);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(tables(store.db)).toEqual(expect.arrayContaining(CORE_TABLES));
    } finally {
      store.close();
    }
  });

  it('re-opening is a no-op that keeps the data', async () => {
    const dataDir = await tempDir();
    const first = openStore(dataDir);
    first.webhookDeliveries.recordOnce('d-1', 'push');
    first.close();
    const second = openStore(dataDir);
    try {
      expect(second.migration).toEqual({ from: NEWEST, to: NEWEST, applied: [] });
      expect(second.db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual(ALL);
      expect(second.webhookDeliveries.recordOnce('d-1', 'push')).toBe(false);
    } finally {
      second.close();
    }
  });

  it('refuses a database whose schema is newer than the code, and leaves it untouched', async () => {
    const dataDir = await tempDir();
    openStore(dataDir).close();
    const raw = new Database(join(dataDir, DB_FILE));
    raw.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (9999, 'future', 'x')").run();
    raw.close();

    let caught: unknown;
    try {
      openStore(dataDir).close();
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'config_invalid')).toBe(true);
    expect((caught as Error).message).toContain(`version 9999, newer than this build knows (${NEWEST})`);
    const check = new Database(join(dataDir, DB_FILE), { readonly: true });
    expect(check.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual([...ALL, 9999]);
    check.close();
  });

  it('applies migrations that landed out of order, each once', async () => {
    const dataDir = await tempDir();
    openStore(dataDir, { migrations: [...MIGRATIONS, extra(903)] }).close();
    const store = openStore(dataDir, { migrations: [extra(903), ...MIGRATIONS, extra(902)] });
    try {
      expect(store.migration).toEqual({ from: 903, to: 903, applied: [902] });
      expect(tables(store.db)).toEqual(expect.arrayContaining(['extra_902', 'extra_903']));
    } finally {
      store.close();
    }
  });

  it('rolls every migration of a failed start back', async () => {
    const dataDir = await tempDir();
    const broken: Migration = { version: 901, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); THIS IS NOT SQL;' };
    expect(() => openStore(dataDir, { migrations: [...MIGRATIONS, broken] })).toThrow(/syntax error/);
    const raw = new Database(join(dataDir, DB_FILE));
    try {
      expect(tables(raw)).toEqual([]);
    } finally {
      raw.close();
    }
  });

  it('rejects two migrations with one version', async () => {
    const dataDir = await tempDir();
    expect(() =>
      openStore(dataDir, { migrations: [...MIGRATIONS, extra(902), { ...extra(902), name: 'twin' }] }),
    ).toThrow(/share version 902/);
  });
});
