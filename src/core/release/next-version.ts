import { bumpForkVersion, compareForkVersions, parseForkVersion, type Bump, type ForkVersion } from './fork-version.js';
import { releaseTagsIn, type PreviousRelease } from './previous-release.js';
import { renderReleaseTag, type TagFormats } from './tag-format.js';

// Next tag = previous release's triple moved by ONE bump, with {upstream} from the version file.
// CARTO's live script bumps once per qualifying commit (1.18.6 + feat + 3 fixes → 1.19.3); we bump
// once per release like release-please and their own documented process ("choose patch/minor/
// major", 0.1.0 → 0.1.1), so the number says what kind of release it is, not how many commits it
// has, and it no longer depends on which commits a filter happened to let through.

export interface ReleaseNumbering {
  tagFormat: string;
  legacyTagFormats: readonly string[];
  /** Documented format: restart at firstVersion when {upstream} changes. Live format: keep counting. */
  resetOnUpstreamChange: boolean;
  firstVersion: string;
}

export type NextReason = 'first-release' | 'bump' | 'upstream-reset' | 'upstream-reset-continued';

export type NextRelease =
  | { ok: true; tag: string; version: ForkVersion; upstream: string; upstreamChanged: boolean; reason: NextReason }
  | { ok: false; problem: string };

export interface NextReleaseInput {
  numbering: ReleaseNumbering;
  /** Upstream version the production branch is on now (its version file). */
  upstream: string;
  previous: PreviousRelease | null;
  bump: Bump;
  /** Every tag in the repository, reachable or not: a name is never produced twice. */
  existingTags: readonly string[];
}

export function tagFormatsOf(numbering: ReleaseNumbering): TagFormats {
  return { current: numbering.tagFormat, legacy: numbering.legacyTagFormats };
}

export function nextRelease(input: NextReleaseInput): NextRelease {
  const { numbering, upstream, previous, bump } = input;
  const first = parseForkVersion(numbering.firstVersion);
  if (!first) return { ok: false, problem: `firstVersion "${numbering.firstVersion}" is not X.Y.Z` };
  const upstreamChanged = previous !== null && previous.upstream !== null && previous.upstream !== upstream;

  let version: ForkVersion;
  let reason: NextReason;
  if (!previous) {
    version = first;
    reason = 'first-release';
  } else if (upstreamChanged && numbering.resetOnUpstreamChange) {
    // Upstream can move back (CARTO's version file was wrongly 1.81.6, then 1.81.3 again): a
    // reset must continue after releases already cut on that upstream instead of reusing 0.1.0.
    const same = releaseTagsIn(input.existingTags, tagFormatsOf(numbering))
      .filter((t) => t.upstream === upstream)
      .map((t) => t.version)
      .sort(compareForkVersions)
      .at(-1);
    version = same ? bumpForkVersion(same, bump) : first;
    reason = same ? 'upstream-reset-continued' : 'upstream-reset';
  } else {
    version = bumpForkVersion(previous.version, bump);
    reason = 'bump';
  }

  const rendered = renderReleaseTag(numbering.tagFormat, { upstream, version });
  if (!rendered.ok) return rendered;
  if (input.existingTags.includes(rendered.tag)) {
    return {
      ok: false,
      problem: `tag ${rendered.tag} already exists (from ${previous?.name ?? 'no previous release'} with a ${bump} bump)`,
    };
  }
  return { ok: true, tag: rendered.tag, version, upstream, upstreamChanged, reason };
}
