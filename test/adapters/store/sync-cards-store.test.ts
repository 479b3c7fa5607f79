import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { storeAt } from '../../helpers/test-store.js';
import { OutboxStore } from '../../../src/slack/outbox/outbox-store.js';
import { tempDir } from '../../helpers/tmp.js';

// The SyncCards port over a real SQLite file: a sync's stage and facts merge field by field,
// every save bumps the version Slack catches up to, and `then` shares the save's transaction.

const REF = { pipeline: 'litellm', tag: 'v1.81.12-stable' };
const PR = { number: 12, url: 'https://github.com/CartoDB/litellm/pull/12', title: 'Sync v1.81.12' };
const at = (minute: number) => new Date(Date.UTC(2026, 2, 11, 12, minute));

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

async function open(): Promise<Store> {
  store = storeAt(await tempDir());
  return store;
}

describe('SqliteSyncCards', () => {
  it('starts a sync from empty facts and merges only the fields an update defines', async () => {
    const { syncCards } = await open();
    expect(syncCards.get(REF)).toBeNull();
    const first = syncCards.save(REF, { stage: 'detected', toVersion: '1.81.12' }, { now: at(0) });
    expect(first.previousStage).toBeNull();
    expect(first.card).toMatchObject({ version: 1, sentVersion: 0 });
    expect(first.card.snapshot).toMatchObject({ stage: 'detected', toVersion: '1.81.12', pr: null, silent: false });

    const second = syncCards.save(REF, { stage: 'pr-open', pr: PR, toVersion: undefined }, { now: at(1) });
    expect(second.previousStage).toBe('detected');
    expect(syncCards.get(REF)).toMatchObject({
      version: 2,
      snapshot: { stage: 'pr-open', pr: PR, toVersion: '1.81.12', updatedAt: at(1).toISOString() },
    });
  });

  it('lists a pipeline’s syncs newest first, up to the limit', async () => {
    const { syncCards } = await open();
    syncCards.save({ pipeline: 'litellm', tag: 'a' }, { stage: 'merged' }, { now: at(0) });
    syncCards.save({ pipeline: 'litellm', tag: 'b' }, { stage: 'ci' }, { now: at(1) });
    syncCards.save({ pipeline: 'other', tag: 'c' }, { stage: 'ci' }, { now: at(2) });
    syncCards.save({ pipeline: 'litellm', tag: 'a' }, { stage: 'released' }, { now: at(3) });
    expect(syncCards.recent('litellm').map((s) => s.tag)).toEqual(['a', 'b']);
    expect(syncCards.recent('litellm', 1).map((s) => s.stage)).toEqual(['released']);
  });

  it('never moves the sent version backwards', async () => {
    const { syncCards } = await open();
    syncCards.save(REF, { stage: 'detected' }, { now: at(0) });
    syncCards.save(REF, { stage: 'pr-open' }, { now: at(1) });
    syncCards.markSent(REF, 2);
    syncCards.markSent(REF, 1);
    expect(syncCards.get(REF)).toMatchObject({ version: 2, sentVersion: 2 });
  });

  it('runs `then` in the save’s transaction: the outbox card row and the snapshot land together or not at all', async () => {
    const s = await open();
    const outbox = new OutboxStore(s.db);
    s.syncCards.save(REF, { stage: 'detected' }, { now: at(0), then: () => outbox.requestCard(REF, at(0)) });
    s.syncCards.save(REF, { stage: 'pr-open' }, { now: at(1), then: () => outbox.requestCard(REF, at(1)) });
    expect(outbox.pending().map((r) => r.op)).toEqual(['card']);

    expect(() =>
      s.syncCards.save(
        REF,
        { stage: 'ci' },
        {
          now: at(2),
          then: () => {
            outbox.enqueue({ op: 'post', pipeline: 'litellm', tag: null, payload: {}, idemKey: 'x' }, at(2));
            throw new Error('boom');
          },
        },
      ),
    ).toThrow('boom');
    expect(s.syncCards.get(REF)).toMatchObject({ version: 2, snapshot: { stage: 'pr-open' } });
    expect(outbox.pending()).toHaveLength(1);
  });
});
