import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../src/adapters/store/open-store.js';
import { pruneAuditInput } from '../../../src/jobs/job-kinds.js';
import type { JobRunner } from '../../../src/jobs/runner.js';
import { silentLogger } from '../../../src/log.js';
import { pruneAuditJob } from '../../../src/workflows/audit/prune-audit-job.js';
import { tempDir } from '../../helpers/tmp.js';
import { ManualClock, runnerFor, storeIn } from '../../jobs/fixtures/harness.js';

// The retention prune on the real runner: entries older than audit.retentionDays go, newer ones
// stay, and the job's result, and an audit.prune row, say what was removed.

let store: Store | undefined;
let runner: JobRunner | undefined;
afterEach(async () => {
  await runner?.stop();
  store?.close();
});

const DAY = 86_400_000;

describe('prune-audit job', () => {
  it('removes entries older than retentionDays and records what it removed', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    store = storeIn(await tempDir(), clock);
    store.audit.record({ actor: { kind: 'slack', id: 'U1' }, action: 'approve', pipeline: 'a', outcome: 'done' });
    clock.advance(20 * DAY);
    store.audit.record({ actor: { kind: 'slack', id: 'U2' }, action: 'sync', pipeline: 'a', outcome: 'refused' });
    clock.advance(15 * DAY); // the first entry is 35 days old, the second 15

    runner = runnerFor(store, { clock });
    runner.register(
      pruneAuditJob({ config: { audit: { retentionDays: 30 } }, audit: store.audit, clock, log: silentLogger() }),
    );
    runner.start();
    const { job } = await runner.enqueue(pruneAuditInput({ kind: 'cron', id: 'audit-prune' }));
    const done = await runner.waitFor(job.id, { timeoutMs: 10_000 });

    expect(done.state).toBe('succeeded');
    expect(done.result).toEqual({
      removed: 1,
      before: '2026-01-06T00:00:00.000Z',
      oldest: '2026-01-01T00:00:00.000Z',
      newest: '2026-01-01T00:00:00.000Z',
      byAction: { approve: 1 },
    });
    const left = store.audit.list();
    expect(left.map((e) => [e.action, e.outcome])).toEqual([
      ['audit.prune', 'done'],
      ['sync', 'refused'],
    ]);
    expect(left[0]?.details).toMatchObject({ removed: 1, byAction: { approve: 1 }, retentionDays: 30 });
  });
});
