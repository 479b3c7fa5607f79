import { afterEach } from 'vitest';
import type { Services } from '../../src/main.js';
import type { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import type { SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import type { Bot } from '../../src/main.js';

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
