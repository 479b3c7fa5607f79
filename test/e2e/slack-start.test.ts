import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCommand } from '../../src/cli/start.js';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, UPSTREAM, seedRepos } from '../pipelines/release-sync/harness.js';
import { BOB, OPS_CHANNEL } from '../slack/fixtures.js';

// `upstream-sync start --config FILE`: the bot as the CLI runs it, tokens and endpoints from the
// environment, until it is told to stop.

const open: Array<{ slack: SlackSandbox; github: GitHubSandbox }> = [];
afterEach(async () => {
  for (const { slack, github } of open.splice(0)) {
    await slack.close();
    await github.close();
  }
});

async function setup() {
  const github = await GitHubSandbox.start({ root: await tempDir('start-gh-') });
  await seedRepos(github);
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  slack.addUser({ id: BOB });
  open.push({ slack, github });
  const dir = await tempDir('start-');
  const config = join(dir, 'upstream-sync.yml');
  await writeFile(
    config,
    `web: { host: 127.0.0.1, port: 0 }
pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS_CHANNEL} }
`,
  );
  const env = {
    ...github.env(),
    SLACK_BOT_TOKEN: slack.botToken,
    SLACK_APP_TOKEN: slack.appToken,
    SLACK_API_URL: slack.apiUrl,
    UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'silent',
  };
  return { slack, config, env };
}

describe('upstream-sync start', () => {
  it('connects over Socket Mode, answers commands, serves /healthz and stops cleanly', async () => {
    const { slack, config, env } = await setup();
    const stop = new AbortController();
    const err: string[] = [];
    let ready: (url: string | null) => void = () => undefined;
    const readyAt = new Promise<string | null>((r) => (ready = r));
    const exit = startCommand({ config }, { stdout: () => undefined, stderr: (l) => err.push(l) }, env, {
      stop: stop.signal,
      onReady: ({ web }) => ready(web),
    });
    const web = await readyAt;
    expect(slack.connectionCount).toBe(1);
    const health = await fetch(`${web}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      ok: true,
      checks: { database: { ok: true }, eventLoop: { ok: true } },
    });
    const readyz = await fetch(`${web}/readyz`);
    expect(readyz.status).toBe(200);
    expect(await readyz.json()).toMatchObject({
      ok: true,
      checks: { slack: { ok: true, detail: 'socket connected' } },
    });
    // No GITHUB_WEBHOOK_SECRET: no webhook route (an unsigned one would let anyone queue work).
    expect((await fetch(`${web}/webhooks/github`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect(
      await slack.sendSlashCommand({ command: '/upstream-sync', text: 'help', user_id: BOB, channel_id: OPS_CHANNEL }),
    ).toEqual({});
    const answer = await slack.waitFor(() => slack.ephemeralsFor(BOB, OPS_CHANNEL)[0], { what: 'the help answer' });
    expect(visibleText(answer.blocks)).toContain('/upstream-sync release');
    stop.abort();
    expect(await exit).toBe(0);
    for (let i = 0; i < 100 && slack.openConnections > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(slack.openConnections).toBe(0);
    expect(err).toEqual([]);
  });

  it('refuses to start without the Slack tokens, saying which', async () => {
    const { config, env } = await setup();
    const err: string[] = [];
    const { SLACK_APP_TOKEN: _app, ...withoutApp } = env;
    expect(await startCommand({ config }, { stdout: () => undefined, stderr: (l) => err.push(l) }, withoutApp)).toBe(2);
    expect(err.join('\n')).toContain('SLACK_APP_TOKEN');
  });
});
