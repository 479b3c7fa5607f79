import picomatch from 'picomatch';
import type { MirrorConfig } from '../../config/schema.js';
import { mirrorState, planTags } from '../../core/mirror/mirror-state.js';
import type { GitHubPort, GitPort, Remote } from '../../ports.js';
import type { MirrorInspection, ReportCommit, SyncReport } from './mirror-types.js';
import { fetchSource, sourceRefs } from './shared-source.js';

// Both sides of a mirror in one git cache (the target's), under a namespace of the pipeline:
// the source branch and tags, the target branch and tags. Reads only: a dry run does all of this.

export function mirrorRefs(pipeline: string) {
  const base = `refs/upstream-sync/mirror/${pipeline}`;
  return {
    source: `${base}/source`,
    target: `${base}/target`,
    sourceTags: `${base}/source-tags`,
    targetTags: `${base}/target-tags`,
  };
}

export interface MirrorRemotes {
  source: Remote;
  target: Remote;
  /** The cache both sides are fetched into (the target's, which the pushes start from). */
  cache: string;
  /** The target's web page (the card's View compare). */
  targetHtmlUrl: string;
}

/** How many commits of each side the report lists; counts are always exact. */
const REPORT_COMMITS = 50;

export async function mirrorRemotes(github: GitHubPort, p: MirrorConfig): Promise<MirrorRemotes> {
  const [source, target] = await Promise.all([github.getRepo(p.source.repo), github.getRepo(p.target.repo)]);
  return {
    source: { repo: p.source.repo, cloneUrl: source.cloneUrl },
    target: { repo: p.target.repo, cloneUrl: target.cloneUrl },
    cache: p.target.repo,
    targetHtmlUrl: target.htmlUrl,
  };
}

/** Fetches both sides (pruning tags deleted there) and compares them. */
export async function inspectMirror(
  deps: { git: GitPort; github: GitHubPort },
  p: MirrorConfig,
  remotes: MirrorRemotes,
): Promise<MirrorInspection> {
  const { git } = deps;
  const refs = mirrorRefs(p.id);
  const into = { into: remotes.cache, prune: true };
  // Heads and tags as the API reports them (conditional reads: free when unchanged): a fetch that
  // would bring nothing new is skipped without a request.
  const [targetHead, sourceHead, sourceTags, targetTags] = await Promise.all([
    deps.github.getBranchSha(p.target.repo, p.target.branch),
    deps.github.getBranchSha(p.source.repo, p.source.branch),
    deps.github.listRefs(p.source.repo, 'refs/tags/'),
    p.tags ? deps.github.listRefs(p.target.repo, 'refs/tags/') : Promise.resolve([]),
  ]);
  const targetExists = targetHead !== null;
  const shared = sourceRefs(p.source.branch);
  const known = (refs: Array<{ ref: string; sha: string }>, branch: string, head: string | null) => ({
    ...Object.fromEntries(refs.map((r) => [r.ref, r.sha])),
    ...(head ? { [`refs/heads/${branch}`]: head } : {}),
  });
  await Promise.all([
    fetchSource(git, remotes.source, p.source.branch, Date.now(), known(sourceTags, p.source.branch, sourceHead)),
    git.fetch(
      remotes.target,
      [
        ...(targetExists ? [`+refs/heads/${p.target.branch}:${refs.target}`] : []),
        ...(p.tags ? [`+refs/tags/*:${refs.targetTags}/*`] : []),
      ],
      { ...into, known: known(targetTags, p.target.branch, targetHead) },
    ),
  ]);
  const cache = remotes.cache;
  await git.shareObjects(cache, p.source.repo);
  const sourceSha = await git.resolve(p.source.repo, shared.head);
  if (!sourceSha) throw new Error(`the source branch ${p.source.branch} of ${p.source.repo} did not arrive`);
  // A local pointer in the target's cache: its objects are the source cache's (alternates).
  await git.updateRef(cache, refs.source, sourceSha);
  const targetSha = targetExists ? await git.resolve(cache, refs.target) : null;
  const differ = targetSha !== null && targetSha !== sourceSha;
  const state = mirrorState({
    sourceSha,
    targetSha,
    targetIsAncestorOfSource: differ ? await git.isAncestor(cache, targetSha, sourceSha) : false,
    sourceIsAncestorOfTarget: differ ? await git.isAncestor(cache, sourceSha, targetSha) : false,
  });
  const ahead =
    targetSha === null ? await countAll(git, cache, sourceSha) : await git.countCommits(cache, targetSha, sourceSha);
  const behind = targetSha === null ? 0 : await git.countCommits(cache, sourceSha, targetSha);
  const report = state === 'up-to-date' ? null : await buildReport(git, cache, sourceSha, targetSha);
  let tags: MirrorInspection['tags'] = { push: [], conflicting: [], objects: {} };
  if (p.tags) {
    const [sourceTags, targetTags] = await Promise.all([
      git.listTagDetails(p.source.repo, { prefix: `${shared.tags}/` }),
      git.listTagDetails(cache, { prefix: `${refs.targetTags}/` }),
    ]);
    const plan = planTags(sourceTags, targetTags, picomatch(p.tags));
    const objects = Object.fromEntries(
      sourceTags.filter((t) => plan.push.includes(t.name)).map((t) => [t.name, t.sha]),
    );
    tags = { ...plan, objects };
  }
  return { sourceSha, targetSha, state, ahead, behind, report, tags };
}

async function countAll(git: GitPort, cache: string, sha: string): Promise<number> {
  return (await git.log(cache, null, sha)).length;
}

const commit = (c: { sha: string; subject: string; authorName: string; authorEmail: string }): ReportCommit => ({
  sha: c.sha,
  subject: c.subject,
  author: c.authorEmail ? `${c.authorName} <${c.authorEmail}>` : c.authorName,
});

async function buildReport(
  git: GitPort,
  cache: string,
  sourceSha: string,
  targetSha: string | null,
): Promise<SyncReport> {
  if (targetSha === null) {
    const sourceOnly = (await git.log(cache, null, sourceSha, { limit: REPORT_COMMITS })).map(commit);
    return { sourceOnly, targetOnly: [], files: [], conflicts: [] };
  }
  const [sourceOnly, targetOnly, base] = await Promise.all([
    git.log(cache, targetSha, sourceSha, { limit: REPORT_COMMITS }),
    git.log(cache, sourceSha, targetSha, { limit: REPORT_COMMITS }),
    git.mergeBase(cache, sourceSha, targetSha),
  ]);
  const files = new Set<string>();
  // Unrelated histories have no merge base: every path that differs is on both sides.
  const sides = base ? [[base, sourceSha] as const, [base, targetSha] as const] : [[targetSha, sourceSha] as const];
  for (const [from, to] of sides) for (const path of await git.changedPaths(cache, from, to)) files.add(path);
  // Whether a merge of the source into the target would conflict: only when both sides moved.
  const bothMoved = base !== null && sourceOnly.length > 0 && targetOnly.length > 0;
  const merge = bothMoved ? await git.mergeTree(cache, targetSha, sourceSha) : null;
  return {
    sourceOnly: sourceOnly.map(commit),
    targetOnly: targetOnly.map(commit),
    files: [...files].sort(),
    conflicts: merge ? merge.conflicts.map((c) => c.path).sort() : [],
  };
}
