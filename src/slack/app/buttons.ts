import type { Action, BranchSyncConfig } from '../../config/schema.js';
import { ledgerButton } from './ledger-buttons.js';
import { isAppError } from '../../errors.js';
import { isReleaseSync } from '../../config/require-pipeline.js';
import { ACTION_IDS, RELEASE_ACTION_BY_BUMP, URL_ACTION_IDS, decodeValue, type Bump } from '../action-ids.js';
import { code } from '../mrkdwn.js';
import { branchSyncButton } from './branch-sync-buttons.js';
import { ciText } from '../views/stages.js';
import { handleHunkChoice } from './hunk-choice.js';
import { openReleasePreview } from './release-flow.js';
import { cardTarget } from './button-target.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';
import { mirrorButton } from './mirror-buttons.js';
import { mirrorMergeButton } from './mirror-merge-buttons.js';
import {
  ciFixJobInput,
  jobIdentity,
  KIND,
  mergeJobInput,
  resolveJobInput,
  skipJobInput,
  type JobKind,
} from '../../jobs/job-kinds.js';

// Card and thread buttons after the ack. The value names the pipeline, tag, PR or job; it came
// back through Slack, so it is parsed strictly, the person is checked against that pipeline, and
// what the button acts on is taken from our record of the card it was clicked on (button-target.ts).

const RETRY_PERMISSION: ReadonlyMap<string, Action> = new Map<JobKind, Action>([
  [KIND.sync, 'sync'],
  [KIND.resolve, 'resolve'],
  [KIND.release, 'release'],
  [KIND.merge, 'approve'],
  [KIND.skip, 'skip'],
  [KIND.ledgerRestore, 'resolve'],
  [KIND.ciFix, 'resolve'],
]);
const BUMP_BY_ACTION = Object.fromEntries(
  Object.entries(RELEASE_ACTION_BY_BUMP).map(([bump, id]) => [id, bump as Bump]),
);

/** Why the card says no to "Approve & merge" right now, before asking GitHub (the job asks again). */
function notReady(ctx: SlackContext, v: { pipeline: string; tag: string; pr: number }): string | null {
  const card = ctx.deps.cards.get({ pipeline: v.pipeline, tag: v.tag })?.snapshot;
  if (!card) return null;
  if (card.stage === 'merged' || card.stage === 'released') return `PR #${v.pr} is already merged.`;
  if (card.stage !== 'ready') return `PR #${v.pr} is not ready: the sync is at "${card.stage}".`;
  if (card.ci?.state !== 'success') return `CI is not green on PR #${v.pr}: ${ciText(card.ci)}.`;
  if (card.mergeable === false) return `PR #${v.pr} does not merge cleanly.`;
  return null;
}

