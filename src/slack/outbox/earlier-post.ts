import type { Logger } from 'pino';
import { errorMessage, isTransient } from '../../errors.js';
import type { ChatPort, SyncRef } from '../../ports.js';
import type { OutboxRow } from './outbox-store.js';

// Slack has no idempotency key for chat.postMessage. A row stamped "sending" whose attempt never
// finished (killed, or the answer never came) may already be in Slack: before posting again the
// dispatcher looks for the bot's own post carrying the row's key (message metadata).

/** One try at a row; `priorIntent` is the stamp an earlier, unfinished try left (null: none). */
export interface Attempt {
  row: OutboxRow;
  priorIntent: string | null;
}

/** Slack's clock and ours may disagree: the search starts this long before the intent's stamp. */
export const INTENT_MARGIN_MS = 5 * 60_000;

/** One card per sync: its key is the sync's, whichever row posts it. */
export function cardPostKey(ref: SyncRef): string {
  return `card:${ref.pipeline}:${ref.tag}`;
}

/** A reply or post is its outbox row; the creation time keeps it unique across a wiped database. */
export function rowPostKey(row: OutboxRow): string {
  return `outbox:${row.id}@${row.createdAt}`;
}

/**
 * When an earlier attempt of this row may have posted (it was stamped and never finished), the
 * bot's own post carrying `postKey`, else null. Looks only then: a row never stamped posted nothing.
 */
export async function findEarlierPost(
  chat: Pick<ChatPort, 'findPost'>,
  log: Logger,
  attempt: Attempt,
  where: { channel: string; threadTs?: string; postKey: string },
): Promise<{ channel: string; ts: string } | null> {
  if (attempt.priorIntent === null) return null;
  const since = new Date(Date.parse(attempt.priorIntent) - INTENT_MARGIN_MS);
  try {
    const found = await chat.findPost({ ...where, since });
    if (found) log.info({ outboxId: attempt.row.id, ts: found.ts }, 'slack post found from before a restart');
    return found;
  } catch (err) {
    if (isTransient(err)) throw err;
    // Without channels:history (an app installed before it was asked for) the post cannot be
    // looked for: posting again risks a duplicate, not posting risks losing it. Post.
    log.warn(
      { outboxId: attempt.row.id, error: errorMessage(err) },
      'cannot look for an earlier slack post (needs channels:history / groups:history); posting again',
    );
    return null;
  }
}
