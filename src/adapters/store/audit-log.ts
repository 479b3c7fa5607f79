import type Database from 'better-sqlite3';
import type {
  Actor,
  ActorKind,
  AuditEntry,
  AuditLog,
  AuditOutcome,
  AuditPruneResult,
  AuditQuery,
  Clock,
} from '../../ports.js';
import { scrub } from '../../redact.js';
import { fromJson, toJsonOrNull } from './json.js';
import { StatementCache } from './statement-cache.js';

interface AuditRow {
  id: number;
  at: string;
  actor_kind: string;
  actor_id: string;
  actor_via: string | null;
  action: string;
  pipeline: string | null;
  target: string | null;
  outcome: string;
  details: string | null;
}

function toEntry(row: AuditRow): AuditEntry {
  const actor: Actor = { kind: row.actor_kind as ActorKind, id: row.actor_id };
  if (row.actor_via !== null) actor.via = row.actor_via;
  return {
    id: row.id,
    at: row.at,
    actor,
    action: row.action,
    pipeline: row.pipeline,
    target: row.target,
    outcome: row.outcome as AuditOutcome,
    details: fromJson<Record<string, unknown>>(row.details),
  };
}

/** Who did what, from where: every Slack action (allowed or refused), CLI command, cron run and webhook. */
export class SqliteAuditLog implements AuditLog {
  /** Every Slack action, CLI command and cron run writes a row: the INSERT is compiled once. */
  private readonly sql: StatementCache;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  record(entry: Parameters<AuditLog['record']>[0]): AuditEntry {
    const row = this.sql
      .prepare(
        `INSERT INTO audit (at, actor_kind, actor_id, actor_via, action, pipeline, target, outcome, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      )
      .get(
        this.clock.now().toISOString(),
        entry.actor.kind,
        scrub(entry.actor.id),
        entry.actor.via === undefined ? null : scrub(entry.actor.via),
        entry.action,
        entry.pipeline ?? null,
        entry.target === undefined || entry.target === null ? null : scrub(entry.target),
        entry.outcome,
        toJsonOrNull(entry.details),
      ) as AuditRow;
    return toEntry(row);
  }

  list(query: AuditQuery = {}): AuditEntry[] {
    const rows = this.sql
      .prepare(
        `SELECT * FROM audit
         WHERE (@pipeline IS NULL OR pipeline = @pipeline) AND (@action IS NULL OR action = @action)
           AND (@actor IS NULL OR actor_id = @actor) AND (@since IS NULL OR at >= @since)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({
        pipeline: query.pipeline ?? null,
        action: query.action ?? null,
        actor: query.actor ?? null,
        since: query.since ?? null,
        limit: query.limit ?? 100,
      }) as AuditRow[];
    return rows.map(toEntry);
  }

  prune(before: Date): AuditPruneResult {
    const cutoff = before.toISOString();
    // Counted and deleted in one transaction, so what is reported is exactly what went.
    return this.db.transaction((): AuditPruneResult => {
      const counts = this.db
        .prepare(
          'SELECT action, COUNT(*) AS n, MIN(at) AS oldest, MAX(at) AS newest FROM audit WHERE at < ? GROUP BY action',
        )
        .all(cutoff) as Array<{ action: string; n: number; oldest: string; newest: string }>;
      const removed = this.db.prepare('DELETE FROM audit WHERE at < ?').run(cutoff).changes;
      const byAction = Object.fromEntries(counts.map((c) => [c.action, c.n]));
      const oldest = counts.length ? counts.map((c) => c.oldest).sort()[0]! : null;
      const newest = counts.length
        ? counts
            .map((c) => c.newest)
            .sort()
            .at(-1)!
        : null;
      return { removed, before: cutoff, oldest, newest, byAction };
    })();
  }
}
