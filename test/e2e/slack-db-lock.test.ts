import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startCommand } from '../../src/cli/start.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { DB_FILE } from '../../src/adapters/store/open-store.js';
import { spawnFixture } from '../jobs/fixtures/child.js';
import { startStandIns } from '../helpers/start-stand-ins.js';
import { ALICE, OPS_CHANNEL } from '../slack/fixtures.js';

// Issue 13 item 5 (database lock): another process holds SQLite's write lock for longer than
// Slack's 3 s ack deadline. better-sqlite3 waits synchronously, so a long busy_timeout froze the
// event loop and acks were missed. The stand-in fails an envelope not acked within 3 s.

describe('Slack acks while another process holds the database lock', () => {
  it('acks every command in time, and carries out the sync once the lock is released', async () => {
    const { slack, dataDir, config, env } = await startStandIns({
      prefix: 'lock',
      users: [ALICE],
      release: true,
      access: `{ sync: [${ALICE}] }`,
      mirrorBranch: true,
    });
    const stop = new AbortController();
    let ready: () => void = () => undefined;
    const readyAt = new Promise<void>((r) => (ready = r));
    const exit = startCommand({ config }, { stdout: () => undefined, stderr: () => undefined }, env, {
      stop: stop.signal,
      onReady: () => ready(),
    });
    await readyAt;

    const holder = spawnFixture('../../e2e/fixtures/hold-write-lock.ts', [join(dataDir, DB_FILE), '8000']);
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
