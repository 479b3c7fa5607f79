import type { Logger } from 'pino';
import { errorMessage, isAppError, isTransient } from '../../errors.js';
import {
  systemClock,
  type ChatBlock,
  type ChatPort,
  type Clock,
  type SlackMessages,
  type SyncCards,
  type SyncRef,
  type SyncSnapshot,
} from '../../ports.js';
import { retryDelayMs, type BackoffPolicy } from '../../jobs/backoff.js';
import { Waker } from '../../jobs/waker.js';
import { cardPostKey, findEarlierPost, rowPostKey, type Attempt } from './earlier-post.js';
import type { OutboxRow, OutboxStore } from './outbox-store.js';

// Sends the outbox to Slack, in order per card, one call at a time. Slack being slow, rate
// limited or down only delays this loop: nothing that enqueued work ever waits for it
// (invariant 10). Rate limits pause every call until Retry-After; 5xx and network errors back off
// per row; anything else (invalid_blocks, channel_not_found) is final, logged and dropped.

export interface RenderedPost {
  text: string;
  blocks: readonly ChatBlock[];
}

export interface ReplyPayload extends RenderedPost {
  broadcast: boolean;
}

export interface PostPayload extends RenderedPost {
  channel: string;
  /** Recorded in slack_messages so the message can be found again (e.g. "release-card"). */
  kind: string;
  key: string;
}

export interface DispatcherOptions {
  store: OutboxStore;
  /** What the card shows, and which version Slack has. */
  cards: Pick<SyncCards, 'get' | 'markSent'>;
  messages: SlackMessages;
  chat: ChatPort;
  log: Logger;
  /** The card for a snapshot, and where it goes; null when the pipeline posts nothing. */
  renderCard: (snapshot: SyncSnapshot) => { channel: string; message: RenderedPost } | null;
  clock?: Clock;
  backoff?: BackoffPolicy;
  /** Transient failures are retried for this long, then the row is dropped. */
  maxAgeMs?: number;
  idleMs?: number;
  random?: () => number;
  /** false while another replica sends the outbox (leader-lock.ts); default always true. */
  isLeader?: () => boolean;
  /** Told of posts dropped because the bot is not in their channel, and of posts that reached one. */
  dropped?: DroppedPostsRecord;
}

/** Where not_in_channel drops are written down (slack_dropped), for `status` and App Home. */
export interface DroppedPostsRecord {
  dropped(input: { channel: string; pipeline: string; error: string }, now: Date): void;
  reached(channel: string): void;
}

/** Slack's error and the channel of a refused post, when it was refused for not being in it. */
function notInChannel(err: unknown): { channel: string; error: string } | null {
  if (!isAppError(err) || err.details?.error !== 'not_in_channel') return null;
  const channel = err.details.channel;
  return typeof channel === 'string' ? { channel, error: 'not_in_channel' } : null;
}

export const CARD_KIND = 'sync-card';