export async function handleButton(
  ctx: SlackContext,
  ix: Interaction,
  actionId: string,
  rawValue: string | undefined,
): Promise<void> {
  // URL buttons open the browser; the interaction only needed its ack.
  if (URL_ACTION_IDS.includes(actionId)) return;
  const v = decodeValue(rawValue);
  const p = v ? ctx.pipeline(v.p) : undefined;
  if (!v || !p) {
    ctx.deps.log.warn({ actionId }, 'button with an unreadable value');
    return ctx.answer(ix, '⚠️ That button is out of date; run `/upstream-sync status` for a fresh view.');
  }
  const actor = actorOf(ix);
  const card = v.t ? { pipeline: p.id, tag: v.t } : null;
  // Buttons of release-sync cards; other kinds' cards carry Retry (and their own buttons).
  const rs = isReleaseSync(p) ? p : null;
  if ((rs || p.kind === 'branch-sync') && (await ledgerButton(ctx, ix, rs ?? (p as BranchSyncConfig), actionId, v)))
    return;
  if (p.kind === 'branch-sync' && (await branchSyncButton(ctx, ix, p, actionId, v))) return;
  if (p.kind === 'mirror' && (await mirrorMergeButton(ctx, ix, p, actionId, v))) return;
  switch (actionId) {
    case ACTION_IDS.approve: {
      if (!rs || !v.pr || !v.t) break;
      if (!(await ctx.allowed(ix, rs, 'approve', 'approve', `pr:${rs.fork.repo}#${v.pr}`))) return;
      const checked = await cardTarget(ctx, ix, rs, v, 'approve');
      if (!checked.ok) return ctx.answer(ix, checked.message);
      const { tag, pr } = checked.target;
      if (pr === null) break;
      const refusal = notReady(ctx, { pipeline: rs.id, tag, pr });
      if (refusal) return ctx.answer(ix, `🚫 Not merging: ${refusal}`);
      await ctx.enqueue(ix, mergeJobInput(rs, { pipeline: rs.id, tag, pr }, actor), `the merge of PR #${pr}`, {
        pipeline: rs.id,
        tag,
      });
      return;
    }
    case ACTION_IDS.resolve: {
      if (!rs || !v.pr) break;
      if (!(await ctx.allowed(ix, rs, 'resolve', 'resolve', `pr:${rs.fork.repo}#${v.pr}`))) return;
      const checked = await cardTarget(ctx, ix, rs, v, 'resolve');
      if (!checked.ok) return ctx.answer(ix, checked.message);
      const { pr } = checked.target;
      if (pr === null) break;
      await ctx.enqueue(ix, resolveJobInput(rs, pr, actor), `the resolver on PR #${pr}`, card);
      return;
    }
    case ACTION_IDS.ciFixAgain: {
      // One more attempt past the fixer's bounds: the PR comes from the card on record.
      if (!v.pr || (p.kind !== 'release-sync' && p.kind !== 'branch-sync')) break;
      if (!(await ctx.allowed(ix, p, 'resolve', 'ci-fix.again', `pr:${p.fork.repo}#${v.pr}`))) return;
      const checked = await cardTarget(ctx, ix, p as Parameters<typeof cardTarget>[2], v, 'ci-fix.again');
      if (!checked.ok) return ctx.answer(ix, checked.message);
      const { pr, tag } = checked.target;
      if (pr === null) break;
      await ctx.enqueue(
        ix,
        ciFixJobInput(p, { pr, headSha: null, grant: true }, actor),
        `one more CI fixer attempt on PR #${pr}`,
        { pipeline: p.id, tag },
      );
      return;
    }
    case ACTION_IDS.hunkUpstream:
    case ACTION_IDS.hunkFork: {
      if (!rs || !v.pr || !v.h) break;
      if (!(await ctx.allowed(ix, rs, 'resolve', 'resolve.hunk', `pr:${rs.fork.repo}#${v.pr}`))) return;
      const checked = await cardTarget(ctx, ix, rs, v, 'resolve.hunk');
      if (!checked.ok) return ctx.answer(ix, checked.message);
      const take = actionId === ACTION_IDS.hunkUpstream ? 'upstream' : 'fork';
      return handleHunkChoice(ctx, ix, rs, { pr: v.pr, hunkId: v.h, take, card });
    }
    case ACTION_IDS.rerun: {
      // Another kind's card: run the pipeline again; the run retries what failed and only that.
      if (rs) break;
      if (!(await ctx.allowed(ix, p, 'sync', 'rerun', null))) return;
      await ctx.enqueue(
        ix,
        { ...jobIdentity.sync(p.id), data: { pipeline: p.id }, requestedBy: actor },
        `a run of *${p.id}*`,
        null,
      );
      return;
    }
    case ACTION_IDS.retry: {
      const job = v.j ? await ctx.deps.queue.get(v.j) : null;
      if (!job || job.pipeline !== p.id) break;
      if (!(await ctx.allowed(ix, p, RETRY_PERMISSION.get(job.kind) ?? 'sync', 'retry', `job:${job.id}`))) return;
      if (job.state !== 'failed')
        return ctx.answer(
          ix,
          `⏳ Job #${job.id} is ${job.state}, not failed: nothing to retry.${card ? ` ${ctx.cardLink(ix, card.pipeline, card.tag) ?? ''}` : ''}`,
        );
      try {
        await ctx.deps.queue.retry(job.id, actor);
      } catch (err) {
        // Two people pressing Retry at once: the second finds it queued again already.
        if (isAppError(err)) return ctx.answer(ix, `⏳ Job #${job.id} is already back in the queue.`);
        throw err;
      }
      return ctx.answer(ix, `🔁 Job #${job.id} is queued again; finished steps are not repeated.`);
    }
    case ACTION_IDS.skip: {
      if (!rs || !v.t) break;
      if (!(await ctx.allowed(ix, rs, 'skip', 'skip', `tag:${v.t}`))) return;
      const checked = await cardTarget(ctx, ix, rs, v, 'skip');
      if (!checked.ok) return ctx.answer(ix, checked.message);
      const { tag, pr } = checked.target;
      await ctx.enqueue(ix, skipJobInput(rs, { pipeline: rs.id, tag, pr }, actor), `skipping ${code(tag)}`, {
        pipeline: rs.id,
        tag,
      });
      return;
    }
    case ACTION_IDS.mirrorForce:
    case ACTION_IDS.mirrorRollback: {
      if (p.kind !== 'mirror') break;
      return mirrorButton(ctx, ix, p, actionId === ACTION_IDS.mirrorForce ? 'force' : 'rollback');
    }
    default: {
      const bump = BUMP_BY_ACTION[actionId];
      if (bump && rs) return openReleasePreview(ctx, ix, rs, bump);
    }
  }
  ctx.deps.log.warn({ actionId }, 'button not handled');
  return ctx.answer(ix, '⚠️ That button is out of date; run `/upstream-sync status` for a fresh view.');
}
