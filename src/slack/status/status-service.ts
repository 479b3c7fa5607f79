import type { BranchSyncConfig, Config, ReleaseSyncConfig } from '../../config/schema.js';
import type { BranchSyncFacts } from '../../pipelines/branch-sync/notify.js';
import type { PipelineStatus } from '../../pipelines/release-sync/sync-status.js';
import type { JobQueue, JobRecord } from '../../ports/jobs.js';
import type { Actor, SyncCardReader, SyncRecords, SyncSnapshot } from '../../ports.js';
import { EMPTY_SYNC_FACTS, FINAL_STAGES } from '../../ports/sync-cards.js';
import { pipelineFacts } from '../views/stages.js';
import type { RunSummary, StatusView } from '../views/status.js';
import { KIND, refreshStatusInput } from '../../jobs/job-kinds.js';
import { describeDropped, type DroppedPosts } from '../../adapters/store/dropped-posts.js';

// Builds `status` and App Home from SQLite only (cards, jobs, skip list, the facts the last
// status read saved), so the answer is immediate; `refresh` queues the background job that reads
// GitHub again for the next answer.

export interface StatusServiceDeps {
  config: Config;
  queue: JobQueue;
  cards: Pick<SyncCardReader, 'recent'>;
  records: Pick<SyncRecords, 'activeSkips' | 'lastSynced' | 'facts'>;
  /** Next scheduled check (the running scheduler knows); null without a schedule. */
  nextRun: (pipeline: string) => Date | null;
  now: () => Date;
  /** Set while the database's disk cannot be written (issue 13): said first in every status. */
  storageFault?: () => { message: string; since: string } | null;
  /** The GitHub budget and the last round of scheduled checks, as lines (src/jobs/budget-lines.ts). */
  budget?: () => string[];
  /** Slack posts of a pipeline dropped because the bot is not in the channel (slack_dropped). */
  droppedPosts?: (pipeline: string) => DroppedPosts[];
}

const RUN_KINDS_SHOWN: readonly string[] = [KIND.sync, KIND.resolve, KIND.merge, KIND.release, KIND.skip];
/** Jobs whose success changes production, the latest release, the open PR or the skip list. */
export const STATE_CHANGING_KINDS: readonly string[] = [KIND.sync, KIND.merge, KIND.release, KIND.skip];
/** One query for status and history; refreshes are at most one per 30 s, so runs are in there. */
const RECENT_JOBS = 60;

function subjectOf(job: JobRecord): string | null {
  const data = (job.data ?? {}) as Record<string, unknown>;
  const result = (job.result ?? {}) as Record<string, unknown>;
  for (const v of [data.tag, result.tag, result.latestTag]) if (typeof v === 'string') return v;
  return typeof data.pr === 'number' ? `#${data.pr}` : null;
}

export function runSummary(job: JobRecord): RunSummary {
  return {
    id: job.id,
    kind: job.kind,
    state: job.state,
    subject: subjectOf(job),
    requestedBy: job.requestedBy,
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    error: job.error?.message ?? null,
  };
}

/** An open sync PR the bot has no card for (opened before it ran, or a silent sync). */
function snapshotOf(
  p: ReleaseSyncConfig,
  open: NonNullable<PipelineStatus['openPr']>,
  facts: Partial<PipelineStatus>,
  at: string,
): SyncSnapshot {
  return {
    pipeline: p.id,
    tag: open.tag,
    stage: 'pr-open',
    updatedAt: at,
    ...EMPTY_SYNC_FACTS,
    fromVersion: facts.currentVersion ?? null,
    pr: { number: open.number, url: open.url, title: `sync PR for ${open.tag}` },
  };
}

export class StatusService {
  constructor(private readonly deps: StatusServiceDeps) {}

  async statuses(pipelines: ReadonlyArray<ReleaseSyncConfig | BranchSyncConfig>): Promise<StatusView[]> {
    return Promise.all(pipelines.map((p) => this.status(p)));
  }

  async status(p: ReleaseSyncConfig | BranchSyncConfig): Promise<StatusView> {
    if (p.kind === 'branch-sync') return this.branchStatus(p);
    const { cards, queue, records } = this.deps;
    const saved = records.facts(p.id);
    const facts = (saved?.facts ?? {}) as Partial<PipelineStatus>;
    const jobs = await queue.list({ pipeline: p.id, limit: RECENT_JOBS });
    const runs = jobs
      .filter((j) => RUN_KINDS_SHOWN.includes(j.kind))
      .slice(0, 5)
      .map(runSummary);
    const refreshes = jobs.filter((j) => j.kind === KIND.refreshStatus);
    const inFlight = cards.recent(p.id, 10).find((s) => !FINAL_STAGES.includes(s.stage));
    const warnings = [...(facts.warnings ?? [])];
    const fault = this.deps.storageFault?.();
    if (fault) warnings.unshift(`the bot cannot write its database since ${fault.since}: ${fault.message}; jobs wait`);
    warnings.push(...this.droppedWarnings(p.id));
    if (facts.queuedTag) warnings.push(`${facts.queuedTag} is queued behind the open sync PR`);
    const lastRefresh = refreshes.find((j) => j.state === 'succeeded' || j.state === 'failed');
    if (lastRefresh && (lastRefresh.state === 'failed' || (lastRefresh.result as { stale?: boolean } | null)?.stale)) {
      warnings.push('GitHub could not be read at the last refresh: the facts below may be old');
    }
    const next = this.deps.nextRun(p.id);
    return {
      pipeline: pipelineFacts(p),
      productionVersion: facts.currentVersion ?? null,
      lastSyncedTag: records.lastSynced(p.id)?.tag ?? null,
      latestUpstream: facts.latestTag ? { tag: facts.latestTag, url: null } : null,
      releasesBehind: null,
      commitsBehind: facts.commitsBehind ?? null,
      openSync: inFlight ?? (facts.openPr && saved ? snapshotOf(p, facts.openPr, facts, saved.updatedAt) : null),
      lastRuns: runs,
      nextCheck: next ? next.toISOString() : null,
      warnings,
      skipped: records.activeSkips(p.id).map((s) => s.tag),
      refreshedAt: saved?.updatedAt ?? null,
      refreshing: refreshes.some((j) => j.state === 'queued' || j.state === 'running'),
      budget: this.deps.budget?.() ?? [],
    };
  }

