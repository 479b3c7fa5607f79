import type { Command } from 'commander';
import type { Services } from '../main.js';
import { ciFixJobInput } from '../jobs/job-kinds.js';
import {
  previewFix,
  type CiFixJobResult,
  type FixCiDeps,
  type FixablePipeline,
} from '../workflows/fix-ci/fix-ci-job.js';
import type { PipelineConfig } from '../config/schema.js';
import { awaitJob, type Printer } from './job-report.js';
import { registerPrCommand, runPrCommand, type PrCommandOptions } from './run-pr-command.js';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './shared.js';

// `upstream-sync fix-ci --pr N`: the CI fixer on a sync PR by hand, the same job (bounds, dedupe
// key, locks) the CI watch and webhooks start. --dry-run shows the evidence the fixer would use
// and the size of its LLM request, and calls no LLM.

export type FixCiCommandOptions = PrCommandOptions;

/** Outcomes that leave the PR for a person: the command says so with exit 1. */
const FAILED: ReadonlySet<CiFixJobResult['outcome']> = new Set(['refused', 'exhausted', 'llm-unavailable', 'off']);

export function fixCiDeps(s: Services): FixCiDeps {
  return { ...s, cards: s.store.syncCards, ciFixes: s.ciFixes };
}

function isFixable(p: PipelineConfig): p is FixablePipeline {
  return p.kind === 'release-sync' || p.kind === 'branch-sync';
}

export function fixCiCommand(
  opts: FixCiCommandOptions,
  io: CliIo,
  source: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const spec = {
    jobKind: 'ci-fix',
    accepts: isFixable,
    worksOn: 'fix-ci works on sync PRs of release-sync and branch-sync pipelines',
  };
  return runPrCommand(opts, io, source, spec, async ({ ctx, p, pr, dryRun, services, print }) => {
    if (dryRun) return await dryRunFix(fixCiDeps(services), p, pr, print);
    const { job } = await services.runner.enqueue(ciFixJobInput(p, { pr, headSha: null }, ctx.actor));
    return await awaitJob<CiFixJobResult>(services, job.id, 'ci-fix', print, (r) => {
      print({ ok: !FAILED.has(r.outcome), jobId: job.id, ...r }, [
        r.message,
        ...(r.refused ? [`  refused: ${r.refused.reason}: ${r.refused.message}`] : []),
        ...(r.commitSha ? [`  commit: ${r.commitSha}`] : []),
      ]);
      return FAILED.has(r.outcome) ? EXIT_FAILED : EXIT_OK;
    });
  });
}

async function dryRunFix(deps: FixCiDeps, p: FixablePipeline, pr: number, print: Printer): Promise<number> {
  const preview = await previewFix(deps, p, pr);
  const e = preview.evidence;
  const evidence = e
    ? {
        checks: e.checks.map((c) => ({ name: c.name, url: c.url, logBytes: c.logBytes, excerpt: c.text })),
        changedFiles: e.changedFiles,
        failingOnProduction: e.failingOnProduction,
        scope: e.scope,
      }
    : null;
  const wouldAsk = preview.pull.red && !preview.off && e?.scope.kind === 'sync';
  print(
    {
      ok: true,
      headSha: preview.pull.headSha,
      failing: preview.pull.failing,
      off: preview.off,
      attempts: preview.attempts,
      evidence,
      requestBytes: preview.requestBytes,
      wouldAskLlm: wouldAsk,
    },
    [
      preview.pull.red
        ? `CI is failing on PR #${pr} (${preview.pull.headSha.slice(0, 10)}): ${preview.pull.failing.join(', ')}`
        : `CI is not failing on PR #${pr} (${preview.pull.headSha.slice(0, 10)}): nothing to fix`,
      ...(preview.off ? [`CI fixer is off: ${preview.off}`] : []),
      ...(e?.checks.map((c) => `  ${c.name}: ${c.logBytes} log bytes, ${Buffer.byteLength(c.text)} sent`) ?? []),
      ...(e ? [`  files the sync changed: ${e.changedFiles.length}`] : []),
      ...(e?.scope.kind === 'pre-existing' ? [`  likely pre-existing or flaky: ${e.scope.detail}`] : []),
      ...(preview.requestBytes !== null ? [`  LLM request: ${preview.requestBytes} bytes (not sent)`] : []),
      `  attempts so far: ${preview.attempts}`,
    ],
  );
  return EXIT_OK;
}

export function registerFixCiCommand(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const command = {
    name: 'fix-ci',
    description: 'propose one bounded, reviewable fix for the failing CI of a sync PR (the CI fixer, by hand)',
    dryRun: 'show the evidence and the LLM request size; call no LLM, change nothing',
  };
  registerPrCommand(program, command, async (opts) => setExit(await fixCiCommand(opts, io)));
}
