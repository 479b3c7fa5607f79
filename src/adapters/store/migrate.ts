import type Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import { isPostgres } from './pg/is-postgres.js';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** The PostgreSQL text, only where SQLite's cannot be rewritten (triggers); else `sql` is (pg-dialect.ts). */
  postgres?: string;
}

export interface MigrationReport {
  /** Highest version before this run (0 for a new database). */
  from: number;
  to: number;
  applied: number[];
}

/**
 * Brings the schema up to date in one IMMEDIATE transaction, so two processes starting at once
 * never both migrate and a failed migration leaves the database as it was. Versions are applied
 * by set difference, not "everything above the max": migrations written in parallel may land
 * out of order.
 */
export function applyMigrations(
  db: Database.Database,
  migrations: readonly Migration[],
  now: () => Date,
): MigrationReport {
  const known = [...migrations].sort((a, b) => a.version - b.version);
  for (const [i, m] of known.entries()) {
    if (!Number.isInteger(m.version) || m.version < 1)
      throw new AppError('internal', `migration "${m.name}" has an invalid version ${m.version}`);
    if (i > 0 && known[i - 1]?.version === m.version)
      throw new AppError('internal', `two migrations share version ${m.version}`);
  }
  const newestKnown = known.at(-1)?.version ?? 0;

  const run = db.transaction((): MigrationReport => {
    db.exec(
      'CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    const done = new Set(db.prepare('SELECT version FROM schema_version').pluck().all() as number[]);
    const from = Math.max(0, ...done);
    if (from > newestKnown) {
      throw new AppError(
        'config_invalid',
        `the database schema is version ${from}, newer than this build knows (${newestKnown}): run a newer upstream-sync or point it at another data directory`,
        {
          details: { schemaVersion: from, newestKnown },
        },
      );
    }
    const insert = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
    const applied: number[] = [];
    for (const m of known) {
      if (done.has(m.version)) continue;
      db.exec((isPostgres(db) && m.postgres) || m.sql);
      insert.run(m.version, m.name, now().toISOString());
      applied.push(m.version);
    }
    return { from, to: Math.max(from, ...applied), applied };
  });
  return run.immediate();
}

export function schemaVersion(db: Database.Database): number {
  return (db.prepare('SELECT COALESCE(MAX(version), 0) FROM schema_version').pluck().get() as number | undefined) ?? 0;
}
