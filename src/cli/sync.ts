import type { Command } from 'commander';
import { cliServices, loadCliContext } from './cli-context.js';
import { refNameProblem } from '../core/refs.js';
import { USAGE_REFUSALS } from '../core/sync/requested-tag.js';
import { busyRefusal, dryRunSync, enqueueSync, resultOfJob } from '../pipelines/release-sync/sync-run.js';
import type { SyncResult } from '../pipelines/release-sync/sync-types.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';
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
}

/** 1 when a sync failed; 2 when a tag was asked for that is no release (a usage error); else 0, refusals included. */
function exitCodeOf(results: SyncResult[]): number {
  if (results.some((r) => r.outcome === 'failed')) return EXIT_FAILED;
  if (results.some((r) => r.refused && USAGE_REFUSALS.has(r.refused.reason))) return EXIT_USAGE;
  return EXIT_OK;
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
  const dryRun = Boolean(opts.dryRun);
  const services = cliServices(ctx, { dryRun, jobKinds: dryRun ? [] : ['sync'] });
  let results: SyncResult[];
  try {
    if (dryRun) {
      results = await Promise.all(
        ctx.pipelines.map((p) => dryRunSync(services, p.id, services.log.child({ pipeline: p.id }), ctx.actor, tag)),
      );
    } else {
      const waits: Array<() => Promise<SyncResult>> = [];
      let runJobs = false;
      for (const p of ctx.pipelines) {
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
    }
  } finally {
    await services.close();
  }
  for (const r of results) {
    if (opts.json) io.stdout(JSON.stringify(r));
    else io.stdout(describeResult(r));
  }
  return exitCodeOf(results);
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
    .option('--json', 'one JSON object per pipeline per line on stdout')
    .action(async (opts: SyncCommandOptions) => setExit(await syncCommand(opts, io)));
}
