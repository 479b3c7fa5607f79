import type Database from 'better-sqlite3';
import { inviteFix } from '../../core/invite-fix.js';
import { StatementCache } from './statement-cache.js';

// The durable record of Slack posts dropped because the bot is not in their channel
// (slack_dropped, migration 012): written by the outbox dispatcher, read by `status` in any
// process and by App Home. One row per channel and pipeline however many posts were dropped, so
// the problem is reported once, with how many and since when.

export interface DroppedPosts {
  channel: string;
  pipeline: string;
  /** Slack's error: `not_in_channel`. */
  error: string;
  /** How many posts were given up on. */
  dropped: number;
  firstAt: string;
  lastAt: string;
  /** What to do about it. */
  fix: string;
}

interface Row {
  channel: string;
  pipeline: string;
  error: string;
  dropped: number;
  first_at: string;
  last_at: string;
}

export class SqliteDroppedPosts {
  private readonly sql: StatementCache;

  constructor(db: Database.Database) {
    this.sql = new StatementCache(db);
  }

  /** One more post to `channel` given up on. */
  dropped(input: { channel: string; pipeline: string; error: string }, now: Date): void {
    const at = now.toISOString();
    this.sql
      .prepare(
        `INSERT INTO slack_dropped (channel, pipeline, error, dropped, first_at, last_at) VALUES (?, ?, ?, 1, ?, ?)
         ON CONFLICT (channel, pipeline) DO UPDATE SET dropped = slack_dropped.dropped + 1, error = excluded.error, last_at = excluded.last_at`,
      )
      .run(input.channel, input.pipeline, input.error, at, at);
  }

  /** A post reached `channel`: the bot is in it now. */
  reached(channel: string): void {
    this.sql.prepare('DELETE FROM slack_dropped WHERE channel = ?').run(channel);
  }

  /** Every channel still refusing posts, or only those of `pipeline`. */
  list(pipeline?: string): DroppedPosts[] {
    const rows = (
      pipeline === undefined
        ? this.sql.prepare('SELECT * FROM slack_dropped ORDER BY channel, pipeline').all()
        : this.sql.prepare('SELECT * FROM slack_dropped WHERE pipeline = ? ORDER BY channel').all(pipeline)
    ) as Row[];
    return rows.map((r) => ({
      channel: r.channel,
      pipeline: r.pipeline,
      error: r.error,
      dropped: r.dropped,
      firstAt: r.first_at,
      lastAt: r.last_at,
      fix: inviteFix(r.channel),
    }));
  }
}

/** One line for people: `status` (CLI and Slack) and App Home. */
export function describeDropped(d: Pick<DroppedPosts, 'channel' | 'error' | 'dropped' | 'firstAt' | 'fix'>): string {
  const what = d.dropped === 1 ? '1 Slack message' : `${d.dropped} Slack messages`;
  return `${what} for <#${d.channel}> dropped since ${d.firstAt} (${d.error}): ${d.fix}`;
}
