import { actorMention } from '../../core/wording.js';
import type { SyncSnapshot } from '../../ports.js';
import { ACTION_IDS, BUMPS, RELEASE_ACTION_BY_BUMP, encodeValue } from '../action-ids.js';
import { clip, code, inline, link } from '../mrkdwn.js';
import { actions, button, buttons, context, header, section, LIMITS, type Block, type Button } from './blocks.js';
import { approveConfirm, skipConfirm } from './confirm.js';
import type { BranchSyncConfig, MirrorConfig, ReleaseSyncConfig } from '../../config/schema.js';
import { STAGES, ciText, conflictText, pipelineFacts, progressBar, type PipelineFacts } from './stages.js';
import { plural } from '../../core/plural.js';
import { ciFixAgainConfirm, ciFixField, ciFixNext, ciFixSummary, ciFixWaiting } from './ci-fix-card.js';

// The one card per sync (pipeline + upstream tag). It is rebuilt from the latest snapshot on
// every change and sent with chat.update, so it always shows the current state, the next action
// and only the buttons that make sense now.

export interface RenderedMessage {
  /** Fallback text (notifications); mrkdwn, escaped. */
  text: string;
  blocks: Block[];
}

function prLink(s: SyncSnapshot): string {
  return s.pr ? link(s.pr.url, `#${s.pr.number}`) : 'the sync PR';
}

function summary(s: SyncSnapshot, p: PipelineFacts): string {
  const fixer = ciFixSummary(s, prLink(s));
  if (fixer) return fixer;
  const tag = code(s.tag);
  const prod = code(p.productionBranch);
  switch (s.stage) {
    case 'queued':
      return s.blockedBy
        ? `New upstream release ${tag} is queued: sync PR ${link(s.blockedBy.url, `#${s.blockedBy.pr}`)} for ${code(s.blockedBy.tag)} is still open.`
        : `New upstream release ${tag} is queued behind the open sync PR.`;
    case 'up-to-date':
      return `${prod} is up to date with upstream ${tag}.`;
    case 'detected':
      return p.kind === 'mirror'
        ? `Merge into target: the source ${code(s.toVersion ?? s.tag)} is being merged into a branch from ${prod}.`
        : p.kind === 'branch-sync'
          ? `Upstream moved: ${tag} is being merged into the sync branch.`
          : `New upstream stable release ${tag} detected.`;
    case 'mirror-updated':
      return `Mirror branch ${code(p.mirrorBranch ?? 'main')} now has ${tag}.`;
    case 'pr-open':
      return `Sync PR ${prLink(s)} is open${s.pr ? `: ${inline(s.pr.title)}` : '.'}`;
    case 'resolving':
      return `Resolving conflicts on ${prLink(s)}.`;
    case 'needs-person':
      return `${s.conflicts?.waiting ?? 'Some'} file${s.conflicts?.waiting === 1 ? '' : 's'} on ${prLink(s)} need${s.conflicts?.waiting === 1 ? 's' : ''} a person: see the thread.`;
    case 'ci':
      return s.ci?.state === 'failure' ? `CI is failing on ${prLink(s)}.` : `CI is running on ${prLink(s)}.`;
    case 'ready':
      return `${prLink(s)} is ready: CI is green and it merges cleanly into ${prod}.`;
    case 'merged':
      return `${prLink(s)} is merged into ${prod}${s.mergeSha ? ` with merge commit ${code(s.mergeSha.slice(0, 10))}` : ''}.`;
    case 'released':
      return s.release ? `Released ${link(s.release.url, s.release.tag)}.` : 'Released.';
    case 'failed':
      return s.error
        ? `Failed${s.error.step ? ` during *${inline(s.error.step)}*` : ''}: ${code(s.error.code)} ${inline(s.error.message)}`
        : 'Failed.';
    case 'skipped':
      return `${tag} is skipped.`;
    case 'superseded':
      return s.supersededBy ? `Superseded by ${code(s.supersededBy)}.` : 'Superseded by a newer release.';
  }
}

