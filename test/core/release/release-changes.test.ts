import { describe, expect, it } from 'vitest';
import { collectChanges, type ChangeRules } from '../../../src/core/release/release-changes.js';
import { commit, newestFirst, pull, sha } from './commits.js';

const rules: ChangeRules = {
  syncLabel: 'upstream-sync',
  syncBranchPrefix: 'upstream-sync/',
  botAuthors: ['cartofante@carto.com'],
};

describe('collectChanges: which commits make the notes', () => {
  it.each([
    ['fix: keep the Snowflake JWT', true],
    ['feat(oci): tool calls', true],
    ['chore: bump deps', true],
    ['Tidy README', true],
    ['Merge pull request #12 from CartoDB/feature/x', false],
    ['Merge branch carto/main into upstream-sync/v1.81.9-stable', false],
    ['merge upstream v1.81.9-stable', false],
    ['chore(sync): sync: v1.81.9-stable', false],
    ['Upstream sync: v1.81.9-stable', false],
    ['ci: cache docker layers', false],
    ['fix(ci): resolve CI failures from upstream sync', false],
    ['chore(workflows): pin actions', false],
  ])('%s → listed: %s', (subject, listed) => {
    const changes = collectChanges([commit(subject)], [], rules);
    expect(changes.entries.length).toBe(listed ? 1 : 0);
    expect(changes.omitted).toBe(listed ? 0 : 1);
  });

  it.each([
    ['claude[bot]', 'claude[bot]@users.noreply.github.com'],
    ['github-actions[bot]', '41898282+github-actions[bot]@users.noreply.github.com'],
    ['Cartofante', 'cartofante@carto.com'], // the bot's own configured identity
  ])('leaves out commits by %s', (authorName, authorEmail) => {
    expect(collectChanges([commit('fix: x', { authorName, authorEmail })], [], rules).entries).toEqual([]);
  });

  it('leaves out merge commits whatever their message', () => {
    expect(
      collectChanges([commit('feat: looks like a feature', { parents: [sha('a'), sha('b')] })], [], rules).entries,
    ).toEqual([]);
  });
});

describe('collectChanges: pull requests', () => {
  it('one entry per merged PR; its commits are not listed again but decide its kind', () => {
    const a = commit('add retry knob', { label: 'a' });
    const b = commit('feat(proxy): retry knob', { label: 'b' });
    const merge = commit('Merge pull request #7 from CartoDB/feature/retry', {
      label: 'm',
      parents: [sha('x'), sha('b')],
    });
    const direct = commit('fix: typo in error', { label: 'd' });
    const changes = collectChanges(
      newestFirst(a, b, merge, direct),
      [pull(7, 'Retry knob', { mergeCommitSha: sha('m'), commitShas: [sha('a'), sha('b')] })],
      rules,
    );
    expect(changes.entries.map((e) => [e.kind, e.text, e.pull?.number ?? e.sha?.slice(0, 4)])).toEqual([
      ['feature', 'Retry knob', 7],
      ['fix', 'typo in error', sha('d').slice(0, 4)],
    ]);
    expect(changes.bump).toBe('minor');
  });

  it('kind from labels, then the title, then the commits; the highest wins', () => {
    const pulls = [
      pull(1, 'Snowflake auth', { labels: ['bug'] }),
      pull(2, 'feat(oci): streaming', {}),
      pull(3, 'Rework config', { labels: ['breaking-change'] }),
      pull(4, 'fix: small', { labels: ['enhancement'] }),
      pull(5, 'Docs for the proxy', {}),
    ];
    expect(collectChanges([], pulls, rules).entries.map((e) => [e.pull?.number, e.kind])).toEqual([
      [1, 'fix'],
      [2, 'feature'],
      [3, 'breaking'],
      [4, 'feature'],
      [5, 'other'],
    ]);
  });

  it('sync PRs go to their own list, by label or by branch; bot and CI PRs are left out', () => {
    const changes = collectChanges(
      [],
      [
        pull(40, '🔄 Upstream Sync: LiteLLM v1.81.9-stable', {
          labels: ['upstream-sync', 'automated'],
          headRef: 'upstream-sync/v1.81.9-stable',
          user: 'Cartofante',
        }),
        pull(41, 'Sync without label', { headRef: 'upstream-sync/v1.81.10-stable' }),
        pull(42, 'Bump deps', { user: 'dependabot[bot]' }),
        pull(43, 'ci: faster lint', {}),
        pull(44, 'Label lookalike', { labels: ['upstream-sync-skip'] }),
      ],
      rules,
    );
    expect(changes.syncPulls.map((p) => p.number)).toEqual([40, 41]);
    expect(changes.entries.map((e) => e.pull?.number)).toEqual([44]);
    expect(changes.omitted).toBe(2);
  });

  it('commits inside a sync PR neither list nor bump', () => {
    const fixer = commit('feat: something the CI fixer wrote', { label: 'f' });
    const changes = collectChanges(
      [fixer],
      [pull(40, 'Sync', { labels: ['upstream-sync'], commitShas: [sha('f')] })],
      rules,
    );
    expect(changes.entries).toEqual([]);
    expect(changes.bump).toBe('patch');
  });
});

describe('collectChanges: auto bump, one per release', () => {
  it.each([
    [['fix: a', 'chore: b'], 'patch'],
    [['feat: a', 'fix: b', 'fix: c'], 'minor'],
    [['feat: a', 'fix!: b'], 'major'],
    [['docs: a'], 'patch'],
    [[], 'patch'],
    // A breaking marker counts even on a commit the notes leave out.
    [['ci!: drop Node 18 runners'], 'major'],
  ] as const)('%j → %s', (subjects, bump) => {
    expect(collectChanges(newestFirst(...subjects.map((s) => commit(s))), [], rules).bump).toBe(bump);
  });

  it('reads every commit: 300+ commits, the only feature at the very start', () => {
    const history = [
      commit('feat(oci): first of many', { label: 'first' }),
      ...Array.from({ length: 320 }, (_, i) => commit(`fix: change ${i}`)),
    ];
    const changes = collectChanges(newestFirst(...history), [], rules);
    expect(changes.entries).toHaveLength(321);
    expect(changes.entries[0]).toMatchObject({ kind: 'feature', text: 'first of many', scope: 'oci' });
    expect(changes.entries.at(-1)).toMatchObject({ text: 'change 319' });
    expect(changes.bump).toBe('minor');
  });
});

describe('collectChanges: untrusted text', () => {
  it('flattens titles to one bounded line', () => {
    const changes = collectChanges([], [pull(1, `fix: a\nsecond line\u0007 ${'x'.repeat(400)}`)], rules);
    const text = changes.entries[0]!.text;
    expect(text.includes('\n') || text.includes('\u0007')).toBe(false);
    expect(text.length).toBeLessThanOrEqual(200);
  });
});
