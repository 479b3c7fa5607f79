import type { Config } from '../config/schema.js';
import type { GitHubPort, PullMerged, ReleasePublished } from '../ports.js';
import { pullCardData } from '../core/release/changelog-card.js';
import { bumpBetween, formatForkVersion } from '../core/release/fork-version.js';
import { tagFormatsOf } from '../core/release/next-version.js';
import { releaseBase } from '../core/release/plan-next-release.js';
import { imageTagsFor, releaseCardData } from '../core/release/release-card.js';
import { parseReleaseTag } from '../core/release/tag-format.js';
import { readVersion } from '../core/sync/version-file.js';
import { fetchFork, numberingOf, releaseTagsReachable, type ReleasePlanDeps } from './release-plan.js';

// Changelog cards for what happens on GitHub without the bot: a PR merged into production, a
// release someone published by hand. The webhook receiver calls these and hands the result to
// the SyncNotifier; null means "no card" (not production, changelog off, not a release tag).
// The release job announces its own releases: skip `release` events sent by the bot's login.

/** Card data for PR `number` of `repo` when it was merged into a pipeline's production branch. */
export async function pullMergedEvent(deps: { config: Config; github: GitHubPort }, repo: string, number: number): Promise<PullMerged | null> {
  const pr = await deps.github.getPull(repo, number);
  const pipeline = deps.config.pipelines.find((p) => p.fork.repo === repo && p.fork.productionBranch === pr.baseRef && p.slack?.changelog);
  if (!pipeline || !pr.merged) return null;
  const files = await deps.github.listPullFiles(repo, number);
  const text = await deps.github.getFileText(repo, pipeline.version.file, pr.mergeCommitSha ?? pipeline.fork.productionBranch);
  const version = text === null ? null : readVersion(text, pipeline.version);
  const card = pullCardData({
    pull: pr,
    files: files.map((f) => f.path),
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    upstream: version?.ok ? version.version : null,
    syncLabel: pipeline.pr.labels[0] ?? null,
  });
  return { pipeline: pipeline.id, card };
}

/** Card data for a published release of a pipeline's fork (previous release by ancestry, as for the bot's own). */
export async function releasePublishedEvent(deps: ReleasePlanDeps, repo: string, tag: string): Promise<ReleasePublished | null> {
  const pipeline = deps.config.pipelines.find((p) => p.fork.repo === repo && p.release);
  if (!pipeline?.release) return null;
  const numbering = numberingOf({ release: pipeline.release });
  const parsed = parseReleaseTag(tag, tagFormatsOf(numbering));
  const release = parsed ? await deps.github.getReleaseByTag(repo, tag) : null;
  if (!parsed || !release || release.draft) return null;
  await fetchFork(deps, pipeline);
  const sha = await deps.git.resolve(repo, `refs/tags/${tag}`);
  if (!sha) return null;
  const { previous } = releaseBase({ numbering, reachableTags: await releaseTagsReachable(deps.git, repo, sha, tagFormatsOf(numbering)) });
  const upstream = parsed.upstream;
  const image = pipeline.release.imageWorkflow;
  const card = releaseCardData({
    tag,
    url: release.htmlUrl,
    notes: release.body ?? '',
    previousTag: previous?.name ?? null,
    version: formatForkVersion(parsed.version),
    upstream,
    previousUpstream: previous?.upstream ?? null,
    bump: previous ? bumpBetween(previous.version, parsed.version) : 'patch',
    commitCount: previous?.sha ? await deps.git.countCommits(repo, previous.sha, sha) : (await deps.git.log(repo, null, sha)).length,
    author: null,
    image: image?.image ? { name: image.image, tags: imageTagsFor(image.tags, { tag, upstream: upstream ?? '' }).tags } : null,
  });
  return { pipeline: pipeline.id, card };
}
