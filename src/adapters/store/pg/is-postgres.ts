import type Database from 'better-sqlite3';

/** Whether a store's database is the PostgreSQL facade (pg-database.ts) rather than SQLite. */
export function isPostgres(db: Database.Database): boolean {
  return 'bridge' in db;
}
