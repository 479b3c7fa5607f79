import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatProblem, loadConfig } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { compileRules, type CompiledRules } from '../core/resolve/path-rules.js';
import { agreementWithLanded, learnLanded, resolveCorpusCase } from '../core/resolve/corpus-case.js';
import type { RememberedHunk } from '../core/resolve/resolve-file.js';
import { summarizeBench, formatBenchSummary, type BenchTally } from '../core/resolve/bench-summary.js';
import { creditHunks, gradeCase, type Answer } from '../core/resolve/bench-metrics.js';
import {
  formatFirings,
  formatGradeTable,
  formatVerdicts,
  layerVerdicts,
  tallyFirings,
  tallyGrades,
  type GradedCase,
} from '../core/resolve/bench-report.js';
import type { LayerSwitches } from '../core/resolve/layers.js';
import type { LlmConfig } from '../config/schema.js';
import { calibrate, formatCalibration, type CalibrationPoint } from '../core/resolve/llm-cassette.js';
import type { HunkOutcome } from '../core/resolve/types.js';
import { cassetteFor, llmPoints } from './bench-llm-setup.js';
import { llmStep } from './bench-llm.js';
import { formatRecurrence, RecurrenceTally } from '../core/resolve/bench-recurrence.js';
import { MISSING, openCorpus, readCase, type ReadCase } from './bench-corpus-read.js';
import { notParsing, type ParseCheck } from './bench-parse-check.js';
import { buildCorpus, type CorpusBuildOptions } from './bench-corpus-build.js';
import { truthOf, type Truth, type TruthMode } from './bench-truth.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './shared.js';

// `upstream-sync bench conflicts CORPUS --out DIR`: runs the deterministic layers (path rules,
// history, strategies, memory) over a conflict corpus, in either format (fork-sync or conflicts,
// see core/resolve/corpus-format.ts), and writes DIR/CASE_ID.<ext> for every case whose hunks were
// all decided. Only then are the answers read, to grade the files and credit each layer; the
// corpus's own score.mjs gives the same file grades.

export interface BenchOptions {
  out: string;
  config?: string;
  pipeline?: string;
  learn?: boolean;
  llmDryRun?: boolean;
  json?: boolean;
  truth?: string;
  layers?: string;
  llmRecord?: string;
  llmReplay?: string;
}

interface Settings {
  rules: CompiledRules | null;
  memory: boolean;
  contextLines: number;
  model: string;
  layers: Record<string, boolean>;
  llm: LlmConfig;
}

async function settingsFrom(opts: BenchOptions, io: CliIo): Promise<Settings | number> {
  const llm = configSchema.shape.llm.parse(undefined);
  let s: Settings = { rules: null, memory: true, contextLines: llm.contextLines, model: llm.model, layers: {}, llm };
  if (opts.config) {
    try {
      const config = await loadConfig(opts.config);
      // Only kinds that merge have resolution settings.
      const mergers = config.pipelines.filter((x) => 'resolution' in x);
      const p = opts.pipeline ? mergers.find((x) => x.id === opts.pipeline) : mergers[0];
      if (!p) {
        io.stderr(`error: unknown pipeline "${opts.pipeline}" (or one that merges nothing)`);
        return EXIT_USAGE;
      }
      const l = p.resolution.llm ?? config.llm;
      s = {
        rules: compileRules(p.resolution.rules, p.resolution.defaults),
        memory: p.resolution.memory,
        contextLines: l.contextLines,
        model: l.model,
        layers: { ...p.resolution.layers },
        llm: l,
      };
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      for (const p of err.problems) io.stderr(formatProblem(p));
      return EXIT_USAGE;
    }
  }
  for (const item of (opts.layers ?? '').split(',').filter(Boolean)) {
    const m = /^([\w-]+)=(on|off)$/.exec(item.trim());
    if (!m) {
      io.stderr(`error: --layers: "${item}" is not name=on|off`);
      return EXIT_USAGE;
    }
    s.layers[m[1] as string] = m[2] === 'on';
  }
  return s;
}

function answerOf(t: Truth | null, encoding: BufferEncoding): Answer | null {
  if (!t) return null;
  return t.deleted ? { deleted: true } : { deleted: false, bytes: t.bytes, text: t.bytes.toString(encoding) };
}

