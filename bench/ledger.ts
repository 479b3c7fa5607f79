import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GitCache } from '../src/adapters/git/git-cache.js';
import { ledgerFixture } from '../src/core/ledger/fixture.js';
import { silentLogger } from '../src/log.js';
import { writeLedgerFork } from '../src/sandbox/ledger-fork.js';
import { initBare, runGit } from '../src/sandbox/scratch-repo.js';
import { buildForkLedger } from '../src/workflows/ledger/build-ledger.js';
import { fastHistory } from './lib/fast-history.js';

// The fork-patch ledger's cost over the sync: a fork carrying `--patches` changes (a quarter each
// kept, absorbed, adapted and dropped) on a `--commits`-commit history. "sync" is what the sync
// does with git for the same revisions (merge base, merge-tree, commit); "ledger" is the extra
// work: merge base, `diff -M`, one `cat-file --batch` and the classification.
//
//   npm run bench -- ledger [--commits 10000] [--patches 200] [--runs 5]

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const commits = arg('commits', 10_000);
const patches = arg('patches', 200);
const runs = arg('runs', 5);
const AUTHOR = { name: 'Bench', email: 'bench@example.test' };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const root = await mkdtemp(join(tmpdir(), 'ledger-bench-'));
try {
  const dataDir = join(root, 'data');
  const dir = await initBare(join(dataDir, 'git', 'company', 'project.git'));
  const t0 = performance.now();
  await fastHistory({ dir, branch: 'history', commits });
  const history = (await runGit(dir, ['rev-parse', 'refs/heads/history'])).trim();
  const files = ledgerFixture(Math.ceil(patches / 4));
  const revs = await writeLedgerFork(dir, files, { from: history });
  await runGit(dir, ['commit-graph', 'write', '--reachable']);
  process.stderr.write(
    `generated ${commits} commits + ${files.length} fork patches in ${Math.round(performance.now() - t0)} ms\n`,
  );

  const git = new GitCache({ dataDir, logger: silentLogger(), sleep: async () => undefined });
  const syncMs: number[] = [];
  const ledgerMs: number[] = [];
  let ledger = await buildForkLedger(git, 'company/project', revs);
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await git.mergeBase('company/project', revs.production, revs.upstream);
    const merged = await git.mergeTree('company/project', revs.upstream, revs.production);
    await git.commitTree('company/project', {
      tree: merged.tree,
      parents: [revs.upstream, revs.production],
      message: 'sync',
      author: AUTHOR,
    });
    syncMs.push(performance.now() - start);
    start = performance.now();
    const base = await git.mergeBase('company/project', revs.production, revs.upstream);
    ledger = await buildForkLedger(git, 'company/project', { ...revs, base: base as string });
    ledgerMs.push(performance.now() - start);
  }
  const c = ledger.counts;
  const lines = [
    `ledger bench: ${commits} commits, ${ledger.entries.length} fork hunks in ${ledger.files} files, ${runs} runs (median)`,
    `  fates: ${c.kept} kept, ${c.absorbed} absorbed, ${c.adapted} adapted, ${c.dropped} dropped`,
    `  sync (merge-base + merge-tree + commit): ${median(syncMs).toFixed(0)} ms`,
    `  ledger (merge-base + diff -M + cat-file --batch + classify): ${median(ledgerMs).toFixed(0)} ms  (budget 2000 ms over the sync)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.exitCode = median(ledgerMs) <= 2000 ? 0 : 1;
} finally {
  await rm(root, { recursive: true, force: true });
}
