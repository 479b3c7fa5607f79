import { isBlank, lineBody } from '../lines.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// Whitespace is meaning in some languages (indentation in Python and YAML, Makefile tabs), so
// leading whitespace only counts as formatting where the language ignores it.

const INDENT_SENSITIVE = /\.(py|pyi|ya?ml|mk|coffee|pug|sass|haml|nim|fs)$|(^|\/)(Makefile|GNUmakefile)$/i;

export function isIndentSensitive(path: string): boolean {
  return INDENT_SENSITIVE.test(path);
}

/** One comparison key per non-blank line: spacing runs collapsed, spaces around punctuation dropped. */
export function formatKey(lines: readonly string[], path: string): string[] {
  const keepIndent = isIndentSensitive(path);
  return lines
    .filter((l) => !isBlank(l))
    .map((l) => {
      const body = lineBody(l);
      const indent = keepIndent ? (/^[ \t]*/.exec(body)?.[0] ?? '') : '';
      const rest = body
        .trim()
        .replace(/\s+/g, ' ')
        .replace(/ ?([^\w\s]) ?/g, '$1');
      return indent + rest;
    });
}

export function sameFormatKey(a: readonly string[], b: readonly string[], path: string): boolean {
  const ka = formatKey(a, path);
  const kb = formatKey(b, path);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i]);
}

/** Lines of `side` that base does not have verbatim: how far its formatting moved from base. */
function formattingDrift(side: readonly string[], base: readonly string[]): number {
  const pool = new Map<string, number>();
  for (const l of base) pool.set(l, (pool.get(l) ?? 0) + 1);
  let drift = 0;
  for (const l of side) {
    const n = pool.get(l) ?? 0;
    if (n > 0) pool.set(l, n - 1);
    else drift++;
  }
  return drift;
}

/**
 * Both sides made the same change and differ only in formatting. The side that kept more of the
 * base's formatting wins: the other one re-formatted lines it did not need to touch. With no base
 * to compare against, or a tie, it is a matter of taste: not certain.
 */
export const sameIgnoringWhitespace: HunkStrategy = {
  name: 'same-ignoring-whitespace',
  apply(hunk: Hunk, ctx: HunkContext): StrategyResult | null {
    if (hunk.base.length === 0 || !sameFormatKey(hunk.upstream, hunk.fork, ctx.path)) return null;
    const up = formattingDrift(hunk.upstream, hunk.base);
    const fork = formattingDrift(hunk.fork, hunk.base);
    if (up === fork) return null;
    return up < fork
      ? {
          lines: [...hunk.upstream],
          rationale:
            'upstream and fork made the same change; they differ only in whitespace and upstream kept the base formatting',
        }
      : {
          lines: [...hunk.fork],
          rationale:
            'upstream and fork made the same change; they differ only in whitespace and the fork kept the base formatting',
        };
  },
};
