import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { ownerIsGone } from '../../jobs/lease-owner.js';
import { isPostgres } from './pg/is-postgres.js';
import type { PgBridge } from './pg/pg-bridge.js';

/** Whether the process that wrote a record (named by its lease owner) is still running somewhere. */
export interface Presence {
  readonly owner: string;
  isGone(owner: string): boolean;
}

function keyOf(owner: string): number {
  return createHash('sha256').update(`upstream-sync:presence:${owner}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/**
 * On PostgreSQL each process holds a session advisory lock named after its owner for as long as
 * its connection lives, so another replica, on any host, can tell a live owner from a gone one
 * (it can take a gone owner's lock). On SQLite there is one serving process: every other owner
 * is gone. Same-host owners whose pid no longer exists are gone on both.
 */
export function presence(db: Database.Database, owner: string): Presence {
  if (!isPostgres(db)) return { owner, isGone: (other) => other !== owner };
  const take = db.prepare('SELECT pg_try_advisory_lock(?)').pluck();
  const release = db.prepare('SELECT pg_advisory_unlock(?)').pluck();
  // Held for the life of the process, re-taken by every new connection (pg-bridge.ts).
  (db as unknown as { bridge: PgBridge }).bridge.onEveryConnection(`SELECT pg_try_advisory_lock(${keyOf(owner)})`);
  return {
    owner,
    isGone(other) {
      if (other === owner) return false;
      if (ownerIsGone(other)) return true;
      if (take.get(keyOf(other)) !== true) return false;
      release.get(keyOf(other));
      return true;
    },
  };
}
