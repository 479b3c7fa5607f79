import type Database from 'better-sqlite3';
import { AppError } from '../../errors.js';
import type { ClaimOptions, JobError, JobListQuery, JobStore } from '../../ports/job-store.js';
import type { EnqueueInput, EnqueueResult, JobKindName, JobRecord } from '../../ports/jobs.js';
import { fromJson, toJson, toJsonOrNull } from './json.js';
import { toJobRecord, type JobRow } from './job-rows.js';
import { StatementCache } from './statement-cache.js';

const DEFAULT_LIMIT = 50;
const CANDIDATES = 100;

/**
 * Jobs over SQLite. Writes that decide who runs what are IMMEDIATE transactions: the write lock is
 * taken before reading, so two processes on one database serialize instead of both seeing the
 * same free job (busy_timeout makes the second wait).
 */
export class SqliteJobStore implements JobStore {
  /** The runner polls several times a second: every statement is compiled once. */
  private readonly sql: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  enqueue<D>(input: EnqueueInput<D>, defaults: { maxAttempts: number }, now: Date): EnqueueResult<D> {
    const run = this.db.transaction((): EnqueueResult<D> => {
      const active = this.sql
        .prepare("SELECT * FROM jobs WHERE dedupe_key = ? AND state IN ('queued', 'running')")
        .get(input.dedupeKey) as JobRow | undefined;
      if (active) return { job: toJobRecord(active) as JobRecord<D>, created: false };
      const at = now.toISOString();
      const row = this.sql
        .prepare(
          `INSERT INTO jobs (kind, pipeline, dedupe_key, locks, state, data, max_attempts, requested_by, run_after, created_at, updated_at)
           VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?) RETURNING *`,
        )
        .get(
          input.kind,
          input.pipeline ?? null,
          input.dedupeKey,
          toJson([...new Set(input.locks ?? [])]),
          toJson(input.data),
          input.maxAttempts ?? defaults.maxAttempts,
          toJson(input.requestedBy),
          input.runAfter ? new Date(input.runAfter).toISOString() : at,
          at,
          at,
        ) as JobRow;
      return { job: toJobRecord(row) as JobRecord<D>, created: true };
    });
    return run.immediate();
  }

  get(id: number): JobRecord | null {
    const row = this.sql.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
    return row ? toJobRecord(row) : null;
  }

