import type { RequestedBump } from '../core/release/fork-version.js';
import type { Actor, HunkDecision } from '../ports.js';
import type { EnqueueInput, EnqueueResult, JobQueue } from '../ports/jobs.js';

// Every job kind this app runs, in one place: its name, its data, its dedupe key and locks, and
// the input that enqueues it. A sync asked for from Slack, cron, the CLI and a webhook therefore
// collapses into one job, and jobs that touch the same pipeline or PR never run at once. A job
// takes `pipelineLock` when it changes any branch, PR or release of the pipeline, and adds
// `prLock` when it works on one PR (a PR may be worked on outside a sync). The handlers live with
// their pipeline or workflow; this module imports none of them, so enqueuing is cheap to import.

export const KIND = {
  sync: 'sync',
  resolve: 'resolve',
  learn: 'learn',
  merge: 'merge',
  skip: 'skip',
  recheck: 'recheck',
  refreshStatus: 'refresh-status',
  release: 'release',
  changelog: 'changelog',
  pruneAudit: 'prune-audit',
  ledgerRestore: 'ledger-restore',
  ciFix: 'ci-fix',
} as const;

/** The kinds main.ts registers. The runner itself accepts any name (tests register their own). */
export type JobKind = (typeof KIND)[keyof typeof KIND];

export const JOB_KINDS: readonly JobKind[] = Object.values(KIND);

/** What an input builder needs of a pipeline's config. */
export interface JobPipeline {
  id: string;
  fork: { repo: string };
}

// ---- locks and dedupe keys ----

export function pipelineLock(pipeline: string): string {
  return `pipeline:${pipeline}`;
}

/** `repo` is "owner/name". */
export function prLock(repo: string, pr: number): string {
  return `pr:${repo}#${pr}`;
}

export function syncKey(pipeline: string): string {
  return `sync:${pipeline}`;
}

export function resolveKey(repo: string, pr: number): string {
  return `resolve:${repo}#${pr}`;
}

export function releaseKey(pipeline: string): string {
  return `release:${pipeline}`;
}

export function learnKey(repo: string, pr: number): string {
  return `learn:${repo}#${pr}`;
}

/** Kind, pipeline, dedupe key and locks for the usual jobs: spread into EnqueueInput. */
export const jobIdentity = {
  sync: (pipeline: string) => ({
    kind: KIND.sync,
    pipeline,
    dedupeKey: syncKey(pipeline),
    locks: [pipelineLock(pipeline)],
  }),
  resolve: (pipeline: string, repo: string, pr: number) => ({
    kind: KIND.resolve,
    pipeline,
    dedupeKey: resolveKey(repo, pr),
    locks: [pipelineLock(pipeline), prLock(repo, pr)],
  }),
  release: (pipeline: string) => ({
    kind: KIND.release,
    pipeline,
    dedupeKey: releaseKey(pipeline),
    locks: [pipelineLock(pipeline)],
  }),
} as const;

// ---- each kind's data and input ----

export interface SyncJobData {
  pipeline: string;
  /** The upstream release a person asked for (`sync <tag>`); absent: the newest the plan allows. */
  tag?: string;
  /** Suppress Slack for this sync (CARTO's `silent` dispatch input). */
  silent?: boolean;
}

export function syncJobInput(data: SyncJobData, requestedBy: Actor): EnqueueInput<SyncJobData> {
  return { ...jobIdentity.sync(data.pipeline), data, requestedBy };
}

/** The resolver's job, enqueued when a sync meets conflicts, or by a person (Slack, CLI). */
export interface ResolveJobData {
  pipeline: string;
  repo: string;
  pr: number;
  /** A person's "take upstream / take fork" from Slack; also stored, so none is lost to dedupe. */
  decisions?: HunkDecision[];
}

export function resolveJobInput(
  p: JobPipeline,
  pr: number,
  requestedBy: Actor,
  decisions?: HunkDecision[],
): EnqueueInput<ResolveJobData> {
  return {
    ...jobIdentity.resolve(p.id, p.fork.repo, pr),
    data: { pipeline: p.id, repo: p.fork.repo, pr, ...(decisions?.length ? { decisions } : {}) },
    requestedBy,
  };
}

