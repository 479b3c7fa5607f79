import type { Command } from 'commander';
import { cliServices, loadCliContext } from './cli-context.js';
import { refNameProblem } from '../core/refs.js';
import { USAGE_REFUSALS } from '../core/sync/requested-tag.js';
import { busyRefusal, dryRunSync, enqueueSync, resultOfJob } from '../pipelines/release-sync/sync-run.js';
import type { SyncResult } from '../pipelines/release-sync/sync-types.js';
import type { PipelineConfig, PipelineKind } from '../config/schema.js';
import { jobIdentity } from '../jobs/job-kinds.js';
import type { KindJobData, KindModules, KindResult, KindRunOptions } from '../pipelines/pipeline-kind.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';
import { nextStep } from './sync-next-step.js';
import { resolveConflicts, resolvedExit, type ResolveSummary } from './sync-resolve.js';
import type { SyncJobData } from '../jobs/job-kinds.js';

// `upstream-sync sync`: the same job the cron enqueues (same dedupe key), run now, waited for.
// stdout carries only the result lines with --json; logs go to stderr.

export function describeResult(r: SyncResult): string {
  const parts = [`${r.pipeline}: ${r.outcome}${r.dryRun ? ' (dry run)' : ''}`];
  if (r.requestedTag) parts.push(`asked for ${r.requestedTag}`);
  if (r.refused) parts.push(r.refused.message);
  if (r.currentVersion) parts.push(`current ${r.currentVersion}`);
  if (r.latestTag) parts.push(`latest ${r.latestTag}`);
  if (r.pr) parts.push(`PR #${r.pr.number} ${r.pr.url}`);
  if (r.conflicts.length) parts.push(`${r.conflicts.length} conflicted: ${r.conflicts.join(', ')}`);
  if (r.skipped.length)
    parts.push(`skipped ${r.skipped.map((s) => `${JSON.stringify(s.tag)} (${s.reason})`).join(', ')}`);
  if (r.error) parts.push(`error ${r.error.code}: ${r.error.message}`);
  return parts.join('; ');
}

export interface SyncCommandOptions {
  config: string;
  pipeline?: string;
  dryRun?: boolean;
  json?: boolean;
  silent?: boolean;
  /** The upstream release to sync instead of the newest one. */
  tag?: string;
  /** Run the resolver here, on the conflicts this sync met, instead of leaving it to the bot. */
  resolve?: boolean;
  /** mirror: force a diverged target (allowed people only; a lease on the reported head). */
  force?: boolean;
  /** mirror: propose a merge PR into the target instead of forcing. */
  merge?: boolean;
  /** dispatch: where to start when nothing was processed yet. */
  since?: string;
}

type AnyResult = SyncResult | KindResult;

function isKindResult(r: AnyResult): r is KindResult {
  return 'kind' in r && r.kind !== 'release-sync';
}

/**
 * 1 when a sync failed (or a kind says its outcome is a failure); 2 when a tag was asked for that
 * is no release (a usage error); else 0, refusals included.
 */
function exitCodeOf(results: AnyResult[], kinds: KindModules): number {
  const codes = results.map((r) => {
    if (isKindResult(r)) return kinds.get(r.kind)?.exitCode(r) ?? EXIT_FAILED;
    if (r.outcome === 'failed') return EXIT_FAILED;
    return r.refused && USAGE_REFUSALS.has(r.refused.reason) ? EXIT_USAGE : EXIT_OK;
  });
  if (codes.includes(EXIT_FAILED)) return EXIT_FAILED;
  return codes.includes(EXIT_USAGE) ? EXIT_USAGE : EXIT_OK;
}

/** Flags that only some kinds understand, checked before anything runs. */
function kindFlagProblem(opts: SyncCommandOptions, pipelines: readonly PipelineConfig[]): string | null {
  const kindsOf = new Set(pipelines.map((p) => p.kind));
  const only = (flag: string, kind: PipelineKind) =>
    kindsOf.size === 1 && kindsOf.has(kind)
      ? null
      : `${flag} applies to ${kind} pipelines only: say which with --pipeline`;
  if (opts.force) return only('--force', 'mirror');
  if (opts.merge) return only('--merge', 'mirror');
  if (opts.since !== undefined) return only('--since', 'dispatch');
  return null;
}

