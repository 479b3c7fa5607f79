import type { ConflictKind } from '../../ports.js';
import { upstreamNotesMarkdown, type UpstreamNotes } from './upstream-notes.js';
import { plural } from '../plural.js';

// The sync PR's description. Everything in it is computed from data (no stale prose about
// branch flows that changed): versions, counts, links, the conflicted files with the rule that
// will decide each, and the one instruction that matters most: merge with a merge commit.

export interface PrConflict {
  path: string;
  kind: ConflictKind;
  /** e.g. "fork — CARTO-owned file"; null when no path rule applies (resolved hunk by hunk). */
  rule: string | null;
}

export interface SyncPrBodyInput {
  pipeline: string;
  upstreamRepo: string;
  forkRepo: string;
  tag: string;
  version: string;
  currentVersion: string;
  productionBranch: string;
  syncBranch: string;
  mirrorBranch: string | null;
  releaseUrl: string;
  /** Upstream compare page from the current release to this tag; null when the current tag is unknown. */
  compareUrl: string | null;
  commits: number;
  filesChanged: number;
  conflicts: PrConflict[];
  /** The fork-patch ledger's section (src/core/ledger/ledger-markdown.ts), when one was built. */
  ledger?: string[];
  /** The upstream release's notes and the fork-customised files it touches; omitted: no section. */
  upstream?: { notes: UpstreamNotes; customised: string[] };
}

export const SYNC_PR_MARKER = 'upstream-sync:sync-pr';

/** Renders untrusted text (paths, tags) inside Markdown code spans without breaking out. */
export function code(text: string): string {
  const clean = text.replace(/[\r\n]/g, ' ');
  const ticks = Math.max(0, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length)) + 1;
  const fence = '`'.repeat(ticks);
  return `${fence}${ticks > 1 ? ' ' : ''}${clean}${ticks > 1 ? ' ' : ''}${fence}`;
}

/**
 * Text inside a Markdown table cell: GitHub splits cells on every unescaped `|`, even inside a
 * code span, and renders `\|` as `|` there too. A backslash right before a pipe is doubled first,
 * so it cannot turn our escape into an escaped backslash followed by a cell break.
 */
export function cell(text: string): string {
  return text.replace(/\\(?=\|)/g, '\\\\').replace(/\|/g, '\\|');
}

function conflictSection(input: SyncPrBodyInput): string[] {
  if (input.conflicts.length === 0) {
    return ['### ✅ Clean merge', '', `${code(input.productionBranch)} merged into the tag without conflicts.`, ''];
  }
  const lines = [
    `### ⚠️ ${plural(input.conflicts.length, 'conflicted file')}`,
    '',
    `Merging ${code(input.productionBranch)} into ${code(input.tag)} left these paths for the resolver (or a person):`,
    '',
    '| File | Conflict | Rule |',
    '|---|---|---|',
  ];
  for (const c of input.conflicts)
    lines.push(`| ${cell(code(c.path))} | ${c.kind} | ${cell(c.rule ?? 'merge hunk by hunk')} |`);
  lines.push(
    '',
    '<details><summary>Resolve by hand</summary>',
    '',
    '```bash',
    `git fetch origin ${input.syncBranch} ${input.productionBranch}`,
    `git checkout ${input.syncBranch}`,
    `git merge --no-ff origin/${input.productionBranch}   # the fork INTO the upstream tag: upstream stays first parent`,
    '# edit the files above, remove every conflict marker, then:',
    'git add -A',
    `git commit -m "fix: resolve upstream sync conflicts for ${input.tag}"`,
    `git push origin ${input.syncBranch}   # a plain push: no force options`,
    '```',
    '',
    '</details>',
    '',
  );
  return lines;
}

export function renderSyncPrBody(input: SyncPrBodyInput): string {
  const upstreamLink = input.compareUrl
    ? `[compare ${code(`v${input.currentVersion}`)}…${code(input.tag)}](${input.compareUrl})`
    : 'compare link unavailable (current release not found upstream)';
  const lines = [
    `<!-- ${SYNC_PR_MARKER} pipeline=${input.pipeline} tag=${encodeURIComponent(input.tag)} -->`,
    `## 🔄 Upstream sync: ${input.upstreamRepo} ${code(input.tag)}`,
    '',
    `Brings ${code(input.productionBranch)} from ${code(input.currentVersion)} to ${code(input.version)} (upstream release ${code(input.tag)}).`,
    '',
    '| | |',
    '|---|---|',
    `| Version | ${code(input.currentVersion)} → ${code(input.version)} |`,
    `| Upstream commits | ${input.commits} |`,
    `| Files changed upstream | ${input.filesChanged} |`,
    `| Upstream release | [${code(input.tag)}](${input.releaseUrl}) |`,
    `| Changes | ${upstreamLink} |`,
    '',
    '> [!CAUTION]',
    '> **Merge with "Create a merge commit". Never squash, never rebase.** Squashing drops the upstream',
    '> history this branch carries, and the next sync would have to merge it all again.',
    '',
    ...(input.upstream ? upstreamNotesMarkdown(input.upstream.notes, input.upstream.customised) : []),
    ...conflictSection(input),
    ...(input.ledger ?? []),
    '### Before merging',
    '',
    '- [ ] CI passes on this PR',
    `- [ ] ${input.forkRepo} customisations are still there`,
    `- [ ] The version file says ${code(input.version)}`,
    '- [ ] Merge with a merge commit (not squash, not rebase)',
    '',
    '<details><summary>How this branch was built</summary>',
    '',
    `1. ${code(input.syncBranch)} starts at the exact upstream tag ${code(input.tag)} (never upstream's moving branch${input.mirrorBranch ? ` or ${code(input.mirrorBranch)}` : ''}).`,
    `2. ${code(input.productionBranch)} is merged into it: a two-parent merge commit, upstream first.`,
    '3. Conflicts, if any, are resolved on this branch; nothing is force-pushed.',
    '',
    '</details>',
    '',
    `<sub>Opened by upstream-sync (pipeline ${code(input.pipeline)}).</sub>`,
  ];
  return `${lines.join('\n')}\n`;
}

/** Comment left on an older sync PR when a newer release supersedes it. */
export function supersededComment(input: {
  oldTag: string;
  newTag: string;
  newPrUrl: string;
  branchDeleted: boolean;
  branchKeptReason?: string;
}): string {
  const branch = input.branchDeleted
    ? 'Its branch was deleted (only the bot had pushed to it).'
    : `Its branch was kept${input.branchKeptReason ? `: ${input.branchKeptReason}` : ''}.`;
  return [
    `<!-- ${SYNC_PR_MARKER}:superseded -->`,
    `Superseded by ${input.newPrUrl}: upstream released ${code(input.newTag)}, which includes everything in ${code(input.oldTag)}.`,
    '',
    `This PR is closed by upstream-sync. ${branch}`,
  ].join('\n');
}
