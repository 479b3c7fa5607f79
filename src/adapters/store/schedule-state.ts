import type Database from 'better-sqlite3';
import { StatementCache } from './statement-cache.js';
import type { Clock, ScheduleState, ScheduleStateRecord } from '../../ports.js';

interface ScheduleRow {
  pipeline: string;
  last_run_at: string | null;
  last_scheduled_at: string | null;
}

function toRecord(row: ScheduleRow): ScheduleStateRecord {
  return { pipeline: row.pipeline, lastRunAt: row.last_run_at, lastScheduledAt: row.last_scheduled_at };
}

/** Last run per pipeline, so a restart neither skips nor repeats a scheduled check. */
export class SqliteScheduleState implements ScheduleState {
  /** Read and written on every scheduler tick: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  get(pipeline: string): ScheduleStateRecord | null {
    const row = this.sql.prepare('SELECT * FROM schedule_state WHERE pipeline = ?').get(pipeline) as
      ScheduleRow | undefined;
    return row ? toRecord(row) : null;
  }

  set(pipeline: string, patch: { lastRunAt?: string | null; lastScheduledAt?: string | null }): ScheduleStateRecord {
    // A field left out of the patch keeps its value; an explicit null clears it.
    const row = this.sql
      .prepare(
        `INSERT INTO schedule_state (pipeline, last_run_at, last_scheduled_at, updated_at)
         VALUES (@pipeline, @lastRunAt, @lastScheduledAt, @now)
         ON CONFLICT (pipeline) DO UPDATE SET
           last_run_at = CASE WHEN @hasRun THEN excluded.last_run_at ELSE schedule_state.last_run_at END,
           last_scheduled_at = CASE WHEN @hasScheduled THEN excluded.last_scheduled_at ELSE schedule_state.last_scheduled_at END,
           updated_at = excluded.updated_at
         RETURNING *`,
      )
      .get({
        pipeline,
        lastRunAt: patch.lastRunAt ?? null,
        lastScheduledAt: patch.lastScheduledAt ?? null,
        hasRun: 'lastRunAt' in patch && patch.lastRunAt !== undefined ? 1 : 0,
        hasScheduled: 'lastScheduledAt' in patch && patch.lastScheduledAt !== undefined ? 1 : 0,
        now: this.clock.now().toISOString(),
      }) as ScheduleRow;
    return toRecord(row);
  }
}
