import type Database from 'better-sqlite3';
import semver from 'semver';
import type { Actor, Clock, SkipEntry, SyncedTag, SyncRecords, SyncRunRecord } from '../../ports.js';
import { scrub } from '../../redact.js';
import { StatementCache } from './statement-cache.js';
import { fromJson, toJson, toJsonOrNull } from './json.js';

interface SkipRow {
  pipeline: string;
  tag: string;
  reason: SkipEntry['reason'];
  pr_number: number | null;
  skipped_by: string | null;
  note: string | null;
  skipped_at: string;
}

interface RunRow {
  id: number;
  pipeline: string;
  job_id: number | null;
  dry_run: number;
  outcome: SyncRunRecord['outcome'];
  current_version: string | null;
  latest_tag: string | null;
  pr_number: number | null;
  pr_url: string | null;
  conflicts: string;
  skipped: string;
  error: string | null;
  requested_by: string;
  finished_at: string;
}

function toSkip(row: SkipRow): SkipEntry {
  return {
    pipeline: row.pipeline,
    tag: row.tag,
    reason: row.reason,
    prNumber: row.pr_number,
    by: fromJson<Actor>(row.skipped_by),
    note: row.note,
    at: row.skipped_at,
  };
}

function toRun(row: RunRow): SyncRunRecord {
  return {
    id: row.id,
    pipeline: row.pipeline,
    jobId: row.job_id,
    dryRun: row.dry_run === 1,
    outcome: row.outcome,
    currentVersion: row.current_version,
    latestTag: row.latest_tag,
    pr: row.pr_number !== null && row.pr_url !== null ? { number: row.pr_number, url: row.pr_url } : null,
    conflicts: fromJson<string[]>(row.conflicts) ?? [],
    skipped: fromJson<SyncRunRecord['skipped']>(row.skipped) ?? [],
    error: fromJson<SyncRunRecord['error']>(row.error),
    requestedBy: fromJson<Actor>(row.requested_by) as Actor,
    finishedAt: row.finished_at,
  };
}

