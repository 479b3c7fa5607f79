import { readFileSync } from 'node:fs';
import type { GitStats } from '../../src/adapters/git/git-exec.js';
import { loadEnv } from '../../src/config/env.js';
import { parseConfig } from '../../src/config/load.js';
import { jobIdentity } from '../../src/jobs/job-kinds.js';
import { silentLogger } from '../../src/log.js';
import { createServices } from '../../src/main.js';
import type { SyncResult } from '../../src/pipelines/release-sync/sync-types.js';
import { SANDBOX_CLIENT_TUNING, type GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';

// The sync benches' shared half: the bot's services against the GitHub stand-in, on one data dir
// (so a second run finds the git cache the first one left), and one sync job measured end to end
// in time, REST requests and git processes per subcommand.

export interface SyncMeasure {
  ms: number;
  gitCalls: number;
  /** Per git subcommand in this run, heaviest first: `fetch:2/812ms merge-base:3/40ms …`. */
  gitBreakdown: string;
  /** Every REST request made (304s of conditional requests included). */
  httpCalls: number;
  /** REST requests a real GitHub would charge to the rate limit (all but the 304s). */
  countedCalls: number;
  /** CPU time of the run, bot and stand-in and their git processes (see cpuMs); null off Linux. */
  cpuMs: number | null;
  result: SyncResult;
}

/**
 * CPU time of this process and of its finished children (git on both sides: the stand-in's server
 * runs here too), in ms: unlike wall time it hardly moves with the machine's load. null off Linux.
 */
export function cpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces): utime is the 14th field overall.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return (ticks * 1000) / 100; // USER_HZ is 100 for /proc on Linux
  } catch {
    return null;
  }
}

export interface SyncHarness {
  /** Runs one sync job of `pipeline` to the end; throws unless it succeeded. */
  measure(pipeline: string): Promise<SyncMeasure>;
  close(): Promise<void>;
}

export function startSyncHarness(input: {
  sandbox: GitHubSandbox;
  dataDir: string;
  pipelines: Record<string, unknown>[];
}): SyncHarness {
  const { sandbox } = input;
  const env = loadEnv({
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.url,
    UPSTREAM_SYNC_DATA_DIR: input.dataDir,
    LOG_LEVEL: 'silent',
  });
  const services = createServices({
    config: parseConfig({ pipelines: input.pipelines }),
    env,
    logger: silentLogger(),
    // The services build their GitHub client as `start` does, so conditional requests go through
    // the real cache in the store (a 304 costs a request, not a rate-limit point).
    githubTuning: SANDBOX_CLIENT_TUNING,
    jobKinds: ['sync'],
    runner: { pollMs: 5 },
  });
  return {
    async measure(pipeline) {
      const stats = services.git.stats as GitStats;
      const git0 = stats.calls;
      const by0 = structuredClone(stats.byCommand);
      const rest = () => sandbox.requests.filter((r) => r.kind === 'rest').length;
      const http0 = rest();
      const counted0 = sandbox.countedRequests().length;
      const cpu0 = cpuMs();
      const started = performance.now();
      const { job } = await services.runner.enqueue({
        ...jobIdentity.sync(pipeline),
        data: { pipeline },
        requestedBy: { kind: 'cli', id: 'bench' },
      });
      await services.runner.runUntilIdle();
      const done = (await services.runner.get(job.id))!;
      const ms = performance.now() - started;
      const cpu1 = cpuMs();
      if (done.state !== 'succeeded') throw new Error(`sync failed: ${JSON.stringify(done.error)}`);
      return {
        ms,
        gitCalls: stats.calls - git0,
        gitBreakdown: Object.entries(stats.byCommand)
          .map(([cmd, v]) => [cmd, v.calls - (by0[cmd]?.calls ?? 0), v.ms - (by0[cmd]?.ms ?? 0)] as const)
          .filter(([, calls]) => calls > 0)
          .sort((a, b) => b[2] - a[2])
          .map(([cmd, calls, ms]) => `${cmd}:${calls}/${ms.toFixed(0)}ms`)
          .join(' '),
        httpCalls: rest() - http0,
        countedCalls: sandbox.countedRequests().length - counted0,
        cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0,
        result: done.result as SyncResult,
      };
    },
    close: () => services.close(),
  };
}
