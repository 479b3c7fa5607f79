import type Database from 'better-sqlite3';
import type { Clock, SlackMessageRef, SlackMessages } from '../../ports.js';
import { StatementCache } from './statement-cache.js';

interface SlackMessageRow {
  pipeline: string;
  key: string;
  kind: string;
  channel: string;
  ts: string;
  thread_ts: string | null;
  state: string | null;
  updated_at: string;
}

function toRef(row: SlackMessageRow): SlackMessageRef {
  return {
    pipeline: row.pipeline,
    key: row.key,
    kind: row.kind,
    channel: row.channel,
    ts: row.ts,
    threadTs: row.thread_ts,
    state: row.state,
    updatedAt: row.updated_at,
  };
}

/** Which Slack message (card, thread) belongs to which sync, so a card is updated in place, never posted twice. */
export class SqliteSlackMessages implements SlackMessages {
  /** Looked up on every card and thread post the outbox sends: statements compiled once. */
  private readonly sql: StatementCache;

  constructor(
    db: Database.Database,
    private readonly clock: Clock,
  ) {
    this.sql = new StatementCache(db);
  }

  get(pipeline: string, key: string, kind: string): SlackMessageRef | null {
    const row = this.sql
      .prepare('SELECT * FROM slack_messages WHERE pipeline = ? AND key = ? AND kind = ?')
      .get(pipeline, key, kind) as SlackMessageRow | undefined;
    return row ? toRef(row) : null;
  }

  upsert(ref: Omit<SlackMessageRef, 'updatedAt'>): SlackMessageRef {
    const row = this.sql
      .prepare(
        `INSERT INTO slack_messages (pipeline, key, kind, channel, ts, thread_ts, state, updated_at)
         VALUES (@pipeline, @key, @kind, @channel, @ts, @threadTs, @state, @updatedAt)
         ON CONFLICT (pipeline, key, kind) DO UPDATE SET
           channel = excluded.channel, ts = excluded.ts, thread_ts = excluded.thread_ts,
           state = excluded.state, updated_at = excluded.updated_at
         RETURNING *`,
      )
      .get({ ...ref, updatedAt: this.clock.now().toISOString() }) as SlackMessageRow;
    return toRef(row);
  }

  findByTs(channel: string, ts: string): SlackMessageRef | null {
    const row = this.sql
      .prepare('SELECT * FROM slack_messages WHERE channel = ? AND ts = ? ORDER BY updated_at DESC LIMIT 1')
      .get(channel, ts) as SlackMessageRow | undefined;
    return row ? toRef(row) : null;
  }

  list(query: { pipeline?: string; kind?: string } = {}): SlackMessageRef[] {
    const rows = this.sql
      .prepare(
        `SELECT * FROM slack_messages WHERE (@pipeline IS NULL OR pipeline = @pipeline) AND (@kind IS NULL OR kind = @kind)
         ORDER BY updated_at DESC`,
      )
      .all({ pipeline: query.pipeline ?? null, kind: query.kind ?? null }) as SlackMessageRow[];
    return rows.map(toRef);
  }
}
