import { describe, expect, it } from 'vitest';
import { privateStore } from '../../helpers/test-store.js';
import { SqliteLedgerRecords } from '../../../src/adapters/store/ledger-store.js';
const fixedClock = (d: Date) => ({ now: () => d });
import { buildForkLedger } from '../../../src/workflows/ledger/build-ledger.js';
import { ledgerRefusal, recordLedger } from '../../../src/workflows/ledger/ledger-service.js';
import type { FeatureGuard } from '../../../src/core/ledger/guards.js';
import { ledgerRepo, REPO } from './ledger-fixture.js';

describe('buildForkLedger on real repositories', () => {
  it('classifies every fork hunk (20+ of each fate), following renames and deletions that return', async () => {
    const { git, revs, files } = await ledgerRepo(20);
    const before = git.stats.calls;
    const ledger = await buildForkLedger(git, REPO, revs);
    expect(git.stats.calls - before).toBeLessThanOrEqual(3);
    expect(ledger.counts).toEqual({ kept: 22, absorbed: 20, adapted: 20, dropped: 22 });
    for (const f of files) {
      const entries = ledger.entries.filter((e) => e.path === f.path);
      expect(entries.length, f.path).toBeGreaterThan(0);
      expect(
        entries.map((e) => e.fate),
        f.path,
      ).toContain(f.expected);
    }
    const renamed = ledger.entries.find((e) => e.path === 'carto/renamed_kept.py');
    expect(renamed?.basePath).toBe('core/renamed_kept.py');
    const back = ledger.entries.find((e) => e.path === 'legacy/returns.py');
    expect(back).toMatchObject({ kind: 'deleted-file', fate: 'dropped', detail: 'the file the fork deleted is back' });
  });

  it('leaves conflicted files for later', async () => {
    const { git, revs } = await ledgerRepo(1);
    const ledger = await buildForkLedger(git, REPO, revs, { pendingPaths: ['src/dropped/dropped0.ts'] });
    expect(ledger.pendingPaths).toEqual(['src/dropped/dropped0.ts']);
    expect(ledger.entries.some((e) => e.path === 'src/dropped/dropped0.ts')).toBe(false);
  });
});

describe('recordLedger and readiness', () => {
  const passing: FeatureGuard = {
    feature: 'kept customisation',
    files: ['src/kept/kept0.ts'],
    patterns: [
      { file: 'src/kept/kept0.ts', literal: 'forkCompute(10)' },
      { file: 'carto/renamed_kept.py', regex: '^\\s+return os\\.getcwd\\(\\) \\+ "/carto"$' },
    ],
  };
  const failing: FeatureGuard = {
    feature: 'OCI',
    files: ['carto/renamed_lost.py'],
    patterns: [{ file: 'src/dropped/dropped0.ts', literal: 'forkCompute(10)' }],
  };

  it('stores the ledger per head; dropped hunks and failing guards block until accepted or passing', async () => {
    const { git, revs } = await ledgerRepo(2);
    const store = privateStore();
    const ledgers = new SqliteLedgerRecords(store.db, fixedClock(new Date('2026-12-01T00:00:00Z')));
    const input = { pipeline: 'carto', tag: 'v2.0.0', prNumber: 7, repo: REPO, revs, guards: [passing, failing] };
    const record = await recordLedger(git, ledgers, input);
    expect(record.guards).toEqual([
      { feature: 'kept customisation', ok: true, failures: [] },
      {
        feature: 'OCI',
        ok: false,
        failures: ['carto/renamed_lost.py is missing', 'src/dropped/dropped0.ts no longer contains "forkCompute(10)"'],
      },
    ]);
    const stored = ledgers.latest('carto', { pr: 7 });
    expect(stored?.headSha).toBe(revs.result);
    expect(stored?.counts).toEqual(record.counts);
    expect(ledgers.latestForPr(7)?.tag).toBe('v2.0.0');

    const dropped = record.entries.filter((e) => e.fate === 'dropped');
    expect(dropped).toHaveLength(4);
    const reason = ledgerRefusal(ledgers, stored!, 7);
    expect(reason).toMatch(/^PR #7: 4 fork hunks dropped by the sync \(/);
    expect(reason).toContain('1 feature guard failing (OCI: carto/renamed_lost.py is missing)');

    for (const e of dropped.slice(0, 3)) ledgers.accept('carto', 'v2.0.0', e.id, { kind: 'cli', id: 'ana' });
    expect(ledgerRefusal(ledgers, stored!, 7)).toMatch(/^PR #7: 1 fork hunk dropped/);
    ledgers.accept('carto', 'v2.0.0', dropped[3]!.id, { kind: 'cli', id: 'ana' });
    expect(ledgerRefusal(ledgers, stored!, 7)).toBe(
      'PR #7: 1 feature guard failing (OCI: carto/renamed_lost.py is missing).',
    );
    expect(ledgers.acceptances('carto', 'v2.0.0').map((a) => a.acceptedBy.id)).toEqual(['ana', 'ana', 'ana', 'ana']);

    const green = await recordLedger(git, ledgers, { ...input, guards: [passing] });
    expect(ledgerRefusal(ledgers, { ...green, builtAt: '' }, 7)).toBeNull();
  });
});
