import { readdir, rm, stat, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEnv } from '../src/config/env.js';
import { parseConfig } from '../src/config/load.js';
import { silentLogger } from '../src/log.js';
import { createServices, type Services } from '../src/main.js';
import { syncJobInput } from '../src/jobs/job-kinds.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../src/sandbox/github/github-sandbox.js';
import { generatePipelines, makeChange, type Generated } from './lib/scale-world.js';

// Many pipelines on one instance, against the GitHub stand-in: 500 generated pipelines (a mix of
// release-sync, branch-sync, mirror and dispatch over small generated repositories), checked in
// rounds as the scheduler would: a first (cold) round, an idle round (nothing new anywhere) and
// an active round (5% of the pipelines have something new). Counted requests are those a real
// GitHub charges to the rate limit (every REST answer but a 304).
//
//   npm run bench -- scale [--pipelines 500] [--active 0.05] [--concurrency 8]

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const PIPELINES = Number(arg('pipelines', '500'));
const ACTIVE_SHARE = Number(arg('active', '0.05'));
const CONCURRENCY = Number(arg('concurrency', '8'));

interface Round {
  name: string;
  seconds: number;
  counted: number;
  notModified: number;
  gitFetches: number;
  gitPushes: number;
  outcomes: Map<string, number>;
  failed: number;
  /** Counted requests by route, most frequent first (what the round spent its budget on). */
  spentOn: string;
}

async function round(name: string, sandbox: GitHubSandbox, services: Services, w: Generated): Promise<Round> {
  const seq0 = sandbox.requests.length;
  const started = performance.now();
  const ids: number[] = [];
  for (const p of w.pipelines) {
    const { job } = await services.runner.enqueue(syncJobInput({ pipeline: p.id }, { kind: 'cron', id: p.id }));
    ids.push(job.id);
  }
  await services.runner.runUntilIdle({ timeoutMs: 3_600_000 });
  const seconds = (performance.now() - started) / 1000;
  const made = sandbox.requests.slice(seq0);
  const outcomes = new Map<string, number>();
  let failed = 0;
  for (const id of ids) {
    const job = (await services.runner.get(id))!;
    if (job.state !== 'succeeded') {
      failed += 1;
      if (failed <= 3) process.stderr.write(`  ${name}: job ${id} ${job.state}: ${JSON.stringify(job.error)}\n`);
      continue;
    }
    const outcome = String((job.result as { outcome?: string } | null)?.outcome ?? 'done');
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  return {
    name,
    seconds,
    counted: made.filter((r) => r.kind === 'rest' && r.status !== 304).length,
    notModified: made.filter((r) => r.status === 304).length,
    gitFetches: made.filter((r) => r.kind === 'git-fetch').length,
    gitPushes: made.filter((r) => r.kind === 'git-push' && r.path.endsWith('/git-receive-pack')).length,
    outcomes,
    failed,
    spentOn: topRoutes(made.filter((r) => (r.kind === 'rest' && r.status !== 304) || r.kind === 'git-fetch')),
  };
}

function topRoutes(requests: ReadonlyArray<{ route: string | null; kind: string; path: string }>): string {
  const counts = new Map<string, number>();
  for (const r of requests) {
    const name = r.kind === 'rest' ? (r.route ?? r.path) : `${r.kind} ${r.path.replace(/^\/([^/]+)\/.*\.git/, '$1:')}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([name, n]) => `${n}× ${name}`)
    .join(', ');
}

async function dirBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await dirBytes(path) : (await stat(path)).size;
  }
  return total;
}

const root = await mkdtemp(join(tmpdir(), 'scale-bench-'));
const sandbox = await GitHubSandbox.start({ root: join(root, 'github') });
sandbox.trackRateLimit(1_000_000);
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);
try {
  const setupStarted = performance.now();
  const w = await generatePipelines(sandbox, PIPELINES);
  process.stderr.write(
    `scale bench: ${PIPELINES} pipelines (${[...w.kinds].map(([k, n]) => `${n} ${k}`).join(', ')}), ${w.repos} repositories generated in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s\n`,
  );
  const dataDir = join(root, 'data');
  const env = loadEnv({ ...sandbox.env(), UPSTREAM_SYNC_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  const services = createServices({
    config: parseConfig(w.config),
    env,
    logger: silentLogger(),
    jobKinds: ['sync'],
    githubTuning: SANDBOX_CLIENT_TUNING,
    runner: { pollMs: 5, concurrency: CONCURRENCY },
  });
  try {
    const rounds: Round[] = [];
    rounds.push(await round('cold', sandbox, services, w));
    rounds.push(await round('idle', sandbox, services, w));
    const active = w.pickActive(ACTIVE_SHARE);
    for (const p of active) await makeChange(sandbox, w, p);
    rounds.push(await round(`active (${active.length} changed)`, sandbox, services, w));
    const rss = process.memoryUsage().rss;
    peakRss = Math.max(peakRss, rss);
    const storeBytes =
      (await dirBytes(dataDir)) - (await dirBytes(join(dataDir, 'git'))) - (await dirBytes(join(dataDir, 'work')));
    const gitBytes = await dirBytes(join(dataDir, 'git'));

    const pad = (s: string | number, n: number) => String(s).padStart(n);
    process.stdout.write(
      `${'round'.padEnd(22)}${pad('seconds', 9)}${pad('counted', 9)}${pad('per pipe', 10)}${pad('304s', 7)}${pad('fetches', 9)}${pad('pushes', 8)}${pad('failed', 8)}  outcomes\n`,
    );
    for (const r of rounds)
      process.stdout.write(
        `${r.name.padEnd(22)}${pad(r.seconds.toFixed(1), 9)}${pad(r.counted, 9)}${pad((r.counted / PIPELINES).toFixed(2), 10)}${pad(r.notModified, 7)}${pad(r.gitFetches, 9)}${pad(r.gitPushes, 8)}${pad(r.failed, 8)}  ${[...r.outcomes].map(([o, n]) => `${o}=${n}`).join(' ')}\n`,
      );
    for (const r of rounds) process.stdout.write(`  ${r.name}: ${r.spentOn || 'nothing counted, no git fetch'}\n`);
    process.stdout.write(
      `store ${(storeBytes / 1048576).toFixed(1)} MB (SQLite), git caches ${(gitBytes / 1048576).toFixed(1)} MB; rss now ${(rss / 1048576).toFixed(0)} MB, peak ${(peakRss / 1048576).toFixed(0)} MB (bot and stand-in in one process)\n`,
    );
    const idle = rounds[1]!;
    const act = rounds[2]!;
    process.stdout.write(
      `scale pipelines=${PIPELINES} idle_requests_per_pipeline=${(idle.counted / PIPELINES).toFixed(2)} active_requests_per_pipeline=${(act.counted / PIPELINES).toFixed(2)} idle_round_s=${idle.seconds.toFixed(1)} rss_mb=${(peakRss / 1048576).toFixed(0)} store_mb=${(storeBytes / 1048576).toFixed(1)}\n`,
    );
  } finally {
    await services.close();
  }
} finally {
  clearInterval(sampler);
  await sandbox.close();
  await rm(root, { recursive: true, force: true });
}
