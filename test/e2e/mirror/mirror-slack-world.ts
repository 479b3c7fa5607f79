import { createGitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import { loadEnv } from '../../../src/config/env.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';
import { createServices } from '../../../src/main.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../../src/sandbox/slack/slack-shapes.js';
import { startBot } from '../../../src/main.js';
import { CARD_KIND } from '../../../src/slack/outbox/outbox-dispatcher.js';
import { stopAfterTest } from '../../helpers/running-bot.js';
import { tempDir } from '../../helpers/tmp.js';
import { ALICE, BOB, OPS_CHANNEL } from '../../slack/fixtures.js';
import { SOURCE, TARGET, seedMirror } from './mirror-world.js';

// The whole bot (Bolt in Socket Mode, SQLite, git, Octokit) with one mirror pipeline, against the
// Slack and GitHub stand-ins. `pipeline` adds to (or overrides) the mirror's config.

export type MirrorSlackWorld = Awaited<ReturnType<typeof mirrorSlackWorld>>;

export async function mirrorSlackWorld(
  options: { pipeline?: Record<string, unknown>; access?: Record<string, string[]>; llm?: boolean } = {},
) {
  const github = await GitHubSandbox.start({ root: await tempDir('mirror-gh-') });
  const base = await seedMirror(github, { allowForce: true });
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'occ-ops' });
  for (const id of [ALICE, BOB]) slack.addUser({ id });
  const config = parseConfig({
    git: { author: { name: 'OCC Sync Bot', email: 'occ-sync@example.com' } },
    access: options.access ?? { sync: [ALICE, BOB], force: [ALICE] },
    ...(options.llm === false ? { llm: { enabled: false } } : {}),
    pipelines: [
      {
        id: 'occ',
        kind: 'mirror',
        source: { repo: SOURCE, branch: 'main' },
        target: { repo: TARGET, branch: 'main' },
        tags: 'v*',
        slack: { channel: OPS_CHANNEL },
        ...options.pipeline,
      },
    ],
  });
  const env = loadEnv({
    ...github.env(),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    UPSTREAM_SYNC_DATA_DIR: await tempDir('mirror-data-'),
    LOG_LEVEL: 'silent',
  });
  const services = createServices({
    config,
    env,
    logger: silentLogger(),
    github: createGitHubAdapter({ token: github.token, baseUrl: github.url, tuning: SANDBOX_CLIENT_TUNING }),
    runner: { pollMs: 10, backoff: { baseMs: 10, maxMs: 50 } },
  });
  // The production heartbeat (5 s), not 300 ms: bot and stand-in share this event loop with git
  // and SQLite, and under load a 300 ms pause dropped the socket, so a click or an App Home event
  // sent during the reconnect met "no Socket Mode connection is open". No test here is about
  // reconnects.
  const bot = await startBot(services, {
    reconnectRetry: { retries: 200, factor: 1, minTimeout: 50, maxTimeout: 50 },
    dispatcherIdleMs: 50,
    dispatcherBackoff: { baseMs: 20, maxMs: 200 },
    ciWatchIntervalMs: 50,
  });
  stopAfterTest({ bot, services, slack, github });
  const until = async <T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = probe();
      if (v !== undefined && v !== null && v !== false) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const cards = () => slack.messages(OPS_CHANNEL).filter((m) => !m.threadTs);
  const text = (m: { blocks?: unknown; text?: string }) => visibleText([m.text, m.blocks]);
  const answers = (user: string) =>
    slack.ephemeralsFor(user, OPS_CHANNEL).map((e) => visibleText(e.blocks ?? e.text ?? ''));
  const command = (user: string, t: string) =>
    slack.sendSlashCommand({ command: '/upstream-sync', text: t, user_id: user, channel_id: OPS_CHANNEL });
  // A sync card (a merge into target) and its thread, by tag (`mirror-<short source sha>`).
  const cardOf = (tag: string) => {
    const ts = services.store.slackMessages.get('occ', tag, CARD_KIND)?.ts;
    return ts ? slack.messages(OPS_CHANNEL).find((m) => m.ts === ts) : undefined;
  };
  const thread = (tag: string) => {
    const ts = services.store.slackMessages.get('occ', tag, CARD_KIND)?.ts;
    return ts ? slack.threadOf(OPS_CHANNEL, ts) : [];
  };
  const snapshot = (tag: string) => services.store.syncCards.get({ pipeline: 'occ', tag })?.snapshot ?? null;
  // A click that meets a reconnect anyway (a pause longer than the heartbeat): sent again.
  const send = async <T>(fn: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        // A click lost with a dropped connection is sent again: every button here is idempotent
        // (enqueues dedupe, a recorded choice is the same choice).
        const lost = /no Socket Mode connection is open|connection closed before the ack/.test(String(err));
        if (attempt >= 20 || !lost) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  return { github, slack, services, base, until, cards, text, answers, command, cardOf, thread, snapshot, send };
}
