import type Database from 'better-sqlite3';
import type { Clock } from '../../ports.js';
import type { RuntimeFacts } from '../../ports/runtime-facts.js';
import { StatementCache } from './statement-cache.js';

/** RuntimeFacts in SQLite (migration 023), as JSON. */
export class SqliteRuntimeFacts implements RuntimeFacts {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  get<T>(key: string): { value: T; updatedAt: string } | null {
    const row = this.sql.prepare('SELECT value, updated_at FROM runtime_facts WHERE key = ?').get(key) as
      { value: string; updated_at: string } | undefined;
    if (!row) return null;
    try {
      return { value: JSON.parse(row.value) as T, updatedAt: row.updated_at };
    } catch {
      return null;
    }
  }

  set(key: string, value: unknown): void {
    this.sql
      .prepare(
        `INSERT INTO runtime_facts (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), this.clock.now().toISOString());
  }
}
