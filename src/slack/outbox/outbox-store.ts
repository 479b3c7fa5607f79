import type Database from 'better-sqlite3';
import type { SyncRef } from '../../ports.js';
import { fromJson, toJson } from '../../adapters/store/json.js';
import { StatementCache } from '../../adapters/store/statement-cache.js';

// SQLite side of the Slack outbox (slack_outbox, migration 004): only the send queue. The sync's
// card state it sends lives behind the SyncCards port (src/ports/sync-cards.ts). Synchronous like
// the rest of the store: a listener or a job writes here and returns at once; the dispatcher talks to Slack.

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
  /** When a post for this row first left for Slack (the intent); null until then. Set = the post may be in Slack. */
  sendingAt: string | null;
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
  sending_at: string | null;
}

export class OutboxStore {
  /** The dispatcher reads and writes here several times a second while Slack is busy: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  /**
   * Makes sure a card row is pending (one is enough: it sends whatever the sync card's newest
   * version is). Called by the notifier inside SyncCards.save's transaction.
   */
  requestCard(ref: SyncRef, now: Date): void {
    const pending = this.sql
      .prepare("SELECT 1 FROM slack_outbox WHERE op = 'card' AND state = 'pending' AND pipeline = ? AND tag = ?")
      .get(ref.pipeline, ref.tag);
    if (!pending) this.insert({ op: 'card', pipeline: ref.pipeline, tag: ref.tag, payload: null, idemKey: null }, now);
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
    const rows = this.sql
      .prepare(
        "SELECT id, op, pipeline, tag, payload, attempts, next_at, created_at, sending_at FROM slack_outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
      )
      .all(limit) as OutboxDbRow[];
    return rows.map((r) => ({
      id: r.id,
      op: r.op,
      pipeline: r.pipeline,
      tag: r.tag,
      payload: fromJson(r.payload),
      attempts: r.attempts,
      nextAt: r.next_at,
      createdAt: r.created_at,
      sendingAt: r.sending_at,
    }));
  }

  /**
   * Records the intent to post before the call leaves (the row is then "sending"). Keeps the first
   * stamp: a post from any earlier attempt is younger than it, so a search from there finds it.
   * Returns the stamp in force.
   */
  markSending(id: number, now: Date): string {
    const row = this.sql
      .prepare('UPDATE slack_outbox SET sending_at = COALESCE(sending_at, ?) WHERE id = ? RETURNING sending_at')
      .get(now.toISOString(), id) as { sending_at: string } | undefined;
    return row?.sending_at ?? now.toISOString();
  }

  markSent(id: number, now: Date): void {
    this.sql
      .prepare("UPDATE slack_outbox SET state = 'sent', finished_at = ?, attempts = attempts + 1 WHERE id = ?")
      .run(now.toISOString(), id);
  }

  reschedule(id: number, nextAt: Date, error: string): void {
    this.sql
      .prepare('UPDATE slack_outbox SET attempts = attempts + 1, next_at = ?, last_error = ? WHERE id = ?')
      .run(nextAt.toISOString(), error, id);
  }

  markDead(id: number, error: string, now: Date): void {
    this.sql
      .prepare(
        "UPDATE slack_outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, finished_at = ? WHERE id = ?",
      )
      .run(error, now.toISOString(), id);
  }

  counts(): Record<'pending' | 'sent' | 'dead', number> {
    const rows = this.sql.prepare('SELECT state, COUNT(*) AS n FROM slack_outbox GROUP BY state').all() as {
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
    const result = this.sql
      .prepare(
        'INSERT OR IGNORE INTO slack_outbox (idem_key, op, pipeline, tag, payload, next_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(input.idemKey, input.op, input.pipeline, input.tag, toJson(input.payload), at, at);
    return result.changes === 1;
  }
}
