import { parseConfig } from '../../../src/config/load.js';
import { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../../src/sandbox/slack/slack-shapes.js';
import { cardLookup } from '../../helpers/card-lookup.js';
import { FAST_BOT, sendWhileReconnecting, startRunningBot } from '../../helpers/running-bot.js';
import { tempDir } from '../../helpers/tmp.js';
import { until } from '../../helpers/until.js';
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
  // The production heartbeat (5 s), not FAST_BOT's 300 ms: bot and stand-in share this event loop
  // with git and SQLite, and under load a 300 ms pause dropped the socket, so a click or an App
  // Home event sent during the reconnect met "no Socket Mode connection is open". No test here is
  // about reconnects.
  const { clientPingTimeoutMs: _short, ...bot } = FAST_BOT;
  const { services } = await startRunningBot({ github, slack, config, dataPrefix: 'mirror-data-', bot });
  const cards = () => slack.messages(OPS_CHANNEL).filter((m) => !m.threadTs);
  const text = (m: { blocks?: unknown; text?: string }) => visibleText([m.text, m.blocks]);
  const answers = (user: string) =>
    slack.ephemeralsFor(user, OPS_CHANNEL).map((e) => visibleText(e.blocks ?? e.text ?? ''));
  const command = (user: string, t: string) =>
    slack.sendSlashCommand({ command: '/upstream-sync', text: t, user_id: user, channel_id: OPS_CHANNEL });
  // A sync card (a merge into target) and its thread, by tag (`mirror-<short source sha>`).
  const { cardOf, thread, snapshot } = cardLookup({ services, slack }, 'occ', OPS_CHANNEL);
  // A click that meets a reconnect anyway (a pause longer than the heartbeat) is sent again: every button here is idempotent
  // (enqueues dedupe, a recorded choice is the same choice).
  const send = <T>(fn: () => Promise<T>) =>
    sendWhileReconnecting(fn, /no Socket Mode connection is open|connection closed before the ack/);
  return { github, slack, services, base, until, cards, text, answers, command, cardOf, thread, snapshot, send };
}
