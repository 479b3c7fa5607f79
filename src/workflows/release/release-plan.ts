import type { Logger } from 'pino';
import type { Config, ReleaseSyncConfig } from '../../config/schema.js';
import { AppError } from '../../errors.js';
import type { GitHubPort, GitPort, Remote } from '../../ports.js';
import type { Bump, RequestedBump } from '../../core/release/fork-version.js';
import { formatForkVersion } from '../../core/release/fork-version.js';
import { tagFormatsOf, type NextReason, type ReleaseNumbering } from '../../core/release/next-version.js';
import { planNextRelease, releaseBase } from '../../core/release/plan-next-release.js';
import { parseReleaseTag, type TagFormats } from '../../core/release/tag-format.js';
import type { TagCandidate } from '../../core/release/previous-release.js';
import type { ReleaseChanges, ReleasePull } from '../../core/release/release-changes.js';
import { renderReleaseNotes, type UpstreamMove } from '../../core/release/release-notes.js';
import { imageTagsFor } from '../../core/release/release-card.js';
import { readVersion } from '../../core/sync/version-file.js';
import { selectReleases } from '../../core/sync/release-selection.js';
import { pipelinesOfKind } from '../../config/require-pipeline.js';

// Everything a release needs to know, gathered through the ports and handed to the pure core:
// the Slack modal's preview, the CLI's dry run and the release job all call planRelease. It
// fetches into the local git cache (commits come from git, so there is no 250-commit API limit)
// and reads GitHub, but changes nothing anywhere else.

export interface ReleasePlanDeps {
  config: Config;
  git: GitPort;
  github: GitHubPort;
  log: Logger;
  now?: () => Date;
}

export interface PlanReleaseInput {
  pipeline: string;
  bump: RequestedBump;
  /** Commit to release (a sha, full or abbreviated, reachable from the production branch); default its head. */
  commit?: string;
}

/** JSON-serializable: it is stored as a job step and shown in Slack and by `release --json`. */
export interface ReleasePlan {
  pipeline: string;
  repo: string;
  branch: string;
  sha: string;
  tag: string;
  /** The fork triple, e.g. 1.19.0. */
  version: string;
  upstream: string;
  previousUpstream: string | null;
  /** `resume`: the tag is already on the commit without a GitHub release; the release finishes it. */
  reason: NextReason | 'resume';
  requestedBump: RequestedBump;
  bump: Bump;
  previous: { tag: string; sha: string | null; distance: number } | null;
  /** Commits since the previous release on production, upstream ones included. */
  commitCount: number;
  /** Of those, the fork's own. */
  forkCommitCount: number;
  counts: { breaking: number; features: number; fixes: number; other: number; syncPulls: number; omitted: number };
  notes: string;
  image: { name: string | null; tags: string[]; workflow: string; ref: string; input: string } | null;
  /** Things a person should see before confirming (an open sync PR, unreadable upstream history). */
  warnings: string[];
}

export type PlanReleaseResult =
  { kind: 'ready'; plan: ReleasePlan } | { kind: 'released'; pipeline: string; tag: string; sha: string };

export function pipelineFor(
  config: Config,
  id: string | undefined,
): ReleaseSyncConfig & { release: NonNullable<ReleaseSyncConfig['release']> } {
  const candidates = pipelinesOfKind(config, 'release-sync');
  const pipeline = id === undefined && candidates.length === 1 ? candidates[0] : candidates.find((p) => p.id === id);
  if (!pipeline)
    throw new AppError(
      'usage',
      id === undefined ? 'several pipelines: say which with --pipeline' : `no pipeline "${id}"`,
    );
  if (!pipeline.release) throw new AppError('config_invalid', `pipeline "${pipeline.id}" has no release settings`);
  return pipeline as ReleaseSyncConfig & { release: NonNullable<ReleaseSyncConfig['release']> };
}

