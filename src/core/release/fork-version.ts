import semver from 'semver';

// The fork's own counter ("the triple"): the {major}.{minor}.{patch} part of a release tag. It is
// separate from {upstream}, the upstream version the release is built on.

export interface ForkVersion {
  major: number;
  minor: number;
  patch: number;
}

export type Bump = 'major' | 'minor' | 'patch';
export type RequestedBump = Bump | 'auto';

export const BUMPS: readonly Bump[] = ['patch', 'minor', 'major'];
export const REQUESTED_BUMPS: readonly RequestedBump[] = ['patch', 'minor', 'major', 'auto'];

export function parseForkVersion(text: string): ForkVersion | null {
  const m = /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/.exec(text);
  if (!m) return null;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]) };
}

export function formatForkVersion(v: ForkVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}

export function compareForkVersions(a: ForkVersion, b: ForkVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** One semver step, release-please style: a release moves the triple once, however many commits it holds. */
export function bumpForkVersion(v: ForkVersion, bump: Bump): ForkVersion {
  switch (bump) {
    case 'major':
      return { major: v.major + 1, minor: 0, patch: 0 };
    case 'minor':
      return { major: v.major, minor: v.minor + 1, patch: 0 };
    case 'patch':
      return { major: v.major, minor: v.minor, patch: v.patch + 1 };
  }
}

/** The bump that leads from one triple to a later one (for releases someone else numbered). */
export function bumpBetween(from: ForkVersion, to: ForkVersion): Bump {
  if (to.major !== from.major) return 'major';
  return to.minor !== from.minor ? 'minor' : 'patch';
}

/** The larger of two bumps (major > minor > patch). */
export function maxBump(a: Bump, b: Bump): Bump {
  return BUMPS.indexOf(a) >= BUMPS.indexOf(b) ? a : b;
}

/**
 * Orders upstream versions: semver when both parse (so 1.81.10 > 1.81.9 and 1.81.3-rc.1 < 1.81.3),
 * otherwise a numeric-aware string order, which is still right for dotted numbers like 1.81.3.post1.
 */
export function compareUpstreamVersions(a: string, b: string): number {
  const sa = semver.valid(a, { loose: true });
  const sb = semver.valid(b, { loose: true });
  if (sa && sb) return semver.compare(sa, sb, { loose: true });
  return a.localeCompare(b, 'en', { numeric: true });
}
