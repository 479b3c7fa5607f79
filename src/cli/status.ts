import type { Command } from 'commander';
import { isReleaseSync } from '../config/require-pipeline.js';
import cron from 'node-cron';
import { pipelineStatus, type PipelineStatus } from '../pipelines/release-sync/sync-status.js';
import { count } from '../core/wording.js';
import type { KindStatus } from '../pipelines/pipeline-kind.js';
import { offlineGitHub } from '../adapters/github/offline-github.js';
import { budgetLinesFrom } from '../jobs/budget-lines.js';
import { cliServices, loadCliContext } from './cli-context.js';
import { SqliteDroppedPosts, describeDropped, type DroppedPosts } from '../adapters/store/dropped-posts.js';
import { EXIT_FAILED, EXIT_OK, withConfig, type CliIo } from './shared.js';
import { ciFixStatus, describeCiFix } from '../workflows/fix-ci/fix-ci-status.js';

// `upstream-sync status`: per pipeline, the production version, the newest stable release, how
// far behind, the open sync PR, what is queued or skipped, the last run and the next one.

function nextRun(schedule: string | undefined, timezone: string): Date | null {
  if (!schedule) return null;
  const task = cron.createTask(schedule, () => undefined, { timezone });
  try {
    return task.getNextRuns(1)[0] ?? null;
  } finally {
    void task.destroy();
  }
}

export function describeStatus(s: PipelineStatus): string[] {
  const lines = [`${s.pipeline}: ${s.state}${s.stale ? ' (stale: GitHub unreachable)' : ''}`];
  lines.push(
    `  production ${s.currentVersion ?? '?'}; latest stable ${s.latestTag ?? 'none'}${s.commitsBehind !== null ? `; ${count(s.commitsBehind, 'commit')} behind` : ''}`,
  );
  if (s.lastSyncedTag) lines.push(`  last synced ${s.lastSyncedTag}`);
  if (s.openPr) lines.push(`  open sync PR #${s.openPr.number} for ${s.openPr.tag}: ${s.openPr.url}`);
  if (s.queuedTag) lines.push(`  queued: ${s.queuedTag} waits for the open PR`);
  if (s.waiting.length) lines.push(`  waiting (minReleaseAge): ${s.waiting.join(', ')}`);
  for (const k of s.skipList) lines.push(`  skipped ${k.tag} (${k.reason}${k.prNumber ? `, PR #${k.prNumber}` : ''})`);
  for (const k of s.skipped) lines.push(`  ignored release ${JSON.stringify(k.tag)}: ${k.reason}`);
  if (s.lastRun) lines.push(`  last run ${s.lastRun.outcome} at ${s.lastRun.at}`);
  if (s.nextRunAt) lines.push(`  next run ${s.nextRunAt}`);
  for (const w of s.warnings) lines.push(`  warning: ${w}`);
  if (s.error) lines.push(`  error ${s.error.code}: ${s.error.message}`);
  return lines;
}

/**
 * Slack posts the bot could not make because it is not in the channel (recorded by the running
 * bot): `slackDropped` in --json, a line after the pipeline's first one otherwise.
 */
function withDropped<T extends { value: object; lines: () => string[] }>(s: T, dropped: DroppedPosts[]): T {
  if (!dropped.length) return s;
  const lines = s.lines;
  return {
    ...s,
    value: { ...s.value, slackDropped: dropped.map(({ pipeline: _, ...d }) => d) },
    lines: () => {
      const [first, ...rest] = lines();
      return [
        ...(first === undefined ? [] : [first]),
        ...dropped.map((d) => `  slack: ${describeDropped(d)}`),
        ...rest,
      ];
    },
  };
}

export async function statusCommand(
  opts: { config: string; pipeline?: string; json?: boolean },
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  // One quick try per request (no retries, 5 s): status prints what SQLite knows when GitHub does
  // not answer, and returns as soon as it has printed. Without credentials it still shows the
  // local state and says what it could not check.
  const credentials = ctx.env.GITHUB_TOKEN || ctx.env.GITHUB_APP_ID;
  const services = cliServices(ctx, {
    jobKinds: [],
    githubTuning: { retries: 0, timeoutMs: 5_000, secondaryRateLimitRetries: 0, maxRateLimitWaitSeconds: 0 },
    ...(credentials ? {} : { github: offlineGitHub('no GitHub credentials (GITHUB_TOKEN or GITHUB_APP_ID)') }),
  });
  let statuses: Array<{ value: PipelineStatus | KindStatus; lines: () => string[] }>;
  let budget: string[];
  const droppedPosts = new SqliteDroppedPosts(services.store.db);
  try {
    // What the running bot last saw of its GitHub budget and rounds (runtime_facts).
    budget = budgetLinesFrom(services.runtimeFacts, services.clock.now());
    statuses = await Promise.all(
      ctx.pipelines.map(async (p) => {
        if (isReleaseSync(p)) {
          const ciFix = ciFixStatus(services.ciFixes, p.id);
          const value = { ...(await pipelineStatus(services, p, nextRun(p.schedule, p.timezone))), ciFix };
          return { value, lines: () => [...describeStatus(value), ...describeCiFix(ciFix)] };
        }
        const kind = services.kinds.get(p.kind);
        const value: KindStatus = kind
          ? await kind.status(p.id)
          : { pipeline: p.id, kind: p.kind, state: 'unknown', error: `this build cannot run ${p.kind} pipelines` };
        return { value, lines: () => (kind ? kind.describeStatus(value) : [`${p.id}: ${value.state}`]) };
      }),
    );
    statuses = statuses.map((s, i) => withDropped(s, droppedPosts.list(ctx.pipelines[i]!.id)));
  } finally {
    await services.close();
  }
  for (const s of statuses) {
    if (opts.json) io.stdout(JSON.stringify(s.value));
    else for (const line of s.lines()) io.stdout(line);
  }
  if (!opts.json) for (const line of budget) io.stdout(line);
  return statuses.some((s) => s.value.stale) ? EXIT_FAILED : EXIT_OK;
}

export function registerStatusCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('status')
      .description('show each pipeline: versions, commits behind, open and queued sync PRs, skips, last and next run'),
  )
    .option('-p, --pipeline <id>', 'only this pipeline')
    .option('--json', 'one JSON object per pipeline per line on stdout')
    .action(async (opts: { config: string; pipeline?: string; json?: boolean }) =>
      setExit(await statusCommand(opts, io)),
    );
}
