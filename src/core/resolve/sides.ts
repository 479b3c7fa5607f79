import type { Side } from './types.js';

// The only place where a merge's parents are named as sides. git calls the first parent "ours"
// and the second "theirs"; which of them is upstream depends on the direction of the merge, and
// getting it backwards is how CARTO's resolver kept carto/main's stale build artefacts while
// logging "accepting upstream". Config and UI only ever say upstream and fork.

export type ParentOrder = 'upstream-first' | 'fork-first';

/**
 * Our sync: the sync branch is built from the upstream tag and production is merged into it,
 * so the first parent is upstream and the second is the fork.
 */
export const SYNC_PARENT_ORDER: ParentOrder = 'upstream-first';

export interface Parents<T> {
  first: T;
  second: T;
}

export interface BySide<T> {
  upstream: T;
  fork: T;
}

export function sideOfParent(order: ParentOrder, parent: 'first' | 'second'): Side {
  const upstreamIsFirst = order === 'upstream-first';
  return (parent === 'first') === upstreamIsFirst ? 'upstream' : 'fork';
}

export function parentsToSides<T>(order: ParentOrder, parents: Parents<T>): BySide<T> {
  return sideOfParent(order, 'first') === 'upstream'
    ? { upstream: parents.first, fork: parents.second }
    : { upstream: parents.second, fork: parents.first };
}

export function sidesToParents<T>(order: ParentOrder, sides: BySide<T>): Parents<T> {
  return sideOfParent(order, 'first') === 'upstream'
    ? { first: sides.upstream, second: sides.fork }
    : { first: sides.fork, second: sides.upstream };
}

export function otherSide(side: Side): Side {
  return side === 'upstream' ? 'fork' : 'upstream';
}
