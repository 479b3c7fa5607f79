import { describe, expect, it } from 'vitest';
import { storeAt } from '../../helpers/test-store.js';
import { SqliteSyncRecords } from '../../../src/adapters/store/sync-store.js';
import { tempDir } from '../../helpers/tmp.js';

const cli = { kind: 'cli' as const, id: 'ana' };

async function openRecords() {
  let now = Date.parse('2026-03-01T00:00:00Z');
  const clock = { now: () => new Date((now += 1000)) };
  const store = storeAt(await tempDir('sync-records-'), { clock });
  return { store, records: new SqliteSyncRecords(store.db, clock) };
}

describe('sync records (migration 002, real SQLite)', () => {
  it('skips and unskips; a closure is handled once, even after unskip', async () => {
    const { store, records } = await openRecords();
    try {
      records.skip('litellm', 'v1.3.0-stable', { reason: 'pr-closed', prNumber: 12 });
      records.skip('litellm', 'v1.2.0-stable', { reason: 'person', by: cli, note: 'breaks OCI' });
      expect(records.activeSkips('litellm').map((s) => [s.tag, s.reason, s.prNumber])).toEqual([
        ['v1.3.0-stable', 'pr-closed', 12],
        ['v1.2.0-stable', 'person', null],
      ]);
      expect(records.unskip('litellm', 'v1.3.0-stable', cli)).toBe(true);
      expect(records.unskip('litellm', 'v1.3.0-stable', cli)).toBe(false);
      expect(records.activeSkips('litellm').map((s) => s.tag)).toEqual(['v1.2.0-stable']);
      records.recordBotClosed('litellm', 'CartoDB/litellm', 7, 'v1.1.0-stable');
      expect([...records.handledClosures('litellm')].sort((a, b) => a - b)).toEqual([7, 12]);
      expect(records.handledClosures('other').size).toBe(0);
    } finally {
      store.close();
    }
  });

  it('keeps the highest synced version, records each run once per job, and caches facts', async () => {
    const { store, records } = await openRecords();
    try {
      records.recordSynced({
        pipeline: 'litellm',
        tag: 'v1.10.0-stable',
        version: '1.10.0',
        prNumber: 3,
        mergeSha: 'a'.repeat(40),
      });
      records.recordSynced({
        pipeline: 'litellm',
        tag: 'v1.9.0-stable',
        version: '1.9.0',
        prNumber: 2,
        mergeSha: null,
      });
      expect(records.lastSynced('litellm')?.tag).toBe('v1.10.0-stable');
      const run = {
        pipeline: 'litellm',
        jobId: 5,
        dryRun: false,
        outcome: 'pr-created' as const,
        currentVersion: '1.9.0',
        latestTag: 'v1.10.0-stable',
        pr: { number: 3, url: 'u' },
        conflicts: ['a.py'],
        skipped: [],
        error: null,
        requestedBy: cli,
      };
      const first = records.recordRun(run);
      expect(records.recordRun({ ...run, outcome: 'failed' })).toEqual(first);
      records.recordRun({ ...run, jobId: null, dryRun: true, outcome: 'queued' });
      expect(records.lastRun('litellm')?.outcome).toBe('pr-created');
      expect(records.lastRun('litellm', { includeDryRuns: true })?.outcome).toBe('queued');
      records.saveFacts('litellm', { commitsBehind: 4, token: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789' });
      expect(records.facts('litellm')?.facts).toEqual({ commitsBehind: 4, token: '[REDACTED]' });
    } finally {
      store.close();
    }
  });
});
