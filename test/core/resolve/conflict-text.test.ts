import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatConflictText, hasConflictMarkers, parseConflictText } from '../../../src/core/resolve/conflict-text.js';
import { hunksOf, merge3 } from '../../../src/core/resolve/merge3.js';
import { runGit } from '../../../src/sandbox/scratch-repo.js';
import { tempDir } from '../../helpers/tmp.js';

const labels = { first: 'ours', base: 'base', second: 'theirs' };

/** Real diff3 text, the way the conflict corpus and a person's terminal show it. */
async function gitMergeFile(base: string, first: string, second: string): Promise<string> {
  const dir = await tempDir();
  await mkdir(dir, { recursive: true });
  await Promise.all([
    writeFile(join(dir, 'o'), first),
    writeFile(join(dir, 'b'), base),
    writeFile(join(dir, 't'), second),
  ]);
  return runGit(dir, ['merge-file', '-p', '--diff3', '-L', 'ours', '-L', 'base', '-L', 'theirs', 'o', 'b', 't']).catch(
    (err: Error & { cause?: { stdout?: string } }) => err.cause?.stdout ?? '',
  );
}

const BASE = '# Title\n\nintro\n=======\n\nline 1\nline 2\nline 3\n';
const FIRST = '# Title\n\nintro\n=======\n\nline 1\nupstream 2\nline 3\n';
const SECOND = '# Title\n\nintro\n=======\n\nline 1\nfork 2\nline 3\n';

describe('diff3 conflict text', () => {
  it('parses git merge-file output into the same hunks merge3 finds, with a Markdown "=======" left alone', async () => {
    const conflicted = await gitMergeFile(BASE, FIRST, SECOND);
    expect(conflicted).toContain('<<<<<<< ours');
    const parsed = parseConflictText(conflicted, labels, 'upstream-first');
    expect(parsed).not.toBeNull();
    const [hunk] = hunksOf(parsed!);
    expect(hunk).toMatchObject({ upstream: ['upstream 2\n'], base: ['line 2\n'], fork: ['fork 2\n'] });
    expect(hunksOf(merge3(BASE, FIRST, SECOND)).map((h) => [h.upstream, h.base, h.fork])).toEqual([
      [hunk!.upstream, hunk!.base, hunk!.fork],
    ]);
    expect(formatConflictText(parsed!, labels, 'upstream-first')).toBe(conflicted);
  });

  it('reads the first parent as the fork when the merge went the other way', async () => {
    const conflicted = await gitMergeFile(BASE, FIRST, SECOND);
    const [hunk] = hunksOf(parseConflictText(conflicted, labels, 'fork-first')!);
    expect(hunk).toMatchObject({ upstream: ['fork 2\n'], fork: ['upstream 2\n'] });
  });

  it('refuses an unterminated conflict block', () => {
    expect(parseConflictText('a\n<<<<<<< ours\nx\n||||||| base\n=======\ny\n', labels, 'upstream-first')).toBeNull();
  });

  it.each([
    ['<<<<<<< HEAD\n', true],
    ['x\n>>>>>>> theirs\n', true],
    ['x\n=======\n', true],
    ['x\r\n||||||| base\r\n', true],
    ['Title\n====\n', false],
    ['a <<<<<<< b\n', false],
  ])('hasConflictMarkers(%j) is %s', (input, expected) => {
    expect(hasConflictMarkers(input)).toBe(expected);
  });
});
