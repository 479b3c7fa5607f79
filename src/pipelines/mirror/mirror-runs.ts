import type Database from 'better-sqlite3';
import type { MirrorOutcome, MirrorState } from '../../core/mirror/mirror-state.js';
import type { Actor, Clock } from '../../ports.js';
import { fromJson, toJson, toJsonOrNull } from '../../adapters/store/json.js';
import type { MirrorRunRecord, SyncReport } from './mirror-types.js';

// The mirror's runs and sync reports in SQLite (migration 016).

interface Row {
  id: number;
  pipeline: string;
  at: string;
  outcome: string;
  state: string;
  source_sha: string | null;
  target_sha: string | null;
  target_sha_after: string | null;
  ahead: number;
  behind: number;
  report: string | null;
  tags: string;
  duration_ms: number | null;
  backup_ref: string | null;
}

export interface NewMirrorRun {
  pipeline: string;
  jobId: number | null;
  outcome: MirrorOutcome;
  state: MirrorState;
  sourceSha: string | null;
  targetSha: string | null;
  targetShaAfter: string | null;
  ahead: number;
  behind: number;
  report: SyncReport | null;
  tags: { pushed: string[]; conflicting: string[] };
  requestedBy: Actor;
  durationMs: number | null;
  backupRef?: string | null;
}

export class MirrorRuns {
  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {}

  /** Stores a run; a job that already stored its run (resumed after a kill) keeps the first row. */
  record(run: NewMirrorRun): void {
    this.db
      .prepare(
        `INSERT INTO mirror_runs (pipeline, job_id, at, outcome, state, source_sha, target_sha, target_sha_after,
           ahead, behind, report, tags, requested_by, duration_ms, backup_ref)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (job_id) DO NOTHING`,
      )
      .run(
        run.pipeline,
        run.jobId,
        this.clock.now().toISOString(),
        run.outcome,
        run.state,
        run.sourceSha,
        run.targetSha,
        run.targetShaAfter,
        run.ahead,
        run.behind,
        toJsonOrNull(run.report),
        toJson(run.tags),
        toJson(run.requestedBy),
        run.durationMs,
        run.backupRef ?? null,
      );
  }

  /** Newest first. */
  recent(pipeline: string, limit = 10): MirrorRunRecord[] {
    const rows = this.db
      .prepare('SELECT * FROM mirror_runs WHERE pipeline = ? ORDER BY id DESC LIMIT ?')
      .all(pipeline, limit) as Row[];
    return rows.map(toRecord);
  }

  /** Outcomes of runs since `sinceIso`, for the 30-day rates. */
  outcomesSince(pipeline: string, sinceIso: string): MirrorOutcome[] {
    return this.db
      .prepare('SELECT outcome FROM mirror_runs WHERE pipeline = ? AND at >= ? ORDER BY id')
      .pluck()
      .all(pipeline, sinceIso) as MirrorOutcome[];
  }

  last(pipeline: string): MirrorRunRecord | null {
    return this.recent(pipeline, 1)[0] ?? null;
  }
}

function toRecord(row: Row): MirrorRunRecord {
  return {
    id: row.id,
    pipeline: row.pipeline,
    at: row.at,
    outcome: row.outcome as MirrorOutcome,
    state: row.state as MirrorState,
    sourceSha: row.source_sha,
    targetSha: row.target_sha,
    targetShaAfter: row.target_sha_after,
    ahead: row.ahead,
    behind: row.behind,
    report: fromJson<SyncReport>(row.report),
    tags: fromJson<{ pushed: string[]; conflicting: string[] }>(row.tags) ?? { pushed: [], conflicting: [] },
    durationMs: row.duration_ms,
    backupRef: row.backup_ref,
  };
}