export class OutboxDispatcher {
  private readonly waker = new Waker();
  private readonly clock: Clock;
  private readonly backoff: BackoffPolicy;
  private readonly maxAgeMs: number;
  private readonly idleMs: number;
  private readonly random: () => number;
  private pausedUntil = 0;
  private loop: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.backoff = options.backoff ?? { baseMs: 1_000, maxMs: 5 * 60_000 };
    this.maxAgeMs = options.maxAgeMs ?? 24 * 3600_000;
    this.idleMs = options.idleMs ?? 1_000;
    this.random = options.random ?? Math.random;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waker.wake();
    await this.loop;
    this.loop = null;
  }

  /** Something was enqueued: send it now rather than at the next poll. */
  wake(): void {
    this.waker.wake();
  }

  /**
   * Sends every row that is due, keeping order per card; returns ms until the next row is due
   * (null: nothing pending).
   */
  async drain(): Promise<number | null> {
    const blocked = new Set<string>();
    let nextDue: number | null = null;
    for (const row of this.options.store.pending(500)) {
      if (this.stopping) break;
      const key = row.tag === null ? `post:${row.id}` : `${row.pipeline}\u0000${row.tag}`;
      const now = this.clock.now().getTime();
      const dueAt = Math.max(Date.parse(row.nextAt), this.pausedUntil);
      if (blocked.has(key) || dueAt > now) {
        blocked.add(key);
        nextDue = Math.min(nextDue ?? Infinity, dueAt - now);
        continue;
      }
      const retryInMs = await this.send(row);
      if (retryInMs !== null) {
        blocked.add(key);
        nextDue = Math.min(nextDue ?? Infinity, retryInMs);
      }
    }
    return nextDue;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      let wait = this.idleMs;
      try {
        const next = this.options.isLeader?.() === false ? null : await this.drain();
        if (next !== null) wait = Math.min(Math.max(next, 10), this.idleMs);
      } catch (err) {
        this.options.log.error({ err }, 'slack outbox loop failed');
      }
      if (!this.stopping) await this.waker.sleep(wait);
    }
  }

  /** null when the row is done (sent or dropped), else ms until it is retried. */
  private async send(row: OutboxRow): Promise<number | null> {
    const { store, log } = this.options;
    const attempt: Attempt = { row, priorIntent: row.sendingAt };
    try {
      let reached: string | null;
      if (row.op === 'card') {
        const ref = { pipeline: row.pipeline, tag: row.tag as string };
        const sent = await this.syncCard(ref, attempt);
        reached = sent?.channel ?? null;
        if (reached) this.options.dropped?.reached(reached);
        // A change saved while that call was in flight saw this row pending and queued nothing:
        // keep the row and send again, or that version would never reach Slack.
        const card = this.options.cards.get(ref);
        if (sent && card && card.sentVersion < card.version) return 0;
      } else if (row.op === 'reply')
        reached = await this.reply(
          { pipeline: row.pipeline, tag: row.tag as string },
          row.payload as ReplyPayload,
          attempt,
        );
      else reached = await this.post(row.pipeline, row.payload as PostPayload, attempt);
      if (reached && row.op !== 'card') this.options.dropped?.reached(reached);
      store.markSent(row.id, this.clock.now());
      return null;
    } catch (err) {
      const now = this.clock.now();
      const message = errorMessage(err);
      if (!isTransient(err)) {
        log.error({ err, outboxId: row.id, op: row.op, pipeline: row.pipeline, tag: row.tag }, 'slack message dropped');
        store.markDead(row.id, message, now);
        const refused = notInChannel(err);
        if (refused) this.options.dropped?.dropped({ ...refused, pipeline: row.pipeline }, now);
        return null;
      }
      if (now.getTime() - Date.parse(row.createdAt) > this.maxAgeMs) {
        log.error({ err, outboxId: row.id, op: row.op }, 'slack message dropped after retrying too long');
        store.markDead(row.id, message, now);
        return null;
      }
      const retryAfterMs = isAppError(err) ? err.retryAfterMs : undefined;
      if (isAppError(err, 'rate_limited')) this.pausedUntil = now.getTime() + (retryAfterMs ?? 1_000);
      const delay = retryDelayMs(row.attempts + 1, this.backoff, this.random, retryAfterMs);
      log.warn(
        { outboxId: row.id, op: row.op, attempt: row.attempts + 1, delayMs: delay, error: message },
        'slack call failed, will retry',
      );
      store.reschedule(row.id, new Date(now.getTime() + delay), message);
      return delay;
    }
  }

  /** Posts the card once, then updates it in place to the newest version. Returns its ts. */
  private async syncCard(ref: SyncRef, attempt: Attempt): Promise<{ channel: string; ts: string } | null> {
    const { cards, messages, chat } = this.options;
    const card = cards.get(ref);
    if (!card) return null;
    let existing = messages.get(ref.pipeline, ref.tag, CARD_KIND);
    if (existing && card.sentVersion >= card.version) return { channel: existing.channel, ts: existing.ts };
    const rendered = this.options.renderCard(card.snapshot);
    if (!rendered) return existing ? { channel: existing.channel, ts: existing.ts } : null;
    const { channel, message } = rendered;
    const postKey = cardPostKey(ref);
    if (!existing) {
      // Posted before a crash and never recorded: adopt that card, then bring it up to date below.
      const earlier = await this.earlierPost(attempt, { channel, postKey });
      if (earlier)
        existing = messages.upsert({
          pipeline: ref.pipeline,
          key: ref.tag,
          kind: CARD_KIND,
          channel: earlier.channel,
          ts: earlier.ts,
          threadTs: null,
          state: null,
        });
    }
    if (existing) {
      try {
        await chat.updateMessage({
          channel: existing.channel,
          ts: existing.ts,
          text: message.text,
          blocks: message.blocks,
        });
        messages.upsert({ ...existing, state: card.snapshot.stage });
        cards.markSent(ref, card.version);
        return { channel: existing.channel, ts: existing.ts };
      } catch (err) {
        // Someone deleted the card: post it again rather than lose the sync's state.
        if (!isAppError(err, 'not_found')) throw err;
      }
    }
    this.recordIntent(attempt);
    const posted = await chat.postMessage({ channel, text: message.text, blocks: message.blocks, postKey });
    messages.upsert({
      pipeline: ref.pipeline,
      key: ref.tag,
      kind: CARD_KIND,
      channel: posted.channel,
      ts: posted.ts,
      threadTs: null,
      state: card.snapshot.stage,
    });
    cards.markSent(ref, card.version);
    return posted;
  }

  /** The channel the reply reached; null when there was nowhere to send it. */
  private async reply(ref: SyncRef, payload: ReplyPayload, attempt: Attempt): Promise<string | null> {
    const card = await this.syncCard(ref, attempt);
    // No card means the pipeline posts nothing (silent, no channel): the reply goes nowhere.
    if (!card) return null;
    const postKey = rowPostKey(attempt.row);
    if (await this.earlierPost(attempt, { channel: card.channel, threadTs: card.ts, postKey })) return card.channel;
    this.recordIntent(attempt);
    await this.options.chat.postMessage({
      channel: card.channel,
      threadTs: card.ts,
      broadcast: payload.broadcast,
      text: payload.text,
      blocks: payload.blocks,
      postKey,
    });
    return card.channel;
  }

  private async post(pipeline: string, payload: PostPayload, attempt: Attempt): Promise<string> {
    const postKey = rowPostKey(attempt.row);
    let posted = await this.earlierPost(attempt, { channel: payload.channel, postKey });
    if (!posted) {
      this.recordIntent(attempt);
      posted = await this.options.chat.postMessage({
        channel: payload.channel,
        text: payload.text,
        blocks: payload.blocks,
        postKey,
      });
    }
    this.options.messages.upsert({
      pipeline,
      key: payload.key,
      kind: payload.kind,
      channel: posted.channel,
      ts: posted.ts,
      threadTs: null,
      state: null,
    });
    return posted.channel;
  }

  /** Stamps the row "sending" before a post leaves: from now on a restart looks before it posts. */
  private recordIntent(attempt: Attempt): void {
    attempt.row.sendingAt = this.options.store.markSending(attempt.row.id, this.clock.now());
  }

  private earlierPost(
    attempt: Attempt,
    where: { channel: string; threadTs?: string; postKey: string },
  ): Promise<{ channel: string; ts: string } | null> {
    return findEarlierPost(this.options.chat, this.options.log, attempt, where);
  }
}
