import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { GitHubSandbox } from '../../src/sandbox/github/github-sandbox.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, UPSTREAM, publishRelease, seedRepos } from '../pipelines/release-sync/harness.js';
import { BOB, OPS_CHANNEL, OPS_GROUP } from '../slack/fixtures.js';

// Issue 13 item 4: Slack never resends an acked command. The real `start` process is killed
// (SIGKILL) after it acked `/upstream-sync sync` and while it is still checking the person's user
// group (the stand-in holds usergroups.users.list open): the restarted bot carries the command out.

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const children: ChildProcess[] = [];
const open: Array<{ slack: SlackSandbox; github: GitHubSandbox }> = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const { slack, github } of open.splice(0)) {
    await slack.close();
    await github.close();
  }
});

async function setup() {
  const github = await GitHubSandbox.start({ root: await tempDir('acked-gh-') });
  await seedRepos(github);
  await publishRelease(github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
  const slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  slack.addUser({ id: BOB });
  slack.addUsergroup(OPS_GROUP, [BOB]);
  open.push({ slack, github });
  const dir = await tempDir('acked-');
  const config = join(dir, 'upstream-sync.yml');
  await writeFile(
    config,
    `web: { host: 127.0.0.1, port: 0 }
access: { sync: [${OPS_GROUP}] }
pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS_CHANNEL} }
`,
  );
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    ...github.env(),
    ...slack.env(),
    UPSTREAM_SYNC_DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'warn',
  };
  const start = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', '--config', config], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  return { slack, github, start, dataDir: join(dir, 'data') };
}

describe('a command acked just before a crash', () => {
  it('is carried out by the restarted bot', async () => {
    const w = await setup();
    const first = w.start();
    await w.slack.waitForConnection(1, 60_000);
    w.slack.faults.delay('usergroups.users.list', 60_000, { times: 1 });
    const ack = await w.slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'sync',
      user_id: BOB,
      channel_id: OPS_CHANNEL,
    });
    expect(ack).toEqual({});
    // The bot acked, then asked Slack who is in the group: the stand-in holds that request now.
    for (let i = 0; i < 3000 && !w.slack.faults.delayed.includes('usergroups.users.list'); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(w.slack.faults.delayed).toContain('usergroups.users.list');
    first.kill('SIGKILL');
    await once(first, 'exit');
    const store = openStore(w.dataDir);
    expect(store.jobs.list({ kind: 'sync' })).toEqual([]);
    store.close();

    w.slack.faults.clear();
    const second = w.start();
    await w.slack.waitForConnection(2, 60_000);
    const answer = await w.slack.waitFor(
      () => w.slack.ephemeralsFor(BOB, OPS_CHANNEL).find((e) => visibleText(e.blocks).includes('Queued')),
      { what: 'the answer to the resumed command', timeoutMs: 60_000 },
    );
    expect(visibleText(answer.blocks)).toMatch(/Queued .*sync/i);
    const again = openStore(w.dataDir);
    const jobs = again.jobs.list({ kind: 'sync' });
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.requestedBy).toMatchObject({ kind: 'slack', id: BOB });
    again.close();
    second.kill('SIGTERM');
    await once(second, 'exit');
  }, 180_000);
});
