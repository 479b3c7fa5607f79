import type { CiFixAttempt } from '../../ports/ci-fix-records.js';
import type { CiFixFact } from '../../ports.js';
import type { PatchFile } from '../../core/ci-fix/unified-diff.js';
import { parseUnifiedDiff } from '../../core/ci-fix/unified-diff.js';

// The words the fixer uses in the sync's thread and on the PR. Thread notes are plain text (the
// notifier escapes them); the PR comment is Markdown with the whole diff.

export const CI_FIX_COMMENT_MARKER = '<!-- upstream-sync:ci-fix';
export const CI_FIX_TRAILER = 'Upstream-Sync-CI-Fix';

export function commentMarker(attemptId: number): string {
  return `${CI_FIX_COMMENT_MARKER} attempt=${attemptId} -->`;
}

/** `<repo>#<pr>@<sha>/<n>`: the commit trailer a restarted job finds its own pushed fix by. */
export function trailerValue(a: Pick<CiFixAttempt, 'repo' | 'pr' | 'headSha' | 'id'>): string {
  return `${a.repo}#${a.pr}@${a.headSha}/${a.id}`;
}

export function commitMessage(a: CiFixAttempt, summary: string, rationale: string): string {
  return `fix(ci): ${summary}\n\n${rationale}\n\nAttempt ${a.n} of ${a.of} by the upstream-sync CI fixer for: ${a.checks.join(', ')}.\n\n${CI_FIX_TRAILER}: ${trailerValue(a)}\n`;
}

export function diffSummary(patch: string): string[] {
  const parsed = parseUnifiedDiff(patch);
  if (!parsed.ok) return [];
  return parsed.files.map(
    (f: PatchFile) => `${f.newPath ?? f.oldPath ?? '?'} (+${f.added.length} −${f.removed.length})`,
  );
}

export function pushedNote(a: CiFixAttempt, prUrl: string): string {
  return [
    `🩹 CI fixer, attempt ${a.n} of ${a.of}: pushed ${a.commitSha?.slice(0, 10) ?? '?'} "fix(ci): ${a.summary ?? ''}" for ${a.checks.join(', ')}.`,
    `Changed: ${diffSummary(a.patch ?? '').join(', ')}.`,
    `Why: ${a.rationale ?? ''}`,
    `CI runs again on the new commit; review the diff on ${prUrl}/files.`,
  ].join('\n');
}

/** Model text on GitHub: no @mentions that would notify people, no fence that would end the diff block. */
function quiet(text: string): string {
  return text.replace(/@(?=[A-Za-z0-9-])/g, '@\u200b');
}

export function pushedComment(a: CiFixAttempt): string {
  return [
    commentMarker(a.id),
    `### 🩹 CI fixer: attempt ${a.n} of ${a.of}`,
    '',
    `Failing: ${a.checks.map((c) => `\`${c}\``).join(', ')} on ${a.headSha.slice(0, 10)}. Pushed ${a.commitSha ?? '?'} \`fix(ci): ${quiet(a.summary ?? '')}\`.`,
    '',
    `**Why:** ${quiet(a.rationale ?? '')}`,
    '',
    ...diffSummary(a.patch ?? '').map((l) => `- ${l}`),
    '',
    '```diff',
    (a.patch ?? '').replace(/```/g, '`\u200b``').trimEnd(),
    '```',
  ].join('\n');
}

export function refusedNote(a: Pick<CiFixAttempt, 'n' | 'of' | 'checks'>, reason: string, message: string): string {
  return `🚫 CI fixer, attempt ${a.n} of ${a.of}: the proposed patch was refused (${reason}): ${message}. Nothing was pushed; ${a.checks.join(', ')} still ${a.checks.length === 1 ? 'fails' : 'fail'} and needs a person.`;
}

export function stoppedNote(message: string, failing: string[]): string {
  return `✋ CI fixer stopped: ${message}. ${failing.join(', ')} still ${failing.length === 1 ? 'fails' : 'fail'}: a person needs to look. "Try the CI fixer again" on the card grants one more attempt.`;
}

export function preExistingNote(detail: string, checks: string[]): string {
  return `🔎 CI fixer: ${checks.join(', ')} looks pre-existing or flaky, not caused by this sync: ${detail}. No fix proposed.`;
}

export function outageNote(message: string): string {
  return `⚠️ CI fixer: the LLM did not answer (${message}). Nothing was changed; "Try the CI fixer again" on the card, or push a fix.`;
}

export function offNote(reason: string): string {
  return `CI fixer is off: ${reason}. The failing checks need a person.`;
}

export function fact(state: CiFixFact['state'], at: Date, f: Partial<Omit<CiFixFact, 'state' | 'at'>> = {}): CiFixFact {
  return {
    state,
    n: f.n ?? 0,
    of: f.of ?? 0,
    headSha: f.headSha ?? null,
    reason: f.reason ?? null,
    message: f.message ?? null,
    commitSha: f.commitSha ?? null,
    failing: f.failing ?? [],
    at: at.toISOString(),
  };
}
