import { describe, expect, it } from 'vitest';
import { createGitHubAdapter } from '../../../src/adapters/github/github-adapter.js';
import { loadEnv } from '../../../src/config/env.js';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';
import { createServices } from '../../../src/main.js';
import { GitHubSandbox, SANDBOX_CLIENT_TUNING } from '../../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../../src/sandbox/slack/slack-shapes.js';
import { startBot } from '../../../src/main.js';
import { stopAfterTest } from '../../helpers/running-bot.js';
import { tempDir } from '../../helpers/tmp.js';
import { ALICE, BOB, OPS_CHANNEL } from '../../slack/fixtures.js';
import { SOURCE, TARGET, seedMirror } from './mirror-world.js';

// The whole bot (Bolt in Socket Mode, SQLite, git) with a mirror pipeline, against the Slack and
// GitHub stand-ins: the divergence card, Force sync for access.force only, Roll back, status.

async function world() {
  const github = await GitHubSandbox.start({ root: await tempDir('mirror-gh-') });
  const base = await seedMirror(github, { allowForce: true });
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'occ-ops' });
  for (const id of [ALICE, BOB]) slack.addUser({ id });
  const config = parseConfig({
    git: { author: { name: 'OCC Sync Bot', email: 'occ-sync@example.com' } },
    access: { sync: [ALICE, BOB], force: [ALICE] },
    pipelines: [
      {
        id: 'occ',
        kind: 'mirror',
        source: { repo: SOURCE, branch: 'main' },
        target: { repo: TARGET, branch: 'main' },
        tags: 'v*',
        slack: { channel: OPS_CHANNEL },
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
  const bot = await startBot(services, {
    clientPingTimeoutMs: 300,
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
  return { github, slack, services, base, until, cards, text, answers, command };
}

describe('mirror on Slack (whole bot, stand-ins)', () => {
  it('divergence card (target-only first) → Force sync refused for others, done for access.force → Roll back; status', async () => {
    const w = await world();
    const s1 = await w.github.pushCommit(SOURCE, {
      branch: 'main',
      files: { 'a.c': 'source\n' },
      message: 'source: a',
      as: 'occ-dev',
    });
    const t1 = await w.github.pushCommit(TARGET, {
      branch: 'main',
      files: { 'a.c': 'target\n' },
      message: 'target: a',
      as: 'cogpy-dev',
    });

    await w.command(ALICE, 'sync occ');
    const card = await w.until(() => w.cards().find((m) => w.text(m).includes('diverged')), 'the divergence card');
    const shown = w.text(card);
    expect(shown).toMatch(/Only on the target\W+\(1\)/);
    expect(shown.indexOf('target: a')).toBeLessThan(shown.indexOf('source: a'));
    expect(shown).toContain('a merge would conflict on');

    // BOB may sync but not force: refused, audited, nothing pushed.
    await w.slack.clickButton({ message: card, label: 'Force sync', user: BOB });
    await w.until(() => w.answers(BOB).some((a) => a.includes('⛔')), 'the refusal');
    expect(await w.github.branchSha(TARGET, 'main')).toBe(t1);
    expect(w.services.store.audit.list({ action: 'mirror-force' })[0]).toMatchObject({
      outcome: 'refused',
      actor: { kind: 'slack', id: BOB },
    });

    await w.slack.clickButton({ message: card, label: 'Force sync', user: ALICE });
    const forcedCard = await w.until(
      () => w.cards().find((m) => w.text(m).includes('forced onto the source')),
      'the forced card',
    );
    expect(await w.github.branchSha(TARGET, 'main')).toBe(s1);
    expect(w.text(forcedCard)).toMatch(/refs\/upstream-sync\/backup\/main\//);

    await w.slack.clickButton({ message: forcedCard, label: 'Roll back', user: ALICE });
    await w.until(
      () => w.services.store.audit.list({ action: 'mirror-rollback' }).find((a) => a.outcome === 'done'),
      'the rollback',
    );
    expect(await w.github.branchSha(TARGET, 'main')).toBe(t1);

    const before = w.answers(ALICE).length;
    await w.command(ALICE, 'status occ');
    const status = await w.until(() => w.answers(ALICE)[before], 'the status answer');
    expect(status).toContain('occ: mirror');

    // App Home: the mirror's state and its last run, for whoever opens it.
    await w.slack.sendEvent({ type: 'app_home_opened', user: BOB, channel: 'D0BOB', tab: 'home' });
    const home = await w.until(() => w.slack.homeView(BOB), 'the App Home');
    const homeText = visibleText(home.view.blocks);
    expect(homeText).toContain('occ: mirror o9nn/occ@main → cogpy/occ@main');
    expect(homeText).toContain('last run');
  });
});
