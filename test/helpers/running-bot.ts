import { afterEach } from 'vitest';
import { createGitHubAdapter } from '../../src/adapters/github/github-adapter.js';
import { loadEnv } from '../../src/config/env.js';
import type { Config } from '../../src/config/schema.js';
import { silentLogger } from '../../src/log.js';
import { createServices, startBot, type Bot, type BotOptions, type Services } from '../../src/main.js';
import { SANDBOX_CLIENT_TUNING, type GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import type { SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { tempDir } from './tmp.js';

export interface RunningBot {
  bot: Bot;
  services: Services;
  slack: SlackSandbox;
  github: GitHubSandbox;
}

const running: RunningBot[] = [];

/** Stops the bot after the current test, then its services, then the stand-ins it talks to. */
export function stopAfterTest(world: RunningBot): void {
  running.push(world);
}

afterEach(async () => {
  while (running.length) {
    const w = running.pop() as RunningBot;
    await w.bot.stop();
    await w.services.close();
    await w.slack.close();
    await w.github.close();
  }
});

/** Short pings, quick reconnects and a busy dispatcher and CI watch: tests wait little. */
export const FAST_BOT: BotOptions = {
  clientPingTimeoutMs: 300,
  reconnectRetry: { retries: 200, factor: 1, minTimeout: 50, maxTimeout: 50 },
  dispatcherIdleMs: 50,
  dispatcherBackoff: { baseMs: 20, maxMs: 200 },
  ciWatchIntervalMs: 50,
};

/**
 * The whole bot as `start` runs it (Bolt in Socket Mode, SQLite, git, the Octokit adapter) against
 * the Slack and GitHub stand-ins, its data in a new temporary folder; stopped after the test.
 */
export async function startRunningBot(input: {
  github: GitHubSandbox;
  slack: SlackSandbox;
  config: Config;
  /** Prefix of the data folder's name. */
  dataPrefix: string;
  /** More env (e.g. the Anthropic stand-in's). */
  env?: Record<string, string>;
  bot?: BotOptions;
}): Promise<RunningBot> {
  const { github, slack, config } = input;
  const env = loadEnv({
    ...github.env(),
    ...slack.env(),
    UPSTREAM_SYNC_DATA_DIR: await tempDir(input.dataPrefix),
    LOG_LEVEL: 'silent',
    ...input.env,
  });
  const services = createServices({
    config,
    env,
    logger: silentLogger(),
    github: createGitHubAdapter({ token: github.token, baseUrl: github.url, tuning: SANDBOX_CLIENT_TUNING }),
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
  });
  const bot = await startBot(services, input.bot ?? FAST_BOT);
  const world = { bot, services, slack, github };
  stopAfterTest(world);
  return world;
}

/**
 * Sends again what was lost while the bot's Socket Mode client was reconnecting (its short ping
 * timeout makes that likely under load); `lost` says which errors mean that.
 */
export async function sendWhileReconnecting<T>(
  fn: () => Promise<T>,
  lost: RegExp = /no Socket Mode connection is open/,
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (attempt >= 20 || !lost.test(String(err))) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
