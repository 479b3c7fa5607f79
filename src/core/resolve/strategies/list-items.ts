import { isDependencyManifest } from './dependency-pin.js';
import { indentOf, isBlank, lineBody } from '../lines.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// Both sides inserted entries at the same point of the same list: string items, dictionary and
// object entries, enum members, keyword arguments, requirement pins, `| x` / `or x` terms, import
// statements, `elif` / `case` clauses. Entries are keyed; when every key is distinct the
// insertions are independent and all are kept in git's marker order. Two different entries with the
// same key are rival versions: not certain, so not decided here. Where base lines sit in the
// region people often drop one side's edit to an entry (a reformat, a rename) rather than
// combine, so only pure insertions qualify.

const ITEM_PATTERNS: Array<[string, RegExp]> = [
  ['import', /^(?:from\s+([\w.]+)\s+import\s+[^()]+|import\s+([\w.]+)(?:\s+as\s+\w+)?)$/],
  ['js-import', /^import\s+[^;]+\s+from\s+(['"])([^'"]+)\1;?$/],
  ['string', /^(['"`])((?:(?!\1).)*)\1\s*,?$/],
  ['entry', /^(['"])((?:(?!\1).)+)\1\s*:\s*\S.*?,?$/],
  ['assign', /^([A-Za-z_$][\w$.]*)\s*(?::\s*[^=]+?)?\s*=(?!=)\s*\S.*$/],
  ['property', /^([A-Za-z_$][\w$]*)\??\s*:\s*[^:=].*[,;]$/],
  ['name', /^([A-Za-z_$][\w$.]*)\s*,?$/],
  ['chain', /^(\||\+|or|and|&&|\|\|)\s+(\S.*)$/],
  ['bullet', /^([-*+])\s+(\S.*)$/],
];

const REQUIREMENT =
  /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[\w,.-]+\])?\s*(==|>=|<=|~=|!=|===|>|<)\s*[\w.*+!-]+(\s*[,;].*)?(\s+#.*)?$/;

/** `name = "^1.0"` or `name = { version = … }` in pyproject.toml / Cargo.toml. */
const TOML_DEPENDENCY = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=\s*[{"']/;

// Ignore files (.gitignore, .dockerignore, ...) are sets of independent patterns, one a line: a
// line's whole text is its key, comments included, and two sides adding the same line add it once.
const LINE_LIST = /(^|\/)\.[\w-]*ignore$/;

export function isLineListFile(path: string): boolean {
  return LINE_LIST.test(path);
}

/** A stable key for a one-line list entry, or null when the line is not a flat entry. */
export function itemKey(line: string, path = ''): string | null {
  const body = lineBody(line).trim();
  if (body !== '' && isLineListFile(path)) return `line:${body}`;
  if (body === '' || body.startsWith('#') || body.startsWith('//')) return null;
  if (isDependencyManifest(path)) {
    const req = REQUIREMENT.exec(body) ?? TOML_DEPENDENCY.exec(body);
    if (req) return `pkg:${(req[1] as string).toLowerCase().replace(/[-_.]+/g, '-')}`;
  }
  for (const [kind, re] of ITEM_PATTERNS) {
    const m = re.exec(body);
    if (!m) continue;
    switch (kind) {
      case 'string':
      case 'entry':
        return `${kind}:${m[2]}`;
      case 'assign':
      case 'property':
      case 'name':
        return `id:${m[1]}`;
      case 'chain':
      case 'bullet':
        return `${kind}:${(m[2] as string).replace(/\s+/g, ' ')}`;
      case 'import':
        // Two lines importing from the same module are rival versions, not additions.
        return `import:${m[1] ?? m[2]}`;
      case 'js-import':
        return `import:${m[2]}`;
      default:
        return null;
    }
  }
  return null;
}

interface Unit {
  kind: 'item' | 'clause' | 'import';
  key: string;
  lines: string[];
}

const CLAUSE = /^(?:elif\b(.+):|case\b(.+):|\}?\s*else\s+if\s*\((.+)\)\s*\{)$/;
const OPEN_IMPORT = /^(?:from\s+([\w.]+)\s+import\s*\(|import\s+(?:type\s+)?\{[^}]*)$/;

function isCloser(line: string): boolean {
  return /^[)\]}]+[,;]?$/.test(lineBody(line).trim()) || /^\}\s*from\s+(['"])[^'"]+\1;?$/.test(lineBody(line).trim());
}

/** Splits an insertion into keyed units at one indentation, or null when any line fits none. */
function units(lines: readonly string[], indent: string, path: string): Unit[] | null {
  const out: Unit[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (indentOf(line) !== indent || isBlank(line)) return null;
    const text = lineBody(line).trim();
    const clause = CLAUSE.exec(text);
    const openImport = OPEN_IMPORT.exec(text);
    if (clause) {
      const body: string[] = [line];
      i++;
      while (i < lines.length && !isBlank(lines[i] as string) && indentOf(lines[i] as string).length > indent.length)
        body.push(lines[i++] as string);
      if (body.length < 2) return null;
      out.push({
        kind: 'clause',
        key: `clause:${(clause[1] ?? clause[2] ?? clause[3] ?? '').replace(/\s+/g, ' ').trim()}`,
        lines: body,
      });
      continue;
    }
    if (openImport) {
      const body: string[] = [line];
      i++;
      while (i < lines.length && !isCloser(lines[i] as string)) {
        if (isBlank(lines[i] as string) || indentOf(lines[i] as string).length <= indent.length) return null;
        body.push(lines[i++] as string);
      }
      if (i >= lines.length || indentOf(lines[i] as string) !== indent) return null;
      body.push(lines[i++] as string);
      const from = /from\s+(['"])([^'"]+)\1/.exec(lineBody(body[body.length - 1] as string));
      out.push({ kind: 'import', key: `import:${openImport[1] ?? from?.[2] ?? ''}`, lines: body });
      continue;
    }
    const key = itemKey(line, path);
    if (key === null) return null;
    out.push({ kind: key.startsWith('import:') ? 'import' : 'item', key, lines: [line] });
    i++;
  }
  return out;
}

const sameUnit = (a: Unit, b: Unit) => a.lines.join('') === b.lines.join('');

function trailingBlanks(lines: readonly string[]): number {
  let n = 0;
  while (n < lines.length && isBlank(lines[lines.length - 1 - n] as string)) n++;
  return n;
}

const endsWithComma = (line: string) => /,\s*(#.*|\/\/.*)?$/.test(lineBody(line));

/** In a comma-separated list every entry but the last needs its comma, or the union breaks the syntax. */
function commasConsistent(lines: readonly string[]): boolean {
  if (!lines.some(endsWithComma)) return true;
  return lines.slice(0, -1).every(endsWithComma);
}

export function unionOfEntries(hunk: Hunk, path: string): string[] | null {
  if (hunk.base.length > 0) return null;
  const upBlank = trailingBlanks(hunk.upstream);
  const forkBlank = trailingBlanks(hunk.fork);
  const upLines = hunk.upstream.slice(0, hunk.upstream.length - upBlank);
  const forkLines = hunk.fork.slice(0, hunk.fork.length - forkBlank);
  // Blank lines after the entries end the list: both sides must end it the same way, or how many
  // blank lines follow the merged list is a guess. One exception: when only the fork ends its
  // entries with blank lines, plain concatenation keeps every entry together and the fork's
  // blank lines where the fork put them, after the list.
  const closing = hunk.fork.slice(hunk.fork.length - forkBlank);
  if (upBlank > 0 && hunk.upstream.slice(hunk.upstream.length - upBlank).join('') !== closing.join('')) return null;
  const probe = upLines[0] ?? forkLines[0];
  if (probe === undefined || upLines.length === 0 || forkLines.length === 0) return null;
  const indent = indentOf(probe);
  const up = units(upLines, indent, path);
  const fork = units(forkLines, indent, path);
  if (!up || !fork) return null;
  const kinds = new Set([...up, ...fork].map((u) => u.kind));
  if (kinds.size !== 1) return null;
  // When one side's entries include every entry of the other, people keep that side as it is, in
  // its own order: interleaving the two would reorder entries neither side moved.
  const contains = (a: Unit[], b: Unit[]) => b.every((x) => a.some((y) => y.key === x.key && sameUnit(x, y)));
  if (contains(up, fork)) return [...upLines, ...closing];
  if (contains(fork, up)) return [...forkLines, ...closing];
  const keys = new Map<string, string>();
  const result: string[] = [];
  // Git's marker order: the side written first in the conflict comes first in the union.
  for (const u of hunk.first === 'fork' ? [...fork, ...up] : [...up, ...fork]) {
    const text = u.lines.join('');
    const seen = keys.get(u.key);
    if (seen === text) continue;
    if (seen !== undefined) return null;
    keys.set(u.key, text);
    result.push(...u.lines);
  }
  if (kinds.has('item') && !commasConsistent(result)) return null;
  return [...result, ...closing];
}

export const listItems: HunkStrategy = {
  name: 'list-union',
  apply(hunk: Hunk, ctx: HunkContext): StrategyResult | null {
    const lines = unionOfEntries(hunk, ctx.path);
    if (!lines) return null;
    return {
      lines,
      rationale:
        'both sides inserted different entries at the same point of a list; kept every entry once, in the order of the conflict markers (a side holding every entry of the other kept as it is)',
    };
  },
};