export async function syncCommand(
  opts: SyncCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const { tag } = opts;
  if (tag !== undefined) {
    const problem = refNameProblem(tag);
    if (problem) {
      io.stderr(`error: not a valid tag ${JSON.stringify(tag.slice(0, 80))}: it ${problem}`);
      return EXIT_USAGE;
    }
    if (ctx.pipelines.length !== 1) {
      io.stderr(
        `error: --tag names a release of one pipeline: say which with --pipeline (configured: ${ctx.pipelines.map((p) => p.id).join(', ')})`,
      );
      return EXIT_USAGE;
    }
  }
  const flagProblem = kindFlagProblem(opts, ctx.pipelines);
  if (flagProblem) {
    io.stderr(`error: ${flagProblem}`);
    return EXIT_USAGE;
  }
  if (tag !== undefined && ctx.pipelines.some((p) => p.kind !== 'release-sync')) {
    io.stderr('error: --tag names an upstream release: it applies to release-sync pipelines only');
    return EXIT_USAGE;
  }
  const options: KindRunOptions = {
    ...(opts.force ? { force: true } : {}),
    ...(opts.merge ? { merge: true } : {}),
    ...(opts.since !== undefined ? { since: opts.since } : {}),
    ...(opts.silent ? { silent: true } : {}),
  };
  const dryRun = Boolean(opts.dryRun);
  const resolveHere = Boolean(opts.resolve) && !dryRun;
  const services = cliServices(ctx, { dryRun, jobKinds: dryRun ? [] : resolveHere ? ['sync', 'resolve'] : ['sync'] });
  const missing = ctx.pipelines.find((p) => p.kind !== 'release-sync' && !services.kinds.has(p.kind));
  if (missing) {
    await services.close();
    io.stderr(`error: pipeline ${missing.id} is a ${missing.kind} pipeline, which this build cannot run`);
    return EXIT_USAGE;
  }
  let results: AnyResult[];
  const resolved = new Map<string, ResolveSummary>();
  try {
    if (dryRun) {
      results = await Promise.all(
        ctx.pipelines.map((p) => {
          const log = services.log.child({ pipeline: p.id });
          const kind = p.kind === 'release-sync' ? undefined : services.kinds.get(p.kind);
          if (kind) return kind.dryRun({ pipeline: p.id, options, log, requestedBy: ctx.actor });
          return dryRunSync(services, p.id, log, ctx.actor, tag);
        }),
      );
    } else {
      const waits: Array<() => Promise<AnyResult>> = [];
      let runJobs = false;
      for (const p of ctx.pipelines) {
        const kind = p.kind === 'release-sync' ? undefined : services.kinds.get(p.kind);
        if (kind) {
          services.store.audit.record({ actor: ctx.actor, action: 'sync', pipeline: p.id, outcome: 'allowed' });
          const { job } = await services.runner.enqueue<KindJobData>({
            ...jobIdentity.sync(p.id),
            data: { pipeline: p.id, ...options },
            requestedBy: ctx.actor,
          });
          waits.push(async () => {
            const done = await services.runner.waitFor(job.id);
            if (done.state === 'succeeded' && done.result) return done.result as KindResult;
            return kind.failed(p.id, done.error ?? { code: 'internal', message: `job ${done.id} ended ${done.state}` });
          });
          runJobs = true;
          continue;
        }
        services.store.audit.record({
          actor: ctx.actor,
          action: 'sync',
          pipeline: p.id,
          ...(tag === undefined ? {} : { target: `tag:${tag}` }),
          outcome: 'allowed',
        });
        const data: SyncJobData = {
          pipeline: p.id,
          ...(tag === undefined ? {} : { tag }),
          ...(opts.silent ? { silent: true } : {}),
        };
        const { job } = await enqueueSync(services.runner, data, ctx.actor);
        // The same sync already queued or running is waited for; a sync of something else is not ours.
        const busy = busyRefusal(job, data);
        waits.push(async () => busy ?? resultOfJob(await services.runner.waitFor(job.id), p.id));
        if (!busy) runJobs = true;
      }
      // Only for jobs it waits for: a refused request must not start (or touch) the other sync.
      if (runJobs) services.runner.start();
      results = await Promise.all(waits.map((wait) => wait()));
      if (resolveHere)
        for (const [id, summary] of await resolveConflicts(
          services,
          ctx,
          results.filter((r): r is SyncResult => !isKindResult(r)),
        ))
          resolved.set(id, summary);
    }
  } finally {
    await services.close();
  }
  for (const r of results) {
    if (isKindResult(r)) {
      if (opts.json) io.stdout(JSON.stringify(r));
      else io.stdout(services.kinds.get(r.kind)?.describe(r) ?? r.outcome);
      continue;
    }
    const done = resolved.get(r.pipeline);
    const next = done ? null : nextStep(r, ctx.pipelines.length);
    if (opts.json) io.stdout(JSON.stringify({ ...r, next, ...(done ? { resolve: done } : {}) }));
    else {
      io.stdout(describeResult(r));
      if (next) io.stdout(`  next: ${next}`);
      if (done) io.stdout(`  resolver (job ${done.jobId}): ${done.message}`);
    }
  }
  return resolvedExit(exitCodeOf(results, services.kinds), [...resolved.values()]);
}

export function registerSyncCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('sync')
      .description('check upstream releases and sync now, as the schedule would, and wait for the result'),
  )
    .option('-p, --pipeline <id>', 'only this pipeline')
    .option('--dry-run', 'plan only: fetches into the cache, never pushes, no mutating API call')
    .option(
      '-t, --tag <tag>',
      'sync this upstream release instead of the newest: a stable release newer than production, not skipped (needs --pipeline when there are several)',
    )
    .option('--silent', 'post nothing to Slack for this sync')
    .option('--resolve', 'when the sync meets conflicts, run the resolver in this process and wait for it')
    .option('--force', 'mirror: force a diverged target onto the source, with a lease on the reported target head')
    .option('--merge', 'mirror: propose a merge of the source into the target through a PR instead')
    .option('--since <sha>', 'dispatch: the source commit to start from when nothing was processed yet')
    .option('--json', 'one JSON object per pipeline per line on stdout')
    .action(async (opts: SyncCommandOptions) => setExit(await syncCommand(opts, io)));
}
