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
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];

const extra = (version: number): Migration => ({ version, name: `extra-${version}`, sql: `CREATE TABLE extra_${version} (id INTEGER PRIMARY KEY);` });

describe('openStore migrations', () => {
  it('creates the data directory and a WAL database with every table at the newest version', async () => {
    const dataDir = join(await tempDir(), 'nested', 'data');
    const store = openStore(dataDir);
    try {
      expect(existsSync(join(dataDir, DB_FILE))).toBe(true);
      expect(store.migration).toEqual({ from: 0, to: 1, applied: [1] });
      expect(store.schemaVersion()).toBe(1);
      expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(tables(store.db)).toEqual(['audit', 'job_steps', 'jobs', 'schedule_state', 'schema_version', 'slack_messages', 'webhook_deliveries']);
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
      expect(second.migration).toEqual({ from: 1, to: 1, applied: [] });
      expect(second.db.prepare('SELECT COUNT(*) FROM schema_version').pluck().get()).toBe(1);
      expect(second.webhookDeliveries.recordOnce('d-1', 'push')).toBe(false);
    } finally {
      second.close();
    }
  });

  it('refuses a database whose schema is newer than the code, and leaves it untouched', async () => {
    const dataDir = await tempDir();
    openStore(dataDir).close();
    const raw = new Database(join(dataDir, DB_FILE));
    raw.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (9, 'future', 'x')").run();
    raw.close();

    let caught: unknown;
    try {
      openStore(dataDir).close();
    } catch (err) {
      caught = err;
    }
    expect(isAppError(caught, 'config_invalid')).toBe(true);
    expect((caught as Error).message).toMatch(/version 9, newer than this build knows \(1\)/);
    const check = new Database(join(dataDir, DB_FILE), { readonly: true });
    expect(check.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual([1, 9]);
    check.close();
  });

  it('applies migrations that landed out of order, each once', async () => {
    const dataDir = await tempDir();
    openStore(dataDir, { migrations: [...MIGRATIONS, extra(3)] }).close();
    const store = openStore(dataDir, { migrations: [extra(3), ...MIGRATIONS, extra(2)] });
    try {
      expect(store.migration).toEqual({ from: 3, to: 3, applied: [2] });
      expect(tables(store.db)).toEqual(expect.arrayContaining(['extra_2', 'extra_3']));
    } finally {
      store.close();
    }
  });

  it('rolls every migration of a failed start back', async () => {
    const dataDir = await tempDir();
    const broken: Migration = { version: 2, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); THIS IS NOT SQL;' };
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
    expect(() => openStore(dataDir, { migrations: [...MIGRATIONS, extra(2), { ...extra(2), name: 'twin' }] })).toThrow(/share version 2/);
  });
});