export interface LearnJobData {
  pipeline: string;
  pr: number;
  /** The merge commit on production: its files are what landed. */
  mergeSha: string;
}

export function learnJobInput(
  p: JobPipeline,
  pr: number,
  mergeSha: string,
  requestedBy: Actor,
): EnqueueInput<LearnJobData> {
  // The PR lock keeps it after a resolver or merge job still working on the same PR.
  return {
    kind: KIND.learn,
    pipeline: p.id,
    dedupeKey: learnKey(p.fork.repo, pr),
    locks: [prLock(p.fork.repo, pr)],
    data: { pipeline: p.id, pr, mergeSha },
    requestedBy,
  };
}

/** Enqueues, unless this very merge was learned already (dedupe keys only fold active jobs). Null when skipped. */
export async function enqueueLearn(
  queue: Pick<JobQueue, 'enqueue' | 'list'>,
  input: EnqueueInput<LearnJobData>,
): Promise<EnqueueResult<LearnJobData> | null> {
  const learned = await queue.list({
    pipeline: input.data.pipeline,
    kind: KIND.learn,
    states: ['succeeded'],
    limit: 100,
  });
  if (learned.some((j) => j.dedupeKey === input.dedupeKey && (j.data as LearnJobData).mergeSha === input.data.mergeSha))
    return null;
  return queue.enqueue(input);
}

export interface MergeJobData {
  pipeline: string;
  /** The sync's upstream tag: which card to move to `merged`. */
  tag: string;
  pr: number;
}

export function mergeJobInput(p: JobPipeline, data: MergeJobData, requestedBy: Actor): EnqueueInput<MergeJobData> {
  return {
    kind: KIND.merge,
    pipeline: p.id,
    dedupeKey: `merge:${p.fork.repo}#${data.pr}`,
    locks: [pipelineLock(p.id), prLock(p.fork.repo, data.pr)],
    data,
    requestedBy,
    maxAttempts: 3,
  };
}

export interface SkipJobData {
  pipeline: string;
  tag: string;
  /** The open sync PR for the tag, when the card knew one; otherwise the skip job looks it up. */
  pr: number | null;
  /** Why, for the record (the CLI's --reason). */
  note?: string | null;
}

export function skipJobInput(p: JobPipeline, data: SkipJobData, requestedBy: Actor): EnqueueInput<SkipJobData> {
  return {
    kind: KIND.skip,
    pipeline: p.id,
    dedupeKey: `skip:${p.id}:${data.tag}`,
    locks: [pipelineLock(p.id)],
    data,
    requestedBy,
    maxAttempts: 5,
  };
}

export interface RecheckJobData {
  pipeline: string;
  /** The production commit pushed (from the webhook), for the dedupe key and the comment. */
  productionSha: string | null;
}

/**
 * Enqueues the recheck for a production commit unless one for the same commit already ran: the
 * push webhook and the CI watcher's poll may both see the same new head, in either order. A
 * recheck queued or running is found by the dedupe key; a finished one by this look-up.
 */
export async function enqueueRecheck(
  queue: Pick<JobQueue, 'enqueue' | 'list'>,
  input: EnqueueInput<RecheckJobData>,
): Promise<EnqueueResult<RecheckJobData> | null> {
  const done = await queue.list({
    pipeline: input.data.pipeline,
    kind: KIND.recheck,
    states: ['succeeded'],
    limit: 100,
  });
  if (done.some((j) => j.dedupeKey === input.dedupeKey)) return null;
  return queue.enqueue(input);
}

export function recheckJobInput(
  p: JobPipeline,
  productionSha: string | null,
  requestedBy: Actor,
): EnqueueInput<RecheckJobData> {
  return {
    kind: KIND.recheck,
    pipeline: p.id,
    dedupeKey: `recheck:${p.id}@${productionSha ?? 'head'}`,
    locks: [pipelineLock(p.id)],
    data: { pipeline: p.id, productionSha },
    requestedBy,
    maxAttempts: 5,
  };
}

export interface RefreshStatusData {
  pipeline: string;
}

