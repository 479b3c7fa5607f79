import { describe, expect, it } from 'vitest';
import { hunksOf, merge3 } from '../../../src/core/resolve/merge3.js';
import type { Segment } from '../../../src/core/resolve/types.js';

const text = (...lines: string[]) => lines.map((l) => `${l}\n`).join('');
const cleanText = (segments: Segment[]) =>
  segments.every((s) => s.kind === 'clean')
    ? segments.map((s) => (s.kind === 'clean' ? s.lines.join('') : '')).join('')
    : null;

describe('merge3', () => {
  it.each([
    {
      name: 'only upstream changed',
      base: text('a', 'b', 'c'),
      up: text('a', 'B', 'c'),
      fork: text('a', 'b', 'c'),
      merged: text('a', 'B', 'c'),
    },
    {
      name: 'only the fork changed',
      base: text('a', 'b', 'c'),
      up: text('a', 'b', 'c'),
      fork: text('a', 'b', 'C'),
      merged: text('a', 'b', 'C'),
    },
    {
      name: 'changes far apart',
      base: text('a', 'b', 'c', 'd', 'e'),
      up: text('A', 'b', 'c', 'd', 'e'),
      fork: text('a', 'b', 'c', 'd', 'E'),
      merged: text('A', 'b', 'c', 'd', 'E'),
    },
    {
      name: 'the same change on both sides',
      base: text('a', 'b'),
      up: text('a', 'x'),
      fork: text('a', 'x'),
      merged: text('a', 'x'),
    },
    { name: 'no final newline kept', base: 'a\nb', up: 'a\nb', fork: 'a\nB', merged: 'a\nB' },
  ])('merges cleanly: $name', ({ base, up, fork, merged }) => {
    expect(cleanText(merge3(base, up, fork))).toBe(merged);
  });

  it.each([
    {
      name: 'both changed one line',
      base: text('a', 'b', 'c'),
      up: text('a', 'U', 'c'),
      fork: text('a', 'F', 'c'),
      hunk: { base: ['b\n'], upstream: ['U\n'], fork: ['F\n'] },
    },
    {
      name: 'both inserted at one point',
      base: text('a', 'c'),
      up: text('a', 'u', 'c'),
      fork: text('a', 'f', 'c'),
      hunk: { base: [], upstream: ['u\n'], fork: ['f\n'] },
    },
    // git's rule: changes to neighbouring lines conflict.
    {
      name: 'neighbouring lines changed',
      base: text('a', 'b', 'c', 'd'),
      up: text('a', 'B', 'c', 'd'),
      fork: text('a', 'b', 'C', 'd'),
      hunk: { base: ['b\n', 'c\n'], upstream: ['B\n', 'c\n'], fork: ['b\n', 'C\n'] },
    },
  ])('reports a conflict: $name', ({ base, up, fork, hunk }) => {
    const hunks = hunksOf(merge3(base, up, fork));
    expect(hunks).toHaveLength(1);
    expect(hunks[0]).toMatchObject({ index: 0, ...hunk });
  });

  it('lets neighbouring changes both apply in the relaxed mode used inside a hunk', () => {
    const segments = merge3(text('a', 'b', 'c', 'd'), text('a', 'B', 'c', 'd'), text('a', 'b', 'C', 'd'), {
      adjacent: 'merge',
    });
    expect(cleanText(segments)).toBe(text('a', 'B', 'C', 'd'));
  });

  it('keeps every line of clean text and every side of each hunk', () => {
    const base = text('1', '2', '3', '4', '5', '6', '7');
    const up = text('1', 'two', '3', '4', '5', 'six', '7', '8');
    const fork = text('0', '1', '2!', '3', '4', '5', '6?', '7');
    const segments = merge3(base, up, fork);
    const hunks = hunksOf(segments);
    expect(hunks.map((h) => [h.upstream.join(''), h.fork.join('')])).toEqual([
      ['two\n', '2!\n'],
      ['six\n', '6?\n'],
    ]);
    expect(hunks.map((h) => h.upstreamLine)).toEqual([2, 6]);
    expect(segments[0]).toEqual({ kind: 'clean', lines: ['0\n', '1\n'] });
    expect(segments[segments.length - 1]).toEqual({ kind: 'clean', lines: ['7\n', '8\n'] });
  });
});
