import type Database from 'better-sqlite3';
import type { Actor, ActorKind, AuditEntry, AuditLog, AuditOutcome, Clock } from '../../ports.js';
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
    db: Database.Database,
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

  list(query: { pipeline?: string; action?: string; limit?: number } = {}): AuditEntry[] {
    const rows = this.sql
      .prepare(
        `SELECT * FROM audit
         WHERE (@pipeline IS NULL OR pipeline = @pipeline) AND (@action IS NULL OR action = @action)
         ORDER BY id DESC LIMIT @limit`,
      )
      .all({ pipeline: query.pipeline ?? null, action: query.action ?? null, limit: query.limit ?? 100 }) as AuditRow[];
    return rows.map(toEntry);
  }
}
