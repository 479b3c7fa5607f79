import { lineBody } from '../lines.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// One import statement whose name list both sides edited: `from x import a, b` (Python) or
// `import { a, b } from "x"` (JS/TS). Names are merged as sets against the base: additions from
// both sides kept, removals from either side honoured.

interface ImportLine {
  head: string;
  names: string[];
  tail: string;
  eol: string;
  /** The module imported from (`from x` / `from "x"`): names merge only within one module. */
  module: string;
}

const PY = /^(\s*from\s+([\w.]+)\s+import\s+)([\w, ]+?)(\s*)$/;
const JS = /^(\s*import\s+(?:type\s+)?\{\s*)([\w$, ]+?)(\s*,?\s*\}\s*from\s*(['"])([^'"]+)\4;?\s*)$/;

function parseImport(line: string): ImportLine | null {
  const body = lineBody(line);
  const eol = line.slice(body.length);
  const py = PY.exec(body);
  const js = py ? null : JS.exec(body);
  const m = py ? [py[0], py[1], py[3], py[4]] : js ? [js[0], js[1], js[2], js[3]] : null;
  if (!m) return null;
  const module = `${py ? 'py' : 'js'}:${py ? py[2] : js?.[5]}`;
  const names = (m[2] as string)
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.some((n) => !/^[\w$]+$/.test(n)) || new Set(names).size !== names.length) return null;
  return { head: m[1] as string, names, tail: m[3] as string, eol, module };
}

type Order = 'ascii' | 'ci' | null;

function orderOf(names: readonly string[]): Order {
  const sortedBy = (cmp: (a: string, b: string) => number) =>
    names.every((n, i) => i === 0 || cmp(names[i - 1] as string, n) <= 0);
  if (sortedBy((a, b) => (a < b ? -1 : a > b ? 1 : 0))) return 'ascii';
  if (sortedBy((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) return 'ci';
  return null;
}

export function mergeImportNames(hunk: Hunk): string[] | null {
  if (hunk.upstream.length !== 1 || hunk.fork.length !== 1 || hunk.base.length > 1) return null;
  const up = parseImport(hunk.upstream[0] as string);
  const fork = parseImport(hunk.fork[0] as string);
  const base = hunk.base.length ? parseImport(hunk.base[0] as string) : null;
  if (!up || !fork || (hunk.base.length && !base)) return null;
  // Names from two modules are two imports: merging them into one line would break the build.
  if (up.module !== fork.module || (base && base.module !== up.module)) return null;
  if (up.head.replace(/\s+/g, ' ') !== fork.head.replace(/\s+/g, ' ')) return null;
  if (base && base.head.replace(/\s+/g, ' ') !== up.head.replace(/\s+/g, ' ')) return null;
  const baseNames = new Set(base?.names ?? []);
  // Git's marker order: the side written first in the conflict leads, the other's additions follow.
  const [a, b] = hunk.first === 'fork' ? [fork, up] : [up, fork];
  const bSet = new Set(b.names);
  const aSet = new Set(a.names);
  const merged = a.names.filter((n) => !(baseNames.has(n) && !bSet.has(n)));
  for (const n of b.names) if (!aSet.has(n) && !baseNames.has(n)) merged.push(n);
  const order = orderOf(up.names);
  if (order && orderOf(fork.names) === order && (!base || orderOf(base.names) === order)) {
    merged.sort(
      order === 'ascii'
        ? (a, b) => (a < b ? -1 : a > b ? 1 : 0)
        : (a, b) => a.toLowerCase().localeCompare(b.toLowerCase()),
    );
  }
  if (merged.length === 0) return null;
  return [`${a.head}${merged.join(', ')}${a.tail}${a.eol}`];
}

export const importNames: HunkStrategy = {
  name: 'import-union',
  apply(hunk: Hunk, _ctx: HunkContext): StrategyResult | null {
    const lines = mergeImportNames(hunk);
    return lines
      ? {
          lines,
          rationale:
            'both sides edited the names of one import; kept every name either side added, dropped names either side removed',
        }
      : null;
  },
};
