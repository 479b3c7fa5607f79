import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusCommand } from '../../../src/cli/status.js';
import { SqliteDroppedPosts } from '../../../src/adapters/store/dropped-posts.js';
import { appWorld } from '../../e2e/start/app-world.js';
import { publishRelease, FORK, UPSTREAM } from '../../pipelines/release-sync/harness.js';
import { tempDir } from '../../helpers/tmp.js';
import { ALICE, OPS_CHANNEL } from '../fixtures.js';

// A bot not invited to its channel: every card is refused with not_in_channel. Besides the log
// line and /readyz, the fact is recorded in SQLite with when it happened, so `status` (CLI, human
// and --json, another process) and App Home say it once, with the fix, until a post gets through.

const FIX = `invite the bot: /invite @upstream-sync in <#${OPS_CHANNEL}>`;

async function cliStatus(w: Awaited<ReturnType<typeof appWorld>>, json: boolean): Promise<string[]> {
  const file = join(await tempDir('dropped-cfg-'), 'upstream-sync.yml');
  await writeFile(
    file,
    [
      'pipelines:',
      '  - id: litellm',
      `    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }`,
      `    fork: { repo: ${FORK}, mirrorBranch: main, productionBranch: carto/main }`,
      '    version: { file: pyproject.toml, key: tool.poetry.version }',
      `    slack: { channel: ${OPS_CHANNEL} }`,
      '',
    ].join('\n'),
  );
  const out: string[] = [];
  await statusCommand(
    { config: file, ...(json ? { json: true } : {}) },
    { stdout: (l) => out.push(l), stderr: () => undefined },
    { ...w.github.env(), UPSTREAM_SYNC_DATA_DIR: w.dataDir },
  );
  return out;
}

describe('cards dropped because the bot is not in the channel', () => {
  it('are recorded once with when, shown by CLI status (human, --json) and App Home with the fix, and cleared once a post gets through', async () => {
    const w = await appWorld({ member: false });
    await publishRelease(w.github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
    await w.slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'sync',
      user_id: ALICE,
      channel_id: OPS_CHANNEL,
    });
    const dropped = new SqliteDroppedPosts(w.app.services.store.db);
    // The sync posts its card and then thread replies: each one is refused and counted.
    const [sync] = await w.app.services.runner.list({ kind: 'sync' });
    await w.app.services.runner.waitFor(sync!.id, { timeoutMs: 60_000 });
    await w.until(() => w.app.services.slack.outbox.counts().pending === 0 && dropped.list().length > 0, 'the drops');
    const [row] = dropped.list();
    expect(dropped.list()).toHaveLength(1);
    expect(row).toMatchObject({ channel: OPS_CHANNEL, pipeline: 'litellm', error: 'not_in_channel', fix: FIX });
    expect(row!.dropped).toBeGreaterThanOrEqual(2);
    expect(Date.parse(row!.firstAt)).toBeLessThanOrEqual(Date.parse(row!.lastAt));

    const human = await cliStatus(w, false);
    const said = human.filter((l) => l.includes('not_in_channel'));
    // The CI watcher keeps updating the card meanwhile: the count may have grown, the line is one.
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^ {2}slack: \d+ Slack messages for <#\w+> dropped since \S+ \(not_in_channel\): /);
    expect(said[0]).toContain(`<#${OPS_CHANNEL}> dropped since ${row!.firstAt} (not_in_channel): ${FIX}`);
    expect(human[0]).toMatch(/^litellm: /);
    const [json] = (await cliStatus(w, true)).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json).toMatchObject({
      pipeline: 'litellm',
      slackDropped: [
        {
          channel: OPS_CHANNEL,
          error: 'not_in_channel',
          dropped: expect.any(Number),
          firstAt: row!.firstAt,
          lastAt: expect.any(String),
          fix: FIX,
        },
      ],
    });

    await w.slack.sendEvent({ type: 'app_home_opened', user: ALICE, channel: 'D0ALICE', tab: 'home' });
    const home = await w.until(() => {
      const text = JSON.stringify(w.slack.homeView(ALICE)?.view ?? {});
      return text.includes('not_in_channel') ? text : null;
    }, 'App Home with the dropped cards');
    expect(home.split('/invite @upstream-sync').length - 1).toBe(1);
    expect(home).toContain(`in <#${OPS_CHANNEL}>`);

    // Invited: the next post reaches the channel, and nobody is told to invite the bot any more.
    w.slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops', isMember: true });
    await w.app.services.notifier.syncDetail(
      { pipeline: 'litellm', tag: 'v1.81.0-stable' },
      { kind: 'note', text: 'invited' },
      { key: 'after-invite' },
    );
    await w.until(() => dropped.list().length === 0, 'the record cleared');
    expect((await cliStatus(w, false)).some((l) => l.includes('not_in_channel'))).toBe(false);
  });
});
