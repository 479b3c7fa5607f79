import { actorMention } from '../../core/wording.js';
import { ciFixField } from './ci-fix-card.js';
import type { Actor, SyncSnapshot } from '../../ports.js';
import type { JobState } from '../../ports/jobs.js';
import { clip, code, inline, link } from '../mrkdwn.js';
import { bulletSections, context, divider, fitBlocks, header, section, LIMITS, type Block } from './blocks.js';
import { STAGES, ciText, conflictText, type PipelineFacts } from './stages.js';
import { plural } from '../../core/plural.js';

// `/upstream-sync status` and App Home show the same facts per pipeline. They come from SQLite
// and cached GitHub data; `refreshedAt` says how old the GitHub part is, so the reply never
// pretends to be fresher than it is.

export interface RunSummary {
  id: number;
  kind: string;
  state: JobState;
  /** The upstream tag or release the run was about, when it had one. */
  subject: string | null;
  requestedBy: Actor;
  createdAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface StatusView {
  pipeline: PipelineFacts;
  productionVersion: string | null;
  /** The tag production was last synced to, as the bot recorded it. */
  lastSyncedTag: string | null;
  latestUpstream: { tag: string; url: string | null } | null;
  /** Stable releases newer than production. */
  releasesBehind: number | null;
  commitsBehind: number | null;
  /** The sync that is in flight (an open PR or a running job), if any. */
  openSync: SyncSnapshot | null;
  lastRuns: RunSummary[];
  nextCheck: string | null;
  warnings: string[];
  skipped: string[];
  /** When the GitHub facts were fetched; null = never. */
  refreshedAt: string | null;
  /** The bot's GitHub budget and last scheduled round (the same for every pipeline; shown once). */
  budget?: string[];
  refreshing: boolean;
  /** branch-sync pipelines: the sync branch against upstream and the target, as the last run found it. */
  branch?: {
    upstreamBranch: string;
    syncBranch: string;
    upstreamSha: string | null;
    syncBranchSha: string | null;
    /** Commits in the sync branch the target lacks. */
    ahead: number | null;
    /** Upstream commits not yet in the sync branch. */
    behind: number | null;
    pr: { number: number; url: string } | null;
  };
}

function branchFields(st: StatusView, b: NonNullable<StatusView['branch']>): string[] {
  const sha = (x: string | null) => (x ? code(x.slice(0, 12)) : 'unknown');
  const n = (x: number | null, what: string) => (x === null ? 'unknown' : plural(x, what));
  return [
    `*Sync branch* ${code(b.syncBranch)}
${sha(b.syncBranchSha)}`,
    `*Upstream* ${code(b.upstreamBranch)}
${sha(b.upstreamSha)}`,
    `*Ahead of* ${code(st.pipeline.productionBranch)}
${n(b.ahead, 'commit')}`,
    `*Behind upstream*\n${n(b.behind, 'commit')}`,
    `*Pull request*\n${b.pr ? link(b.pr.url, `#${b.pr.number}`) : 'none open'}`,
    openSyncText(st.openSync),
    `*Next check*\n${st.nextCheck ? slackDate(st.nextCheck) : 'only by hand'}`,
  ];
}

/** Slack renders the date in the reader's own time zone; the ISO text is the fallback. */
export function slackDate(iso: string, format = '{date_short_pretty} {time}'): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(seconds) ? `<!date^${seconds}^${format}|${iso}>` : inline(iso);
}

const RUN_EMOJI: Record<JobState, string> = {
  queued: '🕒',
  running: '⏳',
  succeeded: '✅',
  failed: '❌',
  cancelled: '🚫',
};

function actorText(a: Actor): string {
  return actorMention(a);
}

export function runLine(r: RunSummary): string {
  const subject = r.subject ? ` ${code(r.subject)}` : '';
  const when = slackDate(r.finishedAt ?? r.createdAt);
  const error = r.error ? `: ${clip(inline(r.error), 200)}` : '';
  return `${RUN_EMOJI[r.state]} #${r.id} ${inline(r.kind)}${subject} ${r.state} ${when} (${actorText(r.requestedBy)})${error}`;
}

