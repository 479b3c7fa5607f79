import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { GitHubSandbox } from '../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../src/sandbox/slack/slack-sandbox.js';

// Ack latency of the real bot under a burst: `upstream-sync start` runs in its own process
// (Bolt in Socket Mode, SQLite, runner, outbox) against the Slack and GitHub stand-ins running in
// this one; 200 mixed slash commands and button clicks are sent 1 ms apart (1,000 a second) while
// a sync job is running. Latency is what Slack sees: from sending the envelope to its ack.
// Slack's limit is 3000 ms; the target is p99 ≤ 50 ms.
//
//   npm run bench -- slack [--n 200] [--gap-ms 1] [--github-latency-ms 300] [--tsx] [--profile DIR]

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? Number(process.argv[i + 1]) : fallback;
}

const N = arg('n', 200);
const GAP_MS = arg('gap-ms', 1);
const UPSTREAM = 'BerriAI/litellm';
const FORK = 'CartoDB/litellm';
const OPS = 'C09K0M5MP7V';
const ALICE = 'U012ABCDEF';
const BOB = 'U0BOB00001';
const pyproject = (v: string) => `[tool.poetry]\nname = "litellm"\nversion = "${v}"\n`;

/** User + system CPU time of a process so far (Linux), so the cost per interaction shows apart from machine load. */
async function botCpuMs(pid: number | undefined): Promise<number> {
  if (pid === undefined) return NaN;
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '')).split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** tsc emits even when another module has a type error; the bench only needs the JavaScript. */
async function compile(): Promise<void> {
  const tsc = fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
  const project = fileURLToPath(new URL('../tsconfig.build.json', import.meta.url));
  const outDir = fileURLToPath(new URL('./out/dist', import.meta.url));
  const child = spawn(process.execPath, [tsc, '-p', project, '--outDir', outDir], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await new Promise((resolve) => child.once('exit', resolve));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

const LATENCY_MS = arg('github-latency-ms', 300);
const root = await mkdtemp(join(tmpdir(), 'slack-bench-'));
const github = await GitHubSandbox.start({ root: join(root, 'github') });
const slack = await startSlackSandbox();
let bot: ReturnType<typeof spawn> | null = null;
try {
  await github.createRepo(UPSTREAM);
  const base = await github.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject('1.80.0'), 'app.py': 'a = 1\n' },
    message: 'release 1.80.0',
  });
  await github.addRelease(UPSTREAM, { tag: 'v1.80.0-stable', target: base, publishedAt: '2026-01-01T00:00:00Z' });
  await github.createRepo(FORK, { forkOf: UPSTREAM });
  await github.git(FORK, ['update-ref', 'refs/heads/main', base]);
  await github.pushCommit(FORK, {
    branch: 'carto/main',
    from: base,
    files: { 'carto.py': 'x = 1\n' },
    message: 'feat: carto',
  });
  const next = await github.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'pyproject.toml': pyproject('1.81.0'), 'new.py': 'n = 1\n' },
    message: 'release 1.81.0',
  });
  await github.addRelease(UPSTREAM, { tag: 'v1.81.0-stable', target: next, publishedAt: '2026-02-01T00:00:00Z' });
  slack.addChannel({ id: OPS, name: 'cartodb-ops' });
  for (const id of [ALICE, BOB]) slack.addUser({ id });

  // JSON is YAML: the bot reads it like any config file.
  const config = {
    access: { approve: [ALICE], release: [ALICE], resolve: [ALICE], sync: [ALICE] },
    web: { host: '127.0.0.1', port: 0 },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        slack: { channel: OPS },
      },
    ],
  };
  const configFile = join(root, 'upstream-sync.yml');
  await writeFile(configFile, JSON.stringify(config, null, 2));
  const dataDir = join(root, 'data');
  // The bot runs as it does in production, compiled (into bench/out/dist, like `npm run build`);
  // --tsx runs the sources through the tsx loader instead (slower: its loader sits on hot paths).
  const tsx = process.argv.includes('--tsx');
  if (!tsx) await compile();
  const cli = fileURLToPath(new URL(tsx ? '../src/cli.ts' : './out/dist/cli.js', import.meta.url));
  // --profile DIR: a CPU profile of the bot process, to see what competes with acks.
  const profile = process.argv.includes('--profile')
    ? ['--cpu-prof', '--cpu-prof-dir', process.argv[process.argv.indexOf('--profile') + 1] as string]
    : [];
  bot = spawn(
    process.execPath,
    [...profile, ...(tsx ? ['--import', 'tsx'] : []), cli, 'start', '--config', configFile],
    {
      env: {
        ...process.env,
        ...github.env(),
        SLACK_BOT_TOKEN: slack.botToken,
        SLACK_APP_TOKEN: slack.appToken,
        SLACK_API_URL: slack.apiUrl,
        UPSTREAM_SYNC_DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  await slack.waitForConnection(1, 60_000);

  // A slow GitHub keeps the sync running through the whole burst.
  github.faults.inject({ latencyMs: LATENCY_MS, times: Infinity });
  await slack.sendSlashCommand({ command: '/upstream-sync', text: 'sync', user_id: ALICE, channel_id: OPS });
  const card = await slack.waitFor(
    () => slack.messages(OPS).find((m) => !m.threadTs && m.text.includes('v1.81.0-stable')),
    { timeoutMs: 60_000, what: 'the sync card' },
  );
  const db = new Database(join(dataDir, 'upstream-sync.db'), { readonly: true });
  const syncState = () =>
    db.prepare("SELECT state FROM jobs WHERE kind = 'sync' ORDER BY id DESC LIMIT 1").pluck().get() as
      string | undefined;

  const actions: Array<() => Promise<unknown>> = [
    () => slack.sendSlashCommand({ command: '/upstream-sync', text: 'status', user_id: BOB, channel_id: OPS }),
    () => slack.sendSlashCommand({ command: '/upstream-sync', text: 'sync', user_id: ALICE, channel_id: OPS }),
    () => slack.clickButton({ message: card, label: 'Skip this release', user: BOB }),
    () => slack.sendSlashCommand({ command: '/upstream-sync', text: 'help', user_id: BOB, channel_id: OPS }),
    () => slack.clickButton({ message: card, label: 'View changes', user: BOB }),
    () => slack.sendSlashCommand({ command: '/upstream-sync', text: 'history', user_id: BOB, channel_id: OPS }),
    () => slack.sendSlashCommand({ command: '/upstream-sync', text: 'release huge', user_id: ALICE, channel_id: OPS }),
    () => slack.clickButton({ message: card, label: 'Skip this release', user: ALICE }),
  ];
  // Warm-up: every kind once, one at a time, so lazy module loads and first-use caches are not
  // counted as latency (a running bot has long done them).
  for (const send of actions) await send();
  const before = syncState();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const burstStartUs = process.hrtime.bigint() / 1000n;
  const cpuBefore = await botCpuMs(bot.pid);
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  for (let i = 0; i < N; i++) {
    const send = actions[i % actions.length] as () => Promise<unknown>;
    const started = performance.now();
    pending.push(
      send().then(
        () => void latencies.push(performance.now() - started),
        () => void (failed += 1),
      ),
    );
    await sleep(GAP_MS);
  }
  await Promise.all(pending);
  const cpuMs = (await botCpuMs(bot.pid)) - cpuBefore;
  if (profile.length)
    process.stderr.write(`burst window (monotonic µs): ${burstStartUs} ${process.hrtime.bigint() / 1000n}\n`);
  loop.disable();
  const after = syncState();
  db.close();
  const sorted = [...latencies].sort((a, b) => a - b);
  const f = (n: number) => n.toFixed(1);
  process.stderr.write(
    `sync job ${before} at the start of the burst, ${after} at its end; acks missing: ${failed}; ${actions.length} kinds of commands and clicks; stand-in event loop delay max ${f(loop.max / 1e6)} ms; bot CPU during the burst ${f(cpuMs)} ms (${f(cpuMs / N)} ms per interaction); load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} CPUs\n`,
  );
  process.stdout.write(
    `slack-ack n=${sorted.length} p50_ms=${f(percentile(sorted, 50))} p95_ms=${f(percentile(sorted, 95))} p99_ms=${f(percentile(sorted, 99))} max_ms=${f(sorted.at(-1) ?? NaN)}\n`,
  );
  github.faults.clear();
  if (failed > 0) process.exitCode = 1;
} finally {
  if (bot && bot.exitCode === null) {
    const exited = new Promise((r) => bot!.once('exit', r));
    bot.kill('SIGTERM');
    await exited;
  }
  await slack.close();
  await github.close();
  await rm(root, { recursive: true, force: true });
}
