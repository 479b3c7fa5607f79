import { agree, count } from '../../core/wording.js';
import type { ChecksSummary, ConflictFileOutcome, SyncSnapshot, WaitingHunk } from '../../ports.js';
import { ACTION_IDS, encodeValue } from '../action-ids.js';
import { clip, clipPlain, code, codeBlock, inline, link } from '../mrkdwn.js';
import { actions, bulletSections, button, buttons, context, fitBlocks, section, LIMITS, type Block } from './blocks.js';
import { takeSideConfirm } from './confirm.js';
import type { RenderedMessage } from './sync-card.js';
import { STAGES, ciText, type PipelineFacts } from './stages.js';
import { plural } from '../../core/plural.js';

// Replies in a sync card's thread: the details that would drown the card. Long lists are cut to
// fit one message ("…and N more"); the PR description always has the full decision log.

const DECISION_TEXT: Record<ConflictFileOutcome['decision'], string> = {
  upstream: '⬆️ upstream',
  fork: '🍴 fork',
  merged: '🔀 merged hunk by hunk',
  waiting: '🙋 waiting for a person',
};

export function conflictsReply(files: ConflictFileOutcome[]): RenderedMessage {
  const counts = new Map<string, number>();
  for (const f of files) counts.set(f.decision, (counts.get(f.decision) ?? 0) + 1);
  const tally = [...counts].map(([d, n]) => `${n} ${DECISION_TEXT[d as ConflictFileOutcome['decision']]}`).join(' · ');
  // People look for the files that need them first.
  const ordered = [...files].sort(
    (a, b) => Number(b.decision === 'waiting') - Number(a.decision === 'waiting') || a.path.localeCompare(b.path),
  );
  const lines = ordered.map((f) => {
    const why = f.by
      ? ` (${f.by}${f.reason ? `: ${inline(f.reason)}` : ''})`
      : f.reason
        ? ` (${inline(f.reason)})`
        : '';
    const kind = f.kind === 'content' ? '' : ` _${f.kind}_`;
    return `• ${code(f.path)}${kind} → ${DECISION_TEXT[f.decision]}${why}`;
  });
  const blocks: Block[] = [
    section(`*Conflicts in ${plural(files.length, 'file')}*\n${tally}`),
    ...bulletSections(lines, {
      maxLines: 120,
      maxBlocks: 40,
      more: (n) => `…and ${n} more (the PR description lists every file)`,
    }),
  ];
  return { text: `Conflicts in ${count(files.length, 'file')}`, blocks: fitBlocks(blocks, LIMITS.messageBlocks) };
}

const MAX_HUNKS = 10;
const SIDE_CHARS = 1200;

export function waitingReply(input: { pipeline: PipelineFacts; pr: number; hunks: WaitingHunk[] }): RenderedMessage {
  const { pipeline, pr, hunks } = input;
  const blocks: Block[] = [
    section(
      `🙋 *${plural(hunks.length, 'hunk')} ${pr ? `on PR #${pr}` : 'merging upstream'} need${hunks.length === 1 ? 's' : ''} a person.* Pick a side for each, or push a fix to the branch and press *Resolve conflicts* on the card.`,
    ),
  ];
  for (const h of hunks.slice(0, MAX_HUNKS)) {
    // branch-sync resolves before any PR may exist: no PR number then (pr 0).
    const value = encodeValue({ p: pipeline.id, ...(pr ? { pr } : {}), h: h.id });
    const upstream = codeBlock(h.upstream, SIDE_CHARS);
    const fork = codeBlock(h.fork, SIDE_CHARS);
    blocks.push(
      section(
        clip(
          `*${code(clipPlain(h.path, 300))}* hunk ${h.index} of ${h.of}\n*upstream*\n${upstream}\n*fork*\n${fork}`,
          LIMITS.sectionText,
        ),
      ),
    );
    blocks.push(
      actions(
        buttons(
          button({
            label: 'Take upstream',
            actionId: ACTION_IDS.hunkUpstream,
            value,
            confirm: takeSideConfirm({ side: 'upstream', path: h.path }),
          }),
          button({
            label: 'Take fork',
            actionId: ACTION_IDS.hunkFork,
            value,
            confirm: takeSideConfirm({ side: 'fork', path: h.path }),
          }),
          h.url ? button({ label: 'Open in GitHub', actionId: ACTION_IDS.hunkOpen, url: h.url }) : null,
        ),
      ),
    );
  }
  if (hunks.length > MAX_HUNKS)
    blocks.push(
      context(
        `…and ${count(hunks.length - MAX_HUNKS, 'more hunk')}: decide these first, the rest follow in a new reply.`,
      ),
    );
  return {
    text: `${count(hunks.length, 'hunk')} on PR #${pr} ${agree(hunks.length, 'needs', 'need')} a person`,
    blocks: fitBlocks(blocks, LIMITS.messageBlocks),
  };
}

