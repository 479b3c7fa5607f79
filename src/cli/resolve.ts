import { isReleaseSync } from '../config/require-pipeline.js';
import type { Command } from 'commander';
import { allowSlackWith } from '../workflows/resolve/resolve-gate.js';
import { previewResolution } from '../workflows/resolve/resolve-preview.js';
import { type ResolveDeps, type ResolveJobResult } from '../workflows/resolve/resolve.js';
import type { Services } from '../main.js';
import { awaitJob } from './job-report.js';
import { registerPrCommand, runPrCommand, type PrCommandOptions } from './run-pr-command.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './shared.js';
import { resolveJobInput } from '../jobs/job-kinds.js';
import { plural } from '../core/plural.js';

// `upstream-sync resolve --pr N`: the resolver on a sync PR, as Slack's "Resolve conflicts" runs
// it (same job, dedupe key and lock), waited for. --dry-run shows what the layers would decide
// now and what would go to the LLM, and changes nothing.

export type ResolveCommandOptions = PrCommandOptions;

export function resolveDeps(s: Services): ResolveDeps {
  return { ...s, audit: s.store.audit, allowSlack: allowSlackWith(s.authorizer, s.config) };
}

function describe(r: ResolveJobResult): string[] {
  const lines = [r.message];
  for (const f of r.files) lines.push(`  ${f.decision.padEnd(8)} ${f.path}${f.by ? ` (${f.by})` : ''}`);
  for (const w of r.waiting) lines.push(`  waiting: ${w.path} hunk ${w.index} of ${w.of} [${w.id}]`);
  return lines;
}

export function resolveCommand(
  opts: ResolveCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const spec = {
    jobKind: 'resolve',
    accepts: isReleaseSync,
    worksOn: 'resolve works on sync PRs of release-sync pipelines',
  };
  return runPrCommand(opts, io, source, spec, async ({ ctx, p, pr, dryRun, services, print }) => {
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
  });
}

export function registerResolveCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = {
    name: 'resolve',
    description: 'resolve the merge conflicts of a sync PR: path rules, strategies, memory, the LLM, then people',
    dryRun: 'show what would be decided and sent to the LLM; change nothing',
  };
  registerPrCommand(program, command, async (opts) => setExit(await resolveCommand(opts, io)));
}
