import type { MirrorConfig } from '../../config/schema.js';
import { jobIdentity } from '../../jobs/job-kinds.js';
import { MIRROR_RESOLVER_PR } from '../../pipelines/mirror/mirror-merge-types.js';
import type { KindJobData } from '../../pipelines/pipeline-kind.js';
import { jobPipelineOf } from '../../pipelines/sync-pr-target.js';
import { ACTION_IDS, type ActionValue } from '../action-ids.js';
import { code } from '../mrkdwn.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';
import { twoParentMergeButton } from './two-parent-merge-buttons.js';

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
  const target = `${p.target.repo}:${p.target.branch}`;
  const merge = {
    ...jobIdentity.sync(p.id),
    data: { pipeline: p.id, merge: true } satisfies KindJobData,
    requestedBy: actor,
  };
  const busy = (active: { data: KindJobData; state: string }) =>
    active.data.merge ? null : `A mirror run of *${p.id}* is already ${active.state}; press the button again after it.`;
  if (actionId === ACTION_IDS.mirrorMerge) {
    if (!(await ctx.allowed(ix, p, 'sync', 'mirror-merge', target))) return true;
    await ctx.enqueue(ix, merge, `a merge of the source into ${code(target)} through a PR`, null, { busy });
    return true;
  }
  return twoParentMergeButton(ctx, ix, p, actionId, v, {
    repo: p.target.repo,
    target,
    resolverPr: MIRROR_RESOLVER_PR,
    run: merge,
    busy,
    resolveText: `a merge into ${code(target)} (it commits once every hunk is decided)`,
    choiceText: (take) => `your choice (${take}) and a merge into ${code(target)}`,
    // Only the PR the stored card names is merged: a stale button is refused.
    approve: { pipeline: jobPipelineOf(p), stageOf: 'merge' },
  });
}
