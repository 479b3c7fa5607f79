import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ConfigError, formatProblem, loadConfig } from '../config/load.js';
import { configSchema } from '../config/schema.js';
import { compileRules, type CompiledRules } from '../core/resolve/path-rules.js';
import { agreementWithLanded, learnLanded, resolveCorpusCase, type CorpusTexts } from '../core/resolve/corpus-case.js';
import type { RememberedHunk } from '../core/resolve/resolve-file.js';
import { summarizeBench, formatBenchSummary, type BenchTally } from '../core/resolve/bench-summary.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './shared.js';

// `upstream-sync bench conflicts CORPUS_ROOT --out DIR`: runs the deterministic layers (path
// rules, strategies, memory) over a conflict corpus and writes DIR/CASE_ID.<ext> for every case
// whose hunks were all decided; score.mjs compares them with what people committed. The corpus
// path is an argument, so a clean clone can point at ../shared/bench/conflicts/dev.

interface ManifestCase {
  id: string;
  path: string;
  ext: string;
  date?: string;
}

export interface BenchOptions {
  out: string;
  config?: string;
  pipeline?: string;
  learn?: boolean;
  llmDryRun?: boolean;
  json?: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes as text that writes back to the same bytes: UTF-8 when every version is, else Latin-1. */
function decodeAll(buffers: Array<Buffer | null>): { texts: Array<string | null>; encoding: BufferEncoding } {
  try {
    return { texts: buffers.map((b) => (b ? utf8.decode(b) : null)), encoding: 'utf8' };
  } catch {
    return { texts: buffers.map((b) => (b ? b.toString('latin1') : null)), encoding: 'latin1' };
  }
}

async function readOptional(file: string): Promise<Buffer | null> {
  return existsSync(file) ? readFile(file) : null;
}

async function rulesFrom(
  opts: BenchOptions,
  io: CliIo,
): Promise<{ rules: CompiledRules | null; memory: boolean; contextLines: number; model: string } | number> {
  const llm = configSchema.shape.llm.parse(undefined);
  if (!opts.config) return { rules: null, memory: true, contextLines: llm.contextLines, model: llm.model };
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
    return {
      rules: compileRules(p.resolution.rules, p.resolution.defaults),
      memory: p.resolution.memory,
      contextLines: l.contextLines,
      model: l.model,
    };
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    for (const p of err.problems) io.stderr(formatProblem(p));
    return EXIT_USAGE;
  }
}

export async function benchConflicts(root: string, opts: BenchOptions, io: CliIo): Promise<number> {
  const manifestFile = join(root, 'manifest.json');
  if (!existsSync(manifestFile)) {
    io.stderr(`error: no manifest.json in ${root}`);
    return EXIT_USAGE;
  }
  const settings = await rulesFrom(opts, io);
  if (typeof settings === 'number') return settings;
  const cases = (JSON.parse(await readFile(manifestFile, 'utf8')) as { cases: ManifestCase[] }).cases;
  // Date order: with --learn, a case may only use what landed before it.
  const ordered = [...cases].sort(
    (a, b) => (Date.parse(a.date ?? '') || 0) - (Date.parse(b.date ?? '') || 0) || a.id.localeCompare(b.id),
  );
  await mkdir(opts.out, { recursive: true });
  const ids = new Set(cases.map((c) => c.id));
  for (const name of await readdir(opts.out)) {
    if (ids.has(name.slice(0, name.lastIndexOf('.')))) await rm(join(opts.out, name));
  }
  const memory = new Map<string, RememberedHunk>();
  const tally: BenchTally[] = [];
  for (const c of ordered) {
    const dir = join(root, c.id);
    if (!existsSync(dir)) {
      tally.push({ id: c.id, present: false });
      continue;
    }
    const raw = await Promise.all(
      ['base', 'ours', 'theirs', 'conflicted', 'resolved'].map((n) => readOptional(join(dir, `${n}.${c.ext}`))),
    );
    const { texts, encoding } = decodeAll(raw);
    const [base, ours, theirs, conflicted, resolved] = texts;
    const corpusTexts: CorpusTexts = {
      base: base ?? '',
      ours: ours ?? null,
      theirs: theirs ?? null,
      conflicted: conflicted ?? null,
    };
    const result = resolveCorpusCase({
      id: c.id,
      path: c.path,
      texts: corpusTexts,
      rules: settings.rules,
      memory: settings.memory ? memory : null,
      llm: opts.llmDryRun
        ? { contextLines: settings.contextLines, model: settings.model, maxTokens: 8192, timeoutMs: 120_000 }
        : undefined,
    });
    if (result.output !== undefined) {
      const file = result.output === null ? join(opts.out, `${c.id}.deleted`) : join(opts.out, `${c.id}.${c.ext}`);
      await writeFile(file, result.output === null ? '' : Buffer.from(result.output, encoding));
    }
    let learned = 0;
    // Learned only after this case's answer is written: what lands is known once the merge is made.
    if (opts.learn && settings.memory && resolved != null)
      learned = learnLanded(result.resolution.segments, resolved, memory, `case ${c.id}`);
    const agreement = resolved != null ? agreementWithLanded(result.resolution, resolved) : [];
    tally.push({
      id: c.id,
      present: true,
      outcomes: result.resolution.outcomes,
      written: result.output !== undefined,
      learned,
      agreement,
      llm: result.llm && {
        requestBytes: result.llm.requestBytes,
        fileBytes: result.llm.fileBytes,
        conflictedBytes: result.llm.conflictedBytes,
      },
    });
  }
  const summary = summarizeBench(tally);
  if (opts.json) io.stdout(JSON.stringify({ root, out: opts.out, learn: Boolean(opts.learn), ...summary }));
  else for (const line of formatBenchSummary(summary, { out: opts.out, learn: Boolean(opts.learn) })) io.stderr(line);
  return EXIT_OK;
}

export function registerBenchCommands(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const bench =
    program.commands.find((c) => c.name() === 'bench') ??
    program.command('bench').description('measure the bot on recorded data');
  bench
    .command('conflicts')
    .description(
      'run the deterministic resolver layers over a conflict corpus and write one file per case they decide completely',
    )
    .argument('<corpus-root>', 'directory with manifest.json and one folder per case')
    .requiredOption('--out <dir>', 'where to write CASE_ID.<ext> (or CASE_ID.deleted)')
    .option('-c, --config <file>', 'take path rules and memory settings from this configuration file')
    .option('--pipeline <id>', 'pipeline whose resolution settings to use (default: the first)')
    .option('--learn', 'process cases in date order and remember each landed resolution after the case')
    .option('--llm-dry-run', 'build the LLM request for what is left (never sent) and report its size')
    .option('--json', 'print the summary as JSON on stdout')
    .action(async (root: string, opts: BenchOptions) => setExit(await benchConflicts(root, opts, io)));
}
