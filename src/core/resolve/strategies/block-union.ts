import { indentOf, isBlank, lineBody } from '../lines.js';
import { dataFormatOf } from '../structured.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// Both sides inserted new blocks at the same point where the base had nothing (each side a
// function, a test, a class, a config section, a provider branch): when every top-level block is
// self-contained and defines a name the other side does not, the insertions are independent and
// both are kept, in git's marker order, as a person merging a branch does. Two blocks with the
// same name or head line (the same decorator, the same key, the same `else:`) are rival versions
// of one thing: not certain. Base lines in the region mean a side rewrote something: not here.

const DEFINITION =
  /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:def|class|function|interface|type|enum|const|let|var|struct|impl|fn|func|model|message|service)\s+([A-Za-z_$][\w$]*)/;
const KEY_LINE = /^(['"]?)([A-Za-z_$][\w$.-]*)\1\s*\??\s*(?::(?!:)|=(?!=))/;
const DECORATOR = /^@([\w$.]+)/;
/** Two imports of one module are rival versions of one line, whatever names each lists. */
const IMPORT = /^(?:from\s+([\w.]+)\s+import\b|import\s+([\w.]+)\s*$|import\b.*\bfrom\s+['"]([^'"]+)['"])/;
const CLOSER = /^[)\]}]+[,;:]?$/;
/** A commented-out line is still the same setting: `# key: x` rivals `key: y`. */
const COMMENT_MARK = /^(?:#+|\/\/+)\s*/;

/** The name a block's head line defines, or its whole text when it defines none. */
function headKey(text: string): string {
  const bare = text.replace(COMMENT_MARK, '');
  const i = IMPORT.exec(bare);
  if (i) return `import:${i[1] ?? i[2] ?? i[3]}`;
  const d = DECORATOR.exec(bare);
  if (d) return `@${d[1]}`;
  const m = DEFINITION.exec(bare) ?? KEY_LINE.exec(bare);
  return m ? `name:${m[m.length - 1]}` : `line:${bare.replace(/\s+/g, ' ')}`;
}

/** Brackets outside string literals, counted: a self-contained insertion opens none it does not close. */
function balanced(lines: readonly string[]): boolean {
  let depth = 0;
  for (const line of lines) {
    const code = lineBody(line)
      .replace(/(["'`])(?:\\.|(?!\1).)*\1/g, '""')
      .replace(/\s#.*$|^\s*#.*$|\/\/.*$/, '');
    for (const ch of code) {
      if ('([{'.includes(ch)) depth++;
      else if (')]}'.includes(ch) && --depth < 0) return false;
    }
  }
  return depth === 0;
}

/** Head keys of an insertion's top-level blocks, or null when it is not a run of whole blocks. */
export function blockKeys(lines: readonly string[]): string[] | null {
  const body = lines.filter((l) => !isBlank(l));
  if (body.length === 0 || !balanced(body)) return null;
  const indent = indentOf(body[0] as string).length;
  const keys: string[] = [];
  for (const line of body) {
    const text = lineBody(line).trim();
    const depth = indentOf(line).length;
    if (depth < indent) return null;
    if (depth > indent || CLOSER.test(text)) continue;
    keys.push(headKey(text));
  }
  return keys;
}

/** Lines that say something (more than a closer, a keyword or a short call). */
function telling(lines: readonly string[]): Set<string> {
  return new Set(lines.map((l) => lineBody(l).trim()).filter((t) => t.replace(/\W/g, '').length >= 8));
}

/**
 * Two versions of the same code written twice (an add/add of one file, a block both sides
 * reformatted) share most of their lines; independent additions share few (a test's boilerplate).
 */
function rivals(a: readonly string[], b: readonly string[]): boolean {
  const x = telling(a);
  const y = telling(b);
  let shared = 0;
  for (const t of x) if (y.has(t)) shared++;
  return shared > 0 && shared * 4 >= Math.min(x.size, y.size);
}

export const blockUnion: HunkStrategy = {
  name: 'block-union',
  apply(hunk: Hunk, ctx: HunkContext): StrategyResult | null {
    // Data files are merged key by key (key-merge), which also checks the result still parses.
    if (hunk.base.length > 0 || dataFormatOf(ctx.path)) return null;
    const up = blockKeys(hunk.upstream);
    const fork = blockKeys(hunk.fork);
    if (!up || !fork) return null;
    const upIndent = indentOf(hunk.upstream.find((l) => !isBlank(l)) as string);
    const forkIndent = indentOf(hunk.fork.find((l) => !isBlank(l)) as string);
    if (upIndent !== forkIndent) return null;
    if (up.some((k) => fork.includes(k))) return null;
    if (rivals(hunk.upstream, hunk.fork)) return null;
    const forkFirst = hunk.first === 'fork';
    const [a, b] = forkFirst ? [hunk.fork, hunk.upstream] : [hunk.upstream, hunk.fork];
    return {
      lines: [...a, ...b],
      rationale: `both sides inserted different self-contained blocks here, where the base had nothing (upstream: ${up.join(', ')}; fork: ${fork.join(', ')}); kept both, ${forkFirst ? "the fork's" : "upstream's"} first as in the conflict markers`,
    };
  },
};
