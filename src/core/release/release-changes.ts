import type { CommitInfo, PullRequest } from '../../ports.js';
import { changeKindOf, maxKind, parseConventionalCommit, type ChangeKind } from './conventional-commit.js';
import type { Bump } from './fork-version.js';

// What a release contains, from the fork's own commits (upstream commits already removed by the
// caller, by ancestry) and the pull requests merged into production since the previous release.
// A merged PR is one entry; its commits only refine its kind. Sync PRs get their own section;
// merges, sync plumbing, CI and bot commits are noise and left out.

export type ReleaseCommit = Pick<CommitInfo, 'sha' | 'parents' | 'subject' | 'body' | 'authorName' | 'authorEmail'>;

export type ReleasePull = Pick<
  PullRequest,
  'number' | 'title' | 'htmlUrl' | 'labels' | 'user' | 'headRef' | 'mergeCommitSha'
> & {
  /** Commits the PR brought (`git log <merge>^1..<merge>^2`), when known. */
  commitShas?: readonly string[];
};

export interface ChangeRules {
  /** Label every sync PR carries (the first of pr.labels). */
  syncLabel: string | null;
  /** Sync branches start with this (syncBranch up to {tag}). */
  syncBranchPrefix: string | null;
  /** Author e-mails, names or GitHub logins that are automation, besides anything named *[bot]. */
  botAuthors: readonly string[];
}

export interface ChangeEntry {
  kind: ChangeKind;
  text: string;
  scope: string | null;
  pull: { number: number; url: string } | null;
  /** The commit itself, for entries that are direct commits. */
  sha: string | null;
  author: string | null;
}

export interface SyncPull {
  number: number;
  url: string;
  title: string;
  headRef: string;
}

export interface ReleaseChanges {
  /** In the order they landed. */
  entries: ChangeEntry[];
  syncPulls: SyncPull[];
  /** Commits and PRs left out as noise. */
  omitted: number;
  /** What `auto` means for these changes. */
  bump: Bump;
}

const MERGE = /^merge\b/i;
const SYNC = /\bsync:|merge upstream|upstream[ -]sync/i;
const CI_SCOPES = new Set(['ci', 'workflow', 'workflows', 'github', 'actions', 'gha']);
const BOT = /\[bot\]/i;

function isCi(text: string): boolean {
  const cc = parseConventionalCommit(text);
  return cc !== null && (cc.type === 'ci' || (cc.scope !== null && CI_SCOPES.has(cc.scope.toLowerCase())));
}

function labelKind(labels: readonly string[]): ChangeKind {
  let kind: ChangeKind = 'other';
  for (const label of labels) {
    if (/breaking/i.test(label)) kind = maxKind(kind, 'breaking');
    else if (/^(feat|feature|enhancement)$/i.test(label)) kind = maxKind(kind, 'feature');
    else if (/bug|fix/i.test(label)) kind = maxKind(kind, 'fix');
  }
  return kind;
}

function oneLine(text: string): string {
  const clean = text
    // eslint-disable-next-line no-control-regex -- titles are untrusted: no control characters in notes
    .replace(/[\x00-\x1f\x7f]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean;
}

export function collectChanges(
  commits: readonly ReleaseCommit[],
  pulls: readonly ReleasePull[],
  rules: ChangeRules,
): ReleaseChanges {
  const bots = new Set(rules.botAuthors.map((a) => a.toLowerCase()));
  const isBot = (...who: (string | null)[]) =>
    who.some((w) => w !== null && (BOT.test(w) || bots.has(w.toLowerCase())));
  const isSyncPull = (p: ReleasePull) =>
    (rules.syncLabel !== null && p.labels.includes(rules.syncLabel)) ||
    (rules.syncBranchPrefix !== null && p.headRef.startsWith(rules.syncBranchPrefix));
  const isNoiseCommit = (c: ReleaseCommit) =>
    c.parents.length > 1 ||
    MERGE.test(c.subject) ||
    SYNC.test(c.subject) ||
    isCi(c.subject) ||
    isBot(c.authorName, c.authorEmail);

  // git log lists newest first; notes read oldest first.
  const chronological = [...commits].reverse();
  const position = new Map(chronological.map((c, i) => [c.sha, i]));
  const bySha = new Map(commits.map((c) => [c.sha, c]));
  const covered = new Set(
    pulls.flatMap((p) => [...(p.commitShas ?? []), ...(p.mergeCommitSha ? [p.mergeCommitSha] : [])]),
  );
  let omitted = 0;
  let breakingAnywhere = false;
  const placed: { at: number; entry: ChangeEntry }[] = [];
  const syncPulls: { at: number; pull: SyncPull }[] = [];

  for (const c of commits) if (parseConventionalCommit(c.subject, c.body)?.breaking) breakingAnywhere = true;

  for (const pull of pulls) {
    const at =
      (pull.mergeCommitSha !== null ? position.get(pull.mergeCommitSha) : undefined) ?? Number.MAX_SAFE_INTEGER;
    if (isSyncPull(pull)) {
      syncPulls.push({
        at,
        pull: { number: pull.number, url: pull.htmlUrl, title: oneLine(pull.title), headRef: pull.headRef },
      });
      continue;
    }
    if (isBot(pull.user) || isCi(pull.title) || SYNC.test(pull.title)) {
      omitted += 1;
      continue;
    }
    const title = parseConventionalCommit(pull.title);
    let kind = maxKind(changeKindOf(title), labelKind(pull.labels));
    for (const sha of pull.commitShas ?? []) {
      const c = bySha.get(sha);
      if (c && !isNoiseCommit(c)) kind = maxKind(kind, changeKindOf(parseConventionalCommit(c.subject, c.body)));
    }
    const entry = {
      kind,
      text: oneLine(title?.description ?? pull.title),
      scope: title?.scope ?? null,
      pull: { number: pull.number, url: pull.htmlUrl },
      sha: null,
      author: pull.user,
    };
    placed.push({ at, entry });
  }

  for (const c of chronological) {
    if (covered.has(c.sha)) continue;
    if (isNoiseCommit(c)) {
      omitted += 1;
      continue;
    }
    const cc = parseConventionalCommit(c.subject, c.body);
    placed.push({
      at: position.get(c.sha) as number,
      entry: {
        kind: changeKindOf(cc),
        text: oneLine(cc?.description ?? c.subject),
        scope: cc?.scope ?? null,
        pull: null,
        sha: c.sha,
        author: c.authorName,
      },
    });
  }

  const byLanding = <T extends { at: number }>(list: T[], tie: (x: T) => number) =>
    list.sort((a, b) => a.at - b.at || tie(a) - tie(b));
  const entries = byLanding(placed, (x) => x.entry.pull?.number ?? 0).map((x) => x.entry);
  const kinds = entries.map((e) => e.kind);
  const bump: Bump =
    breakingAnywhere || kinds.includes('breaking') ? 'major' : kinds.includes('feature') ? 'minor' : 'patch';
  return { entries, syncPulls: byLanding(syncPulls, (x) => x.pull.number).map((x) => x.pull), omitted, bump };
}
