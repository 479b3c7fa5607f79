import { describe, expect, it } from 'vitest';
import {
  BRANCH_SYNC_CONFLICTS_MARKER,
  BRANCH_SYNC_PR_MARKER,
  branchSyncMergeMessage,
  conflictsComment,
  renderBranchSyncBody,
} from '../../../src/core/branch-sync/branch-sync-text.js';

const U = 'a'.repeat(40);
const base = {
  pipeline: 'webui',
  upstreamRepo: 'open-webui/open-webui',
  upstreamBranch: 'main',
  upstreamSha: U,
  forkRepo: 'acme/open-webui',
  syncBranch: 'sync/upstream',
  targetBranch: 'dev',
  compareUrl: 'https://github.com/open-webui/open-webui/compare/b...a',
  resolved: [],
};

describe('branch-sync PR body', () => {
  it.each([
    [1, ['**1 upstream commit** not yet in `dev`'], ['… and']],
    [3, ['**3 upstream commits**', '- … and 1 more'], []],
  ])('%i upstream commits: count, first lines, compare link', (count, has, hasNot) => {
    const body = renderBranchSyncBody({
      ...base,
      count,
      commits: [
        { sha: 'b'.repeat(40), subject: 'feat: one' },
        { sha: 'c'.repeat(40), subject: 'fix: ping @someone\nsecond line' },
      ].slice(0, Math.min(count, 2)),
    });
    expect(body.startsWith(BRANCH_SYNC_PR_MARKER)).toBe(true);
    expect(body).toContain(`- ${'b'.repeat(12)} feat: one`);
    expect(body).toContain('[compare](https://github.com/open-webui/open-webui/compare/b...a)');
    for (const h of has) expect(body).toContain(h);
    for (const h of hasNot) expect(body).not.toContain(h);
    // A subject cannot ping people or break the list.
    expect(body).not.toMatch(/@someone/);
  });

  it('lists resolved conflicts, in the body and in the merge commit message', () => {
    const resolved = [{ path: 'docs/setup.md', how: 'fork by rule (rule docs/**: take fork)' }];
    expect(renderBranchSyncBody({ ...base, count: 1, commits: [], resolved })).toContain(
      '- `docs/setup.md`: fork by rule',
    );
    expect(branchSyncMergeMessage({ ...base, resolved })).toBe(
      `Merge open-webui/open-webui main (${U.slice(0, 12)}) into sync/upstream\n\nConflicts resolved:\n- docs/setup.md: fork by rule (rule docs/**: take fork)\n`,
    );
    expect(branchSyncMergeMessage({ ...base, resolved: [] })).toBe(
      `Merge open-webui/open-webui main (${U.slice(0, 12)}) into sync/upstream\n`,
    );
  });

  it('the conflicts comment names every path and says the branch does not move', () => {
    const text = conflictsComment({
      upstreamSha: U,
      syncBranch: 'sync/upstream',
      paths: ['a.py', 'b`c.md'],
      waiting: 2,
    });
    expect(text.startsWith(BRANCH_SYNC_CONFLICTS_MARKER)).toBe(true);
    expect(text).toContain('- `a.py`');
    expect(text).toContain("- `b'c.md`");
    expect(text).toContain('2 hunks wait for a person');
    expect(text).toContain('does not move');
  });
});
