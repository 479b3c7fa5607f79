import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import type { MirrorConfig } from '../../../src/config/schema.js';
import type { ChecksSummary, PullRequest } from '../../../src/ports.js';
import { mergeRefusal } from '../../../src/pipelines/release-sync/merge-job.js';

// Approve & merge of a mirror's merge into target: only a PR from an upstream-sync/mirror-
// branch of the target repository into the target branch, open, mergeable and green.

const p = parseConfig({
  pipelines: [
    {
      id: 'occ',
      kind: 'mirror',
      source: { repo: 'o9nn/occ', branch: 'main' },
      target: { repo: 'cogpy/occ', branch: 'main' },
    },
  ],
}).pipelines[0] as MirrorConfig;
const GREEN: ChecksSummary = { state: 'success', total: 1, failing: [], pending: [] };

function pr(patch: Partial<PullRequest> = {}): PullRequest {
  return {
    number: 3,
    htmlUrl: 'https://github.com/cogpy/occ/pull/3',
    title: 'merge',
    body: null,
    state: 'open',
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    headRef: 'upstream-sync/mirror-abc1234',
    headSha: 'a'.repeat(40),
    headRepo: 'cogpy/occ',
    baseRef: 'main',
    labels: [],
    mergeable: true,
    mergeableState: 'clean',
    user: 'bot',
    createdAt: '',
    updatedAt: '',
    ...patch,
  };
}

describe('Approve & merge of a mirror merge PR', () => {
  it('merges a green, mergeable PR from the merge branch into the target branch', () => {
    expect(mergeRefusal(p, pr(), GREEN)).toBeNull();
  });

  it.each([
    ['another branch', pr({ headRef: 'feature/x' }), 'is not a merge into target'],
    ['a branch of another repository', pr({ headRepo: 'evil/occ' }), 'is not a merge into target'],
    ['another base', pr({ baseRef: 'dev' }), 'targets dev, not main'],
    ['a closed PR', pr({ state: 'closed' }), 'is closed'],
    ['conflicts', pr({ mergeable: false, mergeableState: 'dirty' }), 'does not merge cleanly into main'],
  ])('refuses %s', (_n, pull, reason) => {
    expect(mergeRefusal(p, pull, GREEN)).toContain(reason);
  });
});
