import { describe, expect, it } from 'vitest';
import { changeKindOf, parseConventionalCommit } from '../../../src/core/release/conventional-commit.js';

describe('parseConventionalCommit', () => {
  it.each([
    ['feat: add OCI provider', '', 'feat', null, false, 'feature'],
    ['feat(oci): add OCI provider', '', 'feat', 'oci', false, 'feature'],
    ['feature(oci): add OCI provider', '', 'feat', 'oci', false, 'feature'],
    ['fix: keep Snowflake JWT', '', 'fix', null, false, 'fix'],
    ['bugfix(auth): token refresh', '', 'fix', 'auth', false, 'fix'],
    ['perf: cache prisma binaries', '', 'perf', null, false, 'fix'],
    ['feat!: drop v1 routes', '', 'feat', null, true, 'breaking'],
    ['refactor(api)!: rename fields', '', 'refactor', 'api', true, 'breaking'],
    ['fix: new config format', 'Details.\n\nBREAKING CHANGE: config moved', 'fix', null, true, 'breaking'],
    ['chore: x', 'BREAKING-CHANGE: y', 'chore', null, true, 'breaking'],
    ['breaking: remove flag', '', 'breaking', null, true, 'breaking'],
    ['major(proxy): new auth', '', 'major', 'proxy', true, 'breaking'],
    ['chore: bump deps', '', 'chore', null, false, 'other'],
    ['docs(CARTO): update', 'mentions a BREAKING CHANGE: inline only', 'docs', 'CARTO', false, 'other'],
  ])('%s', (subject, body, type, scope, breaking, kind) => {
    const cc = parseConventionalCommit(subject, body);
    expect(cc).toMatchObject({ type, scope, breaking });
    expect(changeKindOf(cc)).toBe(kind);
  });

  it.each(['Add OCI provider', 'Merge pull request #12 from CartoDB/feat', 'feat:missing space', 'feat():', 'WIP'])(
    '%s is not conventional',
    (subject) => {
      expect(parseConventionalCommit(subject)).toBeNull();
      expect(changeKindOf(null)).toBe('other');
    },
  );
});
