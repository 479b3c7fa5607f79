import { Writable } from 'node:stream';
import { join } from 'node:path';
import { loadEnv } from '../../../src/config/env.js';
import { parseConfig } from '../../../src/config/load.js';
import { createLogger } from '../../../src/log.js';
import { startApp, type RunningApp } from '../../../src/main.js';
import { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import type { HealthSignalsOptions } from '../../../src/web/health-signals.js';
import { FORK, UPSTREAM, seedRepos } from '../../helpers/litellm-repos.js';
import { ALICE, OPS_CHANNEL } from '../../slack/fixtures.js';

// main.ts's startApp in this process (what `start` runs), against the stand-ins, with its log
// lines captured. No vitest here: app-world.ts wraps it for tests, bench/operator-evidence.ts
// runs it standalone.

export interface AppWorld {
  app: RunningApp;
  slack: SlackSandbox;
  github: GitHubSandbox;
  logs: Array<Record<string, unknown>>;
  /** UPSTREAM_SYNC_DATA_DIR: a CLI command run against it sees what the bot recorded. */
  dataDir: string;
  get(path: string): Promise<{ status: number; body: string }>;
  until<T>(probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, what: string): Promise<T>;
}

// Teardown is bounded as a safety net: stop() ends the socket client's reconnect loop itself
// (stop-during-outage.test.ts), but a teardown that overruns for another reason is reported, not
// left to hang.
const within = (work: Promise<unknown>, what: string): Promise<unknown> =>
  Promise.race([
    work,
    new Promise((resolve) =>
      setTimeout(() => {
        console.warn(`app-world teardown: ${what} did not finish within 15 s`);
        resolve(undefined);
      }, 15_000).unref(),
    ),
  ]);

export async function closeAppWorld(w: AppWorld): Promise<void> {
  await within(w.app.stop(), 'app.stop()');
  await within(w.slack.close(), 'the Slack stand-in');
  await within(w.github.close(), 'the GitHub stand-in');
}

export interface AppWorldOptions {
  member?: boolean;
  health?: HealthSignalsOptions;
  socketStallMs?: number;
  /** Retries of the socket client's apps.connections.open (default 200, 50 ms apart). */
  reconnectRetries?: number;
}

/** The world without any test-runner hooks: the caller makes the temp dirs and calls closeAppWorld. */
export async function openAppWorld(
  options: AppWorldOptions,
  tempDir: (prefix: string) => Promise<string>,
): Promise<AppWorld> {
  const github = await GitHubSandbox.start({ root: await tempDir('app-gh-') });
  await seedRepos(github);
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops', isMember: options.member ?? true });
  slack.addUser({ id: ALICE });
  const config = parseConfig({
    git: { author: { name: 'Cartofante', email: 'cartofante@carto.com' } },
    access: { approve: [ALICE], release: [ALICE], sync: [ALICE] },
    web: { host: '127.0.0.1', port: 0 },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        slack: { channel: OPS_CHANNEL },
        release: { tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}' },
      },
    ],
  });
  const dataDir = join(await tempDir('app-data-'), 'data');
  const env = loadEnv({ ...github.env(), ...slack.env(), UPSTREAM_SYNC_DATA_DIR: dataDir });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const app = await startApp({
    config,
    env,
    logger: createLogger({ level: 'info', destination: sink }),
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
    ...(options.health ? { health: options.health } : {}),
    bot: {
      clientPingTimeoutMs: 300,
      reconnectRetry: { retries: options.reconnectRetries ?? 200, factor: 1, minTimeout: 50, maxTimeout: 50 },
      dispatcherIdleMs: 50,
      dispatcherBackoff: { baseMs: 20, maxMs: 200 },
      ciWatchIntervalMs: 50,
      ...(options.socketStallMs ? { socketStallMs: options.socketStallMs } : {}),
    },
  });
  const until: AppWorld['until'] = async (probe, what) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const v = await probe();
      if (v !== undefined && v !== null && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const w: AppWorld = {
    app,
    slack,
    github,
    logs,
    dataDir,
    get: async (path) => {
      const res = await fetch(`${app.web.url}${path}`);
      return { status: res.status, body: await res.text() };
    },
    until,
  };
  return w;
}
