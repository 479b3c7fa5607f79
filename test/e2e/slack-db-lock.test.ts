import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCommand } from '../../src/cli/start.js';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { DB_FILE } from '../../src/adapters/store/open-store.js';
import { spawnFixture } from '../jobs/fixtures/child.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../pipelines/release-sync/harness.js';
import { ALICE, OPS_CHANNEL } from '../slack/fixtures.js';

// Issue 13 item 5 (database lock): another process holds SQLite's write lock for longer than
// Slack's 3 s ack deadline. better-sqlite3 waits synchronously, so a long busy_timeout froze the
// event loop and acks were missed. The stand-in fails an envelope not acked within 3 s.

const open: Array<{ slack: SlackSandbox; github: GitHubSandbox }> = [];
afterEach(async () => {
  for (const { slack, github } of open.splice(0)) {
    await slack.close();
    await github.close();
  }
});

describe('Slack acks while another process holds the database lock', () => {
  it('acks every command in time, and carries out the sync once the lock is released', async () => {
    const github = await GitHubSandbox.start({ root: await tempDir('lock-gh-') });
    await seedRepos(github);
    await publishRelease(github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
    const slack = await startSlackSandbox();
    slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
    slack.addUser({ id: ALICE });
    open.push({ slack, github });
    const dir = await tempDir('lock-');
    const config = join(dir, 'upstream-sync.yml');
    await writeFile(
      config,
      `web: { host: 127.0.0.1, port: 0 }
access: { sync: [${ALICE}] }
pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS_CHANNEL} }
`,
    );
    const env = {
      ...github.env(),
      ...slack.env(),
      UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'silent',
    };
    const stop = new AbortController();
    let ready: () => void = () => undefined;
    const readyAt = new Promise<void>((r) => (ready = r));
    const exit = startCommand({ config }, { stdout: () => undefined, stderr: () => undefined }, env, {
      stop: stop.signal,
      onReady: () => ready(),
    });
    await readyAt;

    const holder = spawnFixture('../../e2e/fixtures/hold-write-lock.ts', [join(dir, 'data', DB_FILE), '8000']);
    await holder.waitForLine('locked');
    // Each command is acked within 3 s or sendSlashCommand rejects: none may be missed.
    const acks = [];
    for (let i = 0; i < 6; i++)
      acks.push(
        await slack.sendSlashCommand({
          command: '/upstream-sync',
          text: i === 0 ? 'sync' : 'help',
          user_id: ALICE,
          channel_id: OPS_CHANNEL,
        }),
      );
    expect(acks).toEqual(acks.map(() => ({})));
    await holder.waitForLine('released');
    const queued = await slack.waitFor(
      () => slack.ephemeralsFor(ALICE, OPS_CHANNEL).find((e) => visibleText(e.blocks).includes('Queued')),
      { what: 'the sync queued once the lock is gone', timeoutMs: 30_000 },
    );
    expect(visibleText(queued.blocks)).toMatch(/Queued/);
    stop.abort();
    expect(await exit).toBe(0);
  }, 120_000);
});