export function numberingOf(pipeline: { release: NonNullable<ReleaseSyncConfig['release']> }): ReleaseNumbering {
  const r = pipeline.release;
  return {
    tagFormat: r.tagFormat,
    legacyTagFormats: r.legacyTagFormats,
    resetOnUpstreamChange: r.resetOnUpstreamChange,
    firstVersion: r.firstVersion,
  };
}

/** Fetches production and tags into the cache; returns the remote for later pushes. */
export async function fetchFork(
  deps: Pick<ReleasePlanDeps, 'git' | 'github'>,
  pipeline: ReleaseSyncConfig,
): Promise<{ remote: Remote; htmlUrl: string }> {
  const info = await deps.github.getRepo(pipeline.fork.repo);
  const remote = { repo: pipeline.fork.repo, cloneUrl: info.cloneUrl };
  const branches = [
    pipeline.fork.productionBranch,
    ...(pipeline.fork.mirrorBranch ? [pipeline.fork.mirrorBranch] : []),
  ];
  await deps.git.fetch(remote, [
    ...branches.map((b) => `+refs/heads/${b}:refs/heads/${b}`),
    '+refs/tags/*:refs/tags/*',
  ]);
  return { remote, htmlUrl: info.htmlUrl };
}

/** Release tags (current or legacy format) reachable from `sha`, with their distance to it. */
export async function releaseTagsReachable(
  git: GitPort,
  repo: string,
  sha: string,
  formats: TagFormats,
): Promise<TagCandidate[]> {
  const reachable = (await git.listTagDetails(repo, { mergedInto: sha })).filter((t) =>
    parseReleaseTag(t.name, formats),
  );
  return Promise.all(
    reachable.map(async (t) => ({
      name: t.name,
      sha: t.commit,
      distance: await git.countCommits(repo, t.commit, sha),
    })),
  );
}

function countKinds(changes: ReleaseChanges): ReleasePlan['counts'] {
  const n = (kind: string) => changes.entries.filter((e) => e.kind === kind).length;
  return {
    breaking: n('breaking'),
    features: n('feature'),
    fixes: n('fix'),
    other: n('other'),
    syncPulls: changes.syncPulls.length,
    omitted: changes.omitted,
  };
}