export function refreshStatusInput(pipeline: string, requestedBy: Actor): EnqueueInput<RefreshStatusData> {
  return {
    kind: KIND.refreshStatus,
    pipeline,
    dedupeKey: `refresh-status:${pipeline}`,
    data: { pipeline },
    requestedBy,
    maxAttempts: 1,
  };
}

export interface ReleaseJobData {
  pipeline: string;
  bump: RequestedBump;
  /** The commit the person saw in the preview; default: the production head when the job runs. */
  commit?: string;
  /** The tag the person confirmed: the job refuses when the plan now says otherwise. */
  expectedTag?: string;
  /** Notes written by a person; they replace the generated ones (and skip the LLM). */
  notes?: string;
}

/** One release at a time per pipeline, and never alongside a sync of the same pipeline. */
export function releaseJobInput(data: ReleaseJobData, requestedBy: Actor): EnqueueInput<ReleaseJobData> {
  return { ...jobIdentity.release(data.pipeline), data, requestedBy };
}

export type ChangelogJobData =
  { kind: 'pull'; repo: string; number: number } | { kind: 'release'; repo: string; tag: string };

/** One card per merged PR and per published release. */
export function changelogJobInput(
  pipeline: string,
  data: ChangelogJobData,
  requestedBy: Actor,
): EnqueueInput<ChangelogJobData> {
  return {
    kind: KIND.changelog,
    pipeline,
    dedupeKey: data.kind === 'pull' ? `changelog:${data.repo}#${data.number}` : `changelog:${data.repo}@${data.tag}`,
    data,
    requestedBy,
  };
}

/** The daily retention prune of the audit log; one at a time, whoever enqueues it. */
export function pruneAuditInput(requestedBy: Actor): EnqueueInput<Record<string, never>> {
  return { kind: KIND.pruneAudit, dedupeKey: 'prune-audit', data: {}, requestedBy, maxAttempts: 3 };
}

/** "Restore fork side" of one dropped fork hunk of a sync PR's ledger (src/workflows/ledger/restore-job.ts). */
export interface LedgerRestoreData {
  pipeline: string;
  /** The card the button was on (its ledger's tag). */
  tag: string;
  pr: number;
  hunkId: string;
}

export function ledgerRestoreInput(
  p: JobPipeline,
  data: LedgerRestoreData,
  requestedBy: Actor,
): EnqueueInput<LedgerRestoreData> {
  // It pushes to the sync branch: never beside a sync, resolver or merge of the same PR.
  return {
    kind: KIND.ledgerRestore,
    pipeline: p.id,
    dedupeKey: `ledger-restore:${p.fork.repo}#${data.pr}:${data.hunkId}`,
    locks: [pipelineLock(p.id), prLock(p.fork.repo, data.pr)],
    data,
    requestedBy,
    maxAttempts: 3,
  };
}

export interface CiFixJobData {
  pipeline: string;
  repo: string;
  pr: number;
  /** The red head commit that was seen; null: whatever the PR's head is when the job runs (CLI, button). */
  headSha: string | null;
  /** "Try the CI fixer again": this job carries one extra attempt past the bounds. */
  grant?: boolean;
}

/** `ci-fix:<repo>#<pr>@<sha>`: the webhook and the CI watcher's poll seeing one red commit act once. */
export function ciFixKey(repo: string, pr: number, headSha: string | null): string {
  return `ci-fix:${repo}#${pr}@${headSha ?? 'head'}`;
}

/** The CI fixer pushes to the sync branch: it never runs alongside the resolver or a sync of the pipeline. */
export function ciFixJobInput(
  p: JobPipeline,
  data: Omit<CiFixJobData, 'pipeline' | 'repo'>,
  requestedBy: Actor,
): EnqueueInput<CiFixJobData> {
  return {
    kind: KIND.ciFix,
    pipeline: p.id,
    dedupeKey: ciFixKey(p.fork.repo, data.pr, data.headSha) + (data.grant ? ':grant' : ''),
    locks: [pipelineLock(p.id), prLock(p.fork.repo, data.pr)],
    data: { pipeline: p.id, repo: p.fork.repo, ...data },
    requestedBy,
    maxAttempts: 5,
  };
}
