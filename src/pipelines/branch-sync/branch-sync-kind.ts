import type { Services } from '../../main.js';
import { requirePipeline } from '../../config/require-pipeline.js';
import { errorMessage, isAppError } from '../../errors.js';
import { scrub } from '../../redact.js';
import type { PipelineKindModule } from '../pipeline-kind.js';
import type { BranchSyncDeps, BranchSyncResult } from './branch-sync-types.js';
import { runBranchSync } from './run-branch-sync.js';
import { branchSyncStatus, describeBranchSyncStatus, type BranchSyncStatus } from './branch-sync-status.js';

// kind `branch-sync` on the one engine: the `sync` job hands branch-sync pipelines to `run`;
// `--dry-run` calls `dryRun` with the read-only GitHub and git of the dry-run services.

export function branchSyncKind(services: Services): PipelineKindModule<BranchSyncResult> {
  const deps: BranchSyncDeps = { ...services, cards: services.store.syncCards };
  return {
    kind: 'branch-sync',
    run: (ctx) =>
      runBranchSync(deps, requirePipeline(deps.config, ctx.job.data.pipeline, 'branch-sync'), {
        log: ctx.log,
        dryRun: false,
        requestedBy: ctx.job.requestedBy,
        jobId: ctx.job.id,
        silent: ctx.job.data.silent ?? false,
        signal: ctx.signal,
        step: (name, fn) => ctx.step(name, fn),
      }),
    dryRun: async ({ pipeline, options, log, requestedBy }) => {
      try {
        return await runBranchSync(deps, requirePipeline(deps.config, pipeline, 'branch-sync'), {
          log,
          dryRun: true,
          requestedBy,
          jobId: null,
          silent: options.silent ?? false,
          step: (_name, fn) => fn(),
        });
      } catch (err) {
        return failedBranchSync(pipeline, true, {
          code: isAppError(err) ? err.code : 'internal',
          message: scrub(errorMessage(err)),
        });
      }
    },
    describe: describeBranchSync,
    exitCode: (r) => (r.outcome === 'failed' || r.outcome === 'refused' ? 1 : 0),
    failed: (pipeline, error) => failedBranchSync(pipeline, false, error),
    status: (pipeline) => branchSyncStatus(deps, requirePipeline(deps.config, pipeline, 'branch-sync')),
    describeStatus: (status) => describeBranchSyncStatus(status as BranchSyncStatus),
  };
}

export function failedBranchSync(
  pipeline: string,
  dryRun: boolean,
  error: { code: string; message: string },
): BranchSyncResult {
  return {
    pipeline,
    kind: 'branch-sync',
    outcome: 'failed',
    upstreamSha: null,
    syncBranchSha: null,
    ahead: 0,
    behind: 0,
    pr: null,
    conflicts: [],
    dryRun,
    error,
  };
}

export function describeBranchSync(r: BranchSyncResult): string {
  const parts = [`${r.pipeline}: ${r.outcome}${r.dryRun ? ' (dry run)' : ''}`];
  if (r.refused) parts.push(r.refused.message);
  if (r.upstreamSha) parts.push(`upstream ${r.upstreamSha.slice(0, 12)}`);
  if (r.syncBranchSha) parts.push(`sync branch ${r.syncBranchSha.slice(0, 12)}`);
  if (r.outcome !== 'failed') parts.push(`${r.ahead} ahead of the target, ${r.behind} behind upstream`);
  if (r.pr) parts.push(`PR #${r.pr.number} ${r.pr.url}`);
  if (r.conflicts.length) parts.push(`${r.conflicts.length} conflicted: ${r.conflicts.join(', ')}`);
  if (r.error) parts.push(`error ${r.error.code}: ${r.error.message}`);
  return parts.join('; ');
}
