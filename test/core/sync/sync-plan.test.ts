import { describe, expect, it } from 'vitest';
import type { PullRequest } from '../../../src/ports.js';
import { selectReleases, type ReleaseSelection } from '../../../src/core/sync/release-selection.js';
import { planSync, type PlanInput } from '../../../src/core/sync/sync-plan.js';
import { syncBranchName, tagOfSyncBranch } from '../../../src/core/sync/sync-branch.js';
import { recognizeSyncPulls, type SyncPull } from '../../../src/core/sync/sync-pulls.js';

const PATTERN = '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$';

function releases(...tags: string[]): ReleaseSelection {
  return selectReleases(
    tags.map((tag, i) => ({
      id: i,
      tag,
      name: tag,
      draft: false,
      prerelease: false,
      publishedAt: '2026-01-01T00:00:00Z',
      htmlUrl: `https://x/${tag}`,
      body: null,
    })),
    { tagPattern: PATTERN, minReleaseAgeHours: 0, now: new Date('2026-03-01T00:00:00Z') },
  );
}

function pull(number: number, tag: string, state: 'open' | 'closed' = 'open', merged = false): SyncPull {
  return {
    number,
    htmlUrl: `https://x/pull/${number}`,
    tag,
    headRef: `upstream-sync/${tag}`,
    headSha: 'a'.repeat(40),
    state,
    merged,
    mergeCommitSha: null,
    createdAt: '',
    updatedAt: '',
  };
}

function planOrProblem(overrides: Partial<PlanInput>) {
  return planSync({
    currentVersion: '1.2.0',
    selection: releases('v1.2.0-stable', 'v1.3.0-stable'),
    skippedTags: new Set(),
    syncPulls: [],
    policy: 'queue',
    handledClosures: new Set(),
    ...overrides,
  });
}

function plan(overrides: Partial<PlanInput>) {
  const result = planOrProblem(overrides);
  if (!result.ok) throw new Error(`no plan: ${result.message}`);
  return result;
}

describe('planSync', () => {
  it.each<[string, Partial<PlanInput>, string, string | null, number | null]>([
    ['new release, nothing open', {}, 'sync', 'v1.3.0-stable', null],
    ['already on the newest', { currentVersion: '1.3.0' }, 'up-to-date', null, null],
    ['file ahead of every release', { currentVersion: '1.4.0' }, 'up-to-date', null, null],
    ['no stable release at all', { selection: releases() }, 'up-to-date', null, null],
    ['PR for the newest already open', { syncPulls: [pull(7, 'v1.3.0-stable')] }, 'pr-exists', 'v1.3.0-stable', 7],
    [
      'older PR open, queue',
      { selection: releases('v1.2.0-stable', 'v1.2.5-stable', 'v1.3.0-stable'), syncPulls: [pull(5, 'v1.2.5-stable')] },
      'queued',
      'v1.3.0-stable',
      5,
    ],
    [
      'older PR open, supersede',
      {
        policy: 'supersede',
        selection: releases('v1.2.5-stable', 'v1.3.0-stable'),
        syncPulls: [pull(5, 'v1.2.5-stable')],
      },
      'supersede',
      'v1.3.0-stable',
      5,
    ],
    [
      'newest skipped by a person: next newest',
      { selection: releases('v1.2.5-stable', 'v1.3.0-stable'), skippedTags: new Set(['v1.3.0-stable']) },
      'sync',
      'v1.2.5-stable',
      null,
    ],
    ['everything newer skipped', { skippedTags: new Set(['v1.3.0-stable']) }, 'up-to-date', null, null],
    [
      '1.10 beats 1.9',
      { currentVersion: '1.9.0', selection: releases('v1.9.0-stable', 'v1.10.0-stable') },
      'sync',
      'v1.10.0-stable',
      null,
    ],
  ])('%s → %s', (_name, input, action, tag, pr) => {
    const { plan: result } = plan(input);
    expect(result.action).toBe(action);
    expect('target' in result ? result.target.tag : null).toBe(tag);
    expect('pr' in result ? result.pr.number : null).toBe(pr);
  });

  it('puts the tag of a sync PR closed without merging on the skip list, once', () => {
    const first = plan({ syncPulls: [pull(9, 'v1.3.0-stable', 'closed')] });
    expect(first.plan.action).toBe('up-to-date');
    expect(first.newlyClosed).toEqual([{ tag: 'v1.3.0-stable', pr: 9 }]);
    // After unskip the closure is handled: the tag is proposed again.
    const again = plan({ syncPulls: [pull(9, 'v1.3.0-stable', 'closed')], handledClosures: new Set([9]) });
    expect(again.newlyClosed).toEqual([]);
    expect(again.plan).toMatchObject({ action: 'sync', target: { tag: 'v1.3.0-stable' } });
  });

  it('treats a merged sync PR as synced even when the version file lags', () => {
    const result = plan({
      currentVersion: '1.0.0',
      selection: releases('v1.2.0-stable', 'v1.3.0-stable'),
      syncPulls: [pull(4, 'v1.3.0-stable', 'closed', true)],
    });
    expect(result.plan.action).toBe('up-to-date');
    expect(result.newlyClosed).toEqual([]);
  });

  it('refuses a current version that is not semver', () => {
    expect(planOrProblem({ currentVersion: 'main' })).toEqual({
      ok: false,
      reason: 'version-not-semver',
      message: 'the current version "main" is not semver',
    });
  });
});

