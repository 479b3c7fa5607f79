import type Database from 'better-sqlite3';
import type { Actor } from '../../ports/actor.js';
import type { Clock } from '../../ports/clock.js';
import type { CiFixAttempt, CiFixFinish, CiFixRecords, CiFixStart } from '../../ports/ci-fix-records.js';
import { scrub } from '../../redact.js';
import { fromJson, toJson, toJsonOrNull } from './json.js';
import { StatementCache } from './statement-cache.js';

// The CI fixer's attempts and grants over migration 119.

interface Row {
  id: number;
  pipeline: string;
  tag: string;
  repo: string;
  pr: number;
  head_sha: string;
  n: number;
  of: number;
  job_id: number | null;
  granted: number;
  outcome: CiFixAttempt['outcome'];
  checks: string;
  patch: string | null;
  paths: string;
  lines: number | null;
  summary: string | null;
  rationale: string | null;
  refused: string | null;
  note: string | null;
  commit_sha: string | null;
  started_at: string;
  finished_at: string | null;
}

function toAttempt(r: Row): CiFixAttempt {
  return {
    id: r.id,
    pipeline: r.pipeline,
    tag: r.tag,
    repo: r.repo,
    pr: r.pr,
    headSha: r.head_sha,
    n: r.n,
    of: r.of,
    jobId: r.job_id,
    granted: r.granted === 1,
    outcome: r.outcome,
    checks: fromJson<string[]>(r.checks) ?? [],
    patch: r.patch,
    paths: fromJson<string[]>(r.paths) ?? [],
    lines: r.lines,
    summary: r.summary,
    rationale: r.rationale,
    refused: fromJson(r.refused),
    note: r.note,
    commitSha: r.commit_sha,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

const text = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : scrub(v));

export class SqliteCiFixRecords implements CiFixRecords {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  begin(input: CiFixStart): CiFixAttempt {
    if (input.jobId !== null) {
      const existing = this.sql.prepare('SELECT * FROM ci_fix_attempts WHERE job_id = ?').get(input.jobId) as
        Row | undefined;
      if (existing) return toAttempt(existing);
    }
    const info = this.sql
      .prepare(
        `INSERT INTO ci_fix_attempts (pipeline, tag, repo, pr, head_sha, n, of, job_id, granted, outcome, checks, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?)`,
      )
      .run(
        input.pipeline,
        input.tag,
        input.repo,
        input.pr,
        input.headSha,
        input.n,
        input.of,
        input.jobId,
        input.granted ? 1 : 0,
        toJson(input.checks),
        this.clock.now().toISOString(),
      );
    return this.get(Number(info.lastInsertRowid))!;
  }

  update(id: number, c: CiFixFinish & { finished?: boolean }): CiFixAttempt {
    const now = this.clock.now().toISOString();
    this.sql
      .prepare(
        `UPDATE ci_fix_attempts SET
           outcome = COALESCE(?, outcome), patch = COALESCE(?, patch), paths = COALESCE(?, paths),
           lines = COALESCE(?, lines), summary = COALESCE(?, summary), rationale = COALESCE(?, rationale),
           refused = COALESCE(?, refused), note = COALESCE(?, note), commit_sha = COALESCE(?, commit_sha),
           finished_at = CASE WHEN ? THEN ? ELSE finished_at END
         WHERE id = ?`,
      )
      .run(
        c.outcome ?? null,
        text(c.patch),
        c.paths ? toJson(c.paths) : null,
        c.lines ?? null,
        text(c.summary),
        text(c.rationale),
        toJsonOrNull(c.refused),
        text(c.note),
        c.commitSha ?? null,
        c.finished ? 1 : 0,
        now,
        id,
      );
    return this.get(id)!;
  }

  get(id: number): CiFixAttempt | null {
    const row = this.sql.prepare('SELECT * FROM ci_fix_attempts WHERE id = ?').get(id) as Row | undefined;
    return row ? toAttempt(row) : null;
  }

  attempts(repo: string, pr: number): CiFixAttempt[] {
    return (
      this.sql.prepare('SELECT * FROM ci_fix_attempts WHERE repo = ? AND pr = ? ORDER BY id').all(repo, pr) as Row[]
    ).map(toAttempt);
  }

  recent(pipeline: string, limit = 20): CiFixAttempt[] {
    return (
      this.sql
        .prepare('SELECT * FROM ci_fix_attempts WHERE pipeline = ? ORDER BY id DESC LIMIT ?')
        .all(pipeline, limit) as Row[]
    ).map(toAttempt);
  }

  grant(repo: string, pr: number, jobId: number, by: Actor): void {
    this.sql
      .prepare(
        `INSERT INTO ci_fix_grants (repo, pr, job_id, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (job_id) DO NOTHING`,
      )
      .run(repo, pr, jobId, by.kind, by.id, this.clock.now().toISOString());
  }

  grants(repo: string, pr: number): { total: number; unused: number } {
    const row = this.sql
      .prepare(
        'SELECT COUNT(*) AS total, SUM(CASE WHEN used_by IS NULL THEN 1 ELSE 0 END) AS unused FROM ci_fix_grants WHERE repo = ? AND pr = ?',
      )
      .get(repo, pr) as { total: number; unused: number | null };
    return { total: row.total, unused: row.unused ?? 0 };
  }

  useGrant(repo: string, pr: number, attemptId: number): boolean {
    const already = this.sql.prepare('SELECT 1 FROM ci_fix_grants WHERE used_by = ?').get(attemptId);
    if (already) return true;
    const info = this.sql
      .prepare(
        `UPDATE ci_fix_grants SET used_by = ? WHERE job_id = (
           SELECT job_id FROM ci_fix_grants WHERE repo = ? AND pr = ? AND used_by IS NULL ORDER BY at, job_id LIMIT 1)`,
      )
      .run(attemptId, repo, pr);
    return info.changes === 1;
  }
}
