import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { HunkDecision } from '../../ports.js';
import { resolveJobInput } from '../../jobs/job-kinds.js';
import { alreadyDecidedText, decisionText, markHunkDecided } from '../views/hunk-decided.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// "Take upstream" / "Take fork" on a waiting hunk. The first choice decides the hunk: it is
// recorded at once, its buttons are replaced by the decision, and any later click (a stale
// message, a second person) is told what was decided instead of a false "queued".

export async function handleHunkChoice(
  ctx: SlackContext,
  ix: Interaction,
  p: ReleaseSyncConfig,
  input: { pr: number; hunkId: string; take: 'upstream' | 'fork'; card: { pipeline: string; tag: string } | null },
): Promise<void> {
  const actor = actorOf(ix);
  const hunks = ctx.deps.hunks;
  const prior = hunks?.choice(p.fork.repo, input.pr, input.hunkId) ?? null;
  const run = hunks?.lastRun(p.fork.repo, input.pr) ?? null;
  const resolvedSha = run?.resolvedSha ?? null;
  if (prior || resolvedSha) {
    if (prior) await redraw(ctx, ix, input.hunkId, decisionText(prior));
    return ctx.answer(ix, alreadyDecidedText(input.pr, { choice: prior, resolvedSha }));
  }
  const decision: HunkDecision = { hunkId: input.hunkId, take: input.take, by: actor };
  // Recorded here too (the job records it again, idempotently): a second click before the job runs
  // must already see the hunk as decided.
  hunks?.recordChoice(p.fork.repo, input.pr, decision);
  const chosen = hunks?.choice(p.fork.repo, input.pr, input.hunkId);
  await ctx.enqueue(
    ix,
    resolveJobInput(p, input.pr, actor, [decision]),
    `your choice (${decision.take}) for PR #${input.pr}`,
    input.card,
  );
  if (chosen) await redraw(ctx, ix, input.hunkId, decisionText(chosen));
}

async function redraw(ctx: SlackContext, ix: Interaction, hunkId: string, text: string): Promise<void> {
  if (!ix.message) return;
  const blocks = markHunkDecided(ix.message.blocks, hunkId, text);
  if (!blocks) return;
  try {
    await ctx.deps.chat.updateMessage({
      channel: ix.message.channel,
      ts: ix.message.ts,
      text: 'Hunks waiting for a person (some decided)',
      blocks,
    });
  } catch (err) {
    // The choice stands either way; a late click on the old buttons is still answered truthfully.
    ctx.deps.log.warn({ err, hunkId }, 'could not redraw the decided hunk');
  }
}
