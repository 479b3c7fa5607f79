import { describe, expect, it } from 'vitest';
import { code, renderSyncPrBody, supersededComment, type SyncPrBodyInput } from '../../../src/core/sync/pr-body.js';

const INPUT: SyncPrBodyInput = {
  pipeline: 'litellm',
  upstreamRepo: 'BerriAI/litellm',
  forkRepo: 'CartoDB/litellm',
  tag: 'v1.81.12-stable',
  version: '1.81.12',
  currentVersion: '1.81.9',
  productionBranch: 'carto/main',
  syncBranch: 'upstream-sync/v1.81.12-stable',
  mirrorBranch: 'main',
  releaseUrl: 'https://github.com/BerriAI/litellm/releases/tag/v1.81.12-stable',
  compareUrl: 'https://github.com/BerriAI/litellm/compare/v1.81.9-stable...v1.81.12-stable',
  commits: 412,
  filesChanged: 388,
  conflicts: [],
};

describe('renderSyncPrBody', () => {
  it('has versions, counts, links, the merge-commit warning and the checklist', () => {
    const body = renderSyncPrBody(INPUT);
    for (const part of [
      '`1.81.9` → `1.81.12`',
      '| Upstream commits | 412 |',
      '| Files changed upstream | 388 |',
      INPUT.releaseUrl,
      INPUT.compareUrl!,
      'Never squash, never rebase',
      '- [ ] CI passes on this PR',
      '### ✅ Clean merge',
    ]) {
      expect(body).toContain(part);
    }
    expect(body).not.toContain('Resolve by hand');
  });

  it('lists every conflicted file with its kind and rule, and the manual recipe', () => {
    const body = renderSyncPrBody({
      ...INPUT,
      conflicts: [
        {
          path: 'litellm/proxy/_experimental/out/index.html',
          kind: 'rename/delete',
          rule: 'upstream — build artefact',
        },
        { path: 'litellm/llms/azure/common_utils.py', kind: 'content', rule: null },
      ],
    });
    expect(body).toContain('### ⚠️ 2 conflicted files');
    expect(body).toContain(
      '| `litellm/proxy/_experimental/out/index.html` | rename/delete | upstream — build artefact |',
    );
    expect(body).toContain('| `litellm/llms/azure/common_utils.py` | content | merge hunk by hunk |');
    expect(body).toContain('git merge --no-ff origin/carto/main');
    expect(body).not.toMatch(/--force\b|push -f\b/);
  });

  it('escapes a | in a conflicted path so the table keeps three cells (issue 13 item 10)', () => {
    const body = renderSyncPrBody({
      ...INPUT,
      conflicts: [
        { path: 'docs/a|b.md', kind: 'content', rule: 'fork | kept' },
        { path: 'docs/c\\|d.md', kind: 'content', rule: null },
      ],
    });
    const rows = body.split('\n').filter((line) => line.startsWith('| `docs/'));
    expect(rows).toHaveLength(2);
    // GFM splits a row on every | not preceded by an escaping backslash.
    for (const row of rows) expect(row.replace(/\\./g, '').split('|')).toHaveLength(5);
    expect(rows[0]).toBe('| `docs/a\\|b.md` | content | fork \\| kept |');
  });

  it('keeps hostile file names inside their code span', () => {
    expect(code('a`b')).toBe('`` a`b ``');
    expect(code('x\n# heading')).toBe('`x # heading`');
  });

  it('says when the compare link is unknown', () => {
    expect(renderSyncPrBody({ ...INPUT, compareUrl: null })).toContain('compare link unavailable');
  });

  it('explains a supersede', () => {
    const text = supersededComment({
      oldTag: 'v1.2.0-stable',
      newTag: 'v1.3.0-stable',
      newPrUrl: 'https://x/pull/9',
      branchDeleted: false,
      branchKeptReason: 'a person pushed to it',
    });
    expect(text).toContain('Superseded by https://x/pull/9');
    expect(text).toContain('Its branch was kept: a person pushed to it.');
  });
});
