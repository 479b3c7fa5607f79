import semver from 'semver';
import { lineBody } from '../lines.js';
import type { Hunk } from '../types.js';
import type { HunkContext, HunkStrategy, StrategyResult } from './strategy.js';

// Both sides bumped the same pin: the higher version wins, line by line, and only in dependency
// manifests, where a version number on a line is a pin rather than arbitrary data.

const MANIFEST =
  /(^|\/)(requirements[^/]*\.(txt|in)|constraints[^/]*\.txt|pyproject\.toml|setup\.(py|cfg)|Pipfile|package\.json|Cargo\.toml|go\.mod|Gemfile|[^/]+\.gemspec|pom\.xml|build\.gradle(\.kts)?)$/;

const VERSION = /\d+(?:\.\d+)+(?:[-.]?(?:a|b|rc|alpha|beta|dev|post|pre)\.?\d*)*/g;

const OWN_VERSION = /^\s*(?:["']?version["']?|__version__)\s*[:=]/i;

export function isDependencyManifest(path: string): boolean {
  return MANIFEST.test(path);
}

interface Pinned {
  shape: string;
  versions: string[];
}

function pinned(line: string): Pinned {
  const body = lineBody(line);
  return { shape: body.replace(VERSION, '#').replace(/\s+/g, ''), versions: body.match(VERSION) ?? [] };
}

/** Compares dotted versions numerically; pre-release tags sort before the release. */
export function compareVersions(a: string, b: string): number {
  const ca = semver.coerce(a, { includePrerelease: true, loose: true });
  const cb = semver.coerce(b, { includePrerelease: true, loose: true });
  if (ca && cb) {
    const byCore = semver.compare(ca.version.replace(/-.*/, ''), cb.version.replace(/-.*/, ''));
    if (byCore !== 0) return byCore;
  }
  const pa = a
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const pb = b
    .split(/[^0-9]+/)
    .filter(Boolean)
    .map(Number);
  const extraA = /[a-z]/i.test(a);
  const extraB = /[a-z]/i.test(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return extraA !== extraB ? (extraA ? -1 : 1) : Math.sign(d);
  }
  return extraA === extraB ? 0 : extraA ? -1 : 1;
}

export const higherPin: HunkStrategy = {
  name: 'higher-version-pin',
  apply(hunk: Hunk, ctx: HunkContext): StrategyResult | null {
    if (!isDependencyManifest(ctx.path)) return null;
    const { upstream, fork, base } = hunk;
    if (upstream.length === 0 || upstream.length !== fork.length) return null;
    if (base.length !== 0 && base.length !== upstream.length) return null;
    const out: string[] = [];
    const picked = new Set<string>();
    for (let i = 0; i < upstream.length; i++) {
      // A package's own version (`"version": "1.2.3"`, `version = "1.2.3"`) is not a dependency pin:
      // the release job owns it, and the higher number is not the fork's release.
      if (OWN_VERSION.test(lineBody(upstream[i] as string)) || OWN_VERSION.test(lineBody(fork[i] as string)))
        return null;
      const u = pinned(upstream[i] as string);
      const f = pinned(fork[i] as string);
      if (u.shape !== f.shape || u.versions.length !== 1 || f.versions.length !== 1) return null;
      if (base.length && pinned(base[i] as string).shape !== u.shape) return null;
      const c = compareVersions(u.versions[0] as string, f.versions[0] as string);
      if (c === 0 && upstream[i] !== fork[i]) return null;
      out.push((c >= 0 ? upstream[i] : fork[i]) as string);
      picked.add(`${c >= 0 ? u.versions[0] : f.versions[0]}`);
    }
    return {
      lines: out,
      rationale: `both sides changed the same version pin; kept the higher (${[...picked].join(', ')})`,
    };
  },
};
