import { describe, expect, it } from 'vitest';
import type { Bump } from '../../../src/core/release/fork-version.js';
import { nextRelease, type ReleaseNumbering } from '../../../src/core/release/next-version.js';
import { selectPreviousRelease } from '../../../src/core/release/previous-release.js';

const LIVE: ReleaseNumbering = {
  tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}',
  legacyTagFormats: ['carto-v{upstream}-{major}.{minor}.{patch}'],
  resetOnUpstreamChange: false,
  firstVersion: '1.0.0',
};
const DOCUMENTED: ReleaseNumbering = {
  tagFormat: 'carto-v{upstream}-{major}.{minor}.{patch}',
  legacyTagFormats: ['v{upstream}-carto.{major}.{minor}.{patch}'],
  resetOnUpstreamChange: true,
  firstVersion: '0.1.0',
};
const NO_UPSTREAM: ReleaseNumbering = {
  tagFormat: 'fork-{major}.{minor}.{patch}',
  legacyTagFormats: [],
  resetOnUpstreamChange: true,
  firstVersion: '1.0.0',
};

interface Case {
  name: string;
  numbering: ReleaseNumbering;
  previous: string | null;
  upstream: string;
  bump: Bump;
  others?: string[];
  expected: string;
}

const cases: Case[] = [
  {
    name: 'live: first release',
    numbering: LIVE,
    previous: null,
    upstream: '1.81.9',
    bump: 'minor',
    expected: 'v1.81.9-carto.1.0.0',
  },
  {
    name: 'live: patch',
    numbering: LIVE,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.3',
    bump: 'patch',
    expected: 'v1.81.3-carto.1.18.7',
  },
  {
    name: 'live: minor resets patch',
    numbering: LIVE,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.3',
    bump: 'minor',
    expected: 'v1.81.3-carto.1.19.0',
  },
  {
    name: 'live: major resets minor and patch',
    numbering: LIVE,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.3',
    bump: 'major',
    expected: 'v1.81.3-carto.2.0.0',
  },
  {
    name: 'live: upstream moves, the triple keeps counting',
    numbering: LIVE,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.9',
    bump: 'minor',
    expected: 'v1.81.9-carto.1.19.0',
  },
  {
    name: 'live: legacy previous, the triple continues',
    numbering: LIVE,
    previous: 'carto-v1.79.1-1.74.336',
    upstream: '1.79.1',
    bump: 'patch',
    expected: 'v1.79.1-carto.1.74.337',
  },
  {
    name: 'documented: first release',
    numbering: DOCUMENTED,
    previous: null,
    upstream: '1.75.2',
    bump: 'patch',
    expected: 'carto-v1.75.2-0.1.0',
  },
  {
    name: 'documented: patch on the same upstream',
    numbering: DOCUMENTED,
    previous: 'carto-v1.75.2-0.1.0',
    upstream: '1.75.2',
    bump: 'patch',
    expected: 'carto-v1.75.2-0.1.1',
  },
  {
    name: 'documented: minor on the same upstream',
    numbering: DOCUMENTED,
    previous: 'carto-v1.75.2-0.1.1',
    upstream: '1.75.2',
    bump: 'minor',
    expected: 'carto-v1.75.2-0.2.0',
  },
  {
    name: 'documented: upstream moves, reset whatever the bump',
    numbering: DOCUMENTED,
    previous: 'carto-v1.75.2-0.2.1',
    upstream: '1.77.4',
    bump: 'major',
    expected: 'carto-v1.77.4-0.1.0',
  },
  {
    name: 'documented: upstream moves back to one already released, counting continues there',
    numbering: DOCUMENTED,
    previous: 'carto-v1.81.6-0.1.0',
    upstream: '1.81.3',
    bump: 'patch',
    others: ['carto-v1.81.3-0.1.0', 'carto-v1.81.3-0.1.1', 'carto-v1.81.6-0.1.0'],
    expected: 'carto-v1.81.3-0.1.2',
  },
  {
    name: 'documented: live-format previous is recognised, reset on a new upstream',
    numbering: DOCUMENTED,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.9',
    bump: 'minor',
    expected: 'carto-v1.81.9-0.1.0',
  },
  {
    name: 'documented: live-format previous, same upstream: continues',
    numbering: DOCUMENTED,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.81.3',
    bump: 'patch',
    expected: 'carto-v1.81.3-1.18.7',
  },
  {
    name: 'no {upstream} in the template: never resets',
    numbering: NO_UPSTREAM,
    previous: 'fork-2.3.4',
    upstream: '9.9.9',
    bump: 'patch',
    expected: 'fork-2.3.5',
  },
  {
    name: 'upstream with a pre-release part',
    numbering: LIVE,
    previous: 'v1.81.3-carto.1.18.6',
    upstream: '1.82.0-rc.1',
    bump: 'patch',
    expected: 'v1.82.0-rc.1-carto.1.18.7',
  },
];

function run(c: Case) {
  const formats = { current: c.numbering.tagFormat, legacy: c.numbering.legacyTagFormats };
  const previous = c.previous ? selectPreviousRelease([{ name: c.previous, distance: 3 }], formats) : null;
  if (c.previous) expect(previous).not.toBeNull();
  const existingTags = [...(c.previous ? [c.previous] : []), ...(c.others ?? [])];
  return nextRelease({ numbering: c.numbering, upstream: c.upstream, previous, bump: c.bump, existingTags });
}

describe('nextRelease', () => {
  it.each(cases)('$name → $expected', (c) => {
    const next = run(c);
    expect(next).toMatchObject({ ok: true, tag: c.expected });
  });

  it('reports whether upstream changed and why the number is what it is', () => {
    expect(run(cases[4]!)).toMatchObject({ upstreamChanged: true, reason: 'bump' });
    expect(run(cases[9]!)).toMatchObject({ upstreamChanged: true, reason: 'upstream-reset' });
    expect(run(cases[10]!)).toMatchObject({ reason: 'upstream-reset-continued' });
    expect(run(cases[0]!)).toMatchObject({ upstreamChanged: false, reason: 'first-release' });
  });

  it('never produces a tag that exists already', () => {
    const previous = selectPreviousRelease([{ name: 'v1.81.3-carto.1.18.6', distance: 2 }], {
      current: LIVE.tagFormat,
      legacy: [],
    });
    const next = nextRelease({
      numbering: LIVE,
      upstream: '1.81.3',
      previous,
      bump: 'patch',
      existingTags: ['v1.81.3-carto.1.18.7'],
    });
    expect(next.ok).toBe(false);
    expect(next.ok ? '' : next.problem).toContain('v1.81.3-carto.1.18.7 already exists');
  });

  it('refuses an upstream version that cannot be part of a tag', () => {
    const next = nextRelease({
      numbering: LIVE,
      upstream: '1.81.3 && curl evil',
      previous: null,
      bump: 'patch',
      existingTags: [],
    });
    expect(next.ok).toBe(false);
  });
});