describe('sync PR recognition', () => {
  const base: PullRequest = {
    number: 1,
    htmlUrl: 'u',
    title: 'anything',
    body: null,
    state: 'open',
    merged: false,
    mergedAt: null,
    mergeCommitSha: null,
    headRef: 'upstream-sync/v1.3.0-stable',
    headSha: 'b'.repeat(40),
    headRepo: 'CartoDB/litellm',
    baseRef: 'carto/main',
    labels: [],
    mergeable: null,
    mergeableState: null,
    user: 'someone',
    createdAt: '',
    updatedAt: '',
  };
  const settings = { syncBranch: 'upstream-sync/{tag}', productionBranch: 'carto/main', forkRepo: 'CartoDB/litellm' };

  it.each<[string, Partial<PullRequest>, boolean]>([
    ['head pattern + base, no label needed', {}, true],
    ['other base', { baseRef: 'main' }, false],
    ['other head', { headRef: 'feature/upstream-sync' }, false],
    ['from another fork', { headRepo: 'mallory/litellm' }, false],
    ['deleted fork', { headRepo: null }, false],
    ['case of the repository does not matter', { headRepo: 'cartodb/LiteLLM' }, true],
  ])('%s', (_name, overrides, recognised) => {
    expect(recognizeSyncPulls([{ ...base, ...overrides }], settings).length).toBe(recognised ? 1 : 0);
  });

  it('maps branch names to tags and back', () => {
    expect(syncBranchName('upstream-sync/{tag}', 'v1.3.0-stable', '1.3.0')).toBe('upstream-sync/v1.3.0-stable');
    expect(tagOfSyncBranch('upstream-sync/{tag}', 'upstream-sync/v1.3.0-stable')).toBe('v1.3.0-stable');
    expect(tagOfSyncBranch('sync/{version}/{tag}', 'sync/1.3.0/v1.3.0-stable')).toBe('v1.3.0-stable');
    expect(tagOfSyncBranch('upstream-sync/{tag}', 'upstream-sync-resolver/12')).toBeNull();
    expect(() => syncBranchName('upstream-sync/{tag}', 'v1..2', '1.2.0')).toThrow(/contains "\.\."/);
  });
});

