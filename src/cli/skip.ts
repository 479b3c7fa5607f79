import type { Command } from 'commander';
import { refNameProblem } from '../core/refs.js';
import { cliServices, loadCliContext } from './cli-context.js';
import { EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// `upstream-sync skip TAG` / `unskip TAG`: a skipped release is not proposed again until it is
// unskipped. Recorded with who asked, like the same buttons in Slack.

export async function skipCommand(
  action: 'skip' | 'unskip',
  tag: string,
  opts: { config: string; pipeline?: string; json?: boolean; reason?: string; dryRun?: boolean },
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const problem = refNameProblem(tag);
  if (problem) {
    io.stderr(`error: ${JSON.stringify(tag)} is not a tag name: ${problem}`);
    return EXIT_USAGE;
  }
  if (ctx.pipelines.length !== 1) {
    io.stderr(
      `error: --pipeline is required when several pipelines are configured (${ctx.config.pipelines.map((p) => p.id).join(', ')})`,
    );
    return EXIT_USAGE;
  }
  const pipeline = ctx.pipelines[0]!.id;
  const services = cliServices(ctx, { jobKinds: [] });
  try {
    const active = services.syncRecords.activeSkips(pipeline).map((s) => s.tag);
    const changed = action === 'skip' ? !active.includes(tag) : active.includes(tag);
    if (!opts.dryRun && action === 'skip')
      services.syncRecords.skip(pipeline, tag, { reason: 'person', by: ctx.actor, note: opts.reason ?? null });
    if (!opts.dryRun && action === 'unskip') services.syncRecords.unskip(pipeline, tag, ctx.actor);
    if (!opts.dryRun)
      services.store.audit.record({
        actor: ctx.actor,
        action,
        pipeline,
        target: `tag:${tag}`,
        outcome: 'done',
        details: { changed },
      });
    const skipped = opts.dryRun ? active : services.syncRecords.activeSkips(pipeline).map((s) => s.tag);
    if (opts.json) io.stdout(JSON.stringify({ pipeline, action, tag, changed, skipped, dryRun: Boolean(opts.dryRun) }));
    else io.stdout(`${pipeline}: ${tag} ${action === 'skip' ? 'skipped' : changed ? 'unskipped' : 'was not skipped'}`);
  } finally {
    await services.close();
  }
  return EXIT_OK;
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
    command.action(
      async (
        tag: string,
        opts: { config: string; pipeline?: string; json?: boolean; reason?: string; dryRun?: boolean },
      ) => setExit(await skipCommand(action, tag, opts, io)),
    );
  }
}
