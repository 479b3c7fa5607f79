import type Database from 'better-sqlite3';
import type { Actor, ActorKind } from '../../ports/actor.js';
import type { Clock } from '../../ports/clock.js';
import type { LedgerAcceptance, LedgerRecord, LedgerRecords } from '../../ports/ledger-records.js';
import { StatementCache } from './statement-cache.js';

interface LedgerRow {
  pipeline: string;
  tag: string;
  head_sha: string;
  base_sha: string;
  production_sha: string;
  upstream_sha: string;
  pr_number: number | null;
  built_at: string;
  counts: string;
  entries: string;
  pending_paths: string;
  guards: string;
}

const COLUMNS =
  'pipeline, tag, head_sha, base_sha, production_sha, upstream_sha, pr_number, built_at, counts, entries, pending_paths, guards';

export class SqliteLedgerRecords implements LedgerRecords {
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  save(r: Omit<LedgerRecord, 'builtAt'>): void {
    this.sql
      .prepare(
        `INSERT INTO fork_ledgers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (pipeline, tag, head_sha) DO UPDATE SET
           pr_number = COALESCE(excluded.pr_number, fork_ledgers.pr_number), built_at = excluded.built_at,
           counts = excluded.counts, entries = excluded.entries, pending_paths = excluded.pending_paths,
           guards = excluded.guards`,
      )
      .run(
        r.pipeline,
        r.tag,
        r.headSha,
        r.baseSha,
        r.productionSha,
        r.upstreamSha,
        r.prNumber,
        this.clock.now().toISOString(),
        JSON.stringify(r.counts),
        JSON.stringify(r.entries),
        JSON.stringify(r.pendingPaths),
        JSON.stringify(r.guards),
      );
  }

  setPr(pipeline: string, tag: string, prNumber: number): void {
    this.sql
      .prepare('UPDATE fork_ledgers SET pr_number = ? WHERE pipeline = ? AND tag = ?')
      .run(prNumber, pipeline, tag);
  }

  latest(pipeline: string, filter: { tag?: string; pr?: number } = {}): LedgerRecord | null {
    const row = this.sql
      .prepare(
        `SELECT ${COLUMNS} FROM fork_ledgers WHERE pipeline = ?
           AND (? IS NULL OR tag = ?) AND (? IS NULL OR pr_number = ?)
         ORDER BY built_at DESC, rowid DESC LIMIT 1`,
      )
      .get(pipeline, filter.tag ?? null, filter.tag ?? null, filter.pr ?? null, filter.pr ?? null) as
      LedgerRow | undefined;
    return row ? fromRow(row) : null;
  }

  latestForPr(pr: number): LedgerRecord | null {
    const row = this.sql
      .prepare(`SELECT ${COLUMNS} FROM fork_ledgers WHERE pr_number = ? ORDER BY built_at DESC, rowid DESC LIMIT 1`)
      .get(pr) as LedgerRow | undefined;
    return row ? fromRow(row) : null;
  }

  accept(pipeline: string, tag: string, hunkId: string, actor: Actor): void {
    this.sql
      .prepare(
        `INSERT INTO ledger_acceptances (pipeline, tag, hunk_id, actor_kind, actor_id, at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (pipeline, tag, hunk_id) DO NOTHING`,
      )
      .run(pipeline, tag, hunkId, actor.kind, actor.id, this.clock.now().toISOString());
  }

  acceptances(pipeline: string, tag: string): LedgerAcceptance[] {
    const rows = this.sql
      .prepare(
        'SELECT hunk_id, actor_kind, actor_id, at FROM ledger_acceptances WHERE pipeline = ? AND tag = ? ORDER BY at',
      )
      .all(pipeline, tag) as { hunk_id: string; actor_kind: ActorKind; actor_id: string; at: string }[];
    return rows.map((r) => ({ hunkId: r.hunk_id, acceptedBy: { kind: r.actor_kind, id: r.actor_id }, at: r.at }));
  }
}

function fromRow(row: LedgerRow): LedgerRecord {
  return {
    pipeline: row.pipeline,
    tag: row.tag,
    headSha: row.head_sha,
    baseSha: row.base_sha,
    productionSha: row.production_sha,
    upstreamSha: row.upstream_sha,
    prNumber: row.pr_number,
    builtAt: row.built_at,
    counts: JSON.parse(row.counts) as LedgerRecord['counts'],
    entries: JSON.parse(row.entries) as LedgerRecord['entries'],
    pendingPaths: JSON.parse(row.pending_paths) as string[],
    guards: JSON.parse(row.guards) as LedgerRecord['guards'],
  };
}
