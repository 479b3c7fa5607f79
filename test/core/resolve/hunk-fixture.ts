import { parseConflictText } from '../../../src/core/resolve/conflict-text.js';
import { hunksOf } from '../../../src/core/resolve/merge3.js';
import type { Hunk } from '../../../src/core/resolve/types.js';

/**
 * One hunk from diff3 text as git writes it (`git merge-file --diff3 -L upstream -L base -L fork`),
 * so the tables read like the conflicts people see.
 */
export function diff3Hunk(text: string): Hunk {
  const segments = parseConflictText(text, { first: 'upstream', base: 'base', second: 'fork' }, 'upstream-first');
  const [hunk] = hunksOf(segments ?? []);
  if (!hunk) throw new Error(`no conflict in fixture:\n${text}`);
  return hunk;
}

export const ctx = (path: string) => ({ path, before: [], after: [] });
