import semver from 'semver';
import { normalizeVersion, type ReleaseSelection, type StableRelease } from './release-selection.js';
import { requestedRelease, type TagRefusal } from './requested-tag.js';
import type { SyncPull } from './sync-pulls.js';

// The decision at the heart of a sync, as a pure function of what was observed. One sync PR at a
// time, deliberately: a newer release while one is open is either queued (reported, nothing
// opened) or supersedes it. A release a person skipped, or whose sync PR a person closed without
// merging, is not proposed again until someone unskips it.

export type SyncPlan =
  | { action: 'up-to-date'; latest: StableRelease | null }
  | { action: 'pr-exists'; target: StableRelease; pr: SyncPull }
  | { action: 'queued'; target: StableRelease; pr: SyncPull }
  | { action: 'supersede'; target: StableRelease; pr: SyncPull }
  | { action: 'sync'; target: StableRelease }
  /** A requested tag that cannot be synced (not a stable release, skipped, not newer). */
  | { action: 'refused'; refusal: TagRefusal };

export interface PlanInput {
  /** As written in the production branch's version file. */
  currentVersion: string;
  selection: ReleaseSelection;
  /** Tags on the skip list (skipped by a person, or their PR closed unmerged). */
  skippedTags: ReadonlySet<string>;
  /** Recognised sync PRs, open and closed. */
  syncPulls: readonly SyncPull[];
  policy: 'queue' | 'supersede';
  /** PR numbers whose closure is already accounted for (skip rows, PRs the bot closed itself). */
  handledClosures: ReadonlySet<number>;
  /** The release a person asked for instead of the newest one; the one-at-a-time rules still apply. */
  requestedTag?: string | null;
}

export interface PlanResult {
  plan: SyncPlan;
  /** Closed-unmerged sync PRs seen for the first time: their tags go on the skip list. */
  newlyClosed: Array<{ tag: string; pr: number }>;
  /** Newest stable release that is not skipped, synced or not (what `latestTag` reports). */
  latest: StableRelease | null;
}

/** No plan can be made: the version file's content is not a version (a person must fix the file). */
export interface PlanProblem {
  ok: false;
  reason: 'version-not-semver';
  message: string;
}

function isNewer(release: StableRelease, current: string): boolean {
  return semver.gt(release.version, current);
}

export function planSync(input: PlanInput): ({ ok: true } & PlanResult) | PlanProblem {
  const fileVersion = normalizeVersion(input.currentVersion);
  if (!fileVersion)
    return {
      ok: false,
      reason: 'version-not-semver',
      message: `the current version ${JSON.stringify(input.currentVersion)} is not semver`,
    };

  const newlyClosed: PlanResult['newlyClosed'] = [];
  const skipped = new Set(input.skippedTags);
  for (const pr of input.syncPulls) {
    if (pr.state !== 'closed' || pr.merged || input.handledClosures.has(pr.number)) continue;
    // A closed PR for a tag another PR merged later is history, not a refusal.
    if (input.syncPulls.some((other) => other.tag === pr.tag && other.number > pr.number)) continue;
    newlyClosed.push({ tag: pr.tag, pr: pr.number });
    skipped.add(pr.tag);
  }

  // A tag whose sync PR merged is in production, whatever the version file says: never propose it
  // or anything older again.
  const merged = new Set(input.syncPulls.filter((pr) => pr.merged).map((pr) => pr.tag));
  let current = fileVersion;
  for (const release of input.selection.stable) {
    if (merged.has(release.tag) && semver.gt(release.version, current)) current = release.version;
  }
  const visible = input.selection.stable.filter((r) => !skipped.has(r.tag));
  const latest = visible[0] ?? null;
  let target = visible.find((r) => !merged.has(r.tag)) ?? null;
  if (input.requestedTag != null) {
    const asked = requestedRelease(input.requestedTag, { selection: input.selection, skipped, merged, current });
    if (!asked.ok) return { ok: true, plan: { action: 'refused', refusal: asked.refusal }, newlyClosed, latest };
    target = asked.release;
  }
  const open = input.syncPulls.filter((pr) => pr.state === 'open');

  if (!target || !isNewer(target, current)) {
    return { ok: true, plan: { action: 'up-to-date', latest }, newlyClosed, latest };
  }
  const forTarget = open.find((pr) => pr.tag === target.tag);
  if (forTarget) return { ok: true, plan: { action: 'pr-exists', target, pr: forTarget }, newlyClosed, latest };

  // Any other open sync PR blocks (newest first): for an older tag it is queued behind or
  // superseded; one for a tag we no longer consider (skipped, unknown) still blocks, by design.
  const blocking = open[0];
  if (blocking) {
    const blockingVersion = input.selection.stable.find((r) => r.tag === blocking.tag)?.version ?? null;
    const olderThanTarget = blockingVersion === null || semver.lt(blockingVersion, target.version);
    if (input.policy === 'supersede' && olderThanTarget)
      return { ok: true, plan: { action: 'supersede', target, pr: blocking }, newlyClosed, latest };
    return { ok: true, plan: { action: 'queued', target, pr: blocking }, newlyClosed, latest };
  }
  return { ok: true, plan: { action: 'sync', target }, newlyClosed, latest };
}