export async function planRelease(deps: ReleasePlanDeps, input: PlanReleaseInput): Promise<PlanReleaseResult> {
  const pipeline = pipelineFor(deps.config, input.pipeline);
  const { git } = deps;
  const repo = pipeline.fork.repo;
  const branch = pipeline.fork.productionBranch;
  const { htmlUrl } = await fetchFork(deps, pipeline);

  const head = await git.resolve(repo, `refs/heads/${branch}`);
  if (!head) throw new AppError('not_found', `${repo} has no branch ${branch}`);
  const sha =
    input.commit === undefined ? head : await commitOnProduction(git, repo, { commit: input.commit, head, branch });

  const versionText = await git.readFile(repo, sha, pipeline.version.file);
  if (!versionText) throw new AppError('not_found', `${pipeline.version.file} is missing on ${branch}`);
  const read = readVersion(versionText.toString('utf8'), pipeline.version);
  if (!read.ok) throw new AppError('validation', `cannot read the upstream version: ${read.problem}`);

  const numbering = numberingOf(pipeline);
  const formats = tagFormatsOf(numbering);
  const allTags = await git.listTagDetails(repo);
  const reachableTags = await releaseTagsReachable(git, repo, sha, formats);
  const { previous, headTag } = releaseBase({ numbering, reachableTags });
  const publishedHeadTags = headTag && (await deps.github.getReleaseByTag(repo, headTag.name)) ? [headTag.name] : [];
  if (headTag && publishedHeadTags.length > 0)
    return { kind: 'released', pipeline: pipeline.id, tag: headTag.name, sha };

  const warnings: string[] = [];
  const upstreamFacts = await upstreamHistory(deps, pipeline, read.version, previous?.upstream ?? null, warnings);
  const all = await git.log(repo, previous?.sha ?? null, sha);
  // The fork's own commits are those no upstream ref reaches; asking git for `ref..head` keeps
  // upstream's long history out of memory even for a first release.
  let commits = all;
  for (const ref of upstreamFacts.refs) {
    const forkOnly = new Set((await git.log(repo, ref, sha)).map((c) => c.sha));
    commits = commits.filter((c) => forkOnly.has(c.sha));
  }
  const pulls = await mergedPulls(deps, pipeline, new Set(all.map((c) => c.sha)), warnings);

  const plan = planNextRelease({
    numbering,
    upstream: read.version,
    reachableTags,
    existingTags: allTags.map((t) => t.name),
    publishedHeadTags,
    commits,
    pulls,
    rules: {
      syncLabel: pipeline.pr.labels[0] ?? null,
      syncBranchPrefix: pipeline.syncBranch.slice(0, pipeline.syncBranch.indexOf('{')) || null,
      botAuthors: [deps.config.git.author.email, deps.config.git.author.name],
    },
    requested: input.bump,
  });
  if (plan.kind === 'invalid') throw new AppError('validation', plan.problem);
  if (plan.kind === 'released') return { kind: 'released', pipeline: pipeline.id, tag: plan.previous.name, sha };

  const { next, changes } = plan;
  const move: UpstreamMove | null = next.upstreamChanged
    ? {
        repoUrl: upstreamFacts.htmlUrl,
        version: next.upstream,
        tag: upstreamFacts.tagOf(next.upstream),
        previousVersion: previous?.upstream ?? null,
        previousTag: upstreamFacts.tagOf(previous?.upstream ?? null),
      }
    : null;
  const notes = renderReleaseNotes(changes, {
    tag: next.tag,
    previousTag: previous?.name ?? null,
    forkUrl: htmlUrl,
    upstream: next.upstream,
    upstreamMove: move,
  });
  const imageWorkflow = pipeline.release.imageWorkflow;
  let image: ReleasePlan['image'] = null;
  if (imageWorkflow) {
    const rendered = imageTagsFor(imageWorkflow.tags, { tag: next.tag, upstream: next.upstream });
    for (const bad of rendered.invalid) warnings.push(`image tag "${bad}" is not a valid Docker tag and is not listed`);
    image = {
      name: imageWorkflow.image ?? null,
      tags: rendered.tags,
      workflow: imageWorkflow.workflow,
      ref: imageWorkflow.ref ?? branch,
      input: imageWorkflow.input,
    };
  }
  return {
    kind: 'ready',
    plan: {
      pipeline: pipeline.id,
      repo,
      branch,
      sha,
      tag: next.tag,
      version: formatForkVersion(next.version),
      upstream: next.upstream,
      previousUpstream: previous?.upstream ?? null,
      reason: next.reason,
      requestedBump: input.bump,
      bump: plan.bump,
      previous: previous ? { tag: previous.name, sha: previous.sha, distance: previous.distance } : null,
      commitCount: all.length,
      forkCommitCount: commits.length,
      counts: countKinds(changes),
      notes,
      image,
      warnings,
    },
  };
}

/**
 * The full sha of `commit` when production reaches it. Only hex reaches git; a commit the cache
 * does not have after fetching production cannot be on production. Asking for another one is the
 * caller's mistake (`usage`), whether it is unknown, ambiguous or on another branch.
 */
async function commitOnProduction(
  git: GitPort,
  repo: string,
  input: { commit: string; head: string; branch: string },
): Promise<string> {
  const wanted = input.commit.trim().toLowerCase();
  const sha = /^[0-9a-f]{7,40}$/.test(wanted) ? await git.resolve(repo, wanted) : null;
  if (sha && (sha === input.head || (await git.isAncestor(repo, sha, input.head)))) return sha;
  throw new AppError(
    'usage',
    `${JSON.stringify(input.commit.slice(0, 80))} is not a commit on ${input.branch}: releases are cut from production only`,
  );
}