export async function benchConflicts(root: string, opts: BenchOptions, io: CliIo): Promise<number> {
  const truthMode = (opts.truth ?? 'final') as TruthMode;
  if (truthMode !== 'final' && truthMode !== 'landed') {
    io.stderr(`error: --truth must be final or landed, not "${opts.truth}"`);
    return EXIT_USAGE;
  }
  const opened = await openCorpus(root);
  if (!opened.ok) {
    io.stderr(`error: cannot read the corpus: ${opened.reason}`);
    return EXIT_USAGE;
  }
  const corpus = opened.corpus;
  const settings = await settingsFrom(opts, io);
  if (typeof settings === 'number') return settings;
  const layers: LayerSwitches = settings.layers;

  const read: ReadCase[] = [];
  const refused: Array<{ id: string; reason: string }> = [];
  for (const c of corpus.cases) {
    const r = await readCase(corpus, c);
    if (r.ok) read.push(r.c);
    else refused.push({ id: c.id, reason: r.reason });
  }
  // Date order: with --learn, a case may only use what landed before it.
  read.sort((a, b) => (Date.parse(a.date ?? '') || 0) - (Date.parse(b.date ?? '') || 0) || a.id.localeCompare(b.id));
  await mkdir(opts.out, { recursive: true });
  const ids = new Set(corpus.cases.map((c) => c.id));
  for (const name of await readdir(opts.out)) {
    if (ids.has(name.slice(0, name.lastIndexOf('.')))) await rm(join(opts.out, name));
  }

  const cassette = await cassetteFor(opts, settings.llm, io);
  if (typeof cassette === 'number') return cassette;
  const llmAnswers = new Map<string, HunkOutcome[]>();
  const memory = new Map<string, RememberedHunk>();
  const tally: BenchTally[] = refused.filter((r) => r.reason === MISSING).map((r) => ({ id: r.id, present: false }));
  const results = [];
  for (const c of read) {
    const input = {
      id: c.id,
      path: c.path,
      texts: c.texts,
      labels: c.orientation.labels,
      order: c.orientation.order,
      rules: settings.rules,
      memory: settings.memory ? memory : null,
      history: c.history,
      layers,
      llm: opts.llmDryRun
        ? { contextLines: settings.contextLines, model: settings.model, maxTokens: 8192, timeoutMs: 120_000 }
        : undefined,
    };
    let result = resolveCorpusCase(input);
    if (cassette) {
      const versions = { path: c.path, base: c.texts.base, upstream: c.texts.upstream, fork: c.texts.fork };
      const step = await llmStep(cassette, settings.llm, c.path, versions, result.resolution);
      llmAnswers.set(c.id, step.answers);
      if (step.used.length) result = resolveCorpusCase({ ...input, decided: step.used });
    }
    if (result.output !== undefined) {
      const file = result.output === null ? join(opts.out, `${c.id}.deleted`) : join(opts.out, `${c.id}.${c.ext}`);
      await writeFile(file, result.output === null ? '' : Buffer.from(result.output, c.encoding));
    }
    let learned = 0;
    // Learned only after this case's answer is written: what lands is known once the merge is made.
    if (opts.learn && settings.memory) {
      const landed = answerOf(await truthOf(corpus.root, corpus.format, c, 'landed'), c.encoding);
      if (landed && !landed.deleted)
        learned = learnLanded(result.resolution.segments, landed.text, memory, `case ${c.id}`);
    }
    results.push({ c, result });
    tally.push({
      id: c.id,
      present: true,
      outcomes: result.resolution.outcomes,
      written: result.output !== undefined,
      learned,
      llm: result.llm && {
        requestBytes: result.llm.requestBytes,
        fileBytes: result.llm.fileBytes,
        conflictedBytes: result.llm.conflictedBytes,
      },
    });
  }

  // Scoring: the answers are read only now, after every file is written.
  const graded: GradedCase[] = [];
  const recurrence = new RecurrenceTally();
  const calibration: CalibrationPoint[] = [];
  const checks: ParseCheck[] = [];
  for (const [i, { c, result }] of results.entries()) {
    const answer = answerOf(await truthOf(corpus.root, corpus.format, c, truthMode), c.encoding);
    const out = result.output;
    const output =
      out === undefined ? undefined : out === null ? null : { text: out, bytes: Buffer.from(out, c.encoding) };
    const grade = answer ? gradeCase(output, answer) : null;
    const credits = creditHunks(result.resolution, answer, grade);
    calibration.push(...llmPoints(result.resolution.segments, llmAnswers.get(c.id) ?? [], answer));
    graded.push({ id: c.id, buildOutput: c.buildOutput, grade, credits });
    recurrence.add(result.resolution.segments, c.sync);
    recurrence.credit(credits);
    if (answer && !answer.deleted) {
      const t = tally.find((x) => x.id === c.id) as BenchTally;
      t.agreement = agreementWithLanded(result.resolution, answer.text);
    }
    if (typeof out === 'string')
      checks.push({ id: c.id, path: c.path, result: out, sides: [c.texts.upstream, c.texts.fork] });
    void i;
  }
  const broken = await notParsing(checks);
  const summary = summarizeBench(tally);
  const grades = tallyGrades(graded);
  const byLayer = tallyFirings(graded, 'layer');
  const byStrategy = tallyFirings(graded, 'strategy');
  const verdicts = layerVerdicts(byStrategy);
  const scored = graded.some((g) => g.grade !== null);
  const refusedReasons = countReasons(refused);
  const report = {
    root,
    format: corpus.format,
    out: opts.out,
    truth: scored ? truthMode : null,
    learn: Boolean(opts.learn),
    refused: refusedReasons,
    grades: scored ? grades : null,
    layers: byLayer,
    strategies: byStrategy,
    verdicts,
    notParsing: broken,
    recurrence: recurrence.result,
    llmReplay: cassette && {
      answered: cassette.answered,
      missing: cassette.missing,
      calibration: calibrate(calibration),
    },
    perCase: graded.map((g) => ({
      id: g.id,
      grade: g.grade,
      by: [...new Set(g.credits.map((c) => c.strategy))],
      wrong: g.credits.filter((c) => c.right === false).map((c) => c.strategy),
    })),
    ...summary,
  };
  if (opts.json) {
    io.stdout(JSON.stringify(report));
    return EXIT_OK;
  }
  const lines = [
    `corpus: ${root} (${corpus.format} format)`,
    ...formatBenchSummary(summary, { out: opts.out, learn: Boolean(opts.learn) }),
  ];
  for (const [reason, n] of Object.entries(refusedReasons))
    if (reason !== MISSING) lines.push(`not run: ${n} case(s): ${reason}`);
  if (scored) lines.push(...formatGradeTable(grades, truthMode), ...formatNotAcceptable(report.perCase));
  else lines.push('no answers in the corpus: files not graded');
  lines.push(
    ...formatFirings('per layer', byLayer),
    ...formatFirings('per strategy', byStrategy),
    ...formatVerdicts(verdicts),
  );
  lines.push(formatRecurrence(recurrence.result));
  if (cassette) {
    lines.push(`LLM: ${cassette.answered} requests answered, ${cassette.missing.length} without a recorded answer`);
    lines.push(...formatCalibration(calibrate(calibration)));
  }
  lines.push(
    broken.checked
      ? `results that do not parse while both sides do: ${broken.cases.length}${broken.cases.length ? ` (${broken.cases.map((b) => `${b.id} [${b.format}]`).join(', ')})` : ''}`
      : `results that do not parse: not checked (${broken.note})`,
  );
  for (const l of lines) io.stderr(l);
  return EXIT_OK;
}