  list(query: JobListQuery): JobRecord[] {
    const rows = this.sql
      .prepare(
        `SELECT * FROM jobs
         WHERE (@pipeline IS NULL OR pipeline = @pipeline) AND (@kind IS NULL OR kind = @kind)
           AND (@states IS NULL OR state IN (SELECT value FROM json_each(@states)))
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        pipeline: query.pipeline ?? null,
        kind: query.kind ?? null,
        states: query.states ? JSON.stringify(query.states) : null,
        limit: query.limit ?? DEFAULT_LIMIT,
      }) as JobRow[];
    return rows.map(toJobRecord);
  }

  claim(options: ClaimOptions): JobRecord | null {
    if (options.kinds.length === 0) return null;
    const run = this.db.transaction((): JobRecord | null => {
      const now = options.now.toISOString();
      // Resumptions first: a job whose process died holds its half-done work and its locks.
      const candidates = this.sql
        .prepare(
          `SELECT * FROM jobs
           WHERE kind IN (SELECT value FROM json_each(@kinds))
             AND ((state = 'queued' AND run_after <= @now) OR (state = 'running' AND lease_until < @now))
             AND id NOT IN (SELECT CAST(value AS INTEGER) FROM json_each(@running))
           ORDER BY CASE state WHEN 'running' THEN 0 ELSE 1 END, run_after, id
           LIMIT ${CANDIDATES}`,
        )
        .all({ kinds: JSON.stringify(options.kinds), now, running: JSON.stringify(options.running ?? []) }) as JobRow[];
      if (candidates.length === 0) return null;
      const held = this.heldLocks();
      for (const row of candidates) {
        const locks = fromJson<string[]>(row.locks) ?? [];
        // Even an expired running job keeps its locks until someone resumes it: never race it.
        if (locks.some((lock) => [...(held.get(lock) ?? [])].some((holder) => holder !== row.id))) continue;
        if (row.state === 'running' && row.attempts >= row.max_attempts) {
          this.failAbandoned(row, now);
          continue;
        }
        const leased = this.sql
          .prepare(
            `UPDATE jobs SET state = 'running', attempts = attempts + 1, lease_owner = ?, lease_until = ?, updated_at = ?
             WHERE id = ? RETURNING *`,
          )
          .get(options.owner, new Date(options.now.getTime() + options.leaseMs).toISOString(), now, row.id) as JobRow;
        return toJobRecord(leased);
      }
      return null;
    });
    return run.immediate();
  }

  renewLease(id: number, owner: string, leaseMs: number, now: Date): boolean {
    const info = this.sql
      .prepare("UPDATE jobs SET lease_until = ?, updated_at = ? WHERE id = ? AND lease_owner = ? AND state = 'running'")
      .run(new Date(now.getTime() + leaseMs).toISOString(), now.toISOString(), id, owner);
    return info.changes === 1;
  }

  leaseOwners(now: Date): string[] {
    return this.sql
      .pluck(
        "SELECT DISTINCT lease_owner FROM jobs WHERE state = 'running' AND lease_until >= ? AND lease_owner IS NOT NULL",
      )
      .all(now.toISOString()) as string[];
  }

  expireLeases(owner: string, now: Date): number {
    // A millisecond before `now`: claim() takes leases that ended strictly before its own now.
    const ended = new Date(now.getTime() - 1).toISOString();
    return this.sql
      .prepare(
        "UPDATE jobs SET lease_until = ?, updated_at = ? WHERE lease_owner = ? AND state = 'running' AND lease_until > ?",
      )
      .run(ended, now.toISOString(), owner, ended).changes;
  }

  getStep(id: number, name: string): { result: unknown } | null {
    const row = this.sql.prepare('SELECT result FROM job_steps WHERE job_id = ? AND name = ?').get(id, name) as
      { result: string | null } | undefined;
    return row ? { result: row.result === null ? undefined : fromJson(row.result) } : null;
  }

  recordStep(id: number, owner: string, name: string, result: unknown, now: Date): boolean {
    const run = this.db.transaction((): boolean => {
      if (!this.owns(id, owner)) return false;
      this.sql
        .prepare('INSERT INTO job_steps (job_id, name, result, finished_at) VALUES (?, ?, ?, ?)')
        .run(id, name, result === undefined ? null : toJson(result), now.toISOString());
      return true;
    });
    return run.immediate();
  }

  complete(id: number, owner: string, result: unknown, now: Date): JobRecord | null {
    return this.updateOwned(id, owner, "state = 'succeeded', result = @result, error = NULL, finished_at = @now", {
      result: toJsonOrNull(result),
      now: now.toISOString(),
    });
  }

  requeue(
    id: number,
    owner: string,
    input: { runAfter: Date; error: JobError | null; refundAttempt: boolean },
    now: Date,
  ): JobRecord | null {
    return this.updateOwned(
      id,
      owner,
      `state = 'queued', run_after = @runAfter, error = COALESCE(@error, error),
       attempts = CASE WHEN @refund THEN MAX(attempts - 1, 0) ELSE attempts END`,
      {
        runAfter: input.runAfter.toISOString(),
        error: toJsonOrNull(input.error),
        refund: input.refundAttempt ? 1 : 0,
        now: now.toISOString(),
      },
    );
  }

  finish(id: number, owner: string, state: 'failed' | 'cancelled', error: JobError, now: Date): JobRecord | null {
    return this.updateOwned(id, owner, 'state = @state, error = @error, finished_at = @now', {
      state,
      error: toJson(error),
      now: now.toISOString(),
    });
  }

  retry(id: number, now: Date): JobRecord {
    const run = this.db.transaction((): JobRecord => {
      const row = this.sql.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
      if (!row) throw new AppError('not_found', `job ${id} does not exist`);
      if (row.state === 'queued' || row.state === 'running') return toJobRecord(row);
      if (row.state === 'succeeded') throw new AppError('conflict', `job ${id} already succeeded`);
      const twin = this.sql
        .pluck("SELECT id FROM jobs WHERE dedupe_key = ? AND state IN ('queued', 'running')")
        .get(row.dedupe_key) as number | undefined;
      if (twin !== undefined) {
        throw new AppError('conflict', `job ${twin} with the same key (${row.dedupe_key}) is already active`, {
          details: { activeJobId: twin },
        });
      }
      const at = now.toISOString();
      const updated = this.sql
        .prepare(
          `UPDATE jobs SET state = 'queued', attempts = 0, run_after = ?, finished_at = NULL, lease_owner = NULL, lease_until = NULL, updated_at = ?
           WHERE id = ? RETURNING *`,
        )
        .get(at, at, id) as JobRow;
      return toJobRecord(updated);
    });
    return run.immediate();
  }

  hasPending(kinds: readonly JobKindName[], horizon: Date): boolean {
    const found = this.sql
      .prepare(
        `SELECT 1 FROM jobs WHERE kind IN (SELECT value FROM json_each(?))
           AND (state = 'running' OR (state = 'queued' AND run_after <= ?)) LIMIT 1`,
      )
      .get(JSON.stringify(kinds), horizon.toISOString());
    return found !== undefined;
  }

  private heldLocks(): Map<string, Set<number>> {
    const held = new Map<string, Set<number>>();
    const rows = this.sql.prepare("SELECT id, locks FROM jobs WHERE state = 'running'").all() as {
      id: number;
      locks: string;
    }[];
    for (const row of rows) {
      for (const lock of fromJson<string[]>(row.locks) ?? []) held.set(lock, (held.get(lock) ?? new Set()).add(row.id));
    }
    return held;
  }

  private failAbandoned(row: JobRow, now: string): void {
    const error: JobError = {
      code: 'lease_lost',
      message: `abandoned: the process running attempt ${row.attempts} of ${row.max_attempts} stopped without finishing`,
    };
    this.sql
      .prepare(
        "UPDATE jobs SET state = 'failed', error = ?, finished_at = ?, lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE id = ?",
      )
      .run(toJson(error), now, now, row.id);
  }

  private owns(id: number, owner: string): boolean {
    return (
      this.sql.prepare("SELECT 1 FROM jobs WHERE id = ? AND lease_owner = ? AND state = 'running'").get(id, owner) !==
      undefined
    );
  }

  /** Ends the lease (the UPDATE also clears it) only if `owner` still holds it. */
  private updateOwned(id: number, owner: string, set: string, params: Record<string, unknown>): JobRecord | null {
    const row = this.sql
      .prepare(
        `UPDATE jobs SET ${set}, lease_owner = NULL, lease_until = NULL, updated_at = @now
         WHERE id = @id AND lease_owner = @owner AND state = 'running' RETURNING *`,
      )
      .get({ ...params, id, owner }) as JobRow | undefined;
    return row ? toJobRecord(row) : null;
  }
}
