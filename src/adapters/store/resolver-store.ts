import type Database from 'better-sqlite3';
import type {
  Actor,
  Clock,
  HunkDecision,
  HunkRecord,
  RememberedResolution,
  ResolutionMemory,
  ResolverLog,
  ResolveRunRecord,
} from '../../ports.js';
import { scrub } from '../../redact.js';
import { StatementCache } from './statement-cache.js';
import { fromJson, toJson } from './json.js';

// The resolver's repositories over migration 003. Texts are scrubbed like everything else the
// store keeps; a remembered free-text resolution that scrubbing would change is not kept at all,
// because replaying "[REDACTED]" into a file would be worse than not remembering.

interface MemoryRow {
  hunk_key: string;
  shape: RememberedResolution['shape'];
  text: string;
  source: string;
  learned_at: string;
}

interface DecisionRow {
  path: string;
  hunk: number;
  hunk_key: string;
  layer: HunkRecord['layer'];
  decided_by: string | null;
  rationale: string;
  confidence: number;
  text: string | null;
}

interface RunRow {
  repo: string;
  pr: number;
  pipeline: string;
  head_sha: string;
  production_sha: string;
  merge_base: string | null;
  paths: string;
  resolved_sha: string | null;
  at: string;
}

export class SqliteResolverStore implements ResolutionMemory, ResolverLog {
  /** The resolver reads memory and attempts per hunk and per run: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  private now(): string {
    return this.clock.now().toISOString();
  }

  recall(repo: string, keys: readonly string[]): Map<string, RememberedResolution> {
    const out = new Map<string, RememberedResolution>();
    const get = this.sql.prepare(
      'SELECT hunk_key, shape, text, source, learned_at FROM resolution_memory WHERE repo = ? AND hunk_key = ?',
    );
    for (const key of new Set(keys)) {
      const row = get.get(repo, key) as MemoryRow | undefined;
      if (row)
        out.set(key, {
          key: row.hunk_key,
          shape: row.shape,
          text: row.text,
          source: row.source,
          learnedAt: row.learned_at,
        });
    }
    return out;
  }

  remember(repo: string, entries: ReadonlyArray<Omit<RememberedResolution, 'learnedAt'>>): number {
    const put = this.sql.prepare(
      `INSERT INTO resolution_memory (repo, hunk_key, shape, text, source, learned_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (repo, hunk_key) DO UPDATE SET shape = excluded.shape, text = excluded.text, source = excluded.source, learned_at = excluded.learned_at`,
    );
    let n = 0;
    this.db.transaction(() => {
      for (const e of entries) {
        const text = scrub(e.text);
        if (text !== e.text && e.shape === 'text') continue;
        put.run(repo, e.key, e.shape, text, scrub(e.source), this.now());
        n++;
      }
    })();
    return n;
  }

  countAttempt(repo: string, pr: number, headSha: string): number {
    return this.sql
      .pluck(
        `INSERT INTO resolve_attempts (repo, pr, head_sha, attempts, last_at) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (repo, pr, head_sha) DO UPDATE SET attempts = resolve_attempts.attempts + 1, last_at = excluded.last_at RETURNING attempts`,
      )
      .get(repo, pr, headSha, this.now()) as number;
  }

  attempts(repo: string, pr: number, headSha: string): number {
    return (
      (this.sql
        .pluck('SELECT attempts FROM resolve_attempts WHERE repo = ? AND pr = ? AND head_sha = ?')
        .get(repo, pr, headSha) as number | undefined) ?? 0
    );
  }

  saveDecisions(repo: string, pr: number, headSha: string, rows: readonly HunkRecord[]): void {
    const put = this.sql.prepare(
      `INSERT INTO resolve_decisions (repo, pr, head_sha, path, hunk, hunk_key, layer, decided_by, rationale, confidence, text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      this.sql
        .prepare('DELETE FROM resolve_decisions WHERE repo = ? AND pr = ? AND head_sha = ?')
        .run(repo, pr, headSha);
      for (const r of rows)
        put.run(
          repo,
          pr,
          headSha,
          r.path,
          r.hunk,
          r.hunkKey,
          r.layer,
          r.by,
          scrub(r.rationale),
          r.confidence,
          r.text === null ? null : scrub(r.text),
        );
    })();
  }

  decisions(repo: string, pr: number, headSha: string): HunkRecord[] {
    const rows = this.sql
      .prepare(
        'SELECT path, hunk, hunk_key, layer, decided_by, rationale, confidence, text FROM resolve_decisions WHERE repo = ? AND pr = ? AND head_sha = ? ORDER BY path, hunk',
      )
      .all(repo, pr, headSha) as DecisionRow[];
    return rows.map((r) => ({
      path: r.path,
      hunk: r.hunk,
      hunkKey: r.hunk_key,
      layer: r.layer,
      by: r.decided_by,
      rationale: r.rationale,
      confidence: r.confidence,
      text: r.text,
    }));
  }

  recordChoice(repo: string, pr: number, d: HunkDecision): void {
    this.sql
      .prepare(
        `INSERT INTO resolve_choices (repo, pr, hunk_id, take, chosen_by, chosen_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (repo, pr, hunk_id) DO UPDATE SET take = excluded.take, chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at`,
      )
      .run(repo, pr, d.hunkId, d.take, toJson(d.by), this.now());
  }

  choices(repo: string, pr: number): HunkDecision[] {
    const rows = this.sql
      .prepare(
        'SELECT hunk_id, take, chosen_by FROM resolve_choices WHERE repo = ? AND pr = ? ORDER BY chosen_at, hunk_id',
      )
      .all(repo, pr) as Array<{ hunk_id: string; take: 'upstream' | 'fork'; chosen_by: string }>;
    return rows.map((r) => ({ hunkId: r.hunk_id, take: r.take, by: fromJson<Actor>(r.chosen_by) as Actor }));
  }

  choice(repo: string, pr: number, hunkId: string): (HunkDecision & { at: string }) | null {
    const r = this.db
      .prepare('SELECT take, chosen_by, chosen_at FROM resolve_choices WHERE repo = ? AND pr = ? AND hunk_id = ?')
      .get(repo, pr, hunkId) as { take: 'upstream' | 'fork'; chosen_by: string; chosen_at: string } | undefined;
    return r ? { hunkId, take: r.take, by: fromJson<Actor>(r.chosen_by) as Actor, at: r.chosen_at } : null;
  }

  recordRun(run: ResolveRunRecord): void {
    this.sql
      .prepare(
        `INSERT INTO resolve_runs (repo, pr, pipeline, head_sha, production_sha, merge_base, paths, resolved_sha, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repo, pr) DO UPDATE SET pipeline = excluded.pipeline, head_sha = excluded.head_sha, production_sha = excluded.production_sha,
           merge_base = excluded.merge_base, paths = excluded.paths, resolved_sha = excluded.resolved_sha, at = excluded.at`,
      )
      .run(
        run.repo,
        run.pr,
        run.pipeline,
        run.headSha,
        run.productionSha,
        run.mergeBase,
        JSON.stringify(run.paths),
        run.resolvedSha,
        run.at,
      );
  }

  lastRun(repo: string, pr: number): ResolveRunRecord | null {
    const r = this.sql.prepare('SELECT * FROM resolve_runs WHERE repo = ? AND pr = ?').get(repo, pr) as
      RunRow | undefined;
    if (!r) return null;
    return {
      repo: r.repo,
      pr: r.pr,
      pipeline: r.pipeline,
      headSha: r.head_sha,
      productionSha: r.production_sha,
      mergeBase: r.merge_base,
      paths: JSON.parse(r.paths) as string[],
      resolvedSha: r.resolved_sha,
      at: r.at,
    };
  }
}
