import type Database from 'better-sqlite3';
import type { CachedResponse, Clock, HttpCache } from '../../ports.js';
import { StatementCache } from './statement-cache.js';

const PRUNE_EVERY = 500;
const KEEP_DAYS = 14;

/** HttpCache in SQLite (migration 023). Entries nobody asked for in two weeks are dropped now and then. */
export class SqliteHttpCache implements HttpCache {
  private readonly sql: StatementCache;
  private puts = 0;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  get(key: string): CachedResponse | null {
    const row = this.sql.prepare('SELECT etag, body, headers, used_at FROM http_cache WHERE key = ?').get(key) as
      { etag: string; body: string; headers: string; used_at: string } | undefined;
    if (!row) return null;
    // Keeps an entry GitHub keeps answering 304 for from the prune; a write at most once a day,
    // so a hit normally takes no write lock.
    const now = this.clock.now();
    if (Date.parse(row.used_at) < now.getTime() - 86_400_000)
      this.sql.prepare('UPDATE http_cache SET used_at = ? WHERE key = ?').run(now.toISOString(), key);
    try {
      return {
        etag: row.etag,
        data: JSON.parse(row.body) as unknown,
        headers: JSON.parse(row.headers) as Record<string, string>,
      };
    } catch {
      return null;
    }
  }

  put(key: string, entry: CachedResponse): void {
    const now = this.clock.now();
    this.sql
      .prepare(
        `INSERT INTO http_cache (key, etag, body, headers, used_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, body = excluded.body,
           headers = excluded.headers, used_at = excluded.used_at`,
      )
      .run(key, entry.etag, JSON.stringify(entry.data), JSON.stringify(entry.headers), now.toISOString());
    if (++this.puts % PRUNE_EVERY === 0) {
      const before = new Date(now.getTime() - KEEP_DAYS * 86_400_000).toISOString();
      this.sql.prepare('DELETE FROM http_cache WHERE used_at < ?').run(before);
    }
  }
}
