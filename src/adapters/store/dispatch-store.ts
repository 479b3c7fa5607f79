import type Database from 'better-sqlite3';
import type { Clock } from '../../ports/clock.js';
import type { DeliveryRecord, DispatchRecords, PendingDelivery } from '../../ports/dispatch-records.js';
import { StatementCache } from './statement-cache.js';

interface DeliveryRow {
  subscriber: string;
  feature: string;
  mode: DeliveryRecord['mode'];
  result: DeliveryRecord['result'];
  pr_number: number | null;
  pr_url: string | null;
  error: string | null;
  changed: string;
}

export class SqliteDispatchRecords implements DispatchRecords {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  lastProcessed(pipeline: string): { sha: string; at: string } | null {
    const row = this.sql
      .prepare('SELECT last_sha AS sha, updated_at AS at FROM dispatch_state WHERE pipeline = ?')
      .get(pipeline) as { sha: string; at: string } | undefined;
    return row ?? null;
  }

  setLastProcessed(pipeline: string, sha: string): void {
    this.sql
      .prepare(
        `INSERT INTO dispatch_state (pipeline, last_sha, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (pipeline) DO UPDATE SET last_sha = excluded.last_sha, updated_at = excluded.updated_at`,
      )
      .run(pipeline, sha, this.clock.now().toISOString());
  }

  delivery(pipeline: string, toSha: string, subscriber: string, feature: string): DeliveryRecord | null {
    const row = this.sql
      .prepare(
        `SELECT subscriber, feature, mode, result, pr_number, pr_url, error, changed FROM dispatch_deliveries
         WHERE pipeline = ? AND to_sha = ? AND subscriber = ? AND feature = ?`,
      )
      .get(pipeline, toSha, subscriber, feature) as DeliveryRow | undefined;
    return row ? fromRow(row) : null;
  }

  record(pipeline: string, range: { from: string | null; to: string }, d: DeliveryRecord): void {
    const at = this.clock.now().toISOString();
    const changed = JSON.stringify(d.changedPaths);
    this.sql
      .prepare(
        `INSERT INTO dispatch_deliveries
           (pipeline, to_sha, subscriber, feature, from_sha, mode, result, pr_number, pr_url, error, changed, at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pipeline, to_sha, subscriber, feature) DO UPDATE SET
           result = excluded.result, pr_number = excluded.pr_number, pr_url = excluded.pr_url,
           error = excluded.error, at = excluded.at`,
      )
      .run(
        pipeline,
        range.to,
        d.subscriber,
        d.feature,
        range.from,
        d.mode,
        d.result,
        d.pr?.number ?? null,
        d.pr?.url ?? null,
        d.error,
        changed,
        at,
      );
    if (d.result === 'failed') {
      this.sql
        .prepare(
          `INSERT INTO dispatch_pending (pipeline, subscriber, feature, mode, changed, error, since)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (pipeline, subscriber, feature) DO UPDATE SET error = excluded.error, changed = excluded.changed`,
        )
        .run(pipeline, d.subscriber, d.feature, d.mode, changed, d.error ?? 'failed', at);
    } else {
      this.sql
        .prepare('DELETE FROM dispatch_pending WHERE pipeline = ? AND subscriber = ? AND feature = ?')
        .run(pipeline, d.subscriber, d.feature);
    }
  }

  pending(pipeline: string): PendingDelivery[] {
    const rows = this.sql
      .prepare(
        `SELECT subscriber, feature, mode, changed, error, since FROM dispatch_pending
         WHERE pipeline = ? ORDER BY since, subscriber, feature`,
      )
      .all(pipeline) as Array<Omit<PendingDelivery, 'changedPaths'> & { changed: string }>;
    return rows.map(({ changed, ...rest }) => ({ ...rest, changedPaths: JSON.parse(changed) as string[] }));
  }
}

function fromRow(row: DeliveryRow): DeliveryRecord {
  return {
    subscriber: row.subscriber,
    feature: row.feature,
    mode: row.mode,
    result: row.result,
    pr: row.pr_number !== null && row.pr_url !== null ? { number: row.pr_number, url: row.pr_url } : null,
    error: row.error,
    changedPaths: JSON.parse(row.changed) as string[],
  };
}
