import { firstReleaseSync } from '../../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import type { ChecksSummary, PullRequest } from '../../../src/ports.js';
import { mergeRefusal } from '../../../src/pipelines/release-sync/merge-job.js';
import { testConfig } from '../../slack/fixtures.js';

const p = firstReleaseSync(testConfig());
const GREEN: ChecksSummary = { state: 'success', total: 3, failing: [], pending: [] };

function pr(patch: Partial<PullRequest> = {}): PullRequest {
  return {
    number: 7,
    htmlUrl: 'https://github.com/CartoDB/litellm/pull/7',
    title: 'sync',
    body: null,
    state: 'open',
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    headRef: 'upstream-sync/v1.81.0-stable',
    headSha: 'a'.repeat(40),
    headRepo: 'CartoDB/litellm',
    baseRef: 'carto/main',
    labels: [],
    mergeable: true,
    mergeableState: 'clean',
    user: 'bot',
    createdAt: '',
    updatedAt: '',
    ...patch,
  };
}

describe('Approve & merge refuses, saying why', () => {
  it.each([
    ['a closed PR', pr({ state: 'closed' }), GREEN, 'is closed'],
    ['a PR into another branch', pr({ baseRef: 'main' }), GREEN, 'targets main, not carto/main'],
    ['unknown mergeability', pr({ mergeable: null }), GREEN, 'still working out'],
    [
      'conflicts',
      pr({ mergeable: false, mergeableState: 'dirty' }),
      GREEN,
      'does not merge cleanly into carto/main (dirty)',
    ],
    [
      'red CI',
      pr(),
      { state: 'failure', total: 3, failing: ['lint', 'test'], pending: [] } as ChecksSummary,
      'CI is failing on PR #7: lint, test',
    ],
    [
      'CI still running',
      pr(),
      { state: 'pending', total: 3, failing: [], pending: ['e2e'] } as ChecksSummary,
      '1 of 3 pending',
    ],
    [
      'no CI at all',
      pr(),
      { state: 'none', total: 0, failing: [], pending: [] } as ChecksSummary,
      'No CI has reported',
    ],
  ])('%s', (_name, pull, checks, reason) => {
    expect(mergeRefusal(p, pull, checks)).toContain(reason);
  });

  it('lets a green, mergeable PR into production through', () => {
    expect(mergeRefusal(p, pr(), GREEN)).toBeNull();
  });
});
