import { z } from 'zod';
import { noticeMessage } from '../views/help.js';
import { handleButton } from './buttons.js';
import { handleCommand } from './commands.js';
import { submitRelease } from './release-flow.js';
import type { Interaction, Reply, SlackContext } from './slack-context.js';
import type { SlackRequestRecord } from './slack-intake.js';

// After a restart: the commands and clicks a killed process had acked but not handled. Recent
// ones are carried out now (every handler is idempotent: jobs dedupe, refusals repeat); old ones
// are answered instead, because the person has moved on. Answers go by chat.postEphemeral (or App
// Home): response_urls are not kept.

/** Slack's response_url lives 30 minutes; a request older than this is answered, not resumed. */
export const RESUME_WITHIN_MS = 25 * 60_000;

const commandSchema = z.object({
  userId: z.string(),
  channelId: z.string(),
  teamDomain: z.string().nullable(),
  text: z.string(),
});
const actionSchema = z.object({
  userId: z.string(),
  channelId: z.string().nullable(),
  teamDomain: z.string().nullable(),
  actionId: z.string(),
  value: z.string().nullable(),
  message: z.object({ ts: z.string(), threadTs: z.string().nullable() }).nullable(),
});
const viewSchema = z.object({
  userId: z.string(),
  teamDomain: z.string().nullable(),
  viewId: z.string(),
  privateMetadata: z.string().nullable(),
});

function interaction(
  ctx: SlackContext,
  publishHome: (user: string, notice: Reply) => Promise<void>,
  r: { userId: string; channelId: string | null; teamDomain: string | null },
): Interaction {
  const { channelId, userId } = r;
  return {
    userId,
    channelId,
    surface: channelId ? 'channel' : 'home',
    teamDomain: r.teamDomain,
    triggerId: null,
    reply: channelId
      ? async (m) =>
          void (await ctx.deps.chat.postEphemeral({ channel: channelId, user: userId, text: m.text, blocks: m.blocks }))
      : (m) => publishHome(userId, m),
  };
}

export async function resumeRequests(
  ctx: SlackContext,
  publishHome: (user: string, notice: Reply) => Promise<void>,
  now: Date,
): Promise<number> {
  const intake = ctx.deps.intake;
  if (!intake) return 0;
  let resumed = 0;
  for (const rec of intake.unfinished()) {
    try {
      await resumeOne(ctx, publishHome, rec, now);
      resumed += 1;
    } catch (err) {
      ctx.deps.log.error({ err, id: rec.id, kind: rec.kind }, 'resuming a slack request failed');
      intake.finish(rec.id, 'answered');
    }
  }
  if (resumed > 0) ctx.deps.log.info({ resumed }, 'slack requests acked before a restart were resumed');
  return resumed;
}

async function resumeOne(
  ctx: SlackContext,
  publishHome: (user: string, notice: Reply) => Promise<void>,
  rec: SlackRequestRecord,
  now: Date,
): Promise<void> {
  const intake = ctx.deps.intake!;
  const fresh = now.getTime() - Date.parse(rec.receivedAt) < RESUME_WITHIN_MS;
  const at = rec.receivedAt.slice(11, 16);
  if (rec.kind === 'command') {
    const r = commandSchema.parse(rec.request);
    const ix = interaction(ctx, publishHome, r);
    if (fresh) await handleCommand(ctx, ix, r.text);
    else
      await ix.reply(
        noticeMessage(
          `⚠️ Your \`/upstream-sync ${r.text}\` at ${at} UTC was not carried out: the bot restarted. Run it again if you still want it.`,
        ),
      );
  } else if (rec.kind === 'action') {
    const r = actionSchema.parse(rec.request);
    const ix = { ...interaction(ctx, publishHome, r), clicked: r.message };
    if (fresh) await handleButton(ctx, ix, r.actionId, r.value ?? undefined);
    else
      await ix.reply(
        noticeMessage(
          `⚠️ Your click at ${at} UTC was not carried out: the bot restarted. Press the button again if you still want it.`,
        ),
      );
  } else {
    const r = viewSchema.parse(rec.request);
    const ix = interaction(ctx, publishHome, { ...r, channelId: null });
    if (fresh) await submitRelease(ctx, ix, r.viewId, r.privateMetadata ?? undefined);
    else
      await ix.reply(
        noticeMessage(`⚠️ Your release at ${at} UTC was not carried out: the bot restarted. Open a new preview.`),
      );
  }
  intake.finish(rec.id, fresh ? 'done' : 'answered');
}
