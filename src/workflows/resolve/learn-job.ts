import type { Config, ReleaseSyncConfig } from '../../config/schema.js';
import type { Actor, GitHubPort, GitPort, ResolutionMemory, ResolverLog } from '../../ports.js';
import { prLock } from '../../jobs/job-kinds.js';
import { learnAfterMerge, type LearnResult } from './resolve-learn.js';
import type { EnqueueInput, EnqueueResult, JobDefinition, JobQueue } from '../../ports/jobs.js';
import { requireReleaseSync } from '../../config/require-pipeline.js';

// Resolution memory learns from every sync PR that lands on production, whoever decided its hunks
// and whoever merged it. Three places see a merge: the merge job (Approve & merge), the CI
// watcher (a person merged on GitHub) and the `pull_request.closed` webhook. They often see the
// same merge; the dedupe key folds the overlapping ones and enqueueLearn() skips a merge that was
// learned already, so each merge is read once (reading it twice would be harmless, only wasted).

export const LEARN_KIND = 'learn';

export interface LearnJobData {
  pipeline: string;
  pr: number;
  /** The merge commit on production: its files are what landed. */
  mergeSha: string;
}

export function learnKey(repo: string, pr: number): string {
  return `learn:${repo}#${pr}`;
}

export function learnJobInput(
  p: ReleaseSyncConfig,
  pr: number,
  mergeSha: string,
  requestedBy: Actor,
): EnqueueInput<LearnJobData> {
  // The PR lock keeps it after a resolver or merge job still working on the same PR.
  return {
    kind: LEARN_KIND,
    pipeline: p.id,
    dedupeKey: learnKey(p.fork.repo, pr),
    locks: [prLock(p.fork.repo, pr)],
    data: { pipeline: p.id, pr, mergeSha },
    requestedBy,
  };
}

/** Enqueues, unless this very merge was learned already (dedupe keys only fold active jobs). Null when skipped. */
export async function enqueueLearn(
  queue: Pick<JobQueue, 'enqueue' | 'list'>,
  input: EnqueueInput<LearnJobData>,
): Promise<EnqueueResult<LearnJobData> | null> {
  const learned = await queue.list({
    pipeline: input.data.pipeline,
    kind: LEARN_KIND,
    states: ['succeeded'],
    limit: 100,
  });
  if (learned.some((j) => j.dedupeKey === input.dedupeKey && (j.data as LearnJobData).mergeSha === input.data.mergeSha))
    return null;
  return queue.enqueue(input);
}

export interface LearnJobDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  resolver: ResolutionMemory & ResolverLog;
}

export function learnJob(deps: LearnJobDeps): JobDefinition<LearnJobData, LearnResult> {
  return {
    kind: LEARN_KIND,
    maxAttempts: 5,
    handler: async (ctx) => {
      const { pipeline, pr, mergeSha } = ctx.job.data;
      const p = requireReleaseSync(deps.config, pipeline);
      // One step: remembering is an upsert, so a rerun after a crash mid-way writes the same rows.
      const result = await ctx.step('learn', () => learnAfterMerge(deps, p, { pr, mergeSha }));
      ctx.log.info(
        { pr, mergeSha, files: result.files, hunks: result.hunks, skipped: result.skipped },
        'learned from a merged sync PR',
      );
      return result;
    },
  };
}
