import type { HunkAgreement } from './corpus-case.js';
import type { HunkOutcome } from './types.js';

// Figures for `bench conflicts`: how many cases the deterministic layers decided completely, by
// which layer and strategy, and what the LLM request for the rest would weigh.

export interface BenchTally {
  id: string;
  /** false when the corpus lists the case but has no folder for it. */
  present: boolean;
  outcomes?: HunkOutcome[];
  written?: boolean;
  learned?: number;
  llm?: { requestBytes: number; fileBytes: number; conflictedBytes: number };
  /** Decided hunks checked against what people landed (see agreementWithLanded). */
  agreement?: HunkAgreement[];
}

export interface BenchSummary {
  cases: number;
  missing: number;
  written: number;
  hunks: number;
  hunksDecided: number;
  byLayer: Record<string, number>;
  byStrategy: Record<string, number>;
  learnedHunks: number;
  /** Per strategy (or 'memory'): decided hunks whose text people landed, and ones they did not. */
  agreement: Record<string, { agreed: number; disagreed: number }>;
  llm: {
    requests: number;
    requestBytes: number;
    fileBytes: number;
    conflictedBytes: number;
    ratio: number | null;
    conflictedRatio: number | null;
  };
}

export function summarizeBench(tally: readonly BenchTally[]): BenchSummary {
  const s: BenchSummary = {
    cases: tally.length,
    missing: 0,
    written: 0,
    hunks: 0,
    hunksDecided: 0,
    byLayer: {},
    byStrategy: {},
    learnedHunks: 0,
    agreement: {},
    llm: { requests: 0, requestBytes: 0, fileBytes: 0, conflictedBytes: 0, ratio: null, conflictedRatio: null },
  };
  for (const t of tally) {
    if (!t.present) {
      s.missing++;
      continue;
    }
    if (t.written) s.written++;
    s.learnedHunks += t.learned ?? 0;
    for (const o of t.outcomes ?? []) {
      s.hunks++;
      if (o.layer === null) continue;
      s.hunksDecided++;
      s.byLayer[o.layer] = (s.byLayer[o.layer] ?? 0) + 1;
      if (o.layer === 'structure' && o.by) s.byStrategy[o.by] = (s.byStrategy[o.by] ?? 0) + 1;
    }
    for (const a of t.agreement ?? []) {
      const row = (s.agreement[a.by] ??= { agreed: 0, disagreed: 0 });
      if (a.agreed) row.agreed++;
      else row.disagreed++;
    }
    if (t.llm) {
      s.llm.requests++;
      s.llm.requestBytes += t.llm.requestBytes;
      s.llm.fileBytes += t.llm.fileBytes;
      s.llm.conflictedBytes += t.llm.conflictedBytes;
    }
  }
  s.llm.ratio = s.llm.fileBytes > 0 ? s.llm.requestBytes / s.llm.fileBytes : null;
  s.llm.conflictedRatio = s.llm.conflictedBytes > 0 ? s.llm.requestBytes / s.llm.conflictedBytes : null;
  return s;
}

const pct = (n: number, d: number) => (d > 0 ? `${((100 * n) / d).toFixed(1)}%` : '-');

export function formatBenchSummary(s: BenchSummary, opts: { out: string; learn: boolean }): string[] {
  const lines = [
    `cases: ${s.cases}${s.missing ? ` (${s.missing} listed but missing from the corpus)` : ''}`,
    `decided completely by rules, strategies and memory: ${s.written} (${pct(s.written, s.cases)}), written to ${opts.out}`,
    `hunks decided: ${s.hunksDecided} of ${s.hunks} (${
      Object.entries(s.byLayer)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || 'none'
    })`,
  ];
  const strategies = Object.entries(s.byStrategy).sort((a, b) => b[1] - a[1]);
  if (strategies.length) lines.push(`strategies: ${strategies.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const agreement = Object.entries(s.agreement).sort(
    (a, b) => b[1].agreed + b[1].disagreed - (a[1].agreed + a[1].disagreed),
  );
  if (agreement.length)
    lines.push(
      `landed as decided (hunks, right:wrong): ${agreement.map(([k, v]) => `${k} ${v.agreed}:${v.disagreed}`).join(', ')}`,
    );
  if (opts.learn) lines.push(`learned: ${s.learnedHunks} hunks from landed resolutions`);
  if (s.llm.requests)
    lines.push(
      `LLM dry run: ${s.llm.requests} requests, ${s.llm.requestBytes} bytes against ${s.llm.fileBytes} bytes of whole files, base + upstream + fork (${pct(s.llm.requestBytes, s.llm.fileBytes)}), and ${s.llm.conflictedBytes} bytes of conflicted files (${pct(s.llm.requestBytes, s.llm.conflictedBytes)})`,
    );
  lines.push('score with: node <corpus>/../score.mjs <corpus> <out>');
  return lines;
}
