import type { CiFixFact, SyncSnapshot } from '../../ports.js';
import { code, inline } from '../mrkdwn.js';
import { confirmDialog, type ConfirmationDialog } from './blocks.js';

// What the sync card says about the CI fixer, in each of its states. Every sentence is about the
// state on record (src/workflows/fix-ci writes it), so the card never promises a fix that is not
// coming.

/** The fixer stopped and waits for a person (the card shows "Try the CI fixer again"). */
export function ciFixWaiting(s: SyncSnapshot): boolean {
  const f = s.ciFix;
  if (!f) return false;
  if (s.stage === 'needs-person') return f.state === 'refused' || f.state === 'exhausted';
  return s.stage === 'ci' && f.state === 'llm-unavailable';
}

/** The card's CI fixer field. */
export function ciFixField(f: CiFixFact): string {
  switch (f.state) {
    case 'off':
      return 'off';
    case 'running':
      return `attempt ${f.n} of ${f.of} running`;
    case 'pushed':
      return `attempt ${f.n} of ${f.of} pushed${f.commitSha ? ` (${code(f.commitSha.slice(0, 10))})` : ''}`;
    case 'refused':
      return `attempt ${f.n} of ${f.of} refused: ${inline(f.reason ?? 'refused')}`;
    case 'exhausted':
      return `stopped: ${inline(f.reason ?? 'bounds')}`;
    case 'pre-existing':
      return 'no fix: failure looks pre-existing or flaky';
    case 'llm-unavailable':
      return 'LLM unavailable';
  }
}

/** The card's summary when CI is red and the fixer has a say; null to keep the generic one. */
export function ciFixSummary(s: SyncSnapshot, pr: string): string | null {
  const f = s.ciFix;
  if (!f) return null;
  const failing = f.failing.length ? ` (${f.failing.map(code).join(', ')})` : '';
  if (s.stage === 'needs-person' && f.state === 'refused')
    return `CI is failing on ${pr}${failing}; the CI fixer's patch was refused, so it needs a person.`;
  if (s.stage === 'needs-person' && f.state === 'exhausted')
    return `CI is failing on ${pr}${failing}; the CI fixer stopped, so it needs a person.`;
  if (s.stage === 'ci' && s.ci?.state === 'failure') return `CI is failing on ${pr}${failing}.`;
  return null;
}

/** The card's "Next" line for the fixer's state; null to keep the generic one. */
export function ciFixNext(s: SyncSnapshot): string | null {
  const f = s.ciFix;
  if (!f) return null;
  const again = 'press *Try the CI fixer again* for one more attempt';
  if (s.stage === 'needs-person') {
    if (f.state === 'refused')
      return `The CI fixer's patch was refused (${inline(f.reason ?? '')}): ${inline(f.message ?? '')}. Fix the branch by hand, or ${again}.`;
    if (f.state === 'exhausted')
      return `The CI fixer stopped: ${inline(f.message ?? '')}. Fix the branch by hand, or ${again}.`;
    return null;
  }
  if (s.stage !== 'ci') return null;
  switch (f.state) {
    case 'off':
      return `The CI fixer is off (${inline(f.message ?? '')}): look at the failing checks in the thread.`;
    case 'running':
      return `The CI fixer is working on attempt ${f.n} of ${f.of}.`;
    case 'pushed':
      return `CI fixer attempt ${f.n} of ${f.of} is pushed; waiting for CI on it.`;
    case 'pre-existing':
      return `The failure looks pre-existing or flaky (${inline(f.message ?? '')}): no fix was proposed; a person should look.`;
    case 'llm-unavailable':
      return `The CI fixer could not reach the LLM (${inline(f.message ?? '')}); nothing was changed. Push a fix, or ${again}.`;
    default:
      return null;
  }
}

export function ciFixAgainConfirm(input: { pr: number }): ConfirmationDialog {
  return confirmDialog({
    title: 'Try the CI fixer again?',
    text: `The CI fixer gets exactly one more attempt on PR #${input.pr}: one reviewable commit on the sync branch, or a refusal with the reason.`,
    confirm: 'Try again',
  });
}
