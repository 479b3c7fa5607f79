import { describe, expect, it } from 'vitest';
import type { ReleaseNumbering } from '../../../src/core/release/next-version.js';
import { planNextRelease, type PlanNextReleaseInput } from '../../../src/core/release/plan-next-release.js';
import { commit, newestFirst } from './commits.js';

const LIVE: ReleaseNumbering = {
  tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}',
  legacyTagFormats: [],
  resetOnUpstreamChange: false,
  firstVersion: '1.0.0',
};
const rules = { syncLabel: 'upstream-sync', syncBranchPrefix: 'upstream-sync/', botAuthors: [] };

function input(extra: Partial<PlanNextReleaseInput>): PlanNextReleaseInput {
  return {
    numbering: LIVE,
    upstream: '1.81.9',
    reachableTags: [
      { name: 'v1.81.6-carto.1.18.3', distance: 9 },
      { name: 'v1.81.3-carto.1.18.6', distance: 5 },
    ],
    existingTags: ['v1.81.6-carto.1.18.3', 'v1.81.3-carto.1.18.6'],
    publishedHeadTags: [],
    commits: newestFirst(commit('feat: g'), commit('chore: h'), commit('chore: i'), commit('fix: j')),
    pulls: [],
    rules,
    requested: 'auto',
    ...extra,
  };
}

describe('planNextRelease', () => {
  it.each([
    ['auto', 'v1.81.9-carto.1.19.0', 'minor'],
    ['patch', 'v1.81.9-carto.1.18.7', 'patch'],
    ['minor', 'v1.81.9-carto.1.19.0', 'minor'],
    ['major', 'v1.81.9-carto.2.0.0', 'major'],
  ] as const)('%s from the ancestry-chosen previous release → %s', (requested, tag, bump) => {
    const plan = planNextRelease(input({ requested }));
    expect(plan).toMatchObject({
      kind: 'ready',
      bump,
      next: { tag, upstreamChanged: true },
      previous: { name: 'v1.81.3-carto.1.18.6' },
    });
  });

  it('a published release on the head: nothing to release', () => {
    const tags = [...input({}).reachableTags, { name: 'v1.81.9-carto.1.19.0', distance: 0 }];
    expect(planNextRelease(input({ reachableTags: tags, publishedHeadTags: ['v1.81.9-carto.1.19.0'] }))).toMatchObject({
      kind: 'released',
      previous: { name: 'v1.81.9-carto.1.19.0' },
    });
  });

  it('a tag on the head without a GitHub release is finished, whatever bump is asked', () => {
    const tags = [...input({}).reachableTags, { name: 'v1.81.9-carto.1.19.0', distance: 0 }];
    const plan = planNextRelease(
      input({
        reachableTags: tags,
        requested: 'major',
        existingTags: [...input({}).existingTags, 'v1.81.9-carto.1.19.0'],
      }),
    );
    expect(plan).toMatchObject({
      kind: 'ready',
      bump: 'minor',
      previous: { name: 'v1.81.3-carto.1.18.6' },
      next: { tag: 'v1.81.9-carto.1.19.0', reason: 'resume', upstreamChanged: true },
    });
  });

  it('reports a collision instead of producing an existing name', () => {
    const plan = planNextRelease(input({ requested: 'patch', existingTags: ['v1.81.9-carto.1.18.7'] }));
    expect(plan).toMatchObject({ kind: 'invalid' });
  });
});
