import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DB_FILE } from '../../src/adapters/store/open-store.js';
import type { StoredMessage } from '../../src/sandbox/slack/slack-state.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { POST_EVENT_TYPE } from '../../src/slack/own-post.js';
import { publishRelease } from '../pipelines/release-sync/harness.js';
import { OPS_CHANNEL } from '../slack/fixtures.js';
import { startWorld, until, type StartWorld } from './start/start-world.js';

// Issue 13 item 1: the outbox posts, Slack keeps the message, and the process dies before it
// records the ts. The real `start` process is killed (SIGKILL) while the Slack stand-in holds the
// answer to a chat.postMessage it has already carried out; the restarted bot must find its own
// post (message metadata, conversations.history / conversations.replies) instead of posting a
// second card with live buttons or a second thread reply.

const TAG = 'v1.81.0-stable';

interface Db {
  card(): { ts: string } | null;
  /** The sync card's newest version has reached Slack and nothing is left to send. */
  settled(): boolean;
}

function readDb(w: StartWorld): Db {
  const query = <T>(f: (db: Database.Database) => T): T => {
    const db = new Database(join(w.dataDir, DB_FILE), { readonly: true, fileMustExist: true });
    try {
      return f(db);
    } finally {
      db.close();
    }
  };
  return {
    card: () =>
      query(
        (db) =>
          (db
            .prepare("SELECT ts FROM slack_messages WHERE pipeline = 'litellm' AND key = ? AND kind = 'sync-card'")
            .get(TAG) as { ts: string } | undefined) ?? null,
      ),
    settled: () =>
      query((db) => {
        const card = db
          .prepare("SELECT version, sent_version FROM slack_cards WHERE pipeline = 'litellm' AND tag = ?")
          .get(TAG) as { version: number; sent_version: number } | undefined;
        const pending = db.prepare("SELECT COUNT(*) AS n FROM slack_outbox WHERE state = 'pending'").get() as {
          n: number;
        };
        return !!card && card.sent_version === card.version && pending.n === 0;
      }),
  };
}

/** A CLI sync opened the PR (no Slack variables): the bot's first posts are its card and thread. */
async function syncedWorld(): Promise<{ w: StartWorld; db: Db; pr: number }> {
  const w = await startWorld();
  await publishRelease(w.sandbox, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
  const sync = await w.run(['sync', '--config', w.configFile, '--json']);
  expect(sync.code).toBe(0);
  const pr = (sync.json[0]!.pr as { number: number }).number;
  return { w, db: readDb(w), pr };
}

const topLevel = (w: StartWorld): StoredMessage[] =>
  w.slack.messages(OPS_CHANNEL).filter((m) => !m.threadTs || m.threadTs === m.ts);
const keyOf = (m: StoredMessage): unknown => (m.metadata as { event_payload?: { key?: unknown } })?.event_payload?.key;

async function killWhileHeld(w: StartWorld, held: number): Promise<void> {
  const bot = await w.startBot();
  await until(() => w.slack.faults.answersHeld.length >= held, 'a post carried out with its answer held', 90_000);
  bot.child.kill('SIGKILL');
  expect((await bot.done).signal).toBe('SIGKILL');
  w.slack.faults.clear();
}

describe('kill -9 between a Slack post and its record', () => {
  it('the card: after the restart one card, adopted and updated in place', async () => {
    const { w, db, pr } = await syncedWorld();
    w.slack.faults.holdAnswer('chat.postMessage', 120_000, { times: 1 });
    await killWhileHeld(w, 1);
    expect(topLevel(w)).toHaveLength(1);
    const posted = topLevel(w)[0]!;
    expect(posted.metadata).toMatchObject({ event_type: POST_EVENT_TYPE });
    expect(db.card()).toBeNull();

    const bot = await w.startBot();
    await until(() => db.card() !== null && db.settled(), 'the card recorded and up to date', 90_000);
    expect(topLevel(w)).toHaveLength(1);
    expect(db.card()!.ts).toBe(posted.ts);
    const card = topLevel(w)[0]!;
    expect(card.editedTs).toBeDefined();
    expect(visibleText(card.blocks)).toContain(`#${pr}`);
    // One look for the card (the other history calls are start's `limit: 1` readability check).
    const lookups = w.slack.callsTo('conversations.history').filter((c) => c.params.oldest !== undefined);
    expect(lookups.map((c) => c.params.include_all_metadata)).toEqual(['true']);
    // Every thread reply once: no key twice.
    const keys = w.slack.threadOf(OPS_CHANNEL, posted.ts).map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    bot.child.kill('SIGTERM');
    await bot.done;
  }, 240_000);

  it('a thread reply: after the restart the reply is in the thread once', async () => {
    const { w, db } = await syncedWorld();
    // The card goes through; the first thread reply is carried out and its answer held.
    w.slack.faults.holdAnswer('chat.postMessage', 120_000, { skip: 1, times: 1 });
    await killWhileHeld(w, 1);
    const card = topLevel(w)[0]!;
    const before = w.slack.threadOf(OPS_CHANNEL, card.ts);
    expect(before).toHaveLength(1);
    const heldKey = keyOf(before[0]!);
    expect(heldKey).toEqual(expect.stringMatching(/^outbox:/));

    const bot = await w.startBot();
    await until(() => db.settled(), 'the outbox emptied', 90_000);
    expect(topLevel(w)).toHaveLength(1);
    const replies = w.slack.threadOf(OPS_CHANNEL, card.ts);
    expect(replies.filter((m) => keyOf(m) === heldKey)).toHaveLength(1);
    const keys = replies.map(keyOf);
    expect(new Set(keys).size).toBe(keys.length);
    expect(w.slack.callsTo('conversations.replies').map((c) => c.params.include_all_metadata)).toEqual(['true']);
    bot.child.kill('SIGTERM');
    await bot.done;
  }, 240_000);
});
