import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { layerVerdicts, type FiringRow, type GradeRow } from '../src/core/resolve/bench-report.js';

// `npm run bench -- conflicts [CORPUS…]`: the deterministic resolver layers over both dev corpora
// (default ../shared/bench/fork-sync/dev and ../shared/bench/conflicts/dev) with CARTO's config,
// every file scored by the corpus's own scorer, then the per-layer table over both corpora, which
// decides which layers are on by default (core/resolve/layers.ts). One block per corpus:
//   conflicts-bench corpus=… format=… truth=final source: exact=… acceptable=… not_acceptable=… …
//   scorer: <the corpus's own score.mjs, verbatim>
// and then `layer <name> firings=… right=… wrong=… precision=… default=on|off earns=yes|no`.

const run = promisify(execFile);
const shared = join(process.cwd(), '..', 'shared', 'bench');
const corpora = (
  process.argv.slice(2).length
    ? process.argv.slice(2)
    : [join(shared, 'fork-sync', 'dev'), join(shared, 'conflicts', 'dev')]
).map((c) => resolve(c));
const config = join(process.cwd(), 'examples', 'carto-litellm.yml');

interface Report {
  format: 'fork-sync' | 'conflicts';
  grades: { source: GradeRow; build: GradeRow; all: GradeRow } | null;
  strategies: FiringRow[];
  layers: FiringRow[];
  notParsing: { checked: boolean; cases: unknown[] };
  refused: Record<string, number>;
  perCase: Array<{ id: string; grade: string | null; by: string[]; wrong: string[] }>;
}

const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%(${n})` : '-');
const row = (g: GradeRow) =>
  `cases=${g.cases} exact=${pct(g.exact, g.cases)} acceptable=${pct(g.acceptable, g.cases)} not_acceptable=${pct(g.notAcceptable, g.cases)} unresolved=${pct(g.unresolved, g.cases)}`;

async function bench(corpus: string, allLayers: boolean): Promise<Report | null> {
  const scorer = join(corpus, '..', 'score.mjs');
  if (!existsSync(join(corpus, 'manifest.json')) || !existsSync(scorer)) {
    process.stderr.write(`no corpus at ${corpus} (expected manifest.json and ../score.mjs); skipped\n`);
    return null;
  }
  const out = await mkdtemp(join(tmpdir(), 'conflicts-bench-'));
  try {
    const layers = allLayers ? ['--layers', ALL_ON] : [];
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
      '--config',
      config,
    ];
    const report = JSON.parse(
      (await run(process.execPath, [...args, ...layers], { maxBuffer: 256 << 20 })).stdout,
    ) as Report;
    if (allLayers) return report;
    const truth = report.format === 'fork-sync' ? ['--truth', 'final'] : [];
    const scored = (await run(process.execPath, [scorer, corpus, out, ...truth])).stdout.trimEnd();
    console.log(`conflicts-bench corpus=${corpus} format=${report.format} truth=final`);
    if (report.grades) {
      console.log(`  source files: ${row(report.grades.source)}`);
      console.log(`  build output: ${row(report.grades.build)}`);
      console.log(`  all files:    ${row(report.grades.all)}`);
    }
    for (const p of report.perCase.filter((x) => x.grade === 'not-acceptable'))
      console.log(
        `  not acceptable: ${p.id} decided by ${p.by.join(', ')}${p.wrong.length ? ` (hunks not acceptable by ${[...new Set(p.wrong)].join(', ')})` : ''}`,
      );
    for (const l of report.layers)
      console.log(
        `  layer ${l.name.padEnd(10)} hunks=${l.firings} right=${l.right} wrong=${l.wrong} unscored=${l.unscored} precision=${l.precision === null ? '-' : (100 * l.precision).toFixed(1) + '%'}`,
      );
    for (const [reason, n] of Object.entries(report.refused)) console.log(`  not run: ${n} case(s): ${reason}`);
    console.log(`  results that do not parse while both sides do: ${report.notParsing.cases.length}`);
    console.log(`  scorer (${scorer}):`);
    for (const l of scored.split('\n')) console.log(`    ${l}`);
    return report;
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

const ALL_ON = [
  'stale-fork-side',
  'stale-fork-hunk',
  'blank-equal',
  'same-ignoring-whitespace',
  'higher-version-pin',
  'import-union',
  'list-union',
  'block-union',
  'non-overlapping',
  'key-merge',
  'memory',
]
  .map((n) => `${n}=on`)
  .join(',');

function merge(reports: Array<Report | null>): FiringRow[] {
  const rows = new Map<string, FiringRow>();
  for (const r of reports)
    for (const s of r?.strategies ?? []) {
      const m = rows.get(s.name) ?? { name: s.name, firings: 0, right: 0, wrong: 0, unscored: 0, precision: null };
      m.firings += s.firings;
      m.right += s.right;
      m.wrong += s.wrong;
      m.unscored += s.unscored;
      rows.set(s.name, m);
    }
  for (const m of rows.values()) m.precision = m.right + m.wrong ? m.right / (m.right + m.wrong) : null;
  return [...rows.values()];
}

const defaults = [];
for (const c of corpora) defaults.push(await bench(c, false));
// The per-layer table measures every layer, the ones off by default too.
const measured = [];
for (const c of corpora) measured.push(await bench(c, true));
console.log('per layer over the dev corpora, every layer on (hunk precision; on by default needs ≥ 95% over ≥ 20):');
for (const v of layerVerdicts(merge(measured)))
  console.log(
    `  layer ${v.name.padEnd(26)} firings=${v.firings} right=${v.right} wrong=${v.wrong} unscored=${v.unscored} precision=${v.precision === null ? '-' : (100 * v.precision).toFixed(1) + '%'} default=${v.defaultOn ? 'on' : 'off'} earns=${v.earns ? 'yes' : 'no'}`,
  );
for (const r of merge(measured).filter((x) => x.name === 'rule'))
  console.log(`  path rules (configured): firings=${r.firings} right=${r.right} wrong=${r.wrong}`);
void defaults;
