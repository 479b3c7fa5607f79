import type { BranchSyncConfig } from '../../config/schema.js';
import { jobIdentity } from '../../jobs/job-kinds.js';
import { BRANCH_SYNC_RESOLVER_PR } from '../../pipelines/branch-sync/branch-sync-types.js';
import type { KindJobData } from '../../pipelines/pipeline-kind.js';
import type { ActionValue } from '../action-ids.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';
import { twoParentMergeButton } from './two-parent-merge-buttons.js';

// The buttons of a branch-sync card and thread. The pipeline comes from the value but the
// repository and branches come from the configuration, the PR from the stored card (a value naming
// another PR is out of date), and the merge job asks GitHub again about it; every click goes
// through the allow-list. A hunk choice is kept at once and the
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
  return twoParentMergeButton(ctx, ix, p, actionId, v, {
    repo: p.fork.repo,
    target: `branch:${p.fork.repo}:${p.fork.syncBranch}`,
    resolverPr: BRANCH_SYNC_RESOLVER_PR,
    run: { ...jobIdentity.sync(p.id), data: { pipeline: p.id } satisfies KindJobData, requestedBy: actor },
    resolveText: `a sync of ${p.id} (it merges upstream once every hunk is decided)`,
    choiceText: (take) => `your choice (${take}) and a sync of ${p.id}`,
    approve: { pipeline: p, stageOf: 'sync' },
  });
}
