import type { Config } from '../../config/schema.js';
import { requirePipeline } from '../../config/require-pipeline.js';
import type { DispatchRecords } from '../../ports/dispatch-records.js';
import type { Clock, GitHubPort, GitPort, SyncNotifier } from '../../ports.js';
import type { KindStatus, PipelineKindModule } from '../pipeline-kind.js';
import { describeDispatch, dispatchExitCode, failedDispatch, type DispatchResult } from './dispatch-result.js';
import { runDispatch } from './dispatch-run.js';

// kind: dispatch, as the engine sees it (src/pipelines/pipeline-kind.ts).

export interface DispatchKindDeps {
  config: Config;
  github: GitHubPort;
  git: GitPort;
  clock: Clock;
  dispatchRecords: DispatchRecords;
  notifier: SyncNotifier;
}

export function dispatchKind(deps: DispatchKindDeps): PipelineKindModule<DispatchResult> {
  const runDeps = {
    config: deps.config,
    github: deps.github,
    git: deps.git,
    records: deps.dispatchRecords,
    author: deps.config.git.author,
    notifier: deps.notifier,
  };
  return {
    kind: 'dispatch',
    run: (ctx) =>
      runDispatch(runDeps, ctx.job.data.pipeline, ctx.job.data, {
        log: ctx.log,
        dryRun: false,
        step: (name, fn) => ctx.step(name, fn),
      }),
    dryRun: ({ pipeline, options, log }) =>
      runDispatch(runDeps, pipeline, options, { log, dryRun: true, step: (_name, fn) => fn() }),
    describe: describeDispatch,
    exitCode: dispatchExitCode,
    failed: failedDispatch,
    status: async (pipeline) => {
      const p = requirePipeline(deps.config, pipeline, 'dispatch');
      const last = deps.dispatchRecords.lastProcessed(p.id);
      const failing = deps.dispatchRecords.pending(p.id);
      const now = deps.clock.now().getTime();
      return {
        pipeline: p.id,
        kind: 'dispatch',
        state: !last ? 'no-baseline' : failing.length ? 'failing' : 'ok',
        source: `${p.source.repo}@${p.source.branch}`,
        lastProcessed: last
          ? { sha: last.sha, at: last.at, ageSeconds: Math.round((now - Date.parse(last.at)) / 1000) }
          : null,
        failing: failing.map((f) => ({ subscriber: f.subscriber, feature: f.feature, error: f.error, since: f.since })),
      };
    },
    describeStatus: (s: KindStatus) => {
      const last = s.lastProcessed as { sha: string; at: string } | null;
      const failing = (s.failing ?? []) as Array<{ subscriber: string; feature: string; error: string; since: string }>;
      return [
        `${s.pipeline}: ${s.state} (dispatch from ${String(s.source)})`,
        last
          ? `  last processed ${last.sha.slice(0, 12)} at ${last.at}`
          : '  nothing processed yet: the next run records a baseline',
        ...failing.map((f) => `  failing ${f.subscriber} ${f.feature} since ${f.since}: ${f.error}`),
      ];
    },
  };
}
