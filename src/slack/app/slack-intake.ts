import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Clock } from '../../ports.js';
import type { Presence } from '../../adapters/store/presence.js';

// Commands and clicks, written down before Slack gets its ack (Slack never resends an acked
// event: a process killed after the ack would otherwise lose the request). The insert runs with a
// short busy timeout: another process holding the write lock must not hold the ack (3 s) with it.
// When the database is busy the request is kept in memory and written off the ack path.

export type SlackRequestKind = 'command' | 'action' | 'view';

export interface SlackRequestRecord {
  id: number;
  kind: SlackRequestKind;
  request: Record<string, unknown>;
  receivedAt: string;
}

/** How long an insert before the ack may wait for another process's write lock. */
const ACK_PATH_BUSY_MS = 50;
const RETRY_MS = 250;

interface Row {
  id: number;
  kind: SlackRequestKind;
  request: string;
  received_at: string;
  owner: string | null;
}

export class SlackIntake {
  private readonly pendingWrites: Array<() => boolean> = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Replicas: requests are tagged with their receiver, and only a gone receiver's are resumed. */
    private readonly presence?: Presence,
  ) {}

  /**
   * Records a request; returns a handle whose done() marks it handled. Never throws and never
   * waits long: a busy or failing database leaves the write to a retry off the ack path.
   */
  record(kind: SlackRequestKind, request: Record<string, unknown>): { done(): void } {
    const receivedAt = this.clock.now().toISOString();
    let id: number | null = null;
    let finished = false;
    const insert = (): boolean => {
      try {
        id = this.withShortBusy(
          () =>
            this.db
              .prepare(
                'INSERT INTO slack_requests (kind, request, received_at, owner) VALUES (?, ?, ?, ?) RETURNING id',
              )
              .pluck()
              .get(kind, JSON.stringify(request), receivedAt, this.presence?.owner ?? null) as number,
        );
        if (finished) this.markDone(id);
        return true;
      } catch (err) {
        this.log.warn({ err, kind }, 'slack request not recorded yet; retrying off the ack path');
        return false;
      }
    };
    if (!insert()) this.retryLater(insert);
    return {
      done: () => {
        finished = true;
        if (id !== null) this.markDone(id);
      },
    };
  }

  /**
   * Requests received but never handled (the process died in between), oldest first. Those of a
   * receiver that is still running (another replica) are its own to finish.
   */
  unfinished(): SlackRequestRecord[] {
    const rows = this.db
      .prepare("SELECT id, kind, request, received_at, owner FROM slack_requests WHERE state = 'received' ORDER BY id")
      .all() as Row[];
    const presence = this.presence;
    const orphans = presence ? rows.filter((r) => r.owner === null || presence.isGone(r.owner)) : rows;
    return orphans.map((r) => ({
      id: r.id,
      kind: r.kind,
      request: JSON.parse(r.request) as Record<string, unknown>,
      receivedAt: r.received_at,
    }));
  }

  finish(id: number, state: 'done' | 'answered'): void {
    this.db
      .prepare('UPDATE slack_requests SET state = ?, finished_at = ? WHERE id = ?')
      .run(state, this.clock.now().toISOString(), id);
  }

  /** Forgets handled requests older than `before`. */
  prune(before: Date): void {
    this.db
      .prepare("DELETE FROM slack_requests WHERE state != 'received' AND received_at < ?")
      .run(before.toISOString());
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private markDone(id: number): void {
    try {
      this.finish(id, 'done');
    } catch (err) {
      this.log.warn(
        { err, id },
        'slack request not marked done; it may be resumed once more (handlers are idempotent)',
      );
    }
  }

  private retryLater(write: () => boolean): void {
    this.pendingWrites.push(write);
    if (this.timer) return;
    const tick = (): void => {
      this.timer = null;
      while (this.pendingWrites.length > 0 && this.pendingWrites[0]!()) this.pendingWrites.shift();
      if (this.pendingWrites.length > 0) this.timer = setTimeout(tick, RETRY_MS);
    };
    this.timer = setTimeout(tick, RETRY_MS);
    this.timer.unref();
  }

  private withShortBusy<T>(fn: () => T): T {
    const before = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma(`busy_timeout = ${ACK_PATH_BUSY_MS}`);
    try {
      return fn();
    } finally {
      this.db.pragma(`busy_timeout = ${before}`);
    }
  }
}
