import { isReleaseSync } from '../config/require-pipeline.js';
import type { Services } from '../main.js';
import type { SyncResult } from '../pipelines/release-sync/sync-types.js';
import { resolveJobInput } from '../jobs/job-kinds.js';
import type { ResolveJobResult } from '../workflows/resolve/resolve.js';
import type { CliContext } from './cli-context.js';
import { EXIT_FAILED } from './shared.js';

// `sync --resolve`: the resolver job the sync queued (same dedupe key, so the same job) is run by
// this process and waited for, for when no bot is running.

export interface ResolveSummary {
  jobId: number;
  outcome: ResolveJobResult['outcome'] | 'failed';
  message: string;
  waiting: number;
}

export async function resolveConflicts(
  services: Services,
  ctx: CliContext,
  results: readonly SyncResult[],
): Promise<Map<string, ResolveSummary>> {
  const out = new Map<string, ResolveSummary>();
  services.runner.start();
  for (const r of results) {
    const p = ctx.pipelines.find((x) => x.id === r.pipeline);
    if (!p || !isReleaseSync(p) || !r.pr || !r.conflicts.length || r.dryRun) continue;
    const { job } = await services.runner.enqueue(resolveJobInput(p, r.pr.number, ctx.actor));
    const done = await services.runner.waitFor(job.id);
    if (done.state === 'succeeded') {
      const res = done.result as ResolveJobResult;
      out.set(r.pipeline, { jobId: job.id, outcome: res.outcome, message: res.message, waiting: res.waiting.length });
    } else {
      const message = done.error ? `${done.error.code}: ${done.error.message}` : `ended ${done.state}`;
      out.set(r.pipeline, { jobId: job.id, outcome: 'failed', message, waiting: 0 });
    }
  }
  return out;
}

export function resolvedExit(code: number, summaries: readonly ResolveSummary[]): number {
  return code === 0 && summaries.some((s) => s.outcome === 'failed') ? EXIT_FAILED : code;
}
