import type { Command } from 'commander';
import type { PipelineConfig } from '../config/schema.js';
import { loadCliContext, onePipeline, type CliContext } from './cli-context.js';
import { runCliJob, type CliJobRun } from './run-cli-job.js';
import { EXIT_USAGE, withConfig, type CliIo } from './shared.js';

// The commands that run one job on one sync PR by hand (`resolve --pr N`, `fix-ci --pr N`): the
// same options, the same checks of --pr and of the pipeline's kind, the same JSON fields.

export interface PrCommandOptions {
  config: string;
  pr: string;
  pipeline?: string;
  dryRun?: boolean;
  json?: boolean;
}

export interface PrCommandRun<P extends PipelineConfig> extends CliJobRun {
  ctx: CliContext;
  p: P;
  pr: number;
}

export interface PrCommandSpec<P extends PipelineConfig> {
  /** The job kind the command runs (not registered on a dry run). */
  jobKind: string;
  /** The pipeline kinds the command works on. */
  accepts: (p: PipelineConfig) => p is P;
  /** Why another kind is refused, e.g. "resolve works on sync PRs of release-sync pipelines". */
  worksOn: string;
}

export async function runPrCommand<P extends PipelineConfig>(
  opts: PrCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv,
  spec: PrCommandSpec<P>,
  body: (run: PrCommandRun<P>) => Promise<number>,
): Promise<number> {
  const pr = Number(opts.pr);
  if (!Number.isInteger(pr) || pr <= 0) {
    io.stderr(`error: --pr must be a pull request number, got ${JSON.stringify(opts.pr)}`);
    return EXIT_USAGE;
  }
  const ctx = await loadCliContext(opts, io, source);
  if (typeof ctx === 'number') return ctx;
  const p = onePipeline(ctx, io);
  if (!p) return EXIT_USAGE;
  if (!spec.accepts(p)) {
    io.stderr(`error: ${spec.worksOn}; ${p.id} is a ${p.kind} pipeline`);
    return EXIT_USAGE;
  }
  return runCliJob(ctx, opts, io, { kind: spec.jobKind, fields: { pipeline: p.id, pr } }, (run) =>
    body({ ...run, ctx, p, pr }),
  );
}

/** Registers such a command: --config, --pr, --pipeline, --dry-run (with its own help) and --json. */
export function registerPrCommand(
  program: Command,
  command: { name: string; description: string; dryRun: string },
  action: (opts: PrCommandOptions) => Promise<void>,
): void {
  withConfig(program.command(command.name).description(command.description))
    .requiredOption('--pr <number>', 'the sync pull request')
    .option('-p, --pipeline <id>', 'the pipeline (needed when there are several)')
    .option('--dry-run', command.dryRun)
    .option('--json', 'one JSON object on stdout; logs stay on stderr')
    .action(action);
}
