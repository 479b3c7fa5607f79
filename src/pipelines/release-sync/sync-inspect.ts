import type { ReleaseSyncConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { RepoInfo } from '../../ports.js';
import {
  compareVersions,
  normalizeVersion,
  selectReleases,
  type SkippedRelease,
  type StableRelease,
} from '../../core/sync/release-selection.js';
import { planSync, type SyncPlan } from '../../core/sync/sync-plan.js';
import { recognizeSyncPulls, type SyncPull } from '../../core/sync/sync-pulls.js';
import { readVersion } from '../../core/sync/version-file.js';
import type { SyncDeps } from './sync-types.js';

// Everything the sync decides from, read through the API without changing anything. The sync job
// memoizes it as its first step (a resumed job sticks to the target it chose); `status` runs it
// on its own.

export interface RepoRef {
  repo: string;
  cloneUrl: string;
  htmlUrl: string;
}

export interface Inspection {
  pipeline: string;
  upstream: RepoRef;
  fork: RepoRef;
  currentVersion: string;
  /** Tag of the upstream release the production version corresponds to, when there is one. */
  currentTag: string | null;
  plan: SyncPlan;
  latest: StableRelease | null;
  /** Newer stable releases still inside minReleaseAge. */
  waiting: StableRelease[];
  skipped: SkippedRelease[];
  /** Tags on the skip list (including ones this inspection adds for closed PRs). */
  skippedTags: string[];
  newlyClosed: Array<{ tag: string; pr: number }>;
  syncPulls: SyncPull[];
  /** Sync PRs that merged: those tags are in production. */
  merged: Array<{ tag: string; version: string; pr: number; mergeSha: string | null }>;
  /**
   * Notes of the release a sync or supersede targets, as the releases list gave them (so the PR
   * body needs no second read); absent for other plans and in inspections recorded before it.
   */
  targetNotes?: string | null;
}

function ref(info: RepoInfo): RepoRef {
  return { repo: info.fullName, cloneUrl: info.cloneUrl, htmlUrl: info.htmlUrl };
}

export async function readCurrentVersion(deps: SyncDeps, p: ReleaseSyncConfig): Promise<string> {
  const text = await deps.github.getFileText(p.fork.repo, p.version.file, p.fork.productionBranch);
  if (text === null) {
    throw new AppError('not_found', `${p.version.file} does not exist on ${p.fork.repo}@${p.fork.productionBranch}`, {
      details: { pipeline: p.id },
    });
  }
  const read = readVersion(text, p.version);
  if (!read.ok)
    throw new AppError('validation', `cannot read the current version: ${read.problem}`, {
      details: { pipeline: p.id },
    });
  return read.version;
}

/** `tag`: the release a person asked for; the plan then targets it or says why it cannot. */
export async function inspect(deps: SyncDeps, p: ReleaseSyncConfig, tag?: string): Promise<Inspection> {
  const [upstreamInfo, forkInfo, releases, currentVersion, pulls] = await Promise.all([
    deps.github.getRepo(p.upstream.repo),
    deps.github.getRepo(p.fork.repo),
    deps.github.listReleases(p.upstream.repo),
    readCurrentVersion(deps, p),
    deps.github.listPulls(p.fork.repo, { state: 'all', base: p.fork.productionBranch }),
  ]);
  const selection = selectReleases(releases, {
    tagPattern: p.upstream.tagPattern,
    minReleaseAgeHours: p.minReleaseAge,
    now: deps.clock.now(),
  });
  const syncPulls = recognizeSyncPulls(pulls, {
    syncBranch: p.syncBranch,
    productionBranch: p.fork.productionBranch,
    forkRepo: p.fork.repo,
  });
  const skippedTags = new Set(deps.syncRecords.activeSkips(p.id).map((s) => s.tag));
  const result = planSync({
    currentVersion,
    selection,
    skippedTags,
    syncPulls,
    policy: p.whenNewerReleaseWhilePrOpen,
    handledClosures: deps.syncRecords.handledClosures(p.id),
    requestedTag: tag ?? null,
  });
  // A version file people must fix fails the run here, at the edge, as one AppError.
  if (!result.ok)
    throw new AppError('validation', `${p.version.file}: ${result.message}`, { details: { pipeline: p.id } });
  for (const closed of result.newlyClosed) skippedTags.add(closed.tag);
  const all = [...selection.stable, ...selection.waiting];
  const current = normalizeVersion(currentVersion);
  const currentTag = all.find((r) => r.version === current)?.tag ?? null;
  const newest = result.latest;
  const plan = result.plan;
  const target = plan.action === 'sync' || plan.action === 'supersede' ? plan.target.tag : null;
  return {
    pipeline: p.id,
    upstream: ref(upstreamInfo),
    fork: ref(forkInfo),
    currentVersion,
    currentTag,
    plan,
    latest: newest,
    waiting: selection.waiting.filter((r) => !newest || compareVersions(r.version, newest.version) > 0),
    skipped: selection.skipped,
    skippedTags: [...skippedTags].sort(),
    newlyClosed: result.newlyClosed,
    syncPulls,
    merged: syncPulls.flatMap((pr) => {
      const version = all.find((r) => r.tag === pr.tag)?.version;
      return pr.merged && version ? [{ tag: pr.tag, version, pr: pr.number, mergeSha: pr.mergeCommitSha }] : [];
    }),
    ...(target === null ? {} : { targetNotes: releases.find((r) => r.tag === target)?.body ?? null }),
  };
}