function nextAction(s: SyncSnapshot, p: PipelineFacts): string | null {
  const fixer = ciFixNext(s);
  if (fixer) return fixer;
  switch (s.stage) {
    case 'queued':
      return `Merge or close ${s.blockedBy ? `PR #${s.blockedBy.pr}` : 'the open sync PR'} to unblock ${code(s.tag)}.`;
    case 'detected':
      return p.mirrorBranch
        ? `Updating the mirror branch ${code(p.mirrorBranch)}.`
        : 'Building the sync branch from the tag.';
    case 'mirror-updated':
      return `Building the sync branch from the tag and merging ${code(p.productionBranch)} into it.`;
    case 'pr-open':
      return 'Waiting for CI.';
    case 'resolving':
      return 'The resolver is working through the conflicts.';
    case 'needs-person':
      return 'Decide the waiting hunks in the thread, or push a fix to the branch and press *Resolve conflicts*.';
    case 'ci':
      return s.ci?.state === 'failure'
        ? 'Look at the failing checks in the thread; the CI fixer tries a bounded number of times.'
        : 'Waiting for CI.';
    case 'ready':
      return 'Review the PR, then press *Approve &amp; merge*.';
    case 'merged':
      return p.releases ? 'Cut a release: *Release patch*, *Release minor* or *Release major*.' : null;
    case 'failed':
      return 'Press *Retry* (finished steps are not repeated), or see the thread for details.';
    case 'skipped':
      return `${code(`/upstream-sync unskip ${s.tag}`)} brings it back.`;
    case 'superseded':
      return s.supersededBy ? `Follow the card for ${code(s.supersededBy)}.` : null;
    case 'up-to-date':
    case 'released':
      return null;
  }
}

const SKIPPABLE = new Set([
  'queued',
  'detected',
  'mirror-updated',
  'pr-open',
  'resolving',
  'needs-person',
  'ci',
  'ready',
  'failed',
]);

function cardButtons(s: SyncSnapshot, p: PipelineFacts): Button[] {
  const value = encodeValue({ p: p.id, t: s.tag, ...(s.pr ? { pr: s.pr.number } : {}) });
  const list: (Button | null)[] = [];
  if (s.stage === 'ready' && s.pr && s.ci?.state === 'success' && s.mergeable !== false) {
    list.push(
      button({
        label: 'Approve & merge',
        actionId: ACTION_IDS.approve,
        value,
        style: 'primary',
        confirm: approveConfirm({ pr: s.pr.number, productionBranch: p.productionBranch }),
      }),
    );
  }
  if (ciFixWaiting(s) && s.pr) {
    list.push(
      button({
        label: 'Try the CI fixer again',
        actionId: ACTION_IDS.ciFixAgain,
        value,
        style: 'primary',
        confirm: ciFixAgainConfirm({ pr: s.pr.number }),
      }),
    );
  } else if (s.stage === 'needs-person' && (s.pr || p.kind === 'branch-sync' || p.kind === 'mirror')) {
    list.push(button({ label: 'Resolve conflicts', actionId: ACTION_IDS.resolve, value, style: 'primary' }));
  }
  if (s.stage === 'failed' && s.jobId) {
    list.push(
      button({
        label: 'Retry',
        actionId: ACTION_IDS.retry,
        value: encodeValue({ p: p.id, t: s.tag, j: s.jobId }),
        style: 'primary',
      }),
    );
  }
  if (s.stage === 'merged' && p.releases) {
    for (const bump of BUMPS)
      list.push(
        button({
          label: `Release ${bump}`,
          actionId: RELEASE_ACTION_BY_BUMP[bump],
          value: encodeValue({ p: p.id, t: s.tag }),
        }),
      );
  }
  const prUrl = s.stage === 'queued' ? s.blockedBy?.url : s.pr?.url;
  if (prUrl) list.push(button({ label: 'View PR / diff', actionId: ACTION_IDS.viewPr, url: prUrl }));
  if (s.stage === 'released' && s.release)
    list.push(button({ label: 'View release', actionId: ACTION_IDS.viewRelease, url: s.release.url }));
  if (s.compareUrl && s.stage !== 'up-to-date')
    list.push(button({ label: 'View changes', actionId: ACTION_IDS.viewChanges, url: s.compareUrl }));
  if (SKIPPABLE.has(s.stage) && p.kind !== 'branch-sync' && p.kind !== 'mirror') {
    list.push(
      button({
        label: 'Skip this release',
        actionId: ACTION_IDS.skip,
        value,
        style: 'danger',
        confirm: skipConfirm({ tag: s.tag, pr: s.pr?.number ?? null }),
      }),
    );
  }
  return buttons(...list);
}

