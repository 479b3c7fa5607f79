import type { Config } from '../../config/schema.js';
import type { GitHubPort, GitPort, ResolutionMemory, ResolverLog } from '../../ports.js';
import { KIND, type LearnJobData } from '../../jobs/job-kinds.js';
import { learnAfterMerge, type LearnResult } from './resolve-learn.js';
import type { JobDefinition } from '../../ports/jobs.js';
import { requireReleaseSync } from '../../config/require-pipeline.js';

// Resolution memory learns from every sync PR that lands on production, whoever decided its hunks
// and whoever merged it. Three places see a merge: the merge job (Approve & merge), the CI
// watcher (a person merged on GitHub) and the `pull_request.closed` webhook. They often see the
// same merge; the dedupe key folds the overlapping ones and enqueueLearn() skips a merge that was
// learned already, so each merge is read once (reading it twice would be harmless, only wasted).

export interface LearnJobDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  resolver: ResolutionMemory & ResolverLog;
}

export function learnJob(deps: LearnJobDeps): JobDefinition<LearnJobData, LearnResult> {
  return {
    kind: KIND.learn,
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
