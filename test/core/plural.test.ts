import { describe, expect, it } from 'vitest';
import { plural } from '../../src/core/plural.js';

describe('plural', () => {
  it.each([
    [0, 'file', undefined, '0 files'],
    [1, 'file', undefined, '1 file'],
    [2, 'conflicted path', undefined, '2 conflicted paths'],
    [1, 'child', 'children', '1 child'],
    [3, 'child', 'children', '3 children'],
  ])('%i %s', (count, noun, nounPlural, text) => {
    expect(plural(count, noun, nounPlural)).toBe(text);
  });
});
