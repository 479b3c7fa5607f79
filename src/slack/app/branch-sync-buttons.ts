import type { BranchSyncConfig } from '../../config/schema.js';
import type { HunkDecision } from '../../ports.js';
import { jobIdentity, mergeJobInput } from '../../jobs/job-kinds.js';
import { BRANCH_SYNC_RESOLVER_PR } from '../../pipelines/branch-sync/branch-sync-types.js';
import type { KindJobData } from '../../pipelines/pipeline-kind.js';
import { ACTION_IDS, type ActionValue } from '../action-ids.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// The buttons of a branch-sync card and thread. The pipeline comes from the value but the
// repository, branches and PR checks come from the configuration and GitHub (the merge job asks
// GitHub again); every click goes through the allow-list. A hunk choice is kept at once and the
// pipeline's sync is queued: the sync branch moves only when that run finds every hunk decided.

/** true when the click was handled here. */
export async function branchSyncButton(
  ctx: SlackContext,
  ix: Interaction,
  p: BranchSyncConfig,
  actionId: string,
  v: ActionValue,
): Promise<boolean> {
  const actor = actorOf(ix);
  const card = v.t ? { pipeline: p.id, tag: v.t } : null;
  const branch = `branch:${p.fork.repo}:${p.fork.syncBranch}`;
  const sync = { ...jobIdentity.sync(p.id), data: { pipeline: p.id } satisfies KindJobData, requestedBy: actor };
  switch (actionId) {
    case ACTION_IDS.approve: {
      if (!v.pr || !v.t) return false;
      if (!(await ctx.allowed(ix, p, 'approve', 'approve', `pr:${p.fork.repo}#${v.pr}`))) return true;
      const snapshot = ctx.deps.cards.get({ pipeline: p.id, tag: v.t })?.snapshot;
      if (snapshot && snapshot.stage !== 'ready') {
        await ctx.answer(ix, `🚫 Not merging: PR #${v.pr} is not ready: the sync is at "${snapshot.stage}".`);
        return true;
      }
      await ctx.enqueue(
        ix,
        mergeJobInput(p, { pipeline: p.id, tag: v.t, pr: v.pr }, actor),
        `the merge of PR #${v.pr}`,
        card,
      );
      return true;
    }
    case ACTION_IDS.resolve: {
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve', branch))) return true;
      await ctx.enqueue(ix, sync, `a sync of ${p.id} (it merges upstream once every hunk is decided)`, card);
      return true;
    }
    case ACTION_IDS.hunkUpstream:
    case ACTION_IDS.hunkFork: {
      if (!v.h) return false;
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve.hunk', branch))) return true;
      const decision: HunkDecision = {
        hunkId: v.h,
        take: actionId === ACTION_IDS.hunkUpstream ? 'upstream' : 'fork',
        by: actor,
      };
      if (!ctx.deps.hunks) {
        await ctx.answer(ix, '⚠️ Choices cannot be recorded by this bot; nothing was changed.');
        return true;
      }
      ctx.deps.hunks.recordChoice(p.fork.repo, BRANCH_SYNC_RESOLVER_PR, decision);
      await ctx.enqueue(ix, sync, `your choice (${decision.take}) and a sync of ${p.id}`, card);
      return true;
    }
    default:
      return false;
  }
}
