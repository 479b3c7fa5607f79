import { describe, expect, it } from 'vitest';
import { collectChanges } from '../../../src/core/release/release-changes.js';
import { escapeInline, renderReleaseNotes, type NotesContext } from '../../../src/core/release/release-notes.js';
import { commit, newestFirst, pull, sha } from './commits.js';

const rules = { syncLabel: 'upstream-sync', syncBranchPrefix: 'upstream-sync/', botAuthors: [] };
const forkUrl = 'https://github.com/CartoDB/litellm';

describe('renderReleaseNotes', () => {
  it('groups Breaking, Features, Fixes, Upstream sync, Other, with links, and leaves noise out', () => {
    const history = newestFirst(
      commit('feat(oci): streaming tool calls', { label: 'f1' }),
      commit('fix: keep the Snowflake JWT', { label: 'x1' }),
      commit('ci: cache layers', { label: 'ci' }),
      commit('Merge pull request #40 from CartoDB/upstream-sync/v1.81.9-stable', {
        label: 'm40',
        parents: [sha('a'), sha('b')],
      }),
      commit('refactor(proxy)!: new auth header', { label: 'b1' }),
      commit('docs: CARTO_RELEASE notes', { label: 'd1' }),
    );
    const changes = collectChanges(
      history,
      [pull(40, '🔄 Upstream Sync: LiteLLM v1.81.9-stable', { labels: ['upstream-sync'], mergeCommitSha: sha('m40') })],
      rules,
    );
    const ctx: NotesContext = {
      tag: 'v1.81.9-carto.2.0.0',
      previousTag: 'v1.81.3-carto.1.18.6',
      forkUrl,
      upstream: '1.81.9',
      upstreamMove: {
        repoUrl: 'https://github.com/BerriAI/litellm',
        version: '1.81.9',
        tag: 'v1.81.9-stable',
        previousVersion: '1.81.3',
        previousTag: 'v1.81.3-stable',
      },
    };
    expect(renderReleaseNotes(changes, ctx)).toBe(
      [
        '## v1.81.9-carto.2.0.0',
        '',
        'Upstream base: **1.81.9**. Changes since [v1.81.3-carto.1.18.6](https://github.com/CartoDB/litellm/compare/v1.81.3-carto.1.18.6...v1.81.9-carto.2.0.0).',
        '',
        '### ⚠️ Breaking changes',
        '',
        `- **proxy:** new auth header ([${sha('b1').slice(0, 7)}](${forkUrl}/commit/${sha('b1')}))`,
        '',
        '### ✨ Features',
        '',
        `- **oci:** streaming tool calls ([${sha('f1').slice(0, 7)}](${forkUrl}/commit/${sha('f1')}))`,
        '',
        '### 🐛 Fixes',
        '',
        `- keep the Snowflake JWT ([${sha('x1').slice(0, 7)}](${forkUrl}/commit/${sha('x1')}))`,
        '',
        '### 🔄 Upstream sync',
        '',
        '- Upstream [v1.81.9-stable](https://github.com/BerriAI/litellm/releases/tag/v1.81.9-stable), from v1.81.3-stable ([compare](https://github.com/BerriAI/litellm/compare/v1.81.3-stable...v1.81.9-stable))',
        '- 🔄 Upstream Sync: LiteLLM v1.81.9-stable ([#40](https://github.com/CartoDB/litellm/pull/40))',
        '',
        '### 📦 Other',
        '',
        `- CARTO\\_RELEASE notes ([${sha('d1').slice(0, 7)}](${forkUrl}/commit/${sha('d1')}))`,
        '',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to list, and for a first release', () => {
    const notes = renderReleaseNotes(collectChanges([commit('ci: x')], [], rules), {
      tag: 'v1.0.0-carto.1.0.0',
      previousTag: null,
      forkUrl,
      upstream: '1.0.0',
      upstreamMove: null,
    });
    expect(notes).toBe(
      '## v1.0.0-carto.1.0.0\n\nUpstream base: **1.0.0**. First release.\n\nNo user-facing changes.\n',
    );
  });

  it('caps each section, so a first release of a long-lived fork still fits a GitHub release', () => {
    const history = newestFirst(
      ...Array.from({ length: 2500 }, (_, i) => commit(`fix: change ${i}`, { label: `cap${i}` })),
    );
    const notes = renderReleaseNotes(collectChanges(history, [], rules), {
      tag: 't-1.0.0',
      previousTag: null,
      forkUrl,
      upstream: '1',
      upstreamMove: null,
    });
    expect(notes).toContain('- change 99 (');
    expect(notes).not.toContain('- change 100 (');
    expect(notes).toContain('- …and 2400 more');
    expect(notes.length).toBeLessThan(125_000);
  });

  it('is deterministic', () => {
    const history = newestFirst(
      ...Array.from({ length: 50 }, (_, i) => commit(i % 3 ? `fix: f${i}` : `feat: g${i}`, { label: `n${i}` })),
    );
    const ctx = { tag: 't-1.0.0', previousTag: null, forkUrl, upstream: '1', upstreamMove: null };
    expect(renderReleaseNotes(collectChanges(history, [], rules), ctx)).toBe(
      renderReleaseNotes(collectChanges([...history], [], rules), ctx),
    );
  });
});

describe('escapeInline', () => {
  it.each([
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert(1)\\>'],
    ['[click](https://evil.example)', '\\[click\\](https://evil.example)'],
    ['ping @everyone', 'ping @\u200beveryone'],
    ['snake_case `code`', 'snake\\_case \\`code\\`'],
  ])('%s', (input, output) => {
    expect(escapeInline(input)).toBe(output);
  });
});
