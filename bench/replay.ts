import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubSandbox } from '../src/sandbox/github/github-sandbox.js';
import { fastHistory, filesChangedBy, historyPath } from './lib/fast-history.js';
import { startSyncHarness, type SyncMeasure } from './lib/sync-harness.js';

// A replay shaped like CARTO's real one (issue 23: v1.81.9 then v1.81.10 synced with the same
// data dir), which needs their history and is not available here. A generated upstream of a few
// thousand files in two levels of directories; a fork whose production branch carries its own
// commits (new files and small customisations of upstream files the next releases change again);
// then two upstream releases. The first sync runs on an empty cache (cold) and opens a PR; that
// PR is still open when the second release arrives, so the second sync (warm) supersedes it:
// closes it with a comment, deletes its branch and opens the new PR, as the real replay did.
//
// Sizes: 6,000 files and 12,000 commits of history make the cold sync take a few seconds here
// (the real one took 6.7 s) with a set-up of seconds, not the minute a litellm-sized history
// would cost; what the warm sync costs must depend on what is new, not on them. 250 commits per
// release is about what litellm ships between two patch releases.
//
//   npm run bench -- replay [--files 6000] [--history 12000] [--release 250] [--runs 1]

const UPSTREAM = 'BerriAI/litellm';
const FORK = 'CartoDB/litellm';
const PRODUCTION = 'carto/main';
const PIPELINE = 'litellm';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value <= 0) {
    process.stderr.write(`--${name} must be a positive whole number\n`);
    process.exit(2);
  }
  return value;
}

const files = arg('files', 6000);
const history = arg('history', 12000);
const perRelease = arg('release', 250);
const runs = arg('runs', 1);

const pyproject = (version: string) => `[tool.poetry]\nname = "litellm"\nversion = "${version}"\n`;

function line(name: string, m: SyncMeasure): string {
  return `  ${name}: ${m.ms.toFixed(0)} ms (cpu ${m.cpuMs ?? '?'} ms), outcome ${m.result.outcome} (PR #${m.result.pr?.number}), REST ${m.httpCalls} (counted ${m.countedCalls}), git ${m.gitCalls}: ${m.gitBreakdown}\n`;
}

async function replay(): Promise<{ cold: SyncMeasure; warm: SyncMeasure }> {
  const root = await mkdtemp(join(tmpdir(), 'replay-bench-'));
  const sandbox = await GitHubSandbox.start({ root: join(root, 'github') });
  try {
    await sandbox.createRepo(UPSTREAM);
    const upstreamDir = sandbox.barePath(UPSTREAM);
    const head = async () => (await sandbox.branchSha(UPSTREAM, 'main'))!;
    const release = async (start: number, version: string, publishedAt: string) => {
      await fastHistory({
        dir: upstreamDir,
        branch: 'main',
        commits: start === 0 ? history : perRelease,
        files,
        start,
        ...(start === 0 ? {} : { from: await head() }),
        extra: (i) =>
          i === (start === 0 ? history : perRelease) - 1 ? { 'pyproject.toml': pyproject(version) } : null,
      });
      await sandbox.addRelease(UPSTREAM, { tag: `v${version}-stable`, target: 'main', publishedAt });
    };
    await release(0, '1.81.3', '2026-02-01T00:00:00Z');

    // The fork: production branched at v1.81.3, with CARTO's own work on top.
    await sandbox.createRepo(FORK, { forkOf: UPSTREAM });
    await sandbox.git(FORK, ['update-ref', '-d', 'refs/tags/v1.81.3-stable']);
    const base = await head();
    // Upstream files both coming releases change again: customised on the fork (appended lines,
    // away from what upstream edits, so both merges are clean).
    const customised = [history + 3, history + 40, history + perRelease + 5, history + perRelease + 90].map(
      (n) => filesChangedBy(n, files)[0]!,
    );
    const original = async (f: number) => sandbox.git(UPSTREAM, ['show', `${base}:${historyPath(f)}`]);
    const commits = [
      { message: 'feat: CARTO proxy customisations', files: { 'carto/proxy.py': 'PROXY = True\n' } },
      { message: 'feat: Snowflake JWT auth', files: { 'carto/snowflake_jwt.py': 'JWT = 1\n' } },
      ...(await Promise.all(
        customised.map(async (f, k) => ({
          message: `fix: carto patch ${k}`,
          files: { [historyPath(f)]: `${await original(f)}# carto patch ${k}\n` },
        })),
      )),
      { message: 'chore: CARTO CI', files: { '.github/workflows/carto.yml': 'on: push\n' } },
    ];
    await sandbox.pushCommits(FORK, PRODUCTION, commits, { from: base });

    await release(history, '1.81.9', '2026-03-01T00:00:00Z');
    const harness = startSyncHarness({
      sandbox,
      dataDir: join(root, 'data'),
      pipelines: [
        {
          id: PIPELINE,
          upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
          fork: { repo: FORK, mirrorBranch: 'main', productionBranch: PRODUCTION },
          version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
          whenNewerReleaseWhilePrOpen: 'supersede',
        },
      ],
    });
    try {
      const cold = await harness.measure(PIPELINE);
      if (cold.result.outcome !== 'pr-created') throw new Error(`cold run: ${cold.result.outcome}`);
      process.stderr.write(line('cold (v1.81.9, empty cache)', cold));
      // The PR stays open; upstream ships the next release.
      await release(history + perRelease, '1.81.10', '2026-03-08T00:00:00Z');
      const warm = await harness.measure(PIPELINE);
      if (warm.result.outcome !== 'superseded') throw new Error(`warm run: ${warm.result.outcome}`);
      const first = sandbox.pull(FORK, cold.result.pr!.number);
      if (first.state !== 'closed') throw new Error(`the first PR is ${first.state}, not closed`);
      process.stderr.write(line('warm (v1.81.10, supersedes the first PR)', warm));
      sandbox.assertNoUnexpectedRequests();
      return { cold, warm };
    } finally {
      await harness.close();
    }
  } finally {
    await sandbox.close();
    await rm(root, { recursive: true, force: true });
  }
}

process.stderr.write(
  `replay bench: ${files} files, ${history} commits of history, ${perRelease} upstream commits per release\n`,
);
// On a shared machine one run's times vary widely: `--runs N` replays N times and the last line
// gives the medians (the counts do not vary).
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const results = [];
for (let i = 0; i < runs; i++) {
  const run = await replay();
  results.push(run);
  if (runs > 1)
    process.stderr.write(
      `  run ${i + 1}: cold_ms=${run.cold.ms.toFixed(0)} warm_ms=${run.warm.ms.toFixed(0)} cold_cpu_ms=${run.cold.cpuMs} warm_cpu_ms=${run.warm.cpuMs}\n`,
    );
}
const last = results.at(-1)!;
const [coldMs, warmMs] = [median(results.map((r) => r.cold.ms)), median(results.map((r) => r.warm.ms))];
process.stdout.write(
  `replay cold_ms=${coldMs.toFixed(0)} warm_ms=${warmMs.toFixed(0)} warm_over_cold=${(warmMs / coldMs).toFixed(3)} cold_git=${last.cold.gitCalls} warm_git=${last.warm.gitCalls} cold_rest=${last.cold.httpCalls} warm_rest=${last.warm.httpCalls}\n`,
);
