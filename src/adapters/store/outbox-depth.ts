import type Database from 'better-sqlite3';

// Outbox depth for /metrics and /readyz, read straight from slack_outbox (one indexed query per
// probe): rows waiting, rows dropped, and when the oldest waiting row was written.

export interface OutboxDepth {
  pending: number;
  dead: number;
  oldestPendingAt: string | null;
}

export function outboxDepth(db: Database.Database): OutboxDepth {
  const row = db
    .prepare(
      `SELECT SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
              SUM(CASE WHEN state = 'dead' THEN 1 ELSE 0 END) AS dead,
              MIN(CASE WHEN state = 'pending' THEN created_at END) AS oldest
       FROM slack_outbox`,
    )
    .get() as { pending: number | null; dead: number | null; oldest: string | null };
  return { pending: row.pending ?? 0, dead: row.dead ?? 0, oldestPendingAt: row.oldest };
}
