import picomatch from 'picomatch';
import type { PatchFile } from './unified-diff.js';
import { parseUnifiedDiff, touchedPaths } from './unified-diff.js';

// The fixer's patch is checked before git sees it. Everything the LLM wrote is untrusted: a patch
// goes no further than the files the sync changed, inside allowPaths and outside denyPaths, within
// maxPatchLines, and never takes out a fork customisation the sync kept. Whether it applies is
// git's answer (apply --check in the cache), given after this.

export type PatchRefusalReason =
  | 'malformed'
  | 'path-denied'
  | 'path-not-allowed'
  | 'not-changed-by-sync'
  | 'too-large'
  | 'does-not-apply'
  | 'deletes-fork-customisation';

export interface PatchRefusal {
  reason: PatchRefusalReason;
  message: string;
}

export interface PatchRules {
  allowPaths: readonly string[];
  denyPaths: readonly string[];
  maxPatchLines: number;
  /** Paths the sync changed (the PR's files). */
  changedFiles: readonly string[];
  /** Per path, fork lines the sync kept (trimmed); removing one without putting it back is refused. */
  forkLines: ReadonlyMap<string, ReadonlySet<string>>;
}

export type PatchVerdict =
  { ok: true; files: PatchFile[]; paths: string[]; lines: number } | { ok: false; refused: PatchRefusal };

const GLOB = { dot: true };
const refuse = (reason: PatchRefusalReason, message: string): PatchVerdict => ({
  ok: false,
  refused: { reason, message },
});

export function checkPatch(patch: string, rules: PatchRules): PatchVerdict {
  const parsed = parseUnifiedDiff(patch);
  if (!parsed.ok) return refuse('malformed', `the patch is not a unified diff: ${parsed.message}`);
  const paths = touchedPaths(parsed.files);
  const unsafe = paths.find(
    (p) => p.startsWith('/') || p.split('/').some((s) => s === '..' || s === '' || s === '.git'),
  );
  if (unsafe) return refuse('path-denied', `the patch names an unsafe path: ${unsafe}`);
  const denied = picomatch([...rules.denyPaths], GLOB);
  const allowed = picomatch([...rules.allowPaths], GLOB);
  const deny = paths.find((p) => denied(p));
  if (deny) return refuse('path-denied', `the patch touches ${deny}, which ci.fixer.denyPaths forbids`);
  const outside = paths.find((p) => !allowed(p));
  if (outside) return refuse('path-not-allowed', `the patch touches ${outside}, outside ci.fixer.allowPaths`);
  const changed = new Set(rules.changedFiles);
  const foreign = paths.find((p) => !changed.has(p));
  if (foreign) return refuse('not-changed-by-sync', `the patch touches ${foreign}, a file the sync did not change`);
  if (parsed.lines > rules.maxPatchLines)
    return refuse(
      'too-large',
      `the patch changes ${parsed.lines} lines, more than ci.fixer.maxPatchLines (${rules.maxPatchLines})`,
    );
  for (const file of parsed.files) {
    const kept = rules.forkLines.get(file.oldPath ?? '');
    if (!kept) continue;
    const readded = new Set(file.added.map((l) => l.trim()));
    const lost = file.removed.map((l) => l.trim()).find((l) => kept.has(l) && !readded.has(l));
    if (lost !== undefined)
      return refuse(
        'deletes-fork-customisation',
        `the patch removes a fork customisation the sync kept in ${file.oldPath}: ${JSON.stringify(lost.slice(0, 120))}`,
      );
  }
  return { ok: true, files: parsed.files, paths, lines: parsed.lines };
}

/** Lines worth protecting: a bare `}` or `else:` is in every file and says nothing about the fork. */
export function significantLines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 6 && /[A-Za-z0-9]/.test(l));
}
