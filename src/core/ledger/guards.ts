// Feature guards: per fork feature, files that must exist and patterns (literal or regex) that
// must still match after a sync. A failing guard blocks readiness like a dropped hunk.

export interface GuardPattern {
  file: string;
  literal?: string;
  regex?: string;
}

export interface FeatureGuard {
  feature: string;
  files: string[];
  patterns: GuardPattern[];
}

export interface GuardResult {
  feature: string;
  ok: boolean;
  /** One line per unmet requirement, naming the file. */
  failures: string[];
}

/** Every path a set of guards reads. */
export function guardPaths(guards: readonly FeatureGuard[]): string[] {
  return [...new Set(guards.flatMap((g) => [...g.files, ...g.patterns.map((p) => p.file)]))];
}

/** `files`: content of each path at the sync result, null when missing. */
export function evaluateGuards(
  guards: readonly FeatureGuard[],
  files: ReadonlyMap<string, string | null>,
): GuardResult[] {
  return guards.map((g) => {
    const failures: string[] = [];
    for (const path of g.files) if ((files.get(path) ?? null) === null) failures.push(`${path} is missing`);
    for (const p of g.patterns) {
      const text = files.get(p.file) ?? null;
      if (text === null) {
        if (!g.files.includes(p.file)) failures.push(`${p.file} is missing`);
        continue;
      }
      if (p.literal !== undefined && !text.includes(p.literal))
        failures.push(`${p.file} no longer contains ${JSON.stringify(p.literal)}`);
      if (p.regex !== undefined && !new RegExp(p.regex, 'm').test(text))
        failures.push(`${p.file} no longer matches /${p.regex}/`);
    }
    return { feature: g.feature, ok: failures.length === 0, failures };
  });
}

export function failingGuards(results: readonly GuardResult[]): GuardResult[] {
  return results.filter((r) => !r.ok);
}