function openSyncText(s: SyncSnapshot | null): string {
  if (!s) return '*Open sync*\nnone';
  const info = STAGES[s.stage];
  const pr = s.pr ? link(s.pr.url, `#${s.pr.number}`) : code(s.tag);
  const details = [
    s.conflicts ? `conflicts: ${conflictText(s.conflicts)}` : null,
    s.pr ? `CI: ${ciText(s.ci)}` : null,
    s.mergeable === false ? 'not mergeable' : null,
    s.ciFix && ['ci', 'needs-person'].includes(s.stage) ? `CI fixer: ${ciFixField(s.ciFix)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
  return `*Open sync*\n${pr} ${code(s.tag)} ${info.emoji} ${info.label}${details ? `\n${details}` : ''}`;
}

export function pipelineStatusBlocks(st: StatusView, options: { maxRuns?: number } = {}): Block[] {
  const p = st.pipeline;
  const latest = st.latestUpstream ? link(st.latestUpstream.url, st.latestUpstream.tag) : 'unknown';
  const behind = [
    st.releasesBehind !== null ? `${plural(st.releasesBehind, 'release')}` : null,
    st.commitsBehind !== null ? `${plural(st.commitsBehind, 'commit')}` : null,
  ].filter(Boolean);
  const fields = st.branch
    ? branchFields(st, st.branch)
    : [
        `*Production* ${code(p.productionBranch)}\n${st.productionVersion ? code(st.productionVersion) : 'unknown'}${st.lastSyncedTag ? ` (synced ${code(st.lastSyncedTag)})` : ''}`,
        `*Latest upstream stable*\n${latest}`,
        `*Behind*\n${behind.length ? behind.join(', ') : 'unknown'}`,
        openSyncText(st.openSync),
        `*Next check*\n${st.nextCheck ? slackDate(st.nextCheck) : 'only by hand'}`,
      ];
  if (st.skipped.length)
    fields.push(
      `*Skipped*\n${st.skipped.slice(0, 10).map(code).join(' ')}${st.skipped.length > 10 ? ` …and ${st.skipped.length - 10} more` : ''}`,
    );
  const blocks: Block[] = [
    header(`${p.id}: ${p.forkRepo}`),
    section(`Upstream ${code(p.upstreamRepo)} → fork ${code(p.forkRepo)}`, { fields }),
  ];
  if (st.warnings.length)
    blocks.push(
      ...bulletSections(
        // A channel mention stays a link (the fix for a bot not in the channel names it).
        st.warnings.map((w) => `⚠️ ${inline(w).replace(/&lt;#([CG][A-Z0-9]+)&gt;/g, '<#$1>')}`),
        { maxLines: 10, maxBlocks: 1 },
      ),
    );
  const runs = st.lastRuns.slice(0, options.maxRuns ?? 5).map(runLine);
  blocks.push(section(`*Last runs*\n${runs.length ? runs.join('\n') : 'none yet'}`));
  const age = st.refreshedAt
    ? `GitHub data as of ${slackDate(st.refreshedAt)}`
    : st.branch
      ? 'no run yet: GitHub data not fetched'
      : 'GitHub data not fetched yet';
  blocks.push(context(`${age}${st.refreshing ? ' · refreshing in the background' : ''}`));
  return blocks;
}

export function statusMessage(statuses: StatusView[]): { text: string; blocks: Block[] } {
  if (!statuses.length)
    return { text: 'No pipelines report to this channel.', blocks: [section('No pipelines report to this channel.')] };
  const blocks: Block[] = [];
  for (const st of statuses) {
    if (blocks.length) blocks.push(divider());
    blocks.push(...pipelineStatusBlocks(st));
  }
  const budget = statuses[0]?.budget ?? [];
  if (budget.length) blocks.push(context(budget.map(inline).join('\n')));
  const text = statuses
    .map(
      (s) =>
        `${s.pipeline.id}: ${s.openSync ? STAGES[s.openSync.stage].label : s.releasesBehind === 0 ? 'up to date' : 'no open sync'}`,
    )
    .join(' · ');
  return { text: inline(text), blocks: fitBlocks(blocks, LIMITS.messageBlocks) };
}

export function historyMessage(pipelineId: string, runs: RunSummary[]): { text: string; blocks: Block[] } {
  const lines = runs.map(runLine);
  const blocks: Block[] = [
    section(`*History of ${code(pipelineId)}* (newest first)`),
    ...bulletSections(lines.length ? lines : ['none yet'], { maxLines: 50, maxBlocks: 5 }),
  ];
  return { text: `History of ${inline(pipelineId)}`, blocks };
}
