import type Database from 'better-sqlite3';
import type { SyncRef, SyncSnapshot, SyncStage, SyncUpdate } from '../../ports.js';
import { fromJson, toJson } from '../../adapters/store/json.js';

// SQLite side of the Slack outbox (tables from migration 004). Synchronous like the rest of the
// store: a listener or a job writes here and returns at once; the dispatcher talks to Slack.

export type OutboxOp = 'card' | 'reply' | 'post';

export interface OutboxRow {
  id: number;
  op: OutboxOp;
  pipeline: string;
  tag: string | null;
  payload: unknown;
  attempts: number;
  nextAt: string;
  createdAt: string;
}

export interface CardRecord {
  snapshot: SyncSnapshot;
  version: number;
  sentVersion: number;
}

interface OutboxDbRow {
  id: number;
  op: OutboxOp;
  pipeline: string;
  tag: string | null;
  payload: string;
  attempts: number;
  next_at: string;
  created_at: string;
}

interface CardDbRow {
  snapshot: string;
  version: number;
  sent_version: number;
}

const EMPTY_FACTS: Omit<SyncSnapshot, 'pipeline' | 'tag' | 'stage' | 'updatedAt'> = {
  fromVersion: null,
  toVersion: null,
  commitsBehind: null,
  pr: null,
  mergeable: null,
  conflicts: null,
  ci: null,
  blockedBy: null,
  supersededBy: null,
  mergeSha: null,
  release: null,
  error: null,
  failedStage: null,
  jobId: null,
  requestedBy: null,
  compareUrl: null,
  silent: false,
};

function toCard(row: CardDbRow): CardRecord {
  return {
    snapshot: fromJson<SyncSnapshot>(row.snapshot) as SyncSnapshot,
    version: row.version,
    sentVersion: row.sent_version,
  };
}

export class OutboxStore {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  /** Prepared once per SQL text: compiling a statement costs more than running it. */
  private sql(text: string): Database.Statement {
    let stmt = this.statements.get(text);
    if (!stmt) {
      stmt = this.db.prepare(text);
      this.statements.set(text, stmt);
    }
    return stmt;
  }

  getCard(ref: SyncRef): CardRecord | null {
    const row = this.sql('SELECT snapshot, version, sent_version FROM slack_cards WHERE pipeline = ? AND tag = ?').get(
      ref.pipeline,
      ref.tag,
    ) as CardDbRow | undefined;
    return row ? toCard(row) : null;
  }

  /** Newest first. */
  recentCards(pipeline: string, limit = 10): SyncSnapshot[] {
    const rows = this.sql(
      'SELECT snapshot, version, sent_version FROM slack_cards WHERE pipeline = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?',
    ).all(pipeline, limit) as CardDbRow[];
    return rows.map((r) => toCard(r).snapshot);
  }

  /**
   * Merges `update` into the card and, when `send` says the card goes to Slack, makes sure a card
   * row is pending in the outbox (one is enough: it sends whatever the newest version is).
   * Returns the stage before.
   */
  saveCard(
    ref: SyncRef,
    update: SyncUpdate,
    options: { now: Date; send: (snapshot: SyncSnapshot) => boolean },
  ): { card: CardRecord; previousStage: SyncStage | null } {
    return this.db.transaction(() => {
      const existing = this.getCard(ref);
      const base = existing?.snapshot ?? {
        pipeline: ref.pipeline,
        tag: ref.tag,
        ...EMPTY_FACTS,
        stage: update.stage,
        updatedAt: options.now.toISOString(),
      };
      const defined = Object.fromEntries(Object.entries(update).filter(([, v]) => v !== undefined));
      const snapshot: SyncSnapshot = {
        ...base,
        ...defined,
        pipeline: ref.pipeline,
        tag: ref.tag,
        updatedAt: options.now.toISOString(),
      };
      const version = (existing?.version ?? 0) + 1;
      this.sql(
        `INSERT INTO slack_cards (pipeline, tag, snapshot, version, sent_version, updated_at) VALUES (?, ?, ?, ?, 0, ?)
           ON CONFLICT (pipeline, tag) DO UPDATE SET snapshot = excluded.snapshot, version = excluded.version, updated_at = excluded.updated_at`,
      ).run(ref.pipeline, ref.tag, toJson(snapshot), version, options.now.toISOString());
      if (options.send(snapshot)) {
        const pending = this.sql(
          "SELECT 1 FROM slack_outbox WHERE op = 'card' AND state = 'pending' AND pipeline = ? AND tag = ?",
        ).get(ref.pipeline, ref.tag);
        if (!pending)
          this.insert({ op: 'card', pipeline: ref.pipeline, tag: ref.tag, payload: null, idemKey: null }, options.now);
      }
      return {
        card: { snapshot, version, sentVersion: existing?.sentVersion ?? 0 },
        previousStage: existing?.snapshot.stage ?? null,
      };
    })();
  }

  markCardSent(ref: SyncRef, version: number): void {
    this.sql('UPDATE slack_cards SET sent_version = MAX(sent_version, ?) WHERE pipeline = ? AND tag = ?').run(
      version,
      ref.pipeline,
      ref.tag,
    );
  }

  /** Adds work for Slack; false when `idemKey` was already used. */
  enqueue(
    input: { op: OutboxOp; pipeline: string; tag: string | null; payload: unknown; idemKey: string | null },
    now: Date,
  ): boolean {
    return this.insert(input, now);
  }

  /** Pending rows in order, due or not: the dispatcher keeps per-card order itself. */
  pending(limit = 100): OutboxRow[] {
    const rows = this.sql(
      "SELECT id, op, pipeline, tag, payload, attempts, next_at, created_at FROM slack_outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
    ).all(limit) as OutboxDbRow[];
    return rows.map((r) => ({
      id: r.id,
      op: r.op,
      pipeline: r.pipeline,
      tag: r.tag,
      payload: fromJson(r.payload),
      attempts: r.attempts,
      nextAt: r.next_at,
      createdAt: r.created_at,
    }));
  }

  markSent(id: number, now: Date): void {
    this.sql("UPDATE slack_outbox SET state = 'sent', finished_at = ?, attempts = attempts + 1 WHERE id = ?").run(
      now.toISOString(),
      id,
    );
  }

  reschedule(id: number, nextAt: Date, error: string): void {
    this.sql('UPDATE slack_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?').run(
      nextAt.toISOString(),
      error,
      id,
    );
  }

  markDead(id: number, error: string, now: Date): void {
    this.sql(
      "UPDATE slack_outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, finished_at = ? WHERE id = ?",
    ).run(error, now.toISOString(), id);
  }

  counts(): Record<'pending' | 'sent' | 'dead', number> {
    const rows = this.sql('SELECT state, COUNT(*) AS n FROM slack_outbox GROUP BY state').all() as {
      state: 'pending' | 'sent' | 'dead';
      n: number;
    }[];
    const out = { pending: 0, sent: 0, dead: 0 };
    for (const r of rows) out[r.state] = r.n;
    return out;
  }

  private insert(
    input: { op: OutboxOp; pipeline: string; tag: string | null; payload: unknown; idemKey: string | null },
    now: Date,
  ): boolean {
    const at = now.toISOString();
    const result = this.sql(
      'INSERT OR IGNORE INTO slack_outbox (idem_key, op, pipeline, tag, payload, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(input.idemKey, input.op, input.pipeline, input.tag, toJson(input.payload), at, at);
    return result.changes === 1;
  }
}
