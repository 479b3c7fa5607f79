import { isReleaseSync } from '../config/require-pipeline.js';
import type { Command } from 'commander';
import { allowSlackWith } from '../workflows/resolve/resolve-gate.js';
import { previewResolution } from '../workflows/resolve/resolve-preview.js';
import { type ResolveDeps, type ResolveJobResult } from '../workflows/resolve/resolve.js';
import type { Services } from '../main.js';
import { cliServices, loadCliContext, onePipeline } from './cli-context.js';
import { awaitJob, reportCliError, type Printer } from './job-report.js';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, withConfig, type CliIo } from './shared.js';
import { resolveJobInput } from '../jobs/job-kinds.js';
import { plural } from '../core/plural.js';

// `upstream-sync resolve --pr N`: the resolver on a sync PR, as Slack's "Resolve conflicts" runs
// it (same job, dedupe key and lock), waited for. --dry-run shows what the layers would decide
// now and what would go to the LLM, and changes nothing.

export interface ResolveCommandOptions {
  config: string;
  pr: string;
  pipeline?: string;
  dryRun?: boolean;
  json?: boolean;
}

export function resolveDeps(s: Services): ResolveDeps {
  return { ...s, audit: s.store.audit, allowSlack: allowSlackWith(s.authorizer, s.config) };
}

function describe(r: ResolveJobResult): string[] {
  const lines = [r.message];
  for (const f of r.files) lines.push(`  ${f.decision.padEnd(8)} ${f.path}${f.by ? ` (${f.by})` : ''}`);
  for (const w of r.waiting) lines.push(`  waiting: ${w.path} hunk ${w.index} of ${w.of} [${w.id}]`);
  return lines;
}

export async function resolveCommand(
  opts: ResolveCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
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
  if (!isReleaseSync(p)) {
    io.stderr(`error: resolve works on sync PRs of release-sync pipelines; ${p.id} is a ${p.kind} pipeline`);
    return EXIT_USAGE;
  }
  const dryRun = Boolean(opts.dryRun);
  const services = cliServices(ctx, { dryRun, jobKinds: dryRun ? [] : ['resolve'] });
  const print: Printer = (value, human) =>
    opts.json
      ? io.stdout(JSON.stringify({ pipeline: p.id, pr, dryRun, ...value }))
      : human.forEach((l) => io.stdout(l));
  try {
    if (dryRun) {
      const preview = await previewResolution(resolveDeps(services), p, pr, ctx.actor);
      print({ ok: preview.outcome !== 'refused', ...preview }, [
        preview.message,
        ...preview.records.map(
          (r) =>
            `  ${(r.layer ?? 'waiting').padEnd(9)} ${r.path} hunk ${r.hunk + 1}${r.by ? ` (${r.by})` : ''}: ${r.rationale}`,
        ),
        ...preview.llm.map(
          (l) => `  LLM request for ${l.path}: ${plural(l.hunks, 'hunk')}, ${l.requestBytes} bytes (not sent)`,
        ),
      ]);
      return preview.outcome === 'refused' ? EXIT_FAILED : EXIT_OK;
    }
    const { job } = await services.runner.enqueue(resolveJobInput(p, pr, ctx.actor));
    return await awaitJob<ResolveJobResult>(services, job.id, 'resolve', print, (r) => {
      print({ ok: r.outcome !== 'refused', jobId: job.id, ...r }, describe(r));
      return r.outcome === 'refused' ? EXIT_FAILED : EXIT_OK;
    });
  } catch (err) {
    return reportCliError(err, print);
  } finally {
    await services.close();
  }
}

export function registerResolveCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  withConfig(
    program
      .command('resolve')
      .description('resolve the merge conflicts of a sync PR: path rules, strategies, memory, the LLM, then people'),
  )
    .requiredOption('--pr <number>', 'the sync pull request')
    .option('-p, --pipeline <id>', 'the pipeline (needed when there are several)')
    .option('--dry-run', 'show what would be decided and sent to the LLM; change nothing')
    .option('--json', 'one JSON object on stdout; logs stay on stderr')
    .action(async (opts: ResolveCommandOptions) => setExit(await resolveCommand(opts, io)));
}