interface UpstreamFacts {
  htmlUrl: string;
  /** Refs in the fork's cache whose history is upstream's (mirror branch, upstream release tag). */
  refs: string[];
  tagOf(version: string | null): string | null;
}

/** Upstream's release tags (for links) and a ref holding upstream history (to tell its commits apart). */
async function upstreamHistory(
  deps: ReleasePlanDeps,
  pipeline: ReleaseSyncConfig,
  version: string,
  previousVersion: string | null,
  warnings: string[],
): Promise<UpstreamFacts> {
  const info = await deps.github.getRepo(pipeline.upstream.repo);
  const selection = selectReleases(await deps.github.listReleases(pipeline.upstream.repo), {
    tagPattern: pipeline.upstream.tagPattern,
    minReleaseAgeHours: 0,
    now: (deps.now ?? (() => new Date()))(),
  });
  const tags = new Map<string, string>();
  for (const r of [...selection.stable, ...selection.waiting]) tags.set(r.version, r.tag);
  const tagOf = (v: string | null) => (v === null ? null : (tags.get(v) ?? tags.get(v.replace(/^v/, '')) ?? null));
  const refs: string[] = [];
  if (pipeline.fork.mirrorBranch) refs.push(`refs/heads/${pipeline.fork.mirrorBranch}`);
  const tag = tagOf(version);
  if (tag) {
    const ref = `refs/upstream/tags/${tag}`;
    // The sync put it there already, unless this cache is new.
    if (!(await deps.git.resolve(pipeline.fork.repo, ref)))
      await deps.git.fetch({ repo: pipeline.upstream.repo, cloneUrl: info.cloneUrl }, [`+refs/tags/${tag}:${ref}`], {
        into: pipeline.fork.repo,
      });
    refs.push(ref);
  }
  if (refs.length === 0)
    warnings.push(`no upstream release matches ${version}: upstream commits could not be told apart from the fork's`);
  if (previousVersion !== null && previousVersion !== version && !tagOf(previousVersion))
    warnings.push(`no upstream release matches ${previousVersion}: the notes have no compare link`);
  return { htmlUrl: info.htmlUrl, refs, tagOf };
}

/** PRs merged into production since the previous release, with the commits each brought (from git). */
async function mergedPulls(
  deps: ReleasePlanDeps,
  pipeline: ReleaseSyncConfig,
  since: Set<string>,
  warnings: string[],
): Promise<ReleasePull[]> {
  const repo = pipeline.fork.repo;
  const closed = await deps.github.listPulls(repo, { state: 'closed', base: pipeline.fork.productionBranch });
  const pulls: ReleasePull[] = [];
  for (const p of closed) {
    if (!p.merged || !p.mergeCommitSha || !since.has(p.mergeCommitSha)) continue;
    const merge = (await deps.git.log(repo, null, p.mergeCommitSha, { limit: 1 }))[0];
    const commitShas =
      merge && merge.parents.length === 2
        ? (await deps.git.log(repo, merge.parents[0]!, merge.parents[1]!)).map((c) => c.sha)
        : [];
    pulls.push({
      number: p.number,
      title: p.title,
      htmlUrl: p.htmlUrl,
      labels: p.labels,
      user: p.user,
      headRef: p.headRef,
      mergeCommitSha: p.mergeCommitSha,
      commitShas,
    });
  }
  const open = await deps.github.listPulls(repo, { state: 'open', base: pipeline.fork.productionBranch });
  const syncLabel = pipeline.pr.labels[0];
  for (const p of open)
    if (syncLabel && p.labels.includes(syncLabel))
      warnings.push(`sync PR #${p.number} (${p.title}) is still open: merge it first to include that upstream release`);
  return pulls;
}
