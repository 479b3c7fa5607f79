import type { SubscriberConfig } from '../../config/kinds/dispatch.js';
import { featureSlug, mappedPath, type Delivery } from '../../core/dispatch/subscriptions.js';
import type { DeliveryRecord } from '../../ports/dispatch-records.js';
import type { GitHubPort, GitPort, Remote, Signature } from '../../ports.js';
import { errorMessage, isTransient } from '../../errors.js';
import { dispatchKey, findDispatchRun } from './dispatch-intent.js';

// One delivery to one subscriber: a repository_dispatch, or a PR that makes the subscriber's
// mapped directory equal to the source's at the processed commit. The PR branch only grows
// (fast-forward pushes); a branch whose directory already matches gets no commit and no PR.

export interface DeliverDeps {
  github: GitHubPort;
  git: GitPort;
  author: Signature;
  dryRun: boolean;
  /** Memoizes a named effect within the job (a resumed job does not repeat it). */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  now?: () => Date;
  /** Told when an earlier send could not be looked for (no actions:read on the subscriber). */
  warn?: (message: string, fields: Record<string, unknown>) => void;
}

export interface SourceRange {
  repo: string;
  branch: string;
  remote: Remote;
  from: string | null;
  to: string;
  htmlUrl: string;
}

type Outcome = Pick<DeliveryRecord, 'result' | 'pr'>;

export async function deliverDispatch(
  deps: DeliverDeps,
  source: SourceRange,
  sub: SubscriberConfig,
  d: Delivery,
): Promise<Outcome> {
  if (deps.dryRun) return { result: 'dispatched', pr: null };
  const key = dispatchKey({ sourceRepo: source.repo, sha: source.to, subscriber: sub.repo, feature: d.feature });
  // The intent is recorded before the send: an attempt that finds it recorded may have sent it.
  let fresh = false;
  const intent = await deps.step(`dispatch-intent ${source.to} ${sub.repo} ${d.feature}`, async () => {
    fresh = true;
    return { key, at: (deps.now ?? (() => new Date()))().toISOString() };
  });
  if (!fresh) {
    try {
      if (await findDispatchRun(deps.github, sub.repo, intent.key, intent.at))
        return { result: 'dispatched', pr: null };
    } catch (err) {
      if (isTransient(err)) throw err;
      // Cannot list the subscriber's runs: send again with the same key, which it can dedupe on.
      deps.warn?.('cannot look for an earlier dispatch; sending again with the same idempotency key', {
        subscriber: sub.repo,
        error: errorMessage(err),
      });
    }
  }
  await deps.github.dispatchRepository(sub.repo, sub.eventType, {
    updated_feature: d.feature,
    commit_sha: source.to,
    source_repo: source.repo,
    changed_paths: d.changedPaths,
    idempotency_key: intent.key,
  });
  return { result: 'dispatched', pr: null };
}

export function dispatchBranch(feature: string): string {
  return `upstream-dispatch/${featureSlug(feature)}`;
}

function prBody(source: SourceRange, d: Delivery, from: string, to: string): string {
  const compare = source.from ? `${source.htmlUrl}/compare/${source.from}...${source.to}` : null;
  return [
    `Updates \`${to}\` from \`${from}\` in [${source.repo}](${source.htmlUrl}) at ${source.to}.`,
    '',
    `Changed under \`${d.feature}\` (${d.changedPaths.length}):`,
    ...d.changedPaths.slice(0, 50).map((p) => `- \`${p}\``),
    ...(d.changedPaths.length > 50 ? [`- …and ${d.changedPaths.length - 50} more`] : []),
    ...(compare ? ['', `Compare: ${compare}`] : []),
    '',
    '_Opened by upstream-sync (dispatch). New source commits update this PR in place._',
  ].join('\n');
}

export async function deliverPullRequest(
  deps: DeliverDeps,
  source: SourceRange,
  sub: SubscriberConfig,
  d: Delivery,
): Promise<Outcome> {
  const { github, git } = deps;
  const info = await github.getRepo(sub.repo);
  const remote: Remote = { repo: info.fullName, cloneUrl: info.cloneUrl };
  const base = sub.base ?? info.defaultBranch;
  const branch = dispatchBranch(d.feature);
  const { from, to } = mappedPath(sub, d.feature);
  const title = `Update from upstream: ${d.feature}`;

  const prepared = await deps.step(`pr-commit ${sub.repo} ${d.feature}`, async () => {
    const baseSha = await github.getBranchSha(sub.repo, base);
    if (!baseSha) throw new Error(`the base branch ${base} does not exist in ${sub.repo}`);
    const branchSha = await github.getBranchSha(sub.repo, branch);
    await git.fetch(remote, [
      `+refs/heads/${base}:refs/upstream-sync/dispatch/base`,
      ...(branchSha ? [`+refs/heads/${branch}:refs/upstream-sync/dispatch/branch`] : []),
    ]);
    // The source commit's objects, into the subscriber's cache: the tree is built there.
    await git.fetch(source.remote, [`+refs/heads/${source.branch}:refs/upstream-sync/dispatch/source`], {
      into: sub.repo,
    });
    const open = (await github.listPulls(sub.repo, { state: 'open', base })).find((p) => p.headRef === branch);
    // An open PR is built on (people may have pushed to it); otherwise start again from base.
    const onBranch = Boolean(open && branchSha);
    const treeBase = onBranch ? (branchSha as string) : baseSha;
    const tree = await git.writeTree(sub.repo, treeBase, [{ path: to, fromRev: source.to, fromPath: from }]);
    const unchangedAgainst = await git.writeTree(sub.repo, treeBase, []);
    if (tree === unchangedAgainst) return { commit: null, branchSha, open: open?.number ?? null };
    let parents = [treeBase];
    if (!onBranch && branchSha && !(await git.isAncestor(sub.repo, branchSha, baseSha))) parents = [branchSha, baseSha];
    else if (!onBranch && branchSha) parents = [baseSha];
    const commit = deps.dryRun
      ? 'dry-run'
      : await git.commitTree(sub.repo, {
          tree,
          parents,
          message: `${title}\n\nSource: ${source.repo}@${source.to}\nPaths: ${from} -> ${to}`,
          author: deps.author,
        });
    return { commit, branchSha, open: open?.number ?? null };
  });

  if (!prepared.commit) {
    const pr = prepared.open ? await github.getPull(sub.repo, prepared.open) : null;
    return { result: 'unchanged', pr: pr ? { number: pr.number, url: pr.htmlUrl } : null };
  }
  if (deps.dryRun) return { result: prepared.open ? 'pr-updated' : 'pr-created', pr: null };

  const { commit } = prepared;
  await deps.step(`pr-push ${sub.repo} ${d.feature}`, async () => {
    await git.push(remote, { branch, sha: commit, expected: prepared.branchSha });
    return true;
  });
  return deps.step(`pr-open ${sub.repo} ${d.feature}`, async () => {
    const existing = (await github.listPulls(sub.repo, { state: 'open', base })).find((p) => p.headRef === branch);
    if (existing) return { result: 'pr-updated' as const, pr: { number: existing.number, url: existing.htmlUrl } };
    const pr = await github.createPull(sub.repo, {
      title,
      head: branch,
      base,
      body: prBody(source, d, from, to),
    });
    if (sub.labels.length) await github.addLabels(sub.repo, pr.number, sub.labels);
    return { result: 'pr-created' as const, pr: { number: pr.number, url: pr.htmlUrl } };
  });
}
