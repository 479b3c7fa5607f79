import type { RequestedBump } from './fork-version.js';
import { nextRelease, tagFormatsOf, type NextRelease, type ReleaseNumbering } from './next-version.js';
import { selectPreviousRelease, type PreviousRelease, type TagCandidate } from './previous-release.js';
import { collectChanges, type ChangeRules, type ReleaseChanges, type ReleaseCommit, type ReleasePull } from './release-changes.js';

// bump(version, commits) → version for a fork release: previous release by ancestry, the changes
// since it, the bump (asked for, or derived from the changes for `auto`), and the next tag.

export interface PlanNextReleaseInput {
  numbering: ReleaseNumbering;
  /** Upstream version on the production head (its version file). */
  upstream: string;
  /** Tags reachable from the production head, with their distance to it. */
  reachableTags: readonly TagCandidate[];
  /** Every tag in the repository. */
  existingTags: readonly string[];
  /** Fork commits since the previous release (upstream commits removed), newest first. */
  commits: readonly ReleaseCommit[];
  pulls: readonly ReleasePull[];
  rules: ChangeRules;
  requested: RequestedBump;
}

export type NextReleasePlan =
  | { kind: 'ready'; previous: PreviousRelease | null; changes: ReleaseChanges; next: Extract<NextRelease, { ok: true }>; bump: ReleaseChanges['bump'] }
  /** The production head already carries a release tag: there is nothing new to release. */
  | { kind: 'released'; previous: PreviousRelease }
  | { kind: 'invalid'; problem: string };

export function previousReleaseOf(input: Pick<PlanNextReleaseInput, 'numbering' | 'reachableTags'>): PreviousRelease | null {
  return selectPreviousRelease(input.reachableTags, tagFormatsOf(input.numbering));
}

export function planNextRelease(input: PlanNextReleaseInput): NextReleasePlan {
  const previous = previousReleaseOf(input);
  if (previous && previous.distance === 0) return { kind: 'released', previous };
  const changes = collectChanges(input.commits, input.pulls, input.rules);
  const bump = input.requested === 'auto' ? changes.bump : input.requested;
  const next = nextRelease({ numbering: input.numbering, upstream: input.upstream, previous, bump, existingTags: input.existingTags });
  if (!next.ok) return { kind: 'invalid', problem: next.problem };
  return { kind: 'ready', previous, changes, next, bump };
}
