import { describe, expect, it } from 'vitest';
import { learnLanded } from '../../../src/core/resolve/corpus-case.js';
import { hunkKey, replay, shapeOf } from '../../../src/core/resolve/hunk-key.js';
import { landedResolutions } from '../../../src/core/resolve/learn.js';
import { hunksOf, merge3 } from '../../../src/core/resolve/merge3.js';
import type { RememberedHunk } from '../../../src/core/resolve/resolve-file.js';

const BASE = 'head\na\nmiddle\nb\ntail\n';
const UP = 'head\nA-up\nmiddle\nB-up\ntail\n';
const FORK = 'head\nA-fork\nmiddle\nB-fork\ntail\n';

describe('learning what landed', () => {
  const segments = merge3(BASE, UP, FORK);

  it("reads each hunk's final text back from the landed file", () => {
    expect(landedResolutions(segments, 'head\nA-up\nA-fork\nmiddle\nB-fork\ntail\n')).toEqual([
      'A-up\nA-fork\n',
      'B-fork\n',
    ]);
  });

  it('learns nothing when the landed file changed the text between hunks', () => {
    expect(landedResolutions(segments, 'head\nA-up\nMIDDLE\nB-fork\ntail\n')).toBeNull();
    const memory = new Map<string, RememberedHunk>();
    expect(learnLanded(segments, 'other\n', memory, 'PR #1')).toBe(0);
    expect(memory.size).toBe(0);
  });

  it('remembers sides as sides, so a replay uses the bytes of the day', () => {
    const memory = new Map<string, RememberedHunk>();
    expect(learnLanded(segments, 'head\nA-up\nmiddle\nB-fork\ntail\n', memory, 'PR #1')).toBe(2);
    const [first, second] = hunksOf(segments);
    expect(memory.get(hunkKey(first!))).toEqual({ shape: 'upstream', text: 'A-up\n', source: 'PR #1' });
    expect(memory.get(hunkKey(second!))?.shape).toBe('fork');
    expect(replay({ upstream: ['A-up  \n'], fork: ['x\n'] }, 'upstream', 'A-up\n')).toBe('A-up  \n');
    expect(shapeOf({ upstream: ['u\n'], fork: ['f\n'] }, 'f\nu\n')).toBe('fork+upstream');
    expect(shapeOf({ upstream: ['u\n'], fork: ['f\n'] }, 'x\n')).toBe('text');
  });
});
