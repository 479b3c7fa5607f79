import { describe, expect, it } from 'vitest';
import { parseReleaseTag, renderReleaseTag } from '../../../src/core/release/tag-format.js';

const LIVE = 'v{upstream}-carto.{major}.{minor}.{patch}';
const DOCUMENTED = 'carto-v{upstream}-{major}.{minor}.{patch}';
const live = { current: LIVE, legacy: [DOCUMENTED] };
const documented = { current: DOCUMENTED, legacy: [LIVE] };

describe('parseReleaseTag', () => {
  it.each([
    // CARTO's real tags, both eras
    [live, 'v1.79.1-carto.1.0.17', '1.79.1', '1.0.17', false],
    [live, 'v1.81.6-carto.1.18.3', '1.81.6', '1.18.3', false],
    [live, 'v1.81.3-carto.1.18.6', '1.81.3', '1.18.6', false],
    [live, 'carto-v1.75.2-1.74.297', '1.75.2', '1.74.297', true],
    [live, 'carto-v1.79.1-1.74.336', '1.79.1', '1.74.336', true],
    [documented, 'carto-v1.75.2-0.1.0', '1.75.2', '0.1.0', false],
    [documented, 'v1.81.9-carto.1.19.6', '1.81.9', '1.19.6', true],
    // {upstream} with dots and dashes: the triple is always the last numbers
    [live, 'v1.81.3-rc.1-carto.2.0.1', '1.81.3-rc.1', '2.0.1', false],
    [live, 'v1.81.3-carto-fix-carto.0.0.1', '1.81.3-carto-fix', '0.0.1', false],
    [documented, 'carto-v1.81.3-rc-1-4.5.6', '1.81.3-rc-1', '4.5.6', false],
    [documented, 'carto-v1.81.3.post1-1.2.3', '1.81.3.post1', '1.2.3', false],
    [{ current: 'release-{major}.{minor}.{patch}', legacy: [] }, 'release-3.2.1', null, '3.2.1', false],
  ])('%#: %s reads %s', (formats, tag, upstream, version, legacy) => {
    const parsed = parseReleaseTag(tag, formats);
    expect(parsed).not.toBeNull();
    expect(parsed!.upstream).toBe(upstream);
    expect(`${parsed!.version.major}.${parsed!.version.minor}.${parsed!.version.patch}`).toBe(version);
    expect(parsed!.legacy).toBe(legacy);
  });

  it.each([
    'v1.81.9-stable', // upstream release tags live in the same namespace
    'v1.81.9-stable.patch.1',
    'v1.81.3-carto.1.18', // two numbers
    'v1.81.3-carto.1.18.6.1',
    'v1.81.3-carto.01.18.6', // leading zero
    'v-carto.1.2.3', // empty upstream
    'carto-v1.75.2-0.1', // docs example with a missing field
    'xv1.81.3-carto.1.18.6',
  ])('ignores %s', (tag) => {
    expect(parseReleaseTag(tag, live)).toBeNull();
  });

  it('does not recognise a legacy format that is not configured', () => {
    expect(parseReleaseTag('carto-v1.75.2-1.74.297', { current: LIVE, legacy: [] })).toBeNull();
  });
});

describe('renderReleaseTag', () => {
  it.each([
    [LIVE, '1.81.9', [1, 19, 0], 'v1.81.9-carto.1.19.0'],
    [DOCUMENTED, '1.81.9', [0, 1, 0], 'carto-v1.81.9-0.1.0'],
    [LIVE, '1.81.3-rc.1', [2, 0, 0], 'v1.81.3-rc.1-carto.2.0.0'],
  ])('%s with %s %j is %s', (template, upstream, [major, minor, patch], tag) => {
    expect(renderReleaseTag(template, { upstream, version: { major: major!, minor: minor!, patch: patch! } })).toEqual({
      ok: true,
      tag,
    });
  });

  it.each(['1.81.9; rm -rf /', '1.81 .9', '', '1..2', '-1.2.3', '1.2/3', '$(id)'])(
    'refuses upstream %j',
    (upstream) => {
      const result = renderReleaseTag(LIVE, { upstream, version: { major: 1, minor: 0, patch: 0 } });
      expect(result.ok).toBe(false);
    },
  );
});
