import { bumpBetween, type Bump, type RequestedBump } from './fork-version.js';
import { nextRelease, tagFormatsOf, type NextRelease, type ReleaseNumbering } from './next-version.js';
import { selectPreviousRelease, type PreviousRelease, type TagCandidate } from './previous-release.js';
import {
  collectChanges,
  type ChangeRules,
  type ReleaseChanges,
  type ReleaseCommit,
  type ReleasePull,
} from './release-changes.js';

// bump(version, commits) → version for a fork release: previous release by ancestry, the changes
// since it, the bump (asked for, or derived from the changes for `auto`), and the next tag.
// A release tag already on the head without a GitHub release is an interrupted release (a crash,
// CARTO's workflow failing after `git push --tags`): it is finished, never numbered again.

export interface PlanNextReleaseInput {
  numbering: ReleaseNumbering;
  /** Upstream version on the production head (its version file). */
  upstream: string;
  /** Tags reachable from the production head, with their distance to it. */
  reachableTags: readonly TagCandidate[];
  /** Every tag in the repository. */
  existingTags: readonly string[];
  /** Release tags on the head that already have a GitHub release. */
  publishedHeadTags: readonly string[];
  /** Fork commits since the previous release (upstream commits removed), newest first. */
  commits: readonly ReleaseCommit[];
  pulls: readonly ReleasePull[];
  rules: ChangeRules;
  requested: RequestedBump;
}

type ReadyNext =
  Extract<NextRelease, { ok: true }> | (Omit<Extract<NextRelease, { ok: true }>, 'reason'> & { reason: 'resume' });

export type NextReleasePlan =
  | { kind: 'ready'; previous: PreviousRelease | null; changes: ReleaseChanges; next: ReadyNext; bump: Bump }
  /** The production head already carries a published release: there is nothing new to release. */
  | { kind: 'released'; previous: PreviousRelease }
  | { kind: 'invalid'; problem: string };

export interface ReleaseBase {
  /** The release before the head: commits since it make the next release. */
  previous: PreviousRelease | null;
  /** A release tag on the head itself, if any. */
  headTag: PreviousRelease | null;
}

export function releaseBase(input: Pick<PlanNextReleaseInput, 'numbering' | 'reachableTags'>): ReleaseBase {
  const formats = tagFormatsOf(input.numbering);
  return {
    previous: selectPreviousRelease(
      input.reachableTags.filter((t) => t.distance > 0),
      formats,
    ),
    headTag: selectPreviousRelease(
      input.reachableTags.filter((t) => t.distance === 0),
      formats,
    ),
  };
}

export function planNextRelease(input: PlanNextReleaseInput): NextReleasePlan {
  const { previous, headTag } = releaseBase(input);
  if (headTag && input.publishedHeadTags.includes(headTag.name)) return { kind: 'released', previous: headTag };
  const changes = collectChanges(input.commits, input.pulls, input.rules);
  if (headTag) {
    const upstream = headTag.upstream ?? input.upstream;
    const upstreamChanged = previous !== null && previous.upstream !== null && previous.upstream !== upstream;
    const bump = previous ? bumpBetween(previous.version, headTag.version) : changes.bump;
    return {
      kind: 'ready',
      previous,
      changes,
      bump,
      next: { ok: true, tag: headTag.name, version: headTag.version, upstream, upstreamChanged, reason: 'resume' },
    };
  }
  const bump = input.requested === 'auto' ? changes.bump : input.requested;
  const next = nextRelease({
    numbering: input.numbering,
    upstream: input.upstream,
    previous,
    bump,
    existingTags: input.existingTags,
  });
  if (!next.ok) return { kind: 'invalid', problem: next.problem };
  return { kind: 'ready', previous, changes, next, bump };
}
