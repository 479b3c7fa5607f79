import { requirePipeline } from '../../config/require-pipeline.js';
import { errorMessage, isAppError, isTransient } from '../../errors.js';
import type { Services } from '../../main.js';
import { scrub } from '../../redact.js';
import type { PipelineKindModule } from '../pipeline-kind.js';
import { MirrorRuns } from './mirror-runs.js';
import { mirrorCardEvent } from './mirror-notify.js';
import { describeMirrorStatus, mirrorStatus, type MirrorStatus } from './mirror-status.js';
import { runMirror, type MirrorRunDeps } from './mirror-run.js';
import type { MirrorResult } from './mirror-types.js';

// kind: mirror (issue 16). Registered with one line in main.ts.

export function mirrorKind(services: Services): PipelineKindModule<MirrorResult> {
  const runs = new MirrorRuns(services.store.db, services.clock);
  const deps = (log: MirrorRunDeps['log']): MirrorRunDeps => ({
    git: services.git,
    github: services.github,
    runs,
    audit: services.store.audit,
    log,
    now: () => services.clock.now().getTime(),
    merge: {
      config: services.config,
      llm: services.llm,
      resolver: services.resolver,
      notifier: services.notifier,
      cards: services.store.syncCards,
      closures: services.syncRecords,
    },
    notify: ({ result, state, report, targetHtmlUrl }) => {
      const event = mirrorCardEvent({
        ...result,
        state,
        fullReport: report,
        targetHtmlUrl,
        at: services.clock.now().toISOString(),
      });
      if (event) void services.notifier.kindRun?.(event);
    },
  });
  const failed = (pipeline: string, error: { code: string; message: string }): MirrorResult => ({
    pipeline,
    kind: 'mirror',
    outcome: 'failed',
    sourceSha: null,
    targetSha: null,
    targetShaAfter: null,
    ahead: 0,
    behind: 0,
    tags: { pushed: [], conflicting: [] },
    report: null,
    dryRun: false,
    error,
  });
  return {
    kind: 'mirror',
    async run(ctx) {
      const { pipeline: id, ...options } = ctx.job.data;
      const pipeline = requirePipeline(services.config, id, 'mirror');
      try {
        return await runMirror(deps(ctx.log), {
          pipeline,
          options,
          requestedBy: ctx.job.requestedBy,
          jobId: ctx.job.id,
          dryRun: false,
          step: (name, fn) => ctx.step(name, fn),
        });
      } catch (err) {
        // Only the last attempt is a failed run (history and status); earlier ones are retried.
        if (!isTransient(err) || ctx.job.attempts >= ctx.job.maxAttempts) {
          const last = runs.last(id);
          runs.record({
            pipeline: id,
            jobId: ctx.job.id,
            outcome: 'failed',
            state: last?.state ?? 'up-to-date',
            sourceSha: null,
            targetSha: last?.targetSha ?? null,
            targetShaAfter: null,
            ahead: 0,
            behind: 0,
            report: last?.report ?? null,
            tags: { pushed: [], conflicting: [] },
            requestedBy: ctx.job.requestedBy,
            durationMs: null,
          });
        }
        throw err;
      }
    },
    async dryRun({ pipeline: id, options, log, requestedBy }) {
      const pipeline = requirePipeline(services.config, id, 'mirror');
      try {
        return await runMirror(deps(log), {
          pipeline,
          options,
          requestedBy,
          jobId: null,
          dryRun: true,
          step: (_name, fn) => fn(),
        });
      } catch (err) {
        return {
          ...failed(id, { code: isAppError(err) ? err.code : 'internal', message: scrub(errorMessage(err)) }),
          dryRun: true,
        };
      }
    },
    describe(r) {
      const parts = [`${r.pipeline}: ${r.outcome}${r.dryRun ? ' (dry run)' : ''}`];
      if (r.refused) parts.push(r.refused.message);
      if (r.sourceSha) parts.push(`source ${r.sourceSha.slice(0, 12)}, target ${r.targetSha?.slice(0, 12) ?? 'none'}`);
      if (r.targetShaAfter && r.targetShaAfter !== r.targetSha)
        parts.push(`target now ${r.targetShaAfter.slice(0, 12)}`);
      if (r.outcome !== 'failed') parts.push(`source ahead ${r.ahead}, behind ${r.behind}`);
      if (r.mergeBranch) parts.push(`merge branch ${r.mergeBranch}`);
      if (r.pr) parts.push(`PR #${r.pr.number} ${r.pr.url}`);
      if (r.conflicts?.length) parts.push(`${r.conflicts.length} conflicted: ${r.conflicts.join(', ')}`);
      if (r.tags.pushed.length) parts.push(`tags pushed: ${r.tags.pushed.join(', ')}`);
      if (r.tags.conflicting.length) parts.push(`tags conflicting (left alone): ${r.tags.conflicting.join(', ')}`);
      if (r.error) parts.push(`error ${r.error.code}: ${r.error.message}`);
      return parts.join('; ');
    },
    exitCode: (r) => (r.outcome === 'failed' ? 1 : 0),
    failed,
    status: (id) =>
      mirrorStatus(
        { github: services.github, runs, now: () => services.clock.now(), cards: services.store.syncCards },
        requirePipeline(services.config, id, 'mirror'),
      ),
    describeStatus: (s) => describeMirrorStatus(s as MirrorStatus),
  };
}
