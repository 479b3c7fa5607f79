import { fileMentions } from './trim-log.js';

// Whose failure is it? A check that also fails on the production branch's last run, or whose log
// only names files the sync did not change, was red before the sync: a fix on the sync branch
// would hide it, not fix it. Such failures get a note in the thread, not a patch.

export interface FailedCheckEvidence {
  name: string;
  /** Trimmed log or check output. */
  text: string;
}

export type FailureScope =
  | { kind: 'sync'; checks: string[] }
  | { kind: 'pre-existing'; reason: 'fails-on-production' | 'files-not-changed'; checks: string[]; detail: string };

export function failureScope(input: {
  failing: readonly FailedCheckEvidence[];
  changedFiles: readonly string[];
  /** Checks failing on the production branch's head. */
  failingOnProduction: readonly string[];
}): FailureScope {
  const names = input.failing.map((f) => f.name);
  const production = new Set(input.failingOnProduction);
  const ours = input.failing.filter((f) => !production.has(f.name));
  if (ours.length === 0)
    return {
      kind: 'pre-existing',
      reason: 'fails-on-production',
      checks: names,
      detail: `${names.join(', ')} also ${names.length === 1 ? 'fails' : 'fail'} on the production branch's last run`,
    };
  const changed = new Set(input.changedFiles);
  const suffixOfChanged = (m: string) => changed.has(m) || input.changedFiles.some((c) => c.endsWith(`/${m}`));
  const named = ours.map((f) => fileMentions(f.text));
  // Only when every failing log names files, and none of them is one the sync changed.
  if (named.every((files) => files.length > 0) && !named.flat().some(suffixOfChanged)) {
    const files = [...new Set(named.flat())].slice(0, 5);
    return {
      kind: 'pre-existing',
      reason: 'files-not-changed',
      checks: ours.map((f) => f.name),
      detail: `the failures name only files the sync did not change (${files.join(', ')})`,
    };
  }
  return { kind: 'sync', checks: ours.map((f) => f.name) };
}
