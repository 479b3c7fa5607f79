import { actorName } from '../../core/wording.js';
import type { Config } from '../../config/schema.js';
import { KIND, type SkipJobData } from '../../jobs/job-kinds.js';
import type { JobDefinition } from '../../ports/jobs.js';
import type { GitHubPort, SyncNotifier, SyncRecords } from '../../ports.js';
import { requireReleaseSync } from '../../config/require-pipeline.js';
import { openSyncPullFor } from './skip-release.js';

// "Skip this release" / `skip <tag>`: the tag goes on the skip list (the sync plan never proposes
// it again until unskipped) and its open sync PR is closed with a comment, so it no longer blocks
// newer releases. The branch stays: closing is undone with one click on GitHub.

export interface SkipJobDeps {
  config: Config;
  github: GitHubPort;
  notifier: SyncNotifier;
  records: Pick<SyncRecords, 'skip'>;
}

export function skipJob(deps: SkipJobDeps): JobDefinition<SkipJobData, { closed: number | null }> {
  return {
    kind: KIND.skip,
    handler: async (ctx) => {
      const { data, requestedBy } = ctx.job;
      const p = requireReleaseSync(deps.config, data.pipeline);
      const who = actorName(requestedBy);
      // Looked up once and recorded as a step: a resumed job closes the PR it found, not a newer one.
      const prNumber = await ctx.step(
        'find-pr',
        async () => data.pr ?? (await openSyncPullFor(deps.github, p, data.tag))?.number ?? null,
      );
      // Recorded first: the closure below is then known to be a person's, not a refusal to re-read.
      await ctx.step(
        'record',
        async () =>
          deps.records.skip(p.id, data.tag, {
            reason: 'person',
            prNumber,
            by: requestedBy,
            note: data.note ?? (requestedBy.kind === 'slack' ? 'skipped from Slack' : `skipped by ${who}`),
          }).tag,
      );
      const closed = await ctx.step('close-pr', async () => {
        if (!prNumber) return null;
        const pr = await deps.github.getPull(p.fork.repo, prNumber);
        if (pr.state !== 'open' || pr.merged) return null;
        await deps.github.createComment(
          p.fork.repo,
          pr.number,
          `Release \`${data.tag}\` was skipped by ${who}; closing this sync PR. \`/upstream-sync unskip ${data.tag}\` brings it back.`,
        );
        await deps.github.updatePull(p.fork.repo, pr.number, { state: 'closed' });
        return pr.number;
      });
      await deps.notifier.syncChanged({ pipeline: p.id, tag: data.tag }, { stage: 'skipped' });
      return { closed };
    },
  };
}