describe('planSync with a requested tag', () => {
  // Production on 1.2.0; v1.4.0 is still inside minReleaseAge; the rest are not syncable releases.
  const release = (
    tag: string,
    extra: { draft?: boolean; prerelease?: boolean; publishedAt?: string } = {},
    i = 0,
  ) => ({
    id: i,
    tag,
    name: tag,
    draft: false,
    prerelease: false,
    publishedAt: '2026-01-01T00:00:00Z',
    htmlUrl: `https://x/${tag}`,
    body: null,
    ...extra,
  });
  const selection = selectReleases(
    [
      release('v1.1.0-stable'),
      release('v1.2.0-stable'),
      release('v1.2.5-stable'),
      release('v1.3.0-stable'),
      release('v1.4.0-stable', { publishedAt: '2026-02-28T23:00:00Z' }),
      release('v1.3.5-stable', { prerelease: true }),
      release('v1.3.6-stable', { draft: true }),
      release('v1.3.7-nightly'),
      release('v01.2.3-stable'),
      release('v1.3.8-stable;id'),
    ],
    { tagPattern: PATTERN, minReleaseAgeHours: 24, now: new Date('2026-03-01T00:00:00Z') },
  );
  const asked = (requestedTag: string, overrides: Partial<PlanInput> = {}) =>
    plan({ selection, requestedTag, ...overrides }).plan;

  it.each<[string, string, Partial<PlanInput>, string]>([
    ['an older release than the newest', 'v1.2.5-stable', {}, 'sync v1.2.5-stable'],
    ['a release still inside minReleaseAge', 'v1.4.0-stable', {}, 'sync v1.4.0-stable'],
    ['its PR already open', 'v1.2.5-stable', { syncPulls: [pull(4, 'v1.2.5-stable')] }, 'pr-exists v1.2.5-stable'],
    ['another PR open, queue', 'v1.3.0-stable', { syncPulls: [pull(4, 'v1.2.5-stable')] }, 'queued v1.3.0-stable'],
    [
      'an older PR open, supersede',
      'v1.3.0-stable',
      { policy: 'supersede', syncPulls: [pull(4, 'v1.2.5-stable')] },
      'supersede v1.3.0-stable',
    ],
    [
      'a newer PR open, supersede: waits',
      'v1.2.5-stable',
      { policy: 'supersede', syncPulls: [pull(6, 'v1.3.0-stable')] },
      'queued v1.2.5-stable',
    ],
    ['a pre-release', 'v1.3.5-stable', {}, 'refused not-a-release'],
    ['a draft', 'v1.3.6-stable', {}, 'refused not-a-release'],
    ['a tag outside tagPattern', 'v1.3.7-nightly', {}, 'refused not-a-release'],
    ['no release at all', 'v9.9.9-stable', {}, 'refused not-a-release'],
    ['a version that is not semver', 'v01.2.3-stable', {}, 'refused not-a-release'],
    ['a hostile name', 'v1.3.8-stable;id', {}, 'refused unsafe-tag'],
    ['production itself', 'v1.2.0-stable', {}, 'refused not-newer'],
    ['an older one', 'v1.1.0-stable', {}, 'refused not-newer'],
    [
      'one whose sync PR merged',
      'v1.2.5-stable',
      { syncPulls: [pull(4, 'v1.2.5-stable', 'closed', true)] },
      'refused not-newer',
    ],
    ['a skipped one', 'v1.3.0-stable', { skippedTags: new Set(['v1.3.0-stable']) }, 'refused skipped'],
    [
      'one whose sync PR was closed unmerged',
      'v1.2.5-stable',
      { syncPulls: [pull(4, 'v1.2.5-stable', 'closed')] },
      'refused skipped',
    ],
  ])('%s (%s) → %s', (_name, tag, overrides, expected) => {
    const result = asked(tag, overrides);
    expect(
      `${result.action} ${'target' in result ? result.target.tag : 'refusal' in result ? result.refusal.reason : ''}`,
    ).toBe(expected);
  });

  it('says why, in words a person can act on', () => {
    const message = (tag: string, overrides: Partial<PlanInput> = {}) => {
      const result = asked(tag, overrides);
      return result.action === 'refused' ? result.refusal.message : result.action;
    };
    expect(message('v1.1.0-stable')).toBe('v1.1.0-stable (1.1.0) is not newer than production (1.2.0)');
    expect(message('v1.3.0-stable', { skippedTags: new Set(['v1.3.0-stable']) })).toContain(
      '`unskip v1.3.0-stable` first',
    );
    expect(message('v01.2.3-stable')).toBe(
      'v01.2.3-stable cannot be synced: version "01.2.3" in the tag is not semver',
    );
    expect(message('v1.3.7-nightly')).toContain('is not a stable upstream release');
    expect(message('v1.3.8-stable;id')).toContain('is not a usable tag name');
  });
});
