import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/adapters/store/open-store.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { startStandIns } from '../helpers/start-stand-ins.js';
import { BOB, OPS_CHANNEL, OPS_GROUP } from '../slack/fixtures.js';

// Issue 13 item 4: Slack never resends an acked command. The real `start` process is killed
// (SIGKILL) after it acked `/upstream-sync sync` and while it is still checking the person's user
// group (the stand-in holds usergroups.users.list open): the restarted bot carries the command out.

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const children: ChildProcess[] = [];
// Registered after the stand-ins' (imported) hook, so it runs first: children die before the stand-ins close.
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

async function setup() {
  const w = await startStandIns({
    prefix: 'acked',
    users: [BOB],
    release: true,
    access: `{ sync: [${OPS_GROUP}] }`,
    mirrorBranch: true,
  });
  w.slack.addUsergroup(OPS_GROUP, [BOB]);
  const env = { ...w.env, PATH: process.env.PATH, HOME: w.dir, LOG_LEVEL: 'warn' };
  const start = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start', '--config', w.config], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  };
  return { slack: w.slack, github: w.github, start, dataDir: w.dataDir };
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