function fields(s: SyncSnapshot, p: PipelineFacts): string[] {
  const out: string[] = [];
  const from = s.fromVersion ? code(s.fromVersion) : '?';
  const what = p.kind === 'mirror' ? 'Target → source' : p.kind === 'branch-sync' ? 'Upstream' : 'Version';
  out.push(`*${what}*\n${from} → ${code(s.toVersion ?? s.tag)}`);
  // Once merged, production is no longer behind by these commits: say what landed instead.
  const landed = s.stage === 'merged' || s.stage === 'released';
  if (s.commitsBehind !== null && s.commitsBehind !== undefined)
    out.push(
      landed ? `*Upstream commits merged*\n${s.commitsBehind}` : `*Behind*\n${plural(s.commitsBehind, 'commit')}`,
    );
  if (s.pr) out.push(`*Pull request*\n${link(s.pr.url, `#${s.pr.number}`)} → ${code(p.productionBranch)}`);
  if (s.conflicts) out.push(`*Conflicts*\n${conflictText(s.conflicts)}`);
  if (s.ci || ['ci', 'ready', 'pr-open'].includes(s.stage)) out.push(`*CI*\n${ciText(s.ci)}`);
  if (s.ciFix && ['ci', 'needs-person'].includes(s.stage)) out.push(`*CI fixer*\n${ciFixField(s.ciFix)}`);
  return out;
}

function footer(s: SyncSnapshot): string {
  const parts: string[] = [];
  const by = s.requestedBy;
  if (by) parts.push(`started by ${actorMention(by)}`);
  if (s.jobId) parts.push(`job #${s.jobId}`);
  return parts.join(' · ');
}

/**
 * "⛔ 2 fork hunks dropped": the ledger blocks Approve & merge until each is restored or accepted;
 * once nothing blocks, the drops people accepted are still named.
 */
export function ledgerLine(s: SyncSnapshot): string | null {
  const b = s.ledgerBlock;
  if (!b) return null;
  const accepted = b.accepted ?? 0;
  if (b.dropped === 0 && b.guardsFailing === 0)
    return accepted > 0
      ? `✅ fork-patch ledger: ${plural(accepted, 'dropped fork hunk')} accepted, nothing blocks`
      : null;
  const parts = [
    ...(b.dropped > 0 ? [`${plural(b.dropped, 'fork hunk')} dropped`] : []),
    ...(b.guardsFailing > 0 ? [`${plural(b.guardsFailing, 'feature guard')} failing`] : []),
    ...(accepted > 0 ? [`${accepted} accepted`] : []),
  ];
  return `⛔ ${parts.join(' · ')}: Approve & merge is refused until each is restored or accepted (see the thread)`;
}

export function syncCard(s: SyncSnapshot, p: PipelineFacts): RenderedMessage {
  const stage = STAGES[s.stage];
  const blocks: Block[] = [
    header(`${stage.emoji} ${p.id}: ${p.kind === 'mirror' ? 'merge into target' : 'upstream'} ${s.tag}`),
  ];
  const progress = progressBar(s.stage);
  blocks.push(context(progress ? `${progress} · *${stage.label}*` : `*${stage.label}*`));
  blocks.push(section(summary(s, p), { fields: fields(s, p) }));
  const ledger = ledgerLine(s);
  if (ledger) blocks.push(context(ledger));
  const next = nextAction(s, p);
  if (next) blocks.push(context(`➡️ *Next:* ${next}`));
  const row = cardButtons(s, p);
  if (row.length) blocks.push(actions(row, 'us_card_actions'));
  const foot = footer(s);
  if (foot) blocks.push(context(foot));
  const text = clip(`${stage.emoji} ${inline(p.id)}: upstream ${inline(s.tag)}: ${stage.label}`, LIMITS.fallbackText);
  return { text, blocks };
}

/** The card for a snapshot and the channel it belongs in; null for pipelines without Slack. */
export function cardRenderer(
  pipelines: ReadonlyArray<ReleaseSyncConfig | BranchSyncConfig | MirrorConfig>,
): (s: SyncSnapshot) => { channel: string; message: RenderedMessage } | null {
  return (s) => {
    const p = pipelines.find((x) => x.id === s.pipeline);
    if (!p?.slack) return null;
    return { channel: p.slack.channel, message: syncCard(s, pipelineFacts(p)) };
  };
}
