import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { Bot, Services } from '../../src/main.js';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import type { EphemeralMessage, StoredMessage } from '../../src/sandbox/slack/slack-state.js';
import type { SyncSnapshot } from '../../src/ports.js';
import { cardLookup } from '../helpers/card-lookup.js';
import { startRunningBot } from '../helpers/running-bot.js';
import { tempDir } from '../helpers/tmp.js';
import { until as untilGiven } from '../helpers/until.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../pipelines/release-sync/harness.js';
import { ALICE, BOB, CAROL, OPS_CHANNEL, OPS_GROUP } from '../slack/fixtures.js';

// The whole bot as `start` runs it (real Bolt in Socket Mode, real SQLite, real git, the real
// Octokit adapter), against the Slack and GitHub stand-ins on 127.0.0.1.

export { ALICE, BOB, CAROL, OPS_GROUP } from '../slack/fixtures.js';
export const OPS = OPS_CHANNEL;
export const RANDOM = 'C0RANDOM01';
export const TAG = 'v1.81.0-stable';

export interface SlackWorld {
  slack: SlackSandbox;
  github: GitHubSandbox;
  services: Services;
  bot: Bot;
  config: Config;
  /** Runs `/upstream-sync <text>` as `user` in `channel`; resolves with the ack. */
  command(user: string, text: string, channel?: string): Promise<Record<string, unknown>>;
  /** The next ephemeral answer for `user` after `since` answers, its visible text. */
  answer(user: string, since: number, channel?: string): Promise<string>;
  answers(user: string, channel?: string): EphemeralMessage[];
  /** The sync card for `tag` in the ops channel, once posted (top-level message). */
  card(tag?: string): Promise<StoredMessage>;
  cardText(tag?: string): string;
  thread(tag?: string): string[];
  /** The card's state as SQLite has it. */
  snapshot(tag?: string): SyncSnapshot | null;
  /** ALICE runs `/upstream-sync sync`; resolves once the card knows the sync PR. */
  syncToPr(): Promise<SyncSnapshot & { pr: NonNullable<SyncSnapshot['pr']> }>;
  /** Clicks the button labelled `label` on the card (or `message`) as `user`; resolves with the ack. */
  click(user: string, label: string, message?: StoredMessage): Promise<Record<string, unknown>>;
  /** Waits until `probe` gives something. */
  until<T>(probe: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
}

export async function slackWorld(
  options: {
    access?: Record<string, string[]>;
    slack?: Record<string, unknown>;
    /** Files of the upstream release the sync brings (default: litellm/new.py). */
    release?: Record<string, string | null>;
    /** More top-level config (e.g. `ci`, `llm`) and env (e.g. the Anthropic stand-in's). */
    config?: Record<string, unknown>;
    env?: Record<string, string>;
  } = {},
): Promise<SlackWorld> {
  const github = await GitHubSandbox.start({ root: await tempDir('e2e-gh-') });
  await seedRepos(github);
  await publishRelease(github, '1.81.0', options.release ?? { 'litellm/new.py': 'n = 1\n' });
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS, name: 'cartodb-ops' });
  slack.addChannel({ id: RANDOM, name: 'random' });
  for (const id of [ALICE, BOB, CAROL]) slack.addUser({ id });
  slack.addUsergroup(OPS_GROUP, [CAROL]);

  const config = parseConfig({
    git: { author: { name: 'Cartofante', email: 'cartofante@carto.com' } },
    ...options.config,
    access: options.access ?? {
      approve: [ALICE, OPS_GROUP],
      release: [ALICE],
      resolve: [ALICE],
      sync: [ALICE, OPS_GROUP],
    },
    pipelines: [
      {
        id: 'litellm',
        upstream: { repo: UPSTREAM, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
        fork: { repo: FORK, mirrorBranch: 'main', productionBranch: 'carto/main' },
        version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
        slack: { channel: OPS, ...options.slack },
        release: { tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}' },
      },
    ],
  });
  const { services, bot } = await startRunningBot({ github, slack, config, dataPrefix: 'e2e-data-', env: options.env });
  const until = <T>(probe: () => T | undefined | null | false, what: string, timeoutMs = 15_000) =>
    untilGiven(probe, what, timeoutMs);
  const answers = (user: string, channel = OPS) => slack.ephemeralsFor(user, channel);
  const cards = cardLookup({ services, slack }, 'litellm', OPS);
  const cardOf = cards.cardOf;
  const snapshot = (tag = TAG) => cards.snapshot(tag);
  return {
    snapshot,
    syncToPr: async () => {
      await slack.sendSlashCommand({ command: '/upstream-sync', text: 'sync', user_id: ALICE, channel_id: OPS });
      const s = await until(() => (snapshot()?.pr ? snapshot() : null), 'the sync PR on the card');
      return s as SyncSnapshot & { pr: NonNullable<SyncSnapshot['pr']> };
    },
    click: async (user, label, message) =>
      slack.clickButton({ message: message ?? (await until(() => cardOf(TAG), 'the card')), label, user }),
    slack,
    github,
    services,
    bot,
    config,
    command: (user, text, channel = OPS) =>
      slack.sendSlashCommand({ command: '/upstream-sync', text, user_id: user, channel_id: channel }),
    answers,
    answer: async (user, since, channel = OPS) =>
      visibleText((await until(() => answers(user, channel)[since], `answer #${since + 1} for ${user}`)).blocks ?? ''),
    card: (tag = TAG) => until(() => cardOf(tag), `the card for ${tag}`),
    cardText: (tag = TAG) => visibleText(cardOf(tag)?.blocks ?? ''),
    thread: (tag = TAG) => cards.thread(tag).map((m) => visibleText([m.text, m.blocks])),
    until,
  };
}
