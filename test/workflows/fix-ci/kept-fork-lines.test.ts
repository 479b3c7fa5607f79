import { describe, expect, it } from 'vitest';
import { checkPatch } from '../../../src/core/ci-fix/patch-check.js';
import type { LedgerEntry } from '../../../src/core/ledger/types.js';
import type { GitPort, HunkRecord, ResolveRunRecord } from '../../../src/ports.js';
import type { LedgerRecord } from '../../../src/ports/ledger-records.js';
import { keptForkLines } from '../../../src/workflows/fix-ci/fix-ci-evidence.js';

// Which fork lines a CI fix may not take out: the ledger's kept and adapted fork hunks, and the
// lines of the resolver's decided hunks that only production has (not the merge base).

const entry = (path: string, fate: LedgerEntry['fate'], added: string[]): LedgerEntry => ({
  id: `${path}#1@x`,
  path,
  basePath: null,
  kind: 'modified',
  baseLine: 1,
  forkLine: 1,
  removed: [],
  added,
  before: [],
  after: [],
  fate,
  detail: '',
});

const files: Record<string, Record<string, string>> = {
  prod: { 'litellm/router.py': 'import os\nCARTO_REGION = os.environ["CARTO_REGION"]\nreturn_value = compute()\n' },
  base: { 'litellm/router.py': 'import os\nreturn_value = compute()\n' },
};
const git = {
  readFile: async (_repo: string, rev: string, path: string) =>
    files[rev]?.[path] === undefined ? null : Buffer.from(files[rev]![path]!),
} as unknown as GitPort;

describe('keptForkLines', () => {
  it('protects kept fork hunks and the fork side of decided hunks, not upstream lines', async () => {
    const ledger = {
      entries: [
        entry('litellm/carto.py', 'kept', ['CARTO_FEATURE_FLAG = True']),
        entry('litellm/gone.py', 'dropped', ['DROPPED_ALREADY = 1']),
      ],
    } as LedgerRecord;
    const run = { headSha: 'h', mergeBase: 'base' } as ResolveRunRecord;
    const decision: HunkRecord = {
      path: 'litellm/router.py',
      hunk: 0,
      hunkKey: 'k',
      layer: 'llm',
      by: 'claude',
      rationale: 'kept the CARTO region',
      confidence: 0.9,
      text: 'CARTO_REGION = os.environ["CARTO_REGION"]\nreturn_value = compute()\n',
    };
    const kept = await keptForkLines(
      {
        git,
        ledgers: { latest: () => ledger },
        resolver: { lastRun: () => run, decisions: () => [decision] },
      },
      { pipeline: 'litellm', repo: 'CartoDB/litellm', pr: 3, production: 'prod' },
    );
    expect([...kept.lines.get('litellm/carto.py')!]).toEqual(['CARTO_FEATURE_FLAG = True']);
    expect(kept.lines.has('litellm/gone.py')).toBe(false);
    expect([...kept.lines.get('litellm/router.py')!]).toEqual(['CARTO_REGION = os.environ["CARTO_REGION"]']);
    expect(kept.decisions).toEqual(['litellm/router.py hunk 1: llm (claude): kept the CARTO region']);

    const rules = {
      allowPaths: ['**'],
      denyPaths: [],
      maxPatchLines: 50,
      changedFiles: ['litellm/router.py'],
      forkLines: kept.lines,
    };
    const drop =
      '--- a/litellm/router.py\n+++ b/litellm/router.py\n@@ -1,3 +1,2 @@\n import os\n-CARTO_REGION = os.environ["CARTO_REGION"]\n return_value = compute()\n';
    expect(checkPatch(drop, rules)).toMatchObject({ ok: false, refused: { reason: 'deletes-fork-customisation' } });
    const upstreamLine =
      '--- a/litellm/router.py\n+++ b/litellm/router.py\n@@ -1,3 +1,3 @@\n import os\n CARTO_REGION = os.environ["CARTO_REGION"]\n-return_value = compute()\n+return_value = compute(strict=True)\n';
    expect(checkPatch(upstreamLine, rules)).toMatchObject({ ok: true });
  });
});
