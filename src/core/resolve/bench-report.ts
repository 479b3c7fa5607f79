import type { Grade, HunkCredit } from './bench-metrics.js';
import { LAYERS, MIN_FIRINGS, MIN_PRECISION } from './layers.js';

// The tables `bench conflicts` prints: files graded against the answer (source files and build
// output apart), and each layer and strategy with its firings and hunk precision, checked against
// the bar a layer must clear to be on by default.

export interface GradeRow {
  cases: number;
  exact: number;
  acceptable: number;
  notAcceptable: number;
  unresolved: number;
}

export interface FiringRow {
  name: string;
  firings: number;
  right: number;
  wrong: number;
  /** Firings the answer could not score (no answer, or not lined up and the file not written). */
  unscored: number;
  precision: number | null;
}

export interface LayerVerdict extends FiringRow {
  defaultOn: boolean;
  earns: boolean;
  why: string;
}

export interface GradedCase {
  id: string;
  buildOutput: boolean;
  grade: Grade | null;
  credits: HunkCredit[];
}

export function emptyGrades(): GradeRow {
  return { cases: 0, exact: 0, acceptable: 0, notAcceptable: 0, unresolved: 0 };
}

export function tallyGrades(cases: readonly GradedCase[]): { source: GradeRow; build: GradeRow; all: GradeRow } {
  const out = { source: emptyGrades(), build: emptyGrades(), all: emptyGrades() };
  for (const c of cases) {
    if (c.grade === null) continue;
    for (const row of [c.buildOutput ? out.build : out.source, out.all]) {
      row.cases++;
      if (c.grade === 'exact') row.exact++;
      if (c.grade === 'exact' || c.grade === 'acceptable') row.acceptable++;
      if (c.grade === 'not-acceptable') row.notAcceptable++;
      if (c.grade === 'unresolved') row.unresolved++;
    }
  }
  return out;
}

export function tallyFirings(cases: readonly GradedCase[], key: 'layer' | 'strategy'): FiringRow[] {
  const rows = new Map<string, FiringRow>();
  for (const c of cases)
    for (const h of c.credits) {
      const name = h[key];
      const r = rows.get(name) ?? { name, firings: 0, right: 0, wrong: 0, unscored: 0, precision: null };
      r.firings++;
      if (h.right === true) r.right++;
      else if (h.right === false) r.wrong++;
      else r.unscored++;
      rows.set(name, r);
    }
  for (const r of rows.values()) r.precision = r.right + r.wrong > 0 ? r.right / (r.right + r.wrong) : null;
  return [...rows.values()].sort((a, b) => b.firings - a.firings);
}

/** Each known layer against the bar (≥ 95% hunk precision over ≥ 20 scored firings). */
export function layerVerdicts(rows: readonly FiringRow[]): LayerVerdict[] {
  return LAYERS.map((l) => {
    const r = rows.find((x) => x.name === l.name) ?? {
      name: l.name,
      firings: 0,
      right: 0,
      wrong: 0,
      unscored: 0,
      precision: null,
    };
    const scored = r.right + r.wrong;
    const earns = scored >= MIN_FIRINGS && (r.precision ?? 0) >= MIN_PRECISION;
    const here =
      scored < MIN_FIRINGS
        ? `${scored} scored firings here (< ${MIN_FIRINGS})`
        : `${pct(r.precision ?? 0)} precision here ${earns ? '≥' : '<'} ${pct(MIN_PRECISION)}`;
    return { ...r, defaultOn: l.defaultOn, earns, why: `${l.defaultOn ? 'on' : 'off'} by default (${l.why}); ${here}` };
  });
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function gradeLine(label: string, g: GradeRow): string {
  const p = (n: number) => (g.cases ? `${((100 * n) / g.cases).toFixed(1)}% (${n})` : '-');
  return `${label.padEnd(14)} ${String(g.cases).padStart(5)}  exact ${p(g.exact).padEnd(13)} acceptable ${p(g.acceptable).padEnd(13)} not acceptable ${p(g.notAcceptable).padEnd(13)} unresolved ${p(g.unresolved)}`;
}

export function formatGradeTable(
  grades: { source: GradeRow; build: GradeRow; all: GradeRow },
  truth: string,
): string[] {
  return [
    `files against ${truth}:`,
    gradeLine('source', grades.source),
    gradeLine('build output', grades.build),
    gradeLine('all', grades.all),
  ];
}

export function formatFirings(title: string, rows: readonly FiringRow[]): string[] {
  if (rows.length === 0) return [`${title}: none fired`];
  return [
    `${title} (hunks fired, right:wrong:unscored, precision):`,
    ...rows.map(
      (r) =>
        `  ${r.name.padEnd(26)} ${String(r.firings).padStart(5)}  ${r.right}:${r.wrong}:${r.unscored}  ${r.precision === null ? '-' : pct(r.precision)}`,
    ),
  ];
}

export function formatVerdicts(verdicts: readonly LayerVerdict[]): string[] {
  return [
    `layers (on by default only with ≥ ${pct(MIN_PRECISION)} hunk precision over ≥ ${MIN_FIRINGS} firings on the dev corpora):`,
    ...verdicts.map((v) => `  ${v.name.padEnd(26)} ${v.why}`),
  ];
}
