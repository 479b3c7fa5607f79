import type { MirrorConfig } from '../../config/schema.js';
import type { HunkDecision } from '../../ports.js';
import { jobIdentity, mergeJobInput } from '../../jobs/job-kinds.js';
import { MIRROR_RESOLVER_PR } from '../../pipelines/mirror/mirror-merge-types.js';
import type { KindJobData } from '../../pipelines/pipeline-kind.js';
import { jobPipelineOf } from '../../pipelines/sync-pr-target.js';
import { ACTION_IDS, type ActionValue } from '../action-ids.js';
import { code } from '../mrkdwn.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// "Merge into target" on a mirror's divergence card, and the buttons of the merge's own card and
// thread (Approve & merge, Resolve conflicts, Take upstream/fork). Every click goes through the
// allow-list; the repository, branches and PR checks come from the configuration and GitHub (the
// merge job asks GitHub again), never from the button. A hunk choice is kept at once and the merge
// is run again: the merge branch moves only when that run finds every hunk decided.

/** true when the click was handled here. */
export async function mirrorMergeButton(
  ctx: SlackContext,
  ix: Interaction,
  p: MirrorConfig,
  actionId: string,
  v: ActionValue,
): Promise<boolean> {
  const actor = actorOf(ix);
  const card = v.t ? { pipeline: p.id, tag: v.t } : null;
  const target = `${p.target.repo}:${p.target.branch}`;
  const merge = {
    ...jobIdentity.sync(p.id),
    data: { pipeline: p.id, merge: true } satisfies KindJobData,
    requestedBy: actor,
  };
  const busy = {
    busy: (active: { data: KindJobData; state: string }) =>
      active.data.merge
        ? null
        : `A mirror run of *${p.id}* is already ${active.state}; press the button again after it.`,
  };
  switch (actionId) {
    case ACTION_IDS.mirrorMerge: {
      if (!(await ctx.allowed(ix, p, 'sync', 'mirror-merge', target))) return true;
      await ctx.enqueue(ix, merge, `a merge of the source into ${code(target)} through a PR`, null, busy);
      return true;
    }
    case ACTION_IDS.approve: {
      if (!v.pr || !v.t) return false;
      if (!(await ctx.allowed(ix, p, 'approve', 'approve', `pr:${p.target.repo}#${v.pr}`))) return true;
      const snapshot = ctx.deps.cards.get({ pipeline: p.id, tag: v.t })?.snapshot;
      if (!snapshot?.pr || snapshot.pr.number !== v.pr) {
        await ctx.answer(ix, '⚠️ That button is out of date; run `/upstream-sync status` for a fresh view.');
        return true;
      }
      if (snapshot.stage !== 'ready') {
        await ctx.answer(ix, `🚫 Not merging: PR #${v.pr} is not ready: the merge is at "${snapshot.stage}".`);
        return true;
      }
      await ctx.enqueue(
        ix,
        mergeJobInput(jobPipelineOf(p), { pipeline: p.id, tag: v.t, pr: snapshot.pr.number }, actor),
        `the merge of PR #${snapshot.pr.number}`,
        card,
      );
      return true;
    }
    case ACTION_IDS.resolve: {
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve', target))) return true;
      await ctx.enqueue(ix, merge, `a merge into ${code(target)} (it commits once every hunk is decided)`, card, busy);
      return true;
    }
    case ACTION_IDS.hunkUpstream:
    case ACTION_IDS.hunkFork: {
      if (!v.h) return false;
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve.hunk', target))) return true;
      const decision: HunkDecision = {
        hunkId: v.h,
        take: actionId === ACTION_IDS.hunkUpstream ? 'upstream' : 'fork',
        by: actor,
      };
      if (!ctx.deps.hunks) {
        await ctx.answer(ix, '⚠️ Choices cannot be recorded by this bot; nothing was changed.');
        return true;
      }
      ctx.deps.hunks.recordChoice(p.target.repo, MIRROR_RESOLVER_PR, decision);
      await ctx.enqueue(ix, merge, `your choice (${decision.take}) and a merge into ${code(target)}`, card, busy);
      return true;
    }
    default:
      return false;
  }
}
