import { createHash, randomUUID } from 'node:crypto';
import { openMemoryStore, openStore, type Store, type StoreOptions } from '../../src/adapters/store/open-store.js';
import { openPostgresStore } from '../../src/adapters/store/pg/open-postgres-store.js';
import { PgDatabase } from '../../src/adapters/store/pg/pg-database.js';

// The store contract suite runs against both stores. vitest.config.ts runs the contract files
// twice: once as they are (SQLite), and once in the "postgres" project, which starts a throwaway
// PostgreSQL (pg-global-setup.ts) and sets UPSTREAM_SYNC_TEST_STORE=postgres. Tests open their
// store through storeAt(): one data directory = one database, so reopening a directory reopens
// the same database, as with a SQLite file.

export type StoreKind = 'sqlite' | 'postgres';

export function testStoreKind(): StoreKind {
  return process.env.UPSTREAM_SYNC_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
}

let admin: PgDatabase | null = null;

/** The URL of the database that stands for `dataDir`, created on first use. */
export function postgresUrlFor(dataDir: string): string {
  const server = process.env.UPSTREAM_SYNC_TEST_POSTGRES_URL;
  if (!server) throw new Error('UPSTREAM_SYNC_TEST_POSTGRES_URL is not set: run through vitest (pg-global-setup.ts)');
  admin ??= new PgDatabase(server);
  const name = `t_${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}`;
  const exists = admin.prepare('SELECT 1 FROM pg_database WHERE datname = ?').get(name);
  if (!exists) admin.exec(`CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The store of `dataDir`: its SQLite file, or in the postgres project its own PostgreSQL database. */
export function storeAt(dataDir: string, options: StoreOptions = {}): Store {
  return testStoreKind() === 'postgres'
    ? openPostgresStore(postgresUrlFor(dataDir), options)
    : openStore(dataDir, options);
}

/** A private store for one test: in-memory SQLite, or in the postgres project a fresh database. */
export function privateStore(options: StoreOptions = {}): Store {
  return testStoreKind() === 'postgres'
    ? openPostgresStore(postgresUrlFor(`private:${randomUUID()}`), options)
    : openMemoryStore(options);
}
