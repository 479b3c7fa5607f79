import { compareForkVersions, compareUpstreamVersions } from './fork-version.js';
import { parseReleaseTag, type ReleaseTag, type TagFormats } from './tag-format.js';

// Which release the next one follows. CARTO's script version-sorted whole tag names, so the
// upstream part dominated: `v1.81.6-carto.1.18.3` (a tag cut while the version file was wrongly
// 1.81.6) beat the newer `v1.81.3-carto.1.18.6`, and the next release counted three fixes twice.
// Here history decides: the release tag closest to the production head wins; version order only
// breaks ties between tags equally close (several tags on one commit).

export interface TagCandidate {
  name: string;
  /**
   * Commits on the production head not reachable from the tag (`git rev-list --count tag..head`);
   * 0 when the tag is on the head. Only tags reachable from the head are candidates.
   */
  distance: number;
  /** Commit the tag points at, when known. */
  sha?: string;
}

export interface PreviousRelease extends ReleaseTag {
  distance: number;
  sha: string | null;
}

/** Ties: higher triple, then higher upstream, then the current format over a legacy one, then name. */
export function compareReleaseTags(a: ReleaseTag, b: ReleaseTag): number {
  return (
    compareForkVersions(a.version, b.version) ||
    compareUpstreamVersions(a.upstream ?? '', b.upstream ?? '') ||
    Number(b.legacy) - Number(a.legacy) ||
    (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
  );
}

/** The most recent release reachable from production, or null for a first release. */
export function selectPreviousRelease(
  candidates: readonly TagCandidate[],
  formats: TagFormats,
): PreviousRelease | null {
  let best: PreviousRelease | null = null;
  for (const candidate of candidates) {
    const parsed = parseReleaseTag(candidate.name, formats);
    if (!parsed) continue;
    const current: PreviousRelease = { ...parsed, distance: candidate.distance, sha: candidate.sha ?? null };
    if (
      !best ||
      current.distance < best.distance ||
      (current.distance === best.distance && compareReleaseTags(current, best) > 0)
    ) {
      best = current;
    }
  }
  return best;
}

/** Every release tag among `names`, parsed; for collision checks and the reset rule. */
export function releaseTagsIn(names: readonly string[], formats: TagFormats): ReleaseTag[] {
  return names.flatMap((name) => parseReleaseTag(name, formats) ?? []);
}