export function failureReply(input: {
  pipeline: PipelineFacts;
  tag: string | null;
  step: string | null;
  error: { code: string; message: string };
  jobId: number | null;
}): RenderedMessage {
  const { pipeline, tag, step, error, jobId } = input;
  const blocks: Block[] = [
    section(
      `❌ *Failed${step ? ` during ${inline(step)}` : ''}*\n${code(error.code)}\n${codeBlock(error.message, 2500)}`,
    ),
  ];
  if (jobId) {
    blocks.push(
      actions(
        buttons(
          button({
            label: 'Retry',
            actionId: ACTION_IDS.retry,
            value: encodeValue({ p: pipeline.id, ...(tag ? { t: tag } : {}), j: jobId }),
            style: 'primary',
          }),
        ),
      ),
    );
  }
  return { text: `Failed${step ? ` during ${inline(step)}` : ''}: ${inline(error.code)}`, blocks };
}

export function ciReply(input: { checks: ChecksSummary; url: string | null }): RenderedMessage {
  const { checks, url } = input;
  const lines = [...checks.failing.map((n) => `• ❌ ${inline(n)}`), ...checks.pending.map((n) => `• ⏳ ${inline(n)}`)];
  const blocks: Block[] = [
    section(`*CI:* ${ciText(checks)}`),
    ...bulletSections(lines, { maxLines: 40, maxBlocks: 3 }),
  ];
  const view = url ? button({ label: 'View checks', actionId: ACTION_IDS.viewPr, url }) : null;
  if (view) blocks.push(actions([view]));
  return { text: `CI: ${ciText(checks)}`, blocks };
}

export function noteReply(text: string): RenderedMessage {
  return { text: clip(inline(text), LIMITS.fallbackText), blocks: [section(inline(text))] };
}

/** The short reply posted in the thread when a sync enters a stage people care about. */
export function stageReply(s: SyncSnapshot, pipeline: PipelineFacts): RenderedMessage {
  if (s.stage === 'failed' && s.error) {
    return failureReply({ pipeline, tag: s.tag, step: s.error.step, error: s.error, jobId: s.jobId });
  }
  const info = STAGES[s.stage];
  const pr = s.pr ? link(s.pr.url, `PR #${s.pr.number}`) : 'The sync PR';
  const lines: Partial<Record<typeof s.stage, string>> = {
    ready: `${pr} is ready to merge into ${code(pipeline.productionBranch)}: press *Approve &amp; merge* on the card.`,
    'needs-person':
      s.ciFix && (s.ciFix.state === 'refused' || s.ciFix.state === 'exhausted')
        ? `${pr} has failing checks the CI fixer will not fix on its own: see the card.`
        : s.conflicts?.waiting
          ? `${pr} has ${count(s.conflicts.waiting, 'file')} waiting for a person.`
          : `${pr} has files waiting for a person.`,
    queued: `${code(s.tag)} is queued behind ${s.blockedBy ? link(s.blockedBy.url, `PR #${s.blockedBy.pr}`) : 'the open sync PR'}.`,
    'pr-open': `${pr} is open.`,
    merged: `${pr} is merged into ${code(pipeline.productionBranch)}.`,
    released: s.release ? `Released ${link(s.release.url, s.release.tag)}.` : 'Released.',
  };
  const body = lines[s.stage] ?? `${info.label}.`;
  return {
    text: `${info.emoji} ${clip(body, LIMITS.fallbackText - 4)}`,
    blocks: [section(`${info.emoji} *${info.label}:* ${body}`)],
  };
}
