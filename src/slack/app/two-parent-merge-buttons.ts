import type { PipelineConfig } from '../../config/schema.js';
import type { HunkDecision } from '../../ports.js';
import type { EnqueueInput, JobRecord } from '../../ports/jobs.js';
import { mergeJobInput, type JobPipeline } from '../../jobs/job-kinds.js';
import type { KindJobData } from '../../pipelines/pipeline-kind.js';
import { ACTION_IDS, type ActionValue } from '../action-ids.js';
import { actorOf, type Interaction, type SlackContext } from './slack-context.js';

// Approve & merge, Resolve conflicts and Take upstream/fork on the card of a merge made before any
// PR exists (branch-sync's sync branch, a mirror's merge branch). The kinds differ only in where the
// PR lives, which run the buttons queue and their words; every click goes through the allow-list
// and the merge job asks GitHub again. A hunk choice is kept at once and the run is queued again:
// the branch moves only when that run finds every hunk decided.

export interface TwoParentMergeButtons {
  /** The repository of the PR and of the hunk choices (from the configuration). */
  repo: string;
  /** The audit target of Resolve conflicts and of a hunk choice. */
  target: string;
  /** The PR number hunk choices are kept under while the merge has no PR yet. */
  resolverPr: number;
  /** The run that makes the merge: queued by Resolve conflicts and after a hunk choice. */
  run: EnqueueInput<KindJobData>;
  busy?: (active: JobRecord<KindJobData>) => string | null;
  /** What Resolve conflicts queues, and what a choice queues, in the person's answer. */
  resolveText: string;
  choiceText: (take: HunkDecision['take']) => string;
  approve: {
    /** The pipeline the merge job is queued for. */
    pipeline: JobPipeline;
    /** Names the run in the "not ready" answer ("sync", "merge"). */
    stageOf: string;
  };
}

/** true when the click was handled here. */
export async function twoParentMergeButton(
  ctx: SlackContext,
  ix: Interaction,
  p: PipelineConfig,
  actionId: string,
  v: ActionValue,
  kind: TwoParentMergeButtons,
): Promise<boolean> {
  const actor = actorOf(ix);
  const card = v.t ? { pipeline: p.id, tag: v.t } : null;
  const busy = kind.busy ? { busy: kind.busy } : {};
  switch (actionId) {
    case ACTION_IDS.approve: {
      if (!v.pr || !v.t) return false;
      if (!(await ctx.allowed(ix, p, 'approve', 'approve', `pr:${kind.repo}#${v.pr}`))) return true;
      const snapshot = ctx.deps.cards.get({ pipeline: p.id, tag: v.t })?.snapshot;
      // The PR merged is the one the stored card names: a value naming another PR (edited, or a
      // card from before the sync moved on) is out of date.
      if (!snapshot?.pr || snapshot.pr.number !== v.pr) {
        await ctx.answer(ix, '⚠️ That button is out of date; run `/upstream-sync status` for a fresh view.');
        return true;
      }
      if (snapshot.stage !== 'ready') {
        await ctx.answer(
          ix,
          `🚫 Not merging: PR #${v.pr} is not ready: the ${kind.approve.stageOf} is at "${snapshot.stage}".`,
        );
        return true;
      }
      await ctx.enqueue(
        ix,
        mergeJobInput(kind.approve.pipeline, { pipeline: p.id, tag: v.t, pr: v.pr }, actor),
        `the merge of PR #${v.pr}`,
        card,
      );
      return true;
    }
    case ACTION_IDS.resolve: {
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve', kind.target))) return true;
      await ctx.enqueue(ix, kind.run, kind.resolveText, card, busy);
      return true;
    }
    case ACTION_IDS.hunkUpstream:
    case ACTION_IDS.hunkFork: {
      if (!v.h) return false;
      if (!(await ctx.allowed(ix, p, 'resolve', 'resolve.hunk', kind.target))) return true;
      const decision: HunkDecision = {
        hunkId: v.h,
        take: actionId === ACTION_IDS.hunkUpstream ? 'upstream' : 'fork',
        by: actor,
      };
      if (!ctx.deps.hunks) {
        await ctx.answer(ix, '⚠️ Choices cannot be recorded by this bot; nothing was changed.');
        return true;
      }
      ctx.deps.hunks.recordChoice(kind.repo, kind.resolverPr, decision);
      await ctx.enqueue(ix, kind.run, kind.choiceText(decision.take), card, busy);
      return true;
    }
    default:
      return false;
  }
}
