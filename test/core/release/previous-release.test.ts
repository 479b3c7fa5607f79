import { describe, expect, it } from 'vitest';
import { selectPreviousRelease, type TagCandidate } from '../../../src/core/release/previous-release.js';

const live = {
  current: 'v{upstream}-carto.{major}.{minor}.{patch}',
  legacy: ['carto-v{upstream}-{major}.{minor}.{patch}'],
};

const cases: { name: string; tags: TagCandidate[]; expected: string | null }[] = [
  {
    // CARTO 2026-02-12: v1.81.6-carto.1.18.3 was cut while pyproject wrongly said 1.81.6; the fix
    // commit and v1.81.3-carto.1.18.6 came after it. Whole-tag `sort -V` picks 1.81.6; history does not.
    name: 'the ancestry case: the newer tag wins although its upstream part sorts lower',
    tags: [
      { name: 'v1.81.6-carto.1.18.3', distance: 7 },
      { name: 'v1.81.3-carto.1.18.6', distance: 4 },
      { name: 'v1.79.1-carto.1.0.27', distance: 40 },
    ],
    expected: 'v1.81.3-carto.1.18.6',
  },
  {
    name: 'closest wins even when its triple is lower (a re-numbered fork)',
    tags: [
      { name: 'v1.79.1-carto.1.0.17', distance: 2 },
      { name: 'carto-v1.79.1-1.74.336', distance: 9 },
    ],
    expected: 'v1.79.1-carto.1.0.17',
  },
  {
    name: 'a legacy tag is the previous release when it is the closest',
    tags: [
      { name: 'carto-v1.79.1-1.74.336', distance: 3 },
      { name: 'carto-v1.75.2-1.74.334', distance: 10 },
    ],
    expected: 'carto-v1.79.1-1.74.336',
  },
  {
    name: 'two tags on one commit: the higher triple breaks the tie',
    tags: [
      { name: 'v1.81.6-carto.1.18.3', distance: 0 },
      { name: 'v1.81.3-carto.1.18.6', distance: 0 },
    ],
    expected: 'v1.81.3-carto.1.18.6',
  },
  {
    name: 'same triple on one commit: the higher upstream, semver order (1.81.10 > 1.81.9)',
    tags: [
      { name: 'v1.81.9-carto.1.0.0', distance: 1 },
      { name: 'v1.81.10-carto.1.0.0', distance: 1 },
    ],
    expected: 'v1.81.10-carto.1.0.0',
  },
  {
    name: 'same version in both formats on one commit: the current format',
    tags: [
      { name: 'carto-v1.81.3-1.0.0', distance: 1 },
      { name: 'v1.81.3-carto.1.0.0', distance: 1 },
    ],
    expected: 'v1.81.3-carto.1.0.0',
  },
  {
    name: 'upstream release tags and other tags are not releases',
    tags: [
      { name: 'v1.81.9-stable', distance: 0 },
      { name: 'v1.81.9-stable.patch.1', distance: 0 },
      { name: 'v1.81.3-carto.1.18.6', distance: 12 },
    ],
    expected: 'v1.81.3-carto.1.18.6',
  },
  { name: 'no release yet', tags: [{ name: 'v1.81.9-stable', distance: 0 }], expected: null },
  { name: 'no tags at all', tags: [], expected: null },
];

describe('selectPreviousRelease', () => {
  it.each(cases)('$name', ({ tags, expected }) => {
    expect(selectPreviousRelease(tags, live)?.name ?? null).toBe(expected);
    // Input order never matters.
    expect(selectPreviousRelease([...tags].reverse(), live)?.name ?? null).toBe(expected);
  });

  it('keeps the distance and commit of the chosen tag', () => {
    const chosen = selectPreviousRelease([{ name: 'v1.81.3-carto.1.18.6', distance: 4, sha: 'abc' }], live);
    expect(chosen).toMatchObject({
      distance: 4,
      sha: 'abc',
      upstream: '1.81.3',
      version: { major: 1, minor: 18, patch: 6 },
    });
  });
});
