import type { MirrorConfig } from '../../config/schema.js';
import type { MirrorRunRecord, ReportCommit } from '../../pipelines/mirror/mirror-types.js';
import { ACTION_IDS, encodeValue } from '../action-ids.js';
import { code, inline } from '../mrkdwn.js';
import {
  actions,
  bulletSections,
  button,
  buttons,
  confirmDialog,
  context,
  header,
  section,
  type Block,
} from './blocks.js';

// The card of a mirror run that changed or found something: a fast-forward, a divergence, a
// target ahead, a force, a refusal. Pure: the run record in, Block Kit out. The buttons carry
// only the pipeline id; what they act on (the lease, the backup) is read from SQLite on click.

const ICON: Record<string, string> = {
  'fast-forwarded': '⏩',
  diverged: '🔀',
  'target-ahead': '⬆️',
  forced: '⚠️',
  refused: '🚫',
  'up-to-date': '✅',
  failed: '❌',
};

const TITLE: Record<string, string> = {
  'fast-forwarded': 'fast-forwarded',
  diverged: 'diverged: nothing pushed',
  'target-ahead': 'target ahead: nothing pushed',
  forced: 'forced onto the source',
  refused: 'force refused',
  'up-to-date': 'up to date',
  failed: 'failed',
};

const MAX_COMMITS = 10;

function commitSections(title: string, commits: ReportCommit[], total: number): Block[] {
  const lines = commits.map((c) => `• ${code(c.sha.slice(0, 7))} ${inline(c.subject)} — ${inline(c.author)}`);
  const shown = Math.min(lines.length, MAX_COMMITS);
  return [
    section(title),
    ...bulletSections(lines, {
      maxLines: MAX_COMMITS,
      maxBlocks: 2,
      more: () => `…and ${total - shown} more`,
    }),
  ];
}

/** GitHub's compare of the target head against the source head, across the two repositories. */
export function mirrorCompareUrl(
  targetHtmlUrl: string,
  p: MirrorConfig,
  targetSha: string | null,
  sourceSha: string | null,
): string {
  const [owner, name] = p.source.repo.split('/');
  return `${targetHtmlUrl}/compare/${targetSha ?? p.target.branch}...${owner}:${name}:${sourceSha ?? p.source.branch}`;
}

export function mirrorCard(input: {
  pipeline: MirrorConfig;
  run: Pick<
    MirrorRunRecord,
    | 'outcome'
    | 'state'
    | 'sourceSha'
    | 'targetSha'
    | 'targetShaAfter'
    | 'ahead'
    | 'behind'
    | 'report'
    | 'tags'
    | 'backupRef'
  > & { refused?: { reason: string; message: string } };
  targetHtmlUrl: string;
  at: string;
}): { text: string; blocks: Block[] } {
  const { pipeline: p, run } = input;
  // A refused merge into target is not a refused force.
  const what = run.outcome === 'refused' && run.refused?.reason === 'nothing-to-merge' ? 'merge refused' : null;
  const title = `${ICON[run.outcome] ?? 'ℹ️'} ${p.id}: ${what ?? TITLE[run.outcome] ?? run.outcome}`;
  const sides = `${code(`${p.source.repo}@${p.source.branch}`)} → ${code(`${p.target.repo}@${p.target.branch}`)}`;
  const blocks: Block[] = [header(title), section(`${sides}\nSource ahead *${run.ahead}*, behind *${run.behind}*.`)];
  if (run.refused) blocks.push(section(`🚫 ${inline(run.refused.message)}`));
  const report = run.report;
  // The target's own commits first: they are what a force would lose.
  if (report && report.targetOnly.length)
    blocks.push(...commitSections(`*Only on the target* (${run.behind})`, report.targetOnly, run.behind));
  if (report && report.sourceOnly.length)
    blocks.push(...commitSections(`*Only on the source* (${run.ahead})`, report.sourceOnly, run.ahead));
  if (report && (run.state === 'diverged' || run.outcome === 'forced')) {
    const files = report.files.length ? `${report.files.length} files touched since the merge base` : 'no files';
    const merge = report.conflicts.length
      ? `a merge would conflict on ${report.conflicts.slice(0, 10).map(code).join(', ')}${report.conflicts.length > 10 ? '…' : ''}`
      : 'a merge would be clean';
    blocks.push(context(`${files}; ${merge}.`));
  }
  if (run.tags.pushed.length) blocks.push(context(`Tags pushed: ${run.tags.pushed.map(code).join(', ')}`));
  if (run.tags.conflicting.length)
    blocks.push(
      context(`⚠️ Tags on the target at another commit (left alone): ${run.tags.conflicting.map(code).join(', ')}`),
    );
  if (run.backupRef) blocks.push(section(`🗄️ The replaced head is kept as ${code(run.backupRef)}.`));
  const value = encodeValue({ p: p.id });
  const canForce = run.state === 'diverged';
  blocks.push(
    actions(
      buttons(
        canForce &&
          button({
            label: 'Force sync',
            actionId: ACTION_IDS.mirrorForce,
            value,
            style: 'danger',
            confirm: confirmDialog({
              title: `Force ${p.target.branch} of ${p.target.repo}?`,
              text: `${code(p.target.branch)} is set to the source head; its ${run.behind} own commits leave the branch (kept under refs/upstream-sync/backup/). Only if the target is still at ${code((run.targetShaAfter ?? '').slice(0, 12))}.`,
              confirm: 'Force sync',
              danger: true,
            }),
          }),
        canForce &&
          button({
            label: 'Merge into target',
            actionId: ACTION_IDS.mirrorMerge,
            value,
            style: 'primary',
            confirm: confirmDialog({
              title: `Merge the source into ${p.target.branch}?`,
              text: `The source head ${code((run.sourceSha ?? '').slice(0, 12))} is merged into a branch made from ${code(p.target.branch)} and proposed by one PR; the target keeps its ${run.behind} own commits and changes only when that PR is approved and merged.`,
              confirm: 'Merge into target',
            }),
          }),
        run.outcome === 'forced' &&
          Boolean(run.backupRef) &&
          button({
            label: 'Roll back',
            actionId: ACTION_IDS.mirrorRollback,
            value,
            confirm: confirmDialog({
              title: 'Roll back the force?',
              text: `${code(p.target.branch)} goes back to the newest backup (${code(run.backupRef ?? '')}), only if it is still at the forced head; that head is backed up first.`,
              confirm: 'Roll back',
              danger: true,
            }),
          }),
        button({
          label: 'View compare',
          actionId: ACTION_IDS.mirrorCompare,
          url: mirrorCompareUrl(input.targetHtmlUrl, p, run.targetShaAfter ?? run.targetSha, run.sourceSha),
        }),
      ),
    ),
    context(`As of ${input.at}.`),
  );
  return { text: `${title} (source ahead ${run.ahead}, behind ${run.behind})`, blocks };
}
