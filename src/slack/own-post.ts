import { z } from 'zod';
import type { ChatFindPost } from '../ports.js';

// Slack has no idempotency key for chat.postMessage. Each bot post carries message metadata
// naming the outbox intent it fulfils; after a crash between Slack's answer and our record of
// it, the dispatcher reads the channel (or the thread) back from the intent's time and adopts the
// post it finds instead of posting a second one. Reading needs channels:history (groups:history
// for a private channel), and include_all_metadata: without it Slack leaves metadata out.

export const POST_EVENT_TYPE = 'upstream_sync_post';

/** The `metadata` argument of chat.postMessage for a post named `key`. */
export function postMetadata(key: string): { event_type: string; event_payload: { key: string } } {
  return { event_type: POST_EVENT_TYPE, event_payload: { key } };
}

const page = z.object({
  messages: z
    .array(
      z.object({
        ts: z.string(),
        bot_id: z.string().optional(),
        metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()) }).optional(),
      }),
    )
    .default([]),
  response_metadata: z.object({ next_cursor: z.string().optional() }).optional(),
});

/** A channel since the intent holds a few messages; past this many pages the search gives up (null). */
const MAX_PAGES = 10;
const PAGE_SIZE = 200;

export type WebApiCall = (method: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

/** The bot's own message (by `botId` when known) carrying `query.postKey`, newest pages first. */
export async function findOwnPost(
  call: WebApiCall,
  botId: string | null,
  query: ChatFindPost,
): Promise<{ channel: string; ts: string } | null> {
  const method = query.threadTs ? 'conversations.replies' : 'conversations.history';
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const raw = await call(method, {
      channel: query.channel,
      ...(query.threadTs ? { ts: query.threadTs } : {}),
      oldest: (Math.max(0, query.since.getTime()) / 1000).toFixed(6),
      include_all_metadata: true,
      limit: PAGE_SIZE,
      cursor,
    });
    const parsed = page.safeParse(raw);
    if (!parsed.success) return null;
    const hit = parsed.data.messages.find(
      (m) =>
        m.metadata?.event_type === POST_EVENT_TYPE &&
        m.metadata.event_payload.key === query.postKey &&
        (botId === null || m.bot_id === botId),
    );
    if (hit) return { channel: query.channel, ts: hit.ts };
    cursor = parsed.data.response_metadata?.next_cursor || undefined;
    if (!cursor) return null;
  }
  return null;
}
