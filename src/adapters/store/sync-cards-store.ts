import type Database from 'better-sqlite3';
import {
  EMPTY_SYNC_FACTS,
  type SyncCard,
  type SyncCards,
  type SyncRef,
  type SyncSnapshot,
  type SyncStage,
  type SyncUpdate,
} from '../../ports.js';
import { fromJson, toJson } from './json.js';
import { StatementCache } from './statement-cache.js';

// The SyncCards port over SQLite. The table is `slack_cards` (migration 004) for history's sake:
// it holds the sync's domain state, one row per (pipeline, tag), with a version Slack catches up to.

interface CardRow {
  snapshot: string;
  version: number;
  sent_version: number;
}

function toCard(row: CardRow): SyncCard {
  return {
    snapshot: fromJson<SyncSnapshot>(row.snapshot) as SyncSnapshot,
    version: row.version,
    sentVersion: row.sent_version,
  };
}

export class SqliteSyncCards implements SyncCards {
  /** Read on every notifier call and every CI-watcher pass: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(private readonly db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  get(ref: SyncRef): SyncCard | null {
    const row = this.sql
      .prepare('SELECT snapshot, version, sent_version FROM slack_cards WHERE pipeline = ? AND tag = ?')
      .get(ref.pipeline, ref.tag) as CardRow | undefined;
    return row ? toCard(row) : null;
  }

  recent(pipeline: string, limit = 10): SyncSnapshot[] {
    const rows = this.sql
      .prepare(
        'SELECT snapshot, version, sent_version FROM slack_cards WHERE pipeline = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?',
      )
      .all(pipeline, limit) as CardRow[];
    return rows.map((r) => toCard(r).snapshot);
  }

  save(
    ref: SyncRef,
    update: SyncUpdate,
    options: { now: Date; then?: (card: SyncCard) => void },
  ): { card: SyncCard; previousStage: SyncStage | null } {
    return this.db.transaction(() => {
      const existing = this.get(ref);
      const at = options.now.toISOString();
      const base = existing?.snapshot ?? {
        pipeline: ref.pipeline,
        tag: ref.tag,
        ...EMPTY_SYNC_FACTS,
        stage: update.stage,
        updatedAt: at,
      };
      const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
      const snapshot: SyncSnapshot = { ...base, ...defined, pipeline: ref.pipeline, tag: ref.tag, updatedAt: at };
      const version = (existing?.version ?? 0) + 1;
      this.sql
        .prepare(
          `INSERT INTO slack_cards (pipeline, tag, snapshot, version, sent_version, updated_at) VALUES (?, ?, ?, ?, 0, ?)
           ON CONFLICT (pipeline, tag) DO UPDATE SET snapshot = excluded.snapshot, version = excluded.version, updated_at = excluded.updated_at`,
        )
        .run(ref.pipeline, ref.tag, toJson(snapshot), version, at);
      const card: SyncCard = { snapshot, version, sentVersion: existing?.sentVersion ?? 0 };
      options.then?.(card);
      return { card, previousStage: existing?.snapshot.stage ?? null };
    })();
  }

  markSent(ref: SyncRef, version: number): void {
    this.sql
      .prepare('UPDATE slack_cards SET sent_version = MAX(sent_version, ?) WHERE pipeline = ? AND tag = ?')
      .run(version, ref.pipeline, ref.tag);
  }
}
