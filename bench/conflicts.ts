import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

// `npm run bench -- conflicts [CORPUS]`: the deterministic resolver layers over the real-conflict
// corpus (default ../shared/bench/conflicts/dev), scored by the corpus's own scorer, without and
// with --learn, plus the LLM request size from --llm-dry-run. One line per run:
//   conflicts-bench learn=false exact_pct=… wrong_pct=… unresolved_pct=… decided=… cases=…
//   conflicts-llm requests=… request_bytes=… file_bytes=… ratio=… conflicted_bytes=… conflicted_ratio=…
// file_bytes counts the three whole versions of each file; conflicted_bytes the conflicted file.

const run = promisify(execFile);
const corpus = resolve(process.argv[2] ?? join(process.cwd(), '..', 'shared', 'bench', 'conflicts', 'dev'));
const scorer = join(corpus, '..', 'score.mjs');
if (!existsSync(join(corpus, 'manifest.json')) || !existsSync(scorer)) {
  process.stderr.write(`no conflict corpus at ${corpus} (expected manifest.json and ../score.mjs)\n`);
  process.exit(2);
}

async function bench(learn: boolean): Promise<void> {
  const out = await mkdtemp(join(tmpdir(), 'conflicts-bench-'));
  try {
    const args = [
      '--import',
      'tsx',
      'src/cli.ts',
      'bench',
      'conflicts',
      corpus,
      '--out',
      out,
      '--json',
      '--llm-dry-run',
      ...(learn ? ['--learn'] : []),
    ];
    const summary = JSON.parse((await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 })).stdout) as {
      written: number;
      llm?: {
        requests: number;
        requestBytes: number;
        fileBytes: number;
        conflictedBytes: number;
        ratio: number;
        conflictedRatio: number;
      };
    };
    const score = JSON.parse((await run(process.execPath, [scorer, corpus, out, '--json'])).stdout) as {
      cases: number;
      exact_pct: number;
      wrong_pct: number;
      unresolved_pct: number;
    };
    const pct = (x: number): string => x.toFixed(1);
    console.log(
      `conflicts-bench learn=${learn} exact_pct=${pct(score.exact_pct)} wrong_pct=${pct(score.wrong_pct)} unresolved_pct=${pct(score.unresolved_pct)} decided=${summary.written} cases=${score.cases}`,
    );
    if (!learn && summary.llm) {
      const l = summary.llm;
      console.log(
        `conflicts-llm requests=${l.requests} request_bytes=${l.requestBytes} file_bytes=${l.fileBytes} ratio=${l.ratio.toFixed(3)} conflicted_bytes=${l.conflictedBytes} conflicted_ratio=${l.conflictedRatio.toFixed(3)}`,
      );
    }
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

await bench(false);
await bench(true);
