import { describe, expect, it } from 'vitest';
import { parentsToSides, sideOfParent, sidesToParents, SYNC_PARENT_ORDER } from '../../../src/core/resolve/sides.js';

describe('side mapping', () => {
  it('our sync merges production into the branch built from the tag: the first parent is upstream', () => {
    expect(SYNC_PARENT_ORDER).toBe('upstream-first');
    expect(parentsToSides(SYNC_PARENT_ORDER, { first: 'tag content', second: 'carto/main content' })).toEqual({
      upstream: 'tag content',
      fork: 'carto/main content',
    });
  });

  it('a merge of upstream into the fork has the fork first', () => {
    expect(parentsToSides('fork-first', { first: 'carto/main', second: 'tag' })).toEqual({
      upstream: 'tag',
      fork: 'carto/main',
    });
    expect(sideOfParent('fork-first', 'first')).toBe('fork');
    expect(sideOfParent('fork-first', 'second')).toBe('upstream');
  });

  it.each(['upstream-first', 'fork-first'] as const)('round-trips parents and sides (%s)', (order) => {
    const parents = { first: 1, second: 2 };
    expect(sidesToParents(order, parentsToSides(order, parents))).toEqual(parents);
  });
});
