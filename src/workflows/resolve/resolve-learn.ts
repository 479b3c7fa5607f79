import type { ReleaseSyncConfig } from '../../config/schema.js';
import type { GitHubPort, GitPort, ResolutionMemory, ResolverLog } from '../../ports.js';
import { cacheRefs } from '../../pipelines/release-sync/sync-types.js';
import { hunkKey, shapeOf } from '../../core/resolve/hunk-key.js';
import { landedResolutions } from '../../core/resolve/learn.js';
import { hunksOf, merge3 } from '../../core/resolve/merge3.js';

// Learning from what lands: when a sync PR is merged into production, each hunk the resolver met
// is read back from the merged file and remembered, whoever decided it (a rule, a strategy, the
// LLM, a person in Slack or someone pushing to the branch). The next sync that meets the same
// conflict replays it. Call learnFromMergedPull from whatever merges sync PRs.

export interface LearnDeps {
  git: GitPort;
  resolver: ResolutionMemory & ResolverLog;
}

export interface LearnResult {
  files: number;
  hunks: number;
  /** Files whose merged text no longer lines up with the hunks (edited around them): nothing learned. */
  skipped: string[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function text(blob: Buffer | null): string | null {
  if (blob === null) return null;
  try {
    return utf8.decode(blob);
  } catch {
    return null;
  }
}

/**
 * `mergeSha` is the merge commit on production (its content is what landed). Safe to call more
 * than once: remembering is an upsert. The fork's cache must already hold `mergeSha`.
 */
export async function learnFromMergedPull(
  deps: LearnDeps,
  input: { repo: string; pr: number; mergeSha: string },
): Promise<LearnResult> {
  const run = deps.resolver.lastRun(input.repo, input.pr);
  const result: LearnResult = { files: 0, hunks: 0, skipped: [] };
  if (!run) return result;
  const entries: Array<{ key: string; shape: ReturnType<typeof shapeOf>; text: string; source: string }> = [];
  // Who decided each hunk, so a replay can name the person whose choice it repeats.
  const people = deps.resolver
    .decisions(input.repo, input.pr, run.headSha)
    .filter((r) => r.layer === 'person' && r.by !== null);
  for (const path of run.paths) {
    const [base, upstream, fork, landed] = await Promise.all([
      run.mergeBase ? deps.git.readFile(input.repo, run.mergeBase, path).then(text) : Promise.resolve(''),
      deps.git.readFile(input.repo, run.headSha, path).then(text),
      deps.git.readFile(input.repo, run.productionSha, path).then(text),
      deps.git.readFile(input.repo, input.mergeSha, path).then(text),
    ]);
    if (upstream === null || fork === null || landed === null) continue;
    const segments = merge3(base ?? '', upstream, fork);
    const resolved = landedResolutions(segments, landed);
    if (!resolved) {
      result.skipped.push(path);
      continue;
    }
    hunksOf(segments).forEach((h, i) => {
      const t = resolved[i] as string;
      const key = hunkKey(h);
      const person = people.find((r) => r.path === path && r.hunkKey === key)?.by;
      const source = `${input.repo}#${input.pr} ${path}${person ? `, decided by ${person}` : ''}`;
      entries.push({ key, shape: shapeOf(h, t), text: t, source });
    });
    result.files++;
  }
  result.hunks = deps.resolver.remember(input.repo, entries);
  return result;
}

/**
 * For whatever merges sync PRs (the merge job, a merged-PR webhook): fetches production into the
 * fork's cache, then learns. Cheap when the PR never went through the resolver (nothing to learn).
 */
export async function learnAfterMerge(
  deps: LearnDeps & { github: GitHubPort },
  p: ReleaseSyncConfig,
  input: { pr: number; mergeSha: string },
): Promise<LearnResult> {
  if (!deps.resolver.lastRun(p.fork.repo, input.pr)) return { files: 0, hunks: 0, skipped: [] };
  const info = await deps.github.getRepo(p.fork.repo);
  await deps.git.fetch({ repo: p.fork.repo, cloneUrl: info.cloneUrl }, [
    `+refs/heads/${p.fork.productionBranch}:${cacheRefs.forkBranch(p.fork.productionBranch)}`,
  ]);
  return learnFromMergedPull(deps, { repo: p.fork.repo, pr: input.pr, mergeSha: input.mergeSha });
}
