import { describe, expect, it } from 'vitest';
import type { Release } from '../../../src/ports.js';
import { normalizeVersion, selectReleases } from '../../../src/core/sync/release-selection.js';

const CARTO_PATTERN = '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$';
const NOW = new Date('2026-03-09T12:00:00Z');

function release(tag: string, extra: Partial<Release> = {}): Release {
  return {
    id: 1,
    tag,
    name: tag,
    draft: false,
    prerelease: false,
    publishedAt: '2026-03-01T00:00:00Z',
    htmlUrl: `https://example.test/releases/${tag}`,
    body: null,
    ...extra,
  };
}

function select(releases: Release[], options: { minReleaseAgeHours?: number; tagPattern?: string } = {}) {
  return selectReleases(releases, {
    tagPattern: options.tagPattern ?? CARTO_PATTERN,
    minReleaseAgeHours: options.minReleaseAgeHours ?? 0,
    now: NOW,
  });
}

describe('selectReleases', () => {
  it('keeps exactly the stable tags and ignores decoys', () => {
    const result = select([
      release('v1.81.9-stable'),
      release('v1.81.9-stable.patch.1'),
      release('v1.81.9-stable.patch2'),
      release('v1.81.10-stable-draft'),
      release('v1.81.10-stable-patched'),
      release('v1.81.10.rc1'),
      release('v1.82.0-rc1'),
      release('v1.82.0-nightly'),
      release('v1.81.11.dev1'),
      release('v1.83.0-stable', { draft: true }),
      release('v1.84.0-stable', { prerelease: true }),
    ]);
    expect(result.stable.map((r) => r.tag)).toEqual(['v1.81.9-stable']);
    expect(result.skipped).toEqual([]);
  });

  it('orders by semver, never as text', () => {
    const result = select([
      release('v1.9.0-stable'),
      release('v1.10.0-stable'),
      release('v1.81.9-stable'),
      release('v1.81.10-stable'),
      release('v1.2.0-stable'),
    ]);
    expect(result.stable.map((r) => r.version)).toEqual(['1.81.10', '1.81.9', '1.10.0', '1.9.0', '1.2.0']);
  });

  it('reads two-part versions when the pattern allows them (1.9 < 1.10)', () => {
    const result = select([release('v1.9-stable'), release('v1.10-stable')], {
      tagPattern: '^v(?<version>\\d+\\.\\d+)-stable$',
    });
    expect(result.stable.map((r) => [r.tag, r.version])).toEqual([
      ['v1.10-stable', '1.10.0'],
      ['v1.9-stable', '1.9.0'],
    ]);
  });

  it.each([
    ['--upload-pack=touch /tmp/pwned', 'starts with "-"'],
    ['v1.2.3-stable;rm -rf ~', 'contains a space'],
    ['v1.2.3-stable$(id)', 'shell metacharacter'],
    ['v1.2.3 stable', 'contains a space'],
    ['v1..2-stable', 'contains ".."'],
  ])('reports the hostile tag %j as skipped (%s) even with a lax pattern', (tag, reason) => {
    const result = select([release(tag), release('v1.2.2-stable')], { tagPattern: 'v(?<version>\\d+\\.\\d+\\.\\d+)' });
    expect(result.skipped).toEqual([{ tag, reason: expect.stringContaining(reason) }]);
    expect(result.stable.map((r) => r.tag)).toEqual(['v1.2.2-stable']);
  });

  it('skips a matching tag whose version is not semver', () => {
    const result = select([release('v01.2.3-stable')], { tagPattern: '^v(?<version>[\\d.]+)-stable$' });
    expect(result.stable).toEqual([]);
    expect(result.skipped).toEqual([{ tag: 'v01.2.3-stable', reason: expect.stringContaining('not semver') }]);
  });

  it('holds back releases younger than minReleaseAge', () => {
    const result = select(
      [
        release('v1.3.0-stable', { publishedAt: '2026-03-09T06:00:00Z' }),
        release('v1.2.0-stable', { publishedAt: '2026-03-08T06:00:00Z' }),
        release('v1.4.0-stable', { publishedAt: null }),
      ],
      { minReleaseAgeHours: 12 },
    );
    expect(result.stable.map((r) => r.tag)).toEqual(['v1.2.0-stable']);
    expect(result.waiting.map((r) => r.tag)).toEqual(['v1.4.0-stable', 'v1.3.0-stable']);
  });
});

describe('normalizeVersion', () => {
  it.each([
    ['1.81.9', '1.81.9'],
    ['v1.81.9', '1.81.9'],
    ['1.9', '1.9.0'],
    ['2', '2.0.0'],
    ['1.2.3-rc.1', '1.2.3-rc.1'],
    ['1.2.3.4', null],
    ['latest', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeVersion(raw)).toBe(expected);
  });
});

describe('selectReleases with a backtracking tagPattern (issue 13 item 8)', () => {
  // Under JavaScript's backtracking engine this pattern takes 2^40 steps on the tag below: the
  // test would hang until vitest's timeout. RE2 answers in linear time.
  const BACKTRACKING = '^v(?<version>\\d+\\.\\d+\\.\\d+)(-\\w+|-[a-z]+)*-stable$';

  it('matches a hostile tag built for the pattern without stalling', () => {
    const hostile = `v1.2.3${'-a'.repeat(40)}-stablex`;
    const result = select([release(hostile), release('v1.2.4-rc-stable')], { tagPattern: BACKTRACKING });
    expect(result.stable.map((r) => r.tag)).toEqual(['v1.2.4-rc-stable']);
  });

  it('never matches a tag longer than the bound', () => {
    const long = `v1.2.3${'-a'.repeat(200)}-stable`;
    const result = select([release(long)], { tagPattern: BACKTRACKING });
    expect(result.stable).toEqual([]);
    expect(result.skipped[0]?.reason).toMatch(/longer than 255/);
  });
});
