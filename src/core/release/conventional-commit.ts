// Conventional Commits (https://www.conventionalcommits.org), read leniently: CARTO's history also
// uses `feature:`, `bugfix:`, `breaking:` and `major:`, which their release script honoured.

export interface ConventionalCommit {
  /** Lower-cased, with aliases folded (feature → feat, bugfix → fix). */
  type: string;
  scope: string | null;
  breaking: boolean;
  description: string;
}

export type ChangeKind = 'breaking' | 'feature' | 'fix' | 'other';

const HEADER = /^(?<type>[A-Za-z][A-Za-z-]*)(?:\((?<scope>[^()\r\n]*)\))?(?<bang>!)?:\s+(?<description>\S.*)$/;
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE:\s/m;
const ALIASES: Record<string, string> = { feature: 'feat', bugfix: 'fix', hotfix: 'fix' };
const BREAKING_TYPES = new Set(['breaking', 'major']);
const FIX_TYPES = new Set(['fix', 'perf', 'security']);

export function parseConventionalCommit(subject: string, body = ''): ConventionalCommit | null {
  const m = HEADER.exec(subject.trim());
  if (!m?.groups) return null;
  const raw = (m.groups.type as string).toLowerCase();
  const type = ALIASES[raw] ?? raw;
  const scope = m.groups.scope?.trim() || null;
  const breaking = Boolean(m.groups.bang) || BREAKING_TYPES.has(type) || BREAKING_FOOTER.test(body);
  return { type, scope, breaking, description: (m.groups.description as string).trim() };
}

/** Which section a change belongs to; unconventional text is "other". */
export function changeKindOf(commit: ConventionalCommit | null): ChangeKind {
  if (!commit) return 'other';
  if (commit.breaking) return 'breaking';
  if (commit.type === 'feat') return 'feature';
  if (FIX_TYPES.has(commit.type)) return 'fix';
  return 'other';
}

const RANK: Record<ChangeKind, number> = { other: 0, fix: 1, feature: 2, breaking: 3 };

export function maxKind(a: ChangeKind, b: ChangeKind): ChangeKind {
  return RANK[a] >= RANK[b] ? a : b;
}
