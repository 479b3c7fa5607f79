import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { isPostgres } from './pg/is-postgres.js';

/**
 * For loops that must run in one process at a time when replicas share a PostgreSQL store (the
 * Slack outbox: two dispatchers reading the same pending row would post it twice). Returns a
 * check to call before each round: true while this process holds the session-level advisory
 * lock named `name`. The lock goes with the connection, so a replica that dies (kill -9, lost
 * network) hands it to the next one that asks. On SQLite there is one process: always true.
 */
export function leaderLock(db: Database.Database, name: string): () => boolean {
  if (!isPostgres(db)) return () => true;
  const key = createHash('sha256').update(`upstream-sync:${name}`).digest().readUInt32BE(0) & 0x7fffffff;
  const held = db.prepare(
    "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND objid = ? AND classid = 0 AND pid = pg_backend_pid() AND granted",
  );
  const take = db.prepare('SELECT pg_try_advisory_lock(?) AS ok').pluck();
  return () => {
    try {
      if (held.get(key) !== undefined) return true;
      return take.get(key) === true;
    } catch {
      return false;
    }
  };
}
