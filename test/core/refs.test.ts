import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isRepoSlug, refNameProblem, splitRepo } from '../../src/core/refs.js';

function gitAccepts(name: string): boolean {
  try {
    execFileSync('git', ['check-ref-format', '--branch', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('refNameProblem', () => {
  it.each(['main', 'carto/main', 'upstream-sync/v1.81.9-stable', 'v1.81.9-stable', 'release_2026.11', 'a/b/c'])(
    'accepts %s',
    (name) => {
      expect(refNameProblem(name)).toBeNull();
      expect(gitAccepts(name)).toBe(true);
    },
  );

  it.each([
    ['--upload-pack=touch /tmp/pwned', 'starts with "-"'],
    ['v1;rm -rf', 'contains a space'],
    ['v1.0;id', 'shell metacharacter'],
    ['v1 stable', 'contains a space'],
    ['v1..2', 'contains ".."'],
    ['a/.hidden', 'component starting with "."'],
    ['x.lock', '.lock'],
    ['tag~1', 'contains a space, control character or one of'],
    ['tag^{}', 'contains a space, control character or one of'],
    ['a:b', 'contains a space, control character or one of'],
    ['ends.', 'ends with "."'],
    ['a//b', 'contains "//"'],
    ['/lead', 'starts or ends with "/"'],
    ['at@{x}', 'contains "@{"'],
    ['@', 'is "@"'],
    ['$(id)', 'shell metacharacter'],
    ['`id`', 'shell metacharacter'],
    ['', 'is empty'],
    ['a\u0000b', 'control character'],
  ])('rejects %j', (name, reason) => {
    expect(refNameProblem(name)).toContain(reason);
  });

  it('never accepts a name git itself rejects', () => {
    const candidates = [
      'a..b',
      'a b',
      'a~b',
      'a^b',
      'a:b',
      'a?b',
      'a*b',
      'a[b',
      'a\\b',
      'a.lock',
      '.a',
      'a/',
      'a@{b',
      '-a',
    ];
    for (const name of candidates) {
      if (!gitAccepts(name)) expect(refNameProblem(name), name).not.toBeNull();
    }
  });
});

describe('repository slugs', () => {
  it('accepts owner/name and splits it', () => {
    expect(isRepoSlug('CartoDB/litellm')).toBe(true);
    expect(splitRepo('BerriAI/litellm')).toEqual({ owner: 'BerriAI', repo: 'litellm' });
  });

  it.each(['litellm', 'a/b/c', '../etc', 'a/..', 'a b/c', ''])('rejects %j', (slug) => {
    expect(isRepoSlug(slug)).toBe(false);
  });
});
