import type { CiFixAttempt, CiFixRecords } from '../../ports/ci-fix-records.js';

// The CI fixer's recent attempts for `status` (--json: the `ciFix` field of each sync pipeline).

export interface CiFixStatusEntry {
  pr: number;
  n: number;
  of: number;
  headSha: string;
  outcome: CiFixAttempt['outcome'];
  granted: boolean;
  checks: string[];
  paths: string[];
  commitSha: string | null;
  refused: { reason: string; message: string } | null;
  note: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export function ciFixStatus(records: Pick<CiFixRecords, 'recent'>, pipeline: string, limit = 10): CiFixStatusEntry[] {
  return records.recent(pipeline, limit).map((a) => ({
    pr: a.pr,
    n: a.n,
    of: a.of,
    headSha: a.headSha,
    outcome: a.outcome,
    granted: a.granted,
    checks: a.checks,
    paths: a.paths,
    commitSha: a.commitSha,
    refused: a.refused,
    note: a.note,
    startedAt: a.startedAt,
    finishedAt: a.finishedAt,
  }));
}

export function describeCiFix(entries: readonly CiFixStatusEntry[]): string[] {
  return entries.slice(0, 5).map((e) => {
    const what =
      e.outcome === 'pushed'
        ? `pushed ${e.commitSha?.slice(0, 10) ?? '?'} (${e.paths.join(', ')})`
        : e.outcome === 'refused'
          ? `refused (${e.refused?.reason ?? '?'}): ${e.refused?.message ?? ''}`
          : `${e.outcome}${e.note ? `: ${e.note}` : ''}`;
    return `  CI fixer PR #${e.pr} attempt ${e.n} of ${e.of}${e.granted ? ' (granted)' : ''} on ${e.headSha.slice(0, 10)}: ${what} at ${e.startedAt}`;
  });
}