  /** Posts the bot could not make because it is not in the channel: said once per channel, with the fix. */
  private droppedWarnings(pipeline: string): string[] {
    return (this.deps.droppedPosts?.(pipeline) ?? []).map(describeDropped);
  }

  /** branch-sync: what its last run found (ahead/behind, the PR), with the time it was true. */
  private async branchStatus(p: BranchSyncConfig): Promise<StatusView> {
    const { cards, queue, records } = this.deps;
    const saved = records.facts(p.id);
    const facts = saved?.facts as Partial<BranchSyncFacts> | undefined;
    const f = facts?.kind === 'branch-sync' ? (facts as BranchSyncFacts) : null;
    const jobs = await queue.list({ pipeline: p.id, limit: RECENT_JOBS });
    const next = this.deps.nextRun(p.id);
    const warnings = [
      ...this.droppedWarnings(p.id),
      ...(f?.outcome === 'refused' ? ['the last run was refused: upstream and the sync branch share no history'] : []),
    ];
    return {
      pipeline: pipelineFacts(p),
      productionVersion: null,
      lastSyncedTag: null,
      latestUpstream: null,
      releasesBehind: null,
      commitsBehind: f?.behind ?? null,
      openSync: cards.recent(p.id, 10).find((s) => !FINAL_STAGES.includes(s.stage)) ?? null,
      lastRuns: jobs
        .filter((j) => RUN_KINDS_SHOWN.includes(j.kind))
        .slice(0, 5)
        .map(runSummary),
      nextCheck: next ? next.toISOString() : null,
      warnings,
      skipped: [],
      refreshedAt: f?.checkedAt ?? null,
      refreshing: false,
      budget: this.deps.budget?.() ?? [],
      branch: f
        ? {
            upstreamBranch: p.upstream.branch,
            syncBranch: p.fork.syncBranch,
            upstreamSha: f.upstreamSha,
            syncBranchSha: f.syncBranchSha,
            ahead: f.ahead,
            behind: f.behind,
            pr: f.pr,
          }
        : {
            upstreamBranch: p.upstream.branch,
            syncBranch: p.fork.syncBranch,
            upstreamSha: null,
            syncBranchSha: null,
            ahead: null,
            behind: null,
            pr: null,
          },
    };
  }

  /**
   * Queues a background refresh per pipeline whose facts are missing, older than `maxAgeMs`
   * (config `slack.statusMaxAgeMinutes`), or older than a change the bot made since (a merge,
   * release, skip or sync). Deduplicated: a burst of `status` makes one read of GitHub, not one
   * each. Returns the refresh jobs to wait for, so the answer can be updated when they end.
   */
  async refresh(pipelines: readonly ReleaseSyncConfig[], by: Actor, maxAgeMs?: number): Promise<number[]> {
    const bound = maxAgeMs ?? this.deps.config.slack.statusMaxAgeMinutes * 60_000;
    // Nothing can be queued on a disk that is full; the status answer says so instead.
    if (this.deps.storageFault?.()) return [];
    const now = this.deps.now().getTime();
    const jobs: number[] = [];
    for (const p of pipelines) {
      const saved = this.deps.records.facts(p.id);
      if (saved && now - Date.parse(saved.updatedAt) < bound && !(await this.changedSince(p, saved.updatedAt)))
        continue;
      jobs.push((await this.deps.queue.enqueue(refreshStatusInput(p.id, by))).job.id);
    }
    return jobs;
  }

  /** Whether a job that changes what status shows finished after the facts were read. */
  private async changedSince(p: ReleaseSyncConfig, since: string): Promise<boolean> {
    const jobs = await this.deps.queue.list({ pipeline: p.id, states: ['succeeded'], limit: 20 });
    return jobs.some(
      (j) =>
        STATE_CHANGING_KINDS.includes(j.kind) && j.finishedAt !== null && Date.parse(j.finishedAt) > Date.parse(since),
    );
  }

  /** The workflows people care about, newest first (background refreshes left out). */
  async history(p: ReleaseSyncConfig, limit = 20): Promise<RunSummary[]> {
    const jobs = await this.deps.queue.list({ pipeline: p.id, limit: RECENT_JOBS });
    return jobs
      .filter((j) => RUN_KINDS_SHOWN.includes(j.kind))
      .slice(0, limit)
      .map(runSummary);
  }
}
