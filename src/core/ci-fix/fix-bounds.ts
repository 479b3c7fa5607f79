// When the CI fixer may try again. CARTO's fixer once pushed 44 commits in 40 minutes; these are
// the brakes: one attempt per head commit, maxAttemptsPerPr per PR, and a file patched three times
// stops it (a fourth patch of the same file is a loop, not a fix). A person's "Try the CI fixer
// again" grants exactly one attempt past all three.

export type AttemptOutcome =
  'running' | 'pushed' | 'refused' | 'no-fix' | 'pre-existing' | 'llm-unavailable' | 'failed';

export interface AttemptSummary {
  headSha: string;
  outcome: AttemptOutcome;
  /** Files the attempt's patch touched (pushed ones count toward the same-file stop). */
  paths: string[];
}

/** Outcomes that used up one of the PR's attempts: the LLM was asked and answered. */
const COUNTED: ReadonlySet<AttemptOutcome> = new Set(['running', 'pushed', 'refused', 'no-fix', 'failed']);

export const SAME_FILE_LIMIT = 3;

export type AttemptVerdict =
  | { ok: true; n: number; of: number; granted: boolean }
  | { ok: false; reason: 'same-sha' | 'exhausted' | 'same-file'; message: string; n: number; of: number };

export function countedAttempts(attempts: readonly AttemptSummary[]): number {
  return attempts.filter((a) => COUNTED.has(a.outcome)).length;
}

/** The file patched SAME_FILE_LIMIT times or more by pushed fixes, with how often; null when none. */
export function loopingFile(attempts: readonly AttemptSummary[]): { path: string; times: number } | null {
  const counts = new Map<string, number>();
  for (const a of attempts) {
    if (a.outcome !== 'pushed') continue;
    for (const p of a.paths) counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  for (const [path, times] of [...counts].sort()) if (times >= SAME_FILE_LIMIT) return { path, times };
  return null;
}

export function decideAttempt(input: {
  attempts: readonly AttemptSummary[];
  headSha: string;
  maxAttemptsPerPr: number;
  /** Grants given so far on this PR (each allows one attempt past the bounds). */
  grants: number;
  /** This run uses an unused grant. */
  granted: boolean;
}): AttemptVerdict {
  const used = countedAttempts(input.attempts);
  const n = used + 1;
  const of = input.maxAttemptsPerPr + input.grants;
  if (input.granted) return { ok: true, n, of: Math.max(of, n), granted: true };
  if (input.attempts.some((a) => a.headSha === input.headSha))
    return {
      ok: false,
      reason: 'same-sha',
      message: `the fixer already tried commit ${input.headSha.slice(0, 10)}`,
      n: used,
      of,
    };
  const looping = loopingFile(input.attempts);
  if (looping)
    return {
      ok: false,
      reason: 'same-file',
      message: `${looping.path} was patched ${looping.times} times; another patch would be a loop`,
      n: used,
      of,
    };
  if (used >= of)
    return { ok: false, reason: 'exhausted', message: `all ${of} attempts on this PR are used`, n: used, of };
  return { ok: true, n, of, granted: false };
}
