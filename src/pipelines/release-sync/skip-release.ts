import type { ReleaseSyncConfig } from '../../config/schema.js';
import { refNameProblem } from '../../core/refs.js';
import { recognizeSyncPulls } from '../../core/sync/sync-pulls.js';
import type { GitHubPort } from '../../ports.js';

// What Slack's `skip` and the CLI's `skip` share before the skip job runs: the tag must be one the
// pipeline could ever sync (a safe ref matching tagPattern, naming an upstream release), and the
// open sync PR to close is looked up on GitHub, not taken from whoever asked.

export type SkipTagRefusal = { reason: 'unsafe-tag' | 'not-matching' | 'no-release'; message: string };

export type SkipTagCheck = { ok: true } | { ok: false; refused: SkipTagRefusal };

/** Syntax only: no I/O, used for `unskip` too (a tag that could never be skipped was never skipped). */
export function checkTagShape(p: ReleaseSyncConfig, tag: string): SkipTagCheck {
  const problem = refNameProblem(tag);
  if (problem)
    return {
      ok: false,
      refused: {
        reason: 'unsafe-tag',
        message: `${JSON.stringify(tag.slice(0, 80))} is not a tag name: it ${problem}`,
      },
    };
  if (!new RegExp(p.upstream.tagPattern).test(tag))
    return {
      ok: false,
      refused: {
        reason: 'not-matching',
        message: `${tag} does not match upstream.tagPattern ${p.upstream.tagPattern} of ${p.id}`,
      },
    };
  return { ok: true };
}

/** The shape, then that upstream has a release with that tag. */
export async function checkSkippable(github: GitHubPort, p: ReleaseSyncConfig, tag: string): Promise<SkipTagCheck> {
  const shape = checkTagShape(p, tag);
  if (!shape.ok) return shape;
  const release = await github.getReleaseByTag(p.upstream.repo, tag);
  if (!release)
    return {
      ok: false,
      refused: { reason: 'no-release', message: `${p.upstream.repo} has no release ${tag}` },
    };
  return { ok: true };
}

/** The open sync PR for `tag` on the fork, or null. */
export async function openSyncPullFor(
  github: GitHubPort,
  p: ReleaseSyncConfig,
  tag: string,
): Promise<{ number: number; url: string } | null> {
  const pulls = await github.listPulls(p.fork.repo, { state: 'open', base: p.fork.productionBranch });
  const found = recognizeSyncPulls(pulls, {
    syncBranch: p.syncBranch,
    productionBranch: p.fork.productionBranch,
    forkRepo: p.fork.repo,
  }).find((pr) => pr.tag === tag && pr.state === 'open');
  return found ? { number: found.number, url: found.htmlUrl } : null;
}
