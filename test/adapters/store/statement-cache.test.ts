import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { StatementCache } from '../../../src/adapters/store/statement-cache.js';
import { tempDir } from '../../helpers/tmp.js';
import { ManualClock, job, storeIn } from '../../jobs/fixtures/harness.js';

// The hot paths compile their SQL once per connection; the answers stay what they were.

let store: Store;
const clock = new ManualClock();

afterEach(() => store?.close());

async function open(): Promise<Store> {
  store = storeIn(await tempDir(), clock);
  return store;
}

describe('StatementCache', () => {
  it('returns the same compiled statement for the same text, and keeps plucking statements apart', async () => {
    const { db } = await open();
    const cache = new StatementCache(db);
    const prepare = vi.spyOn(db, 'prepare');
    const sql = 'SELECT id, kind FROM jobs WHERE id = ?';
    expect(cache.prepare(sql)).toBe(cache.prepare(sql));
    expect(prepare).toHaveBeenCalledTimes(1);
    const plucked = cache.pluck(sql);
    expect(plucked).not.toBe(cache.prepare(sql));
    expect(prepare).toHaveBeenCalledTimes(2);

    db.prepare(
      "INSERT INTO jobs (kind, dedupe_key, locks, state, data, max_attempts, requested_by, run_after, created_at, updated_at) VALUES ('k', 'd', '[]', 'queued', 'null', 1, '{}', 'x', 'x', 'x')",
    ).run();
    // The plucking statement gives the first column; the plain one still gives whole rows.
    expect(plucked.get(1)).toBe(1);
    expect(cache.prepare(sql).get(1)).toEqual({ id: 1, kind: 'k' });
  });

  it('compiles nothing on repeated job listings, claims and audit entries', async () => {
    const s = await open();
    const actor = { kind: 'cli' as const, id: 'ops' };
    const warm = () => {
      s.jobs.enqueue(
        job('count', `count:${Math.random()}`, null, { pipeline: 'litellm' }),
        { maxAttempts: 3 },
        clock.now(),
      );
      s.jobs.list({ pipeline: 'litellm', states: ['queued'] });
      s.jobs.claim({ owner: 'me', kinds: ['count'], leaseMs: 1000, now: clock.now() });
      s.jobs.hasPending(['count'], clock.now());
      s.audit.record({ actor, action: 'sync', pipeline: 'litellm', outcome: 'done' });
      s.slackMessages.get('litellm', 'v1', 'card');
    };
    warm();
    const prepare = vi.spyOn(s.db, 'prepare');
    warm();
    warm();
    expect(prepare).not.toHaveBeenCalled();
    expect(s.jobs.list({ pipeline: 'litellm' }).map((j) => j.state)).toEqual(['running', 'running', 'running']);
    expect(s.audit.list({ pipeline: 'litellm' })).toHaveLength(3);
  });
});