/** Every wrong file with who decided it: the cheapest fix is usually a layer that stops deciding there. */
export function formatNotAcceptable(
  perCase: ReadonlyArray<{ id: string; grade: string | null; by: string[]; wrong: string[] }>,
): string[] {
  const bad = perCase.filter((p) => p.grade === 'not-acceptable');
  return [
    `not acceptable: ${bad.length} file(s)`,
    ...bad.map(
      (p) =>
        `  ${p.id}: decided by ${p.by.join(', ') || '-'}${p.wrong.length ? `; hunks not acceptable by ${[...new Set(p.wrong)].join(', ')}` : ''}`,
    ),
  ];
}

function countReasons(refused: ReadonlyArray<{ reason: string }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of refused) out[r.reason] = (out[r.reason] ?? 0) + 1;
  return out;
}

export function registerBenchCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('measure the bot on recorded data');
  bench
    .command('conflicts')
    .description(
      'run the deterministic resolver layers over a conflict corpus (fork-sync or conflicts format), write one file per case they decide completely, and grade them',
    )
    .argument('<corpus-root>', 'directory with manifest.json and one folder per case')
    .requiredOption('--out <dir>', 'where to write CASE_ID.<ext> (or CASE_ID.deleted)')
    .option('-c, --config <file>', 'take path rules, layers and memory settings from this configuration file')
    .option('--pipeline <id>', 'pipeline whose resolution settings to use (default: the first)')
    .option('--truth <final|landed>', 'grade against the file as it reached production (final) or as merged', 'final')
    .option('--layers <list>', 'turn layers on or off for this run: name=on|off,…')
    .option('--learn', 'process cases in date order and remember each landed resolution after the case')
    .option('--llm-record <file>', 'ask the configured model (needs ANTHROPIC_API_KEY) and record every answer to FILE')
    .option(
      '--llm-replay <file>',
      'answer LLM requests from FILE (recorded with --llm-record), without a key or network',
    )
    .option('--llm-dry-run', 'build the LLM request for what is left (never sent) and report its size')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (root: string, opts: BenchOptions) => setExit(await benchConflicts(root, opts, io)));
  bench
    .command('corpus')
    .description("build a fork-sync-format corpus from a fork's past sync merges, to measure the resolver on it")
    .requiredOption(
      '--repo <git-dir>',
      'a clone holding production and upstream (and refs/pull/*/head for squash-merged PRs)',
    )
    .requiredOption('--production <branch>', "the fork's production branch")
    .requiredOption('--upstream <ref-or-tag-pattern>', 'an upstream branch or ref, or a tag pattern such as v*-stable')
    .requiredOption('--out <dir>', 'where to write the corpus (replaced)')
    .action(async (opts: CorpusBuildOptions) => {
      const r = await buildCorpus(opts);
      if ('error' in r) {
        io.stderr(`error: ${r.error}`);
        return setExit(EXIT_USAGE);
      }
      for (const s of r.syncs)
        io.stderr(
          `sync merge ${s.merge.slice(0, 10)} (upstream parent ${s.upstreamParentIndex}, via ${s.via}): ${s.conflicted} conflicted files`,
        );
      io.stderr(`${r.syncs.length} sync merges, ${r.cases} cases written to ${opts.out}`);
      setExit(EXIT_OK);
    });
}
