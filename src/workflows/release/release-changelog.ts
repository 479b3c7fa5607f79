import { z } from 'zod';
import type { Config } from '../../config/schema.js';
import type { Actor, GitHubPort, PullMerged, ReleasePublished, SyncNotifier } from '../../ports.js';
import { pullCardData } from '../../core/release/changelog-card.js';
import { bumpBetween, formatForkVersion } from '../../core/release/fork-version.js';
import { tagFormatsOf } from '../../core/release/next-version.js';
import { releaseBase } from '../../core/release/plan-next-release.js';
import { imageTagsFor, releaseCardData } from '../../core/release/release-card.js';
import { parseReleaseTag } from '../../core/release/tag-format.js';
import { readVersion } from '../../core/sync/version-file.js';
import { fetchFork, numberingOf, releaseTagsReachable, type ReleasePlanDeps } from './release-plan.js';
import type { EnqueueInput, JobDefinition, JobQueue } from '../../ports/jobs.js';
import { pipelinesOfKind } from '../../config/require-pipeline.js';
import { changelogJobInput, KIND, type ChangelogJobData } from '../../jobs/job-kinds.js';

// Changelog cards for what happens on GitHub without the bot: a PR merged into production, a
// release someone published by hand. The webhook receiver calls these and hands the result to
// the SyncNotifier; null means "no card" (not production, changelog off, not a release tag).
// The release job announces its own releases: skip `release` events sent by the bot's login.

/** Card data for PR `number` of `repo` when it was merged into a pipeline's production branch. */
export async function pullMergedEvent(
  deps: { config: Config; github: GitHubPort },
  repo: string,
  number: number,
): Promise<PullMerged | null> {
  const pr = await deps.github.getPull(repo, number);
  const pipeline = pipelinesOfKind(deps.config, 'release-sync').find(
    (p) => p.fork.repo === repo && p.fork.productionBranch === pr.baseRef && p.slack?.changelog,
  );
  if (!pipeline || !pr.merged) return null;
  const files = await deps.github.listPullFiles(repo, number);
  const text = await deps.github.getFileText(
    repo,
    pipeline.version.file,
    pr.mergeCommitSha ?? pipeline.fork.productionBranch,
  );
  const version = text === null ? null : readVersion(text, pipeline.version);
  const card = pullCardData({
    pull: pr,
    files: files.map((f) => f.path),
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    upstream: version?.ok ? version.version : null,
    syncLabel: pipeline.pr.labels[0] ?? null,
    ...(pipeline.slack?.changelogImpact ? { impactRules: pipeline.slack.changelogImpact } : {}),
  });
  return { pipeline: pipeline.id, card };
}

/** Card data for a published release of a pipeline's fork (previous release by ancestry, as for the bot's own). */
export async function releasePublishedEvent(
  deps: ReleasePlanDeps,
  repo: string,
  tag: string,
): Promise<ReleasePublished | null> {
  const pipeline = pipelinesOfKind(deps.config, 'release-sync').find((p) => p.fork.repo === repo && p.release);
  if (!pipeline?.release) return null;
  const numbering = numberingOf({ release: pipeline.release });
  const parsed = parseReleaseTag(tag, tagFormatsOf(numbering));
  const release = parsed ? await deps.github.getReleaseByTag(repo, tag) : null;
  if (!parsed || !release || release.draft) return null;
  await fetchFork(deps, pipeline);
  const sha = await deps.git.resolve(repo, `refs/tags/${tag}`);
  if (!sha) return null;
  const { previous } = releaseBase({
    numbering,
    reachableTags: await releaseTagsReachable(deps.git, repo, sha, tagFormatsOf(numbering)),
  });
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
    commitCount: previous?.sha
      ? await deps.git.countCommits(repo, previous.sha, sha)
      : (await deps.git.log(repo, null, sha)).length,
    author: null,
    image: image?.image
      ? { name: image.image, tags: imageTagsFor(image.tags, { tag, upstream: upstream ?? '' }).tags }
      : null,
  });
  return { pipeline: pipeline.id, card };
}

// ---- the changelog job: webhook handlers only enqueue it (they must answer GitHub quickly) ----

// Only the fields used, checked once here (as in src/web/sync-webhooks.ts): a delivery of another
// shape gets no card.
const repository = z.object({ full_name: z.string().min(1) });
const mergedPull = z.object({
  repository,
  pull_request: z.object({
    merged: z.boolean().nullish(),
    number: z.number().int().positive(),
    base: z.object({ ref: z.string() }),
  }),
});
const publishedRelease = z.object({
  repository,
  release: z.object({ tag_name: z.string().min(1), draft: z.boolean().nullish() }),
});

/** What a `pull_request.closed` or `release.published` delivery asks for, or null (no card). */
export function changelogJobFor(
  config: Config,
  event: string,
  payload: unknown,
): EnqueueInput<ChangelogJobData> | null {
  const bot: Actor = { kind: 'webhook', id: 'github', via: event };
  if (event === 'pull_request.closed') {
    const parsed = mergedPull.safeParse(payload);
    if (!parsed.success || !parsed.data.pull_request.merged) return null;
    const { repository: r, pull_request: pr } = parsed.data;
    const repo = r.full_name;
    const pipeline = pipelinesOfKind(config, 'release-sync').find(
      (x) => x.fork.repo === repo && x.fork.productionBranch === pr.base.ref && x.slack?.changelog,
    );
    if (!pipeline) return null;
    return changelogJobInput(pipeline.id, { kind: 'pull', repo, number: pr.number }, bot);
  }
  if (event === 'release.published') {
    const parsed = publishedRelease.safeParse(payload);
    if (!parsed.success || parsed.data.release.draft) return null;
    const repo = parsed.data.repository.full_name;
    const pipeline = pipelinesOfKind(config, 'release-sync').find((x) => x.fork.repo === repo && x.release && x.slack);
    if (!pipeline) return null;
    // The release job announces its own releases too; the Slack outbox keeps one card per tag.
    return changelogJobInput(pipeline.id, { kind: 'release', repo, tag: parsed.data.release.tag_name }, bot);
  }
  return null;
}

/** Wires the two deliveries to the queue; `receiver` is the GitHub webhook receiver of src/web. */
export function registerChangelogWebhooks(
  receiver: {
    on(
      event: 'pull_request.closed' | 'release.published',
      handler: (event: { payload: unknown }) => Promise<void>,
    ): void;
  },
  queue: JobQueue,
  config: Config,
): void {
  for (const name of ['pull_request.closed', 'release.published'] as const) {
    receiver.on(name, async (event) => {
      const input = changelogJobFor(config, name, event.payload);
      if (input) await queue.enqueue(input);
    });
  }
}

export function changelogJob(
  deps: ReleasePlanDeps & { notifier: SyncNotifier },
): JobDefinition<ChangelogJobData, { posted: boolean }> {
  return {
    kind: KIND.changelog,
    maxAttempts: 3,
    handler: async (ctx) => {
      const data = ctx.job.data;
      if (data.kind === 'pull') {
        const event = await ctx.step('card', () => pullMergedEvent(deps, data.repo, data.number));
        if (event) await ctx.step('notify', () => deps.notifier.pullMerged(event).then(() => true));
        return { posted: event !== null };
      }
      const event = await ctx.step('card', () => releasePublishedEvent(deps, data.repo, data.tag));
      if (event) await ctx.step('notify', () => deps.notifier.releasePublished(event).then(() => true));
      return { posted: event !== null };
    },
  };
}
