import { describe, expect, it } from 'vitest';
import { impactOf, pullCardData, pullCardType } from '../../../src/core/release/changelog-card.js';
import { highlightsFromNotes, imageTagsFor, releaseCardData } from '../../../src/core/release/release-card.js';

const CARTO_IMPACT = [
  { label: 'Providers', paths: ['litellm/llms/**'] },
  { label: 'Proxy', paths: ['litellm/proxy/**'] },
];

describe('changelog card: PR type (labels first, then title)', () => {
  it.each([
    [['upstream-sync', 'automated'], 'feat: whatever', 'upstream-sync'],
    [['upstream-sync-skip'], 'Something', 'update'],
    [['bug'], 'feat: looks like a feature', 'bug-fix'],
    [['hotfix'], 'x', 'bug-fix'],
    [['feature'], 'chore: x', 'feature'],
    [[], 'fix: keep JWT', 'bug-fix'],
    [[], 'Bugfix for proxy', 'bug-fix'],
    [[], 'feat(oci): streaming', 'feature'],
    [[], 'chore: bump', 'infrastructure'],
    [[], 'ci: lint', 'infrastructure'],
    [[], 'docs: readme', 'infrastructure'],
    [[], 'Add a thing', 'update'],
  ])('%j %s → %s', (labels, title, type) => {
    expect(pullCardType(labels, title, 'upstream-sync')).toBe(type);
  });
});

describe('changelog card: impact from paths (first rule any file matches)', () => {
  it.each([
    [['litellm/proxy/auth.py', 'litellm/llms/oci/chat.py'], 'Providers'],
    [['litellm/proxy/auth.py', '.github/workflows/x.yml'], 'Proxy'],
    [['.github/workflows/carto-release.yaml'], 'CI/CD'],
    [['docker/Dockerfile.non_root'], 'Docker'],
    [['Dockerfile'], 'Docker'],
    [['litellm/main.py', 'README.md'], 'Core'],
    [[], 'Core'],
  ])('%j → %s', (paths, impact) => {
    expect(
      impactOf(paths, [
        ...CARTO_IMPACT,
        { label: 'CI/CD', paths: ['.github/**'] },
        { label: 'Docker', paths: ['**/Dockerfile*', 'docker/**'] },
      ]),
    ).toBe(impact);
  });

  it('configured rules replace the built-in ones; without them the built-ins apply', () => {
    const card = (impactRules?: typeof CARTO_IMPACT) =>
      pullCardData({
        pull: {
          number: 3,
          title: 'ci: lint',
          htmlUrl: 'https://github.com/CartoDB/litellm/pull/3',
          user: null,
          labels: [],
        },
        files: ['.github/workflows/lint.yml', 'Dockerfile'],
        additions: 1,
        deletions: 1,
        upstream: null,
        syncLabel: 'upstream-sync',
        ...(impactRules ? { impactRules } : {}),
      }).impact;
    expect(card()).toBe('CI/CD');
    expect(card(CARTO_IMPACT)).toBe('Core');
    expect(card([{ label: 'Build', paths: ['**/Dockerfile*'] }, ...CARTO_IMPACT])).toBe('Build');
  });

  it('the first configured rule any file matches names the impact', () => {
    const card = pullCardData({
      pull: {
        number: 12,
        title: 'fix: OCI auth',
        htmlUrl: 'https://github.com/CartoDB/litellm/pull/12',
        user: 'ana',
        labels: [],
      },
      files: ['.github/workflows/x.yml', 'litellm/llms/oci/a.py', 'b', 'c', 'd', 'e'],
      additions: 10,
      deletions: 2,
      upstream: '1.81.9',
      syncLabel: 'upstream-sync',
      impactRules: CARTO_IMPACT,
    });
    expect(card).toMatchObject({
      type: 'bug-fix',
      typeLabel: 'Bug Fix',
      emoji: '🐛',
      impact: 'Providers',
      fileCount: 6,
      additions: 10,
      deletions: 2,
    });
    expect(card.topFiles).toHaveLength(5);
  });
});

describe('release card', () => {
  const notes = [
    '## v1.81.9-carto.1.19.0',
    '',
    '### ✨ Features',
    '',
    '- **oci:** tool calls ([#12](https://x/12))',
    '- streaming \\_fast\\_ path ([#13](https://x/13))',
    '- third ([#14](https://x/14))',
    '',
    '### 🐛 Fixes',
    '',
    '- keep JWT ([abc1234](https://x/c))',
    '- second fix',
    '',
    '### 📦 Other',
    '',
    '- chore',
  ].join('\n');

  it('highlights: the first two features and the first fix, as plain text', () => {
    expect(highlightsFromNotes(notes)).toEqual([
      'oci: tool calls (#12)',
      'streaming _fast_ path (#13)',
      'keep JWT (abc1234)',
    ]);
  });

  it('breaking changes come first', () => {
    expect(highlightsFromNotes('### ⚠️ Breaking changes\n- b1\n### ✨ Features\n- f1\n- f2\n')).toEqual(['b1', 'f1']);
  });

  it.each([
    ['1.81.9', '1.81.3', 'minor', 'upstream-sync', 'Upstream Sync (v1.81.3 → v1.81.9)'],
    ['1.81.9', '1.81.9', 'minor', 'feature', 'Feature Release'],
    ['1.81.9', '1.81.9', 'patch', 'patch', 'Patch Release'],
    ['1.81.9', '1.81.9', 'major', 'major', 'Major Release'],
    ['1.81.9', null, 'patch', 'patch', 'Patch Release'],
  ] as const)('upstream %s from %s with %s → %s', (upstream, previousUpstream, bump, kind, typeLabel) => {
    const card = releaseCardData({
      tag: 't',
      url: 'https://github.com/CartoDB/litellm/releases/tag/t',
      notes,
      previousTag: 'p',
      version: '1.19.0',
      upstream,
      previousUpstream,
      bump,
      commitCount: 7,
      author: 'U1',
      image: { name: 'ghcr.io/cartodb/litellm-non_root', tags: ['t', 'carto-stable'] },
    });
    expect(card).toMatchObject({
      kind,
      typeLabel,
      previousTag: 'p',
      images: ['ghcr.io/cartodb/litellm-non_root:t', 'ghcr.io/cartodb/litellm-non_root:carto-stable'],
    });
  });
});

describe('imageTagsFor', () => {
  it("renders CARTO's three image tags", () => {
    expect(
      imageTagsFor(['{tag}', 'carto-stable', 'carto-v{upstream}-latest'], {
        tag: 'v1.81.9-carto.1.19.0',
        upstream: '1.81.9',
      }),
    ).toEqual({
      tags: ['v1.81.9-carto.1.19.0', 'carto-stable', 'carto-v1.81.9-latest'],
      invalid: [],
    });
  });

  it('reports tags docker would refuse and drops duplicates', () => {
    expect(imageTagsFor(['{tag}', '{tag}', 'x/{upstream}'], { tag: 'a', upstream: '1' })).toEqual({
      tags: ['a'],
      invalid: ['x/1'],
    });
  });
});
