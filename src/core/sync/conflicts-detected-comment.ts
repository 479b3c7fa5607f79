// The PR comment posted when a push to production makes an open sync PR conflict (CARTO's
// conflict detector posts the same news today). The hidden marker names the PR head, so the
// recheck comments once per head however many pushes, retries or redeliveries see the conflict;
// a new head (the resolver pushed, then production moved again) is news again.

const MARKER_PREFIX = '<!-- upstream-sync:conflicts-detected';

export function conflictsDetectedMarker(headSha: string): string {
  return `${MARKER_PREFIX} ${headSha} -->`;
}

export interface ConflictsDetectedInput {
  headSha: string;
  productionBranch: string;
  /** The production commit the recheck saw (the push that caused it), when known. */
  productionSha: string | null;
  /** The ready label that was taken off, or null when the PR did not carry it. */
  removedLabel: string | null;
}

export function conflictsDetectedComment(input: ConflictsDetectedInput): string {
  const branch = `\`${input.productionBranch}\``;
  const at = input.productionSha ? ` (now at \`${input.productionSha.slice(0, 12)}\`)` : '';
  const lines = [
    conflictsDetectedMarker(input.headSha),
    '### ⚠️ Conflicts detected',
    `${branch} moved${at} and this sync PR no longer merges cleanly into it: a change that landed on ${branch} touches lines this sync also changes.`,
    '',
    '**What happens next**',
  ];
  if (input.removedLabel)
    lines.push(`- The \`${input.removedLabel}\` label was removed: do not merge until the conflicts are resolved.`);
  lines.push(
    `- The conflict resolver merges ${branch} into this branch again (a two-parent merge commit, never a force push). Hunks it cannot decide wait for a person in the sync's Slack thread.`,
    '- Once CI is green on the new head, the Slack card offers Approve & merge again.',
    '',
    `This is expected after a hotfix lands on ${branch} while a sync PR is open.`,
  );
  return lines.join('\n');
}

export function hasConflictsDetectedComment(bodies: readonly string[], headSha: string): boolean {
  const marker = conflictsDetectedMarker(headSha);
  return bodies.some((b) => b.startsWith(marker));
}
