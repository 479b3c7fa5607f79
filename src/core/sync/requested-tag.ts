import semver from 'semver';
import { refNameProblem } from '../refs.js';
import type { ReleaseSelection, StableRelease } from './release-selection.js';

// `sync <tag>`: a person names the upstream release to sync instead of the newest one. It must be
// one the plan could have chosen by itself (a stable release matching tagPattern, not hostile,
// not on the skip list) and newer than production; otherwise the answer says why, and nothing
// is done. A release still inside minReleaseAge is accepted: the person chose it deliberately.

export type TagRefusalReason = 'unsafe-tag' | 'not-a-release' | 'skipped' | 'not-newer';

export interface TagRefusal {
  reason: TagRefusalReason;
  tag: string;
  message: string;
}

/** Refusals that mean the request itself was wrong (the CLI exits 2), not that the plan declined it. */
export const USAGE_REFUSALS: ReadonlySet<string> = new Set<TagRefusalReason>(['unsafe-tag', 'not-a-release']);

export interface RequestedTagInput {
  selection: ReleaseSelection;
  /** The skip list, including tags whose sync PR was just seen closed. */
  skipped: ReadonlySet<string>;
  /** Tags whose sync PR merged: in production whatever the version file says. */
  merged: ReadonlySet<string>;
  /** Normalised production version (raised by merged sync PRs). */
  current: string;
}

export type RequestedTag = { ok: true; release: StableRelease } | { ok: false; refusal: TagRefusal };

export function requestedRelease(tag: string, input: RequestedTagInput): RequestedTag {
  const refuse = (reason: TagRefusalReason, message: string): RequestedTag => ({
    ok: false,
    refusal: { reason, tag, message },
  });
  const problem = refNameProblem(tag);
  if (problem)
    return refuse('unsafe-tag', `${JSON.stringify(tag.slice(0, 80))} is not a usable tag name: it ${problem}`);

  const { selection } = input;
  const release = [...selection.stable, ...selection.waiting].find((r) => r.tag === tag);
  if (!release) {
    const unreadable = selection.skipped.find((s) => s.tag === tag);
    return refuse(
      'not-a-release',
      unreadable
        ? `${tag} cannot be synced: ${unreadable.reason}`
        : `${tag} is not a stable upstream release: no published release that is neither a draft nor a pre-release has this tag and matches the pipeline's tagPattern`,
    );
  }
  if (input.skipped.has(tag))
    return refuse(
      'skipped',
      `${tag} is on the skip list (skipped, or its sync PR was closed unmerged); \`unskip ${tag}\` first to sync it`,
    );
  if (input.merged.has(tag)) return refuse('not-newer', `${tag} is already in production: its sync PR was merged`);
  if (!semver.gt(release.version, input.current))
    return refuse('not-newer', `${tag} (${release.version}) is not newer than production (${input.current})`);
  return { ok: true, release };
}