export class SqliteSyncRecords implements SyncRecords {
  /** Every sync and every status read asks several of these: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  skip(
    pipeline: string,
    tag: string,
    input: { reason: SkipEntry['reason']; prNumber?: number | null; by?: Actor | null; note?: string | null },
  ): SkipEntry {
    const row = this.sql
      .prepare(
        `INSERT INTO skipped_releases (pipeline, tag, reason, pr_number, skipped_by, note, skipped_at)
         VALUES (@pipeline, @tag, @reason, @pr, @by, @note, @now)
         ON CONFLICT (pipeline, tag) DO UPDATE SET
           reason = excluded.reason, pr_number = COALESCE(excluded.pr_number, skipped_releases.pr_number), skipped_by = excluded.skipped_by,
           note = excluded.note, skipped_at = excluded.skipped_at, unskipped_at = NULL, unskipped_by = NULL
         RETURNING *`,
      )
      .get({
        pipeline,
        tag,
        reason: input.reason,
        pr: input.prNumber ?? null,
        by: toJsonOrNull(input.by),
        note: input.note ? scrub(input.note) : null,
        now: this.now(),
      }) as SkipRow;
    return toSkip(row);
  }

  unskip(pipeline: string, tag: string, by: Actor): boolean {
    const result = this.sql
      .prepare(
        'UPDATE skipped_releases SET unskipped_at = ?, unskipped_by = ? WHERE pipeline = ? AND tag = ? AND unskipped_at IS NULL',
      )
      .run(this.now(), toJson(by), pipeline, tag);
    return result.changes > 0;
  }

  activeSkips(pipeline: string): SkipEntry[] {
    const rows = this.sql
      .prepare('SELECT * FROM skipped_releases WHERE pipeline = ? AND unskipped_at IS NULL ORDER BY skipped_at, tag')
      .all(pipeline) as SkipRow[];
    return rows.map(toSkip);
  }

  handledClosures(pipeline: string): Set<number> {
    const numbers = this.sql
      .pluck(
        `SELECT pr_number FROM skipped_releases WHERE pipeline = @pipeline AND pr_number IS NOT NULL
         UNION SELECT number FROM bot_closed_pulls WHERE pipeline = @pipeline`,
      )
      .all({ pipeline }) as number[];
    return new Set(numbers);
  }

  botClosedPulls(pipeline: string): Set<number> {
    return new Set(this.sql.pluck('SELECT number FROM bot_closed_pulls WHERE pipeline = ?').all(pipeline) as number[]);
  }

  recordBotClosed(pipeline: string, repo: string, number: number, tag: string): void {
    this.sql
      .prepare(
        'INSERT INTO bot_closed_pulls (pipeline, repo, number, tag, closed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(pipeline, repo, number, tag, this.now());
  }

  recordSynced(entry: Omit<SyncedTag, 'at'>): void {
    this.sql
      .prepare(
        `INSERT INTO synced_tags (pipeline, tag, version, pr_number, merge_sha, synced_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (pipeline, tag) DO NOTHING`,
      )
      .run(entry.pipeline, entry.tag, entry.version, entry.prNumber, entry.mergeSha, this.now());
  }

  lastSynced(pipeline: string): SyncedTag | null {
    const rows = this.sql.prepare('SELECT * FROM synced_tags WHERE pipeline = ?').all(pipeline) as Array<
      Record<string, unknown>
    >;
    const tags: SyncedTag[] = rows.map((r) => ({
      pipeline: r.pipeline as string,
      tag: r.tag as string,
      version: r.version as string,
      prNumber: r.pr_number as number | null,
      mergeSha: r.merge_sha as string | null,
      at: r.synced_at as string,
    }));
    tags.sort((a, b) =>
      semver.valid(a.version) && semver.valid(b.version)
        ? semver.rcompare(a.version, b.version)
        : b.at.localeCompare(a.at),
    );
    return tags[0] ?? null;
  }

  recordRun(run: Omit<SyncRunRecord, 'id' | 'finishedAt'>): SyncRunRecord {
    if (run.jobId !== null) {
      const existing = this.sql.prepare('SELECT * FROM sync_runs WHERE job_id = ?').get(run.jobId) as
        RunRow | undefined;
      if (existing) return toRun(existing);
    }
    const row = this.sql
      .prepare(
        `INSERT INTO sync_runs (pipeline, job_id, dry_run, outcome, current_version, latest_tag, pr_number, pr_url, conflicts, skipped, error, requested_by, finished_at)
         VALUES (@pipeline, @jobId, @dryRun, @outcome, @currentVersion, @latestTag, @prNumber, @prUrl, @conflicts, @skipped, @error, @requestedBy, @now)
         RETURNING *`,
      )
      .get({
        pipeline: run.pipeline,
        jobId: run.jobId,
        dryRun: run.dryRun ? 1 : 0,
        outcome: run.outcome,
        currentVersion: run.currentVersion,
        latestTag: run.latestTag,
        prNumber: run.pr?.number ?? null,
        prUrl: run.pr?.url ?? null,
        conflicts: toJson(run.conflicts),
        skipped: toJson(run.skipped),
        error: toJsonOrNull(run.error),
        requestedBy: toJson(run.requestedBy),
        now: this.now(),
      }) as RunRow;
    return toRun(row);
  }

  lastRun(pipeline: string, options: { includeDryRuns?: boolean } = {}): SyncRunRecord | null {
    const row = this.sql
      .prepare(
        `SELECT * FROM sync_runs WHERE pipeline = ? ${options.includeDryRuns ? '' : 'AND dry_run = 0'} ORDER BY id DESC LIMIT 1`,
      )
      .get(pipeline) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  saveFacts(pipeline: string, facts: Record<string, unknown>): void {
    this.sql
      .prepare(
        'INSERT INTO status_facts (pipeline, facts, updated_at) VALUES (?, ?, ?) ON CONFLICT (pipeline) DO UPDATE SET facts = excluded.facts, updated_at = excluded.updated_at',
      )
      .run(pipeline, toJson(facts), this.now());
  }

  facts(pipeline: string): { facts: Record<string, unknown>; updatedAt: string } | null {
    const row = this.sql.prepare('SELECT facts, updated_at FROM status_facts WHERE pipeline = ?').get(pipeline) as
      { facts: string; updated_at: string } | undefined;
    return row ? { facts: fromJson<Record<string, unknown>>(row.facts) ?? {}, updatedAt: row.updated_at } : null;
  }
}
