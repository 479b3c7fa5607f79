import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../src/adapters/store/open-store.js';
import { isAppError } from '../../src/errors.js';
import type { JobRunner } from '../../src/jobs/runner.js';
import { tempDir } from '../helpers/tmp.js';
import { job, runnerFor, storeIn } from './fixtures/harness.js';

// Issue 13 item 6, at the runner: a database that cannot grow (SQLite's max_page_count gives the
// same SQLITE_FULL a full disk does) must not leave waitFor() waiting forever; the fault is
// visible, said once, and clears once writes work again.

const opened: Store[] = [];
const runners: JobRunner[] = [];
afterEach(async () => {
  while (runners.length) await runners.pop()!.stop();
  while (opened.length) opened.pop()!.close();
});

describe('JobRunner on a full database', () => {
  it('rejects waitFor with disk_full, reports the fault, and recovers when space returns', async () => {
    const store = storeIn(await tempDir());
    opened.push(store);
    let full = true;
    const runner = runnerFor(store, {
      leaseMs: 200,
      storageLabel: 'the data directory /test',
      storageProbe: () => {
        if (full) throw new Error('ENOSPC: no space left on device');
      },
    });
    runners.push(runner);
    // The result is larger than the pages the database may still take.
    runner.register({ kind: 'big', handler: async () => 'x'.repeat(256 * 1024) });
    const { job: queued } = await runner.enqueue(job('big', 'big:1', null));
    const pages = store.db.pragma('page_count', { simple: true }) as number;
    store.db.pragma(`max_page_count = ${pages + 2}`);

    runner.start();
    const err = await runner.waitFor(queued.id).catch((e: unknown) => e);
    expect(isAppError(err, 'disk_full')).toBe(true);
    expect((err as Error).message).toContain('the data directory /test');
    expect((err as Error).message).toContain('database or disk is full');
    expect(runner.storageFault()).toMatchObject({ message: (err as Error).message });

    // Space returns: the probe passes, the fault clears, the job (its lease run out) ends.
    store.db.pragma('max_page_count = 1073741823');
    full = false;
    await new Promise<void>((resolve) => {
      const off = runner.onChange((j) => {
        if (j.id === queued.id && j.state === 'succeeded') {
          off();
          resolve();
        }
      });
    });
    expect(runner.storageFault()).toBeNull();
  });
});
