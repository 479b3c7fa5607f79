import { indentOf, isBlank, lineBody } from '../lines.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// Both sides added new definitions at the same place (each side a function, a test, a class, a
// config section): when every block defines a different name, the additions are independent and
// both are kept, upstream's first. Two blocks defining the same name are rival versions.

const DEFINITION =
  /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:def|class|function|interface|type|enum|const|let|var|struct|impl|fn|func|model|message|service)\s+([A-Za-z_$][\w$]*)/;
const KEY_LINE = /^(['"]?)([A-Za-z_$][\w$.-]*)\1\s*[:=]/;
const DECORATOR = /^@/;
const CLOSER = /^[)\]}]+[,;]?$/;

/** Top-level blocks of an insertion, each with the name it defines, or null when one has none. */
export function blockKeys(lines: readonly string[]): string[] | null {
  const body = lines.filter((l) => !isBlank(l));
  if (body.length === 0) return null;
  const indent = Math.min(...body.map((l) => indentOf(l).length));
  const keys: string[] = [];
  let open = false;
  let pendingDecorator = false;
  for (const line of body) {
    const text = lineBody(line).trim();
    if (indentOf(line).length > indent || CLOSER.test(text)) {
      if (!open && !pendingDecorator) return null;
      continue;
    }
    if (DECORATOR.test(text)) {
      pendingDecorator = true;
      continue;
    }
    const m = DEFINITION.exec(text) ?? KEY_LINE.exec(text);
    if (!m) return null;
    keys.push(m[m.length - 1] as string);
    open = true;
    pendingDecorator = false;
  }
  return pendingDecorator ? null : keys;
}

export const blockUnion: HunkStrategy = {
  name: 'block-union',
  apply(hunk: Hunk, _ctx: HunkContext): StrategyResult | null {
    if (hunk.base.length > 0) return null;
    const up = blockKeys(hunk.upstream);
    const fork = blockKeys(hunk.fork);
    if (!up || !fork) return null;
    const upIndent = indentOf(hunk.upstream.find((l) => !isBlank(l)) as string);
    const forkIndent = indentOf(hunk.fork.find((l) => !isBlank(l)) as string);
    if (upIndent !== forkIndent) return null;
    if (up.some((k) => fork.includes(k))) return null;
    // Both sides must frame their block the same way (same blank lines before and after), or
    // the separator between the two blocks is a guess.
    if (!sameFrame(hunk.upstream, hunk.fork)) return null;
    return {
      lines: [...hunk.upstream, ...hunk.fork],
      rationale: `both sides added different definitions here (upstream: ${up.join(', ')}; fork: ${fork.join(', ')}); kept both, upstream's first`,
    };
  },
};

function frame(lines: readonly string[]): [number, number] {
  let lead = 0;
  while (lead < lines.length && isBlank(lines[lead] as string)) lead++;
  let trail = 0;
  while (trail < lines.length - lead && isBlank(lines[lines.length - 1 - trail] as string)) trail++;
  return [lead, trail];
}

function sameFrame(a: readonly string[], b: readonly string[]): boolean {
  const [la, ta] = frame(a);
  const [lb, tb] = frame(b);
  return la === lb && ta === tb && la + ta > 0;
}
