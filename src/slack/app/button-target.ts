import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { ActionValue } from '../action-ids.js';
import { CARD_KIND } from '../outbox/outbox-dispatcher.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// What a card button acts on comes from our record of the card it was clicked on, never from the
// value Slack sends back: that value is whatever the client sent, and an allowed approver who
// edits `pr` must not get another (green, unrelated) PR merged into production. The value only
// has to agree with the record; when it does not, the click is refused and audited.

export interface CardTarget {
  pipeline: string;
  tag: string;
  /** The card's sync PR on record; null before the sync opened one. */
  pr: number | null;
}

export type TargetVerdict = { ok: true; target: CardTarget } | { ok: false; message: string };

/** The message a block_actions payload was sent from (channel messages; not App Home or ephemerals). */
export function clickedMessage(body: {
  container?: { type?: string; message_ts?: string; thread_ts?: string; is_ephemeral?: boolean };
  message?: { ts?: string; thread_ts?: string };
}): { ts: string; threadTs: string | null } | null {
  const c = body.container;
  if (c?.type !== 'message' || c.is_ephemeral || !c.message_ts) return null;
  return { ts: c.message_ts, threadTs: c.thread_ts ?? body.message?.thread_ts ?? null };
}

/** The card a click belongs to: the clicked message itself, or the card whose thread it is in. */
function clickedCard(ctx: SlackContext, ix: Interaction): { pipeline: string; tag: string } | null {
  if (!ix.channelId || !ix.clicked) return null;
  for (const ts of [ix.clicked.ts, ix.clicked.threadTs]) {
    if (!ts) continue;
    const ref = ctx.deps.messages.findByTs(ix.channelId, ts);
    if (ref?.kind === CARD_KIND) return { pipeline: ref.pipeline, tag: ref.key };
  }
  return null;
}

/**
 * Checks the value against the server-side card and returns the card's own target. `action`
 * names the audit entry of a refusal.
 */
export async function cardTarget(
  ctx: SlackContext,
  ix: Interaction,
  p: Pick<ReleaseSyncConfig, 'id'> & { fork: { repo: string } },
  v: ActionValue,
  action: string,
): Promise<TargetVerdict> {
  const clicked = clickedCard(ctx, ix);
  const ref = clicked ?? (v.t ? { pipeline: p.id, tag: v.t } : null);
  const record = ref ? ctx.deps.cards.get(ref)?.snapshot : undefined;
  const onRecord: CardTarget | null = ref && record ? { ...ref, pr: record.pr?.number ?? null } : null;
  const disagreement = !onRecord
    ? 'no card on record for this button'
    : onRecord.pipeline !== v.p
      ? `the button names pipeline ${v.p}, the card is for ${onRecord.pipeline}`
      : v.t !== undefined && onRecord.tag !== v.t
        ? `the button names ${v.t}, the card is for ${onRecord.tag}`
        : v.pr !== undefined && onRecord.pr !== v.pr
          ? `the button names PR #${v.pr}, the card's sync PR is ${onRecord.pr === null ? 'not open' : `#${onRecord.pr}`}`
          : null;
  if (onRecord && !disagreement) return { ok: true, target: onRecord };
  ctx.deps.audit.record({
    actor: actorOf(ix),
    action,
    pipeline: p.id,
    target: v.pr !== undefined ? `pr:${p.fork.repo}#${v.pr}` : v.t ? `tag:${v.t}` : null,
    outcome: 'refused',
    details: { reason: 'value-disagrees-with-card', problem: disagreement, value: v, card: onRecord },
  });
  ctx.deps.log.warn({ action, problem: disagreement, user: ix.userId }, 'button value disagrees with the card');
  return {
    ok: false,
    message: `🚫 Refused: ${disagreement}. Buttons act only on the card they are on; run \`/upstream-sync status\` for a fresh view.`,
  };
}
