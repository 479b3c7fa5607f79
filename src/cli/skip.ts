import type { Command } from 'commander';
import { isReleaseSync } from '../config/require-pipeline.js';
import { skipJobInput } from '../jobs/job-kinds.js';
import { checkSkippable, checkTagShape, openSyncPullFor } from '../pipelines/release-sync/skip-release.js';
import { cliServices, loadCliContext } from './cli-context.js';
import { awaitJob, reportCliError, type Printer } from './job-report.js';
import { EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync skip TAG` / `unskip TAG`: a skipped release is not proposed again until it is
// unskipped. `skip` runs the very job Slack's skip runs (skip list, closing the open sync PR for
// the tag, the card); a tag that does not match tagPattern or names no upstream release exits 2.

type SkipOptions = { config: string; pipeline?: string; json?: boolean; reason?: string; dryRun?: boolean };

export async function skipCommand(
  action: 'skip' | 'unskip',
  tag: string,
  opts: SkipOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  if (ctx.pipelines.length !== 1) {
    io.stderr(
      `error: --pipeline is required when several pipelines are configured (${ctx.config.pipelines.map((p) => p.id).join(', ')})`,
    );
    return EXIT_USAGE;
  }
  const only = ctx.pipelines[0]!;
  if (!isReleaseSync(only)) {
    io.stderr(`error: pipeline ${only.id} is a ${only.kind} pipeline: skip applies to release-sync pipelines`);
    return EXIT_USAGE;
  }
  const p = only;
  const pipeline = p.id;
  const dryRun = Boolean(opts.dryRun);
  const print = (value: Record<string, unknown>, human: string) =>
    opts.json ? io.stdout(JSON.stringify({ pipeline, action, tag, dryRun, ...value })) : io.stdout(human);
  const shape = checkTagShape(p, tag);
  if (!shape.ok) {
    if (opts.json) print({ ok: false, refused: shape.refused }, '');
    io.stderr(`error: ${shape.refused.message}`);
    return EXIT_USAGE;
  }
  const services = cliServices(ctx, { jobKinds: action === 'skip' && !dryRun ? ['skip'] : [] });
  try {
    const active = services.syncRecords.activeSkips(pipeline).map((s) => s.tag);
    const audit = (details: Record<string, unknown>) =>
      services.store.audit.record({
        actor: ctx.actor,
        action,
        pipeline,
        target: `tag:${tag}`,
        outcome: 'done',
        details,
      });
    if (action === 'unskip') {
      const changed = active.includes(tag);
      if (!dryRun) {
        services.syncRecords.unskip(pipeline, tag, ctx.actor);
        audit({ changed });
      }
      const skipped = dryRun ? active : services.syncRecords.activeSkips(pipeline).map((s) => s.tag);
      const verb = changed ? (dryRun ? 'would be unskipped' : 'unskipped') : 'was not skipped';
      print({ ok: true, changed, skipped }, `${pipeline}: ${tag} ${verb}`);
      return EXIT_OK;
    }
    const check = await checkSkippable(services.github, p, tag);
    if (!check.ok) {
      if (opts.json) print({ ok: false, refused: check.refused }, '');
      io.stderr(`error: ${check.refused.message}`);
      return EXIT_USAGE;
    }
    const changed = !active.includes(tag);
    if (dryRun) {
      // Read-only: the same lookup the skip job makes, so the preview names the PR it would close.
      const open = await openSyncPullFor(services.github, p, tag);
      print(
        { ok: true, changed, skipped: active, wouldClose: open?.number ?? null },
        `${pipeline}: would skip ${tag}${open ? ` and close sync PR #${open.number}` : ''}${changed ? '' : ' (already skipped)'}`,
      );
      return EXIT_OK;
    }
    // The same job Slack's skip enqueues: skip list, PR comment and closure, card update.
    const { job } = await services.runner.enqueue(
      skipJobInput(p, { pipeline, tag, pr: null, note: opts.reason ?? null }, ctx.actor),
    );
    const printer: Printer = (value, human) => print(value, human.join('\n'));
    return await awaitJob<{ closed: number | null }>(services, job.id, 'skip', printer, (r) => {
      audit({ changed, closed: r.closed });
      const skipped = services.syncRecords.activeSkips(pipeline).map((s) => s.tag);
      print(
        { ok: true, jobId: job.id, changed, skipped, closed: r.closed },
        `${pipeline}: skipped ${tag}${r.closed ? `; closed sync PR #${r.closed}` : ''}`,
      );
      return EXIT_OK;
    });
  } catch (err) {
    return reportCliError(err, (value, human) => print(value, human.join('\n')));
  } finally {
    await services.close();
  }
}

export function registerSkipCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  for (const action of ['skip', 'unskip'] as const) {
    const command = withConfig(
      program
        .command(`${action} <tag>`)
        .description(
          action === 'skip'
            ? 'do not propose this upstream release until it is unskipped'
            : 'propose a skipped upstream release again',
        ),
    )
      .option('-p, --pipeline <id>', 'the pipeline (required with several)')
      .option('--json', 'print the result as JSON on stdout')
      .option('--dry-run', 'say what would change, change nothing');
    if (action === 'skip') command.option('--reason <text>', 'why, for the record');
    command.action(async (tag: string, opts: SkipOptions) => setExit(await skipCommand(action, tag, opts, io)));
  }
}
