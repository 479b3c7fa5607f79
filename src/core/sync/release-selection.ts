import semver from 'semver';
import type { Release } from '../../ports.js';
import { refNameProblem } from '../refs.js';
import { configRegex } from '../config-regex.js';

// Which upstream releases count as stable, and in what order. CARTO's workflow only saw the last
// 50 releases and once compared versions as strings; here every page is read (by the caller) and
// versions are compared as semver, never as text.

export interface StableRelease {
  tag: string;
  /** Semver from the tag's `version` group, normalised (1.9 → 1.9.0). */
  version: string;
  publishedAt: string | null;
  htmlUrl: string;
}

export interface SkippedRelease {
  tag: string;
  reason: string;
}

export interface ReleaseSelection {
  /** Stable releases old enough to sync, newest first. */
  stable: StableRelease[];
  /** Stable releases still inside minReleaseAge, newest first. */
  waiting: StableRelease[];
  /** Releases refused because their tag is hostile or its version unreadable. */
  skipped: SkippedRelease[];
}

export interface SelectionOptions {
  tagPattern: string;
  /** Hours after publication before a release is synced. */
  minReleaseAgeHours: number;
  now: Date;
}

/** `1.9` → `1.9.0`; full semver passes through; anything else is null. */
export function normalizeVersion(raw: string): string | null {
  const text = raw.trim().replace(/^v/, '');
  if (/^\d+$/.test(text)) return `${Number(text)}.0.0`;
  if (/^\d+\.\d+$/.test(text)) return semver.valid(`${text}.0`);
  return semver.valid(text);
}

export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}

function byVersionDesc(a: StableRelease, b: StableRelease): number {
  return semver.rcompare(a.version, b.version) || (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0);
}

export function selectReleases(releases: readonly Release[], options: SelectionOptions): ReleaseSelection {
  const pattern = configRegex(options.tagPattern);
  const minAgeMs = options.minReleaseAgeHours * 3_600_000;
  const stable: StableRelease[] = [];
  const waiting: StableRelease[] = [];
  const skipped: SkippedRelease[] = [];
  const seen = new Set<string>();

  for (const release of releases) {
    if (release.draft || release.prerelease || seen.has(release.tag)) continue;
    seen.add(release.tag);
    // A hostile name is reported whether or not it matches: it never goes further than this line.
    const problem = refNameProblem(release.tag);
    if (problem) {
      skipped.push({ tag: release.tag, reason: `unsafe tag name: ${problem}` });
      continue;
    }
    const match = pattern.exec(release.tag);
    if (!match) continue;
    const raw = match.groups?.version;
    const version = raw === undefined ? null : normalizeVersion(raw);
    if (!version) {
      skipped.push({ tag: release.tag, reason: `version ${JSON.stringify(raw ?? '')} in the tag is not semver` });
      continue;
    }
    const entry: StableRelease = {
      tag: release.tag,
      version,
      publishedAt: release.publishedAt,
      htmlUrl: release.htmlUrl,
    };
    const published = release.publishedAt ? Date.parse(release.publishedAt) : NaN;
    const oldEnough = minAgeMs <= 0 || (!Number.isNaN(published) && options.now.getTime() - published >= minAgeMs);
    (oldEnough ? stable : waiting).push(entry);
  }
  stable.sort(byVersionDesc);
  waiting.sort(byVersionDesc);
  skipped.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { stable, waiting, skipped };
}
