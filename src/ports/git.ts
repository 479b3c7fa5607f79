// Git (a persistent bare cache per repository; work trees only when files must be edited)
//
// `cache` arguments name a cache by "owner/name" (`<dataDir>/git/<owner>/<name>.git`). One cache
// can hold objects from several remotes (the sync fetches the upstream tag into the fork's cache
// under refs/upstream/tags/), so merges and pushes need no second clone. Revisions are full
// object ids or full, validated ref names; anything else is refused with AppError invalid_ref.

export interface Remote {
  /** "owner/name"; also names the cache directory. */
  repo: string;
  /** From RepoInfo.cloneUrl. */
  cloneUrl: string;
}

export interface Signature {
  name: string;
  email: string;
  /** ISO date; defaults to now. */
  date?: string;
}

export type ConflictKind =
  | 'content'
  | 'add/add'
  | 'modify/delete'
  | 'rename/delete'
  | 'rename/rename'
  | 'rename/add'
  | 'file/directory'
  | 'binary'
  | 'submodule'
  | 'other';

/** One index stage of a conflicted path: 1 merge base, 2 the first side (merged into), 3 the second side. */
export interface ConflictStage {
  stage: 1 | 2 | 3;
  mode: string;
  oid: string;
}

export interface ConflictedPath {
  path: string;
  kind: ConflictKind;
  /** git's own message for this path, for people. */
  message: string;
  /** Missing stages mean that side has no file at this path (e.g. deleted). */
  stages: ConflictStage[];
  /** Other paths git named in the same conflict (rename sources, file/directory moves). */
  relatedPaths: string[];
}

export interface MergeTreeResult {
  clean: boolean;
  /** The written tree (with conflict markers in conflicted files when not clean). */
  tree: string;
  conflicts: ConflictedPath[];
}

export interface CommitInfo {
  sha: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: string;
  subject: string;
  body: string;
}

export interface TagInfo {
  /** Short name, e.g. v1.81.9-carto.1.0.0 (below the listed prefix). */
  name: string;
  /** Object the ref points to: the tag object for annotated tags, else the commit. */
  sha: string;
  /** The commit the tag finally points to. */
  commit: string;
  annotated: boolean;
  tagger: Signature | null;
  /** Full annotation message; empty for lightweight tags. */
  message: string;
}

/** A change applied on top of a tree by writeTree. Paths are repository-relative. */
export type TreeChange =
  | { path: string; content: string | Buffer; mode?: '100644' | '100755' }
  | { path: string; delete: true }
  /**
   * Take whatever `rev` has at `fromPath` (default `path`; a file or a whole directory) and put it at
   * `path`; removes the path when `rev` has none.
   */
  | { path: string; fromRev: string; fromPath?: string };

/** A temporary work tree on the cache; it exists only inside withWorktree's callback. */
export interface Worktree {
  readonly dir: string;
  readFile(path: string): Promise<Buffer | null>;
  writeFile(path: string, content: string | Buffer): Promise<void>;
  removeFile(path: string): Promise<void>;
  /** Replaces index and files with a tree or commit, e.g. a mergeTree result with conflict markers. */
  checkout(treeish: string): Promise<void>;
  /** Stages every change and writes the tree. */
  writeTree(): Promise<string>;
  /** Stages every change and commits with exactly these parents (first parent first). Moves no ref. */
  commit(input: { message: string; parents: string[]; author: Signature }): Promise<string>;
}

export interface BranchUpdate {
  sha: string;
  branch: string;
  /** null: create the branch only if it does not exist; else fast-forward only from this value. */
  expected: string | null;
}

export interface BranchPushResult {
  branch: string;
  ok: boolean;
  /** git's reason for a rejection (e.g. "stale info"), null when accepted. */
  reason: string | null;
  /**
   * How a rejection came about: `race` (the remote moved: lease or fast-forward refused, worth a
   * fresh fetch), `policy` (the server refused this ref: protection, hook), `collateral` (the
   * server declined the whole push because of another ref). Absent when accepted.
   */
  cause?: 'race' | 'policy' | 'collateral';
}

/** One path of `git diff --name-status -M` (renames followed). */
export interface DiffEntry {
  status: 'added' | 'deleted' | 'modified' | 'renamed' | 'type-changed';
  path: string;
  /** The path before a rename; null otherwise. */
  oldPath: string | null;
}

/** A blob to read: `rev:path`. */
export interface BlobSpec {
  rev: string;
  path: string;
}

/** `git apply --check` verdict and, when it applies, the resulting tree. */
export type PatchApplyResult = { ok: true; tree: string } | { ok: false; reason: string };

export interface GitPort {
  /** Throws AppError invalid_ref unless `name` passes our rules and `git check-ref-format`. */
  checkRefName(name: string): Promise<void>;
  /**
   * Creates the cache if missing and fetches the refspecs (`[+]refs/…:refs/…`) into it, incrementally.
   * `into` names another cache to fetch into, e.g. an upstream tag into the fork's cache.
   * `prune` removes local refs under the refspecs' destinations that the remote no longer has.
   * `known`: the remote's refs (full name → sha) as the API reported them just now; when every
   * refspec's destination already holds its source's sha, nothing is fetched (no request at all).
   */
  fetch(
    remote: Remote,
    refspecs: string[],
    options?: { into?: string; prune?: boolean; known?: Readonly<Record<string, string>> },
  ): Promise<void>;
  /** Full sha of the commit a revision names (tags peeled), or null. */
  resolve(repo: string, rev: string): Promise<string | null>;
  /** `resolve` for several revisions at once (one git process), in order. */
  resolveAll(repo: string, revs: readonly string[]): Promise<(string | null)[]>;
  isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean>;
  /** Commits reachable from `to` and not from `from` (`from..to`). */
  countCommits(repo: string, from: string, to: string): Promise<number>;
  log(
    repo: string,
    from: string | null,
    to: string,
    options?: { firstParent?: boolean; noMerges?: boolean; limit?: number },
  ): Promise<CommitInfo[]>;
  mergeBase(repo: string, a: string, b: string): Promise<string | null>;
  /** Paths whose content differs between two trees (`git diff --name-only from to`). */
  changedPaths(repo: string, from: string, to: string): Promise<string[]>;
  /** Changed paths between two trees with git's rename detection (`git diff -M --name-status`). */
  diffFiles(repo: string, from: string, to: string): Promise<DiffEntry[]>;
  /** Many blobs through one `git cat-file --batch`, in order; null where the rev has no such file. */
  readFiles(repo: string, specs: readonly BlobSpec[]): Promise<(Buffer | null)[]>;
  /** `git merge-tree --write-tree`: no work tree is touched. The first side is the one merged into. */
  mergeTree(
    repo: string,
    first: string,
    second: string,
    options?: { allowUnrelatedHistories?: boolean },
  ): Promise<MergeTreeResult>;
  /** A commit with exactly these parents, authored and committed by `author` (never the machine's identity). */
  commitTree(
    repo: string,
    input: { tree: string; parents: string[]; message: string; author: Signature },
  ): Promise<string>;
  /** `base` (tree or commit) with `changes` applied, written with a private index: no work tree. */
  writeTree(repo: string, base: string, changes: TreeChange[]): Promise<string>;
  readFile(repo: string, rev: string, path: string): Promise<Buffer | null>;
  /** A unified diff applied to `base`'s tree with a private index (`git apply --cached`): no work tree. */
  applyPatch(repo: string, base: string, patch: string): Promise<PatchApplyResult>;
  /** Runs `fn` in a detached work tree at `rev`; the work tree is removed afterwards, whatever happens. */
  withWorktree<T>(repo: string, rev: string, fn: (worktree: Worktree) => Promise<T>): Promise<T>;
  /** Lets cache `repo` read the objects of cache `from` (git alternates); idempotent. */
  shareObjects(repo: string, from: string): Promise<void>;
  /** Sets a local ref in the cache (compare-and-swap when `expected` is given; null = must not exist). */
  updateRef(repo: string, ref: string, sha: string, expected?: string | null): Promise<void>;
  /**
   * Pushes a commit to a branch without force: creates it when `expected` is null (rejected if it
   * exists), else fast-forwards from `expected` (rejected if the remote moved or `sha` does not
   * descend from it). A rejection is AppError push_rejected. Pushing a sha the branch already has
   * succeeds (idempotent retries).
   */
  push(remote: Remote, input: BranchUpdate): Promise<void>;
  /** Several branch updates in one `git push` (one pack, one round trip), a verdict per branch. */
  pushBranches(remote: Remote, updates: readonly BranchUpdate[]): Promise<BranchPushResult[]>;
  /** Annotated tag in the cache (refs/tags/<name>); returns the tag object's sha. Idempotent for the same target. */
  createTag(repo: string, input: { name: string; sha: string; message: string; tagger: Signature }): Promise<string>;
  /**
   * Pushes refs/tags/<name> from the cache (or from the local ref `from`); never moves an existing
   * remote tag.
   */
  pushTag(remote: Remote, name: string, options?: { from?: string }): Promise<void>;
  /**
   * The one non-fast-forward push (DESIGN invariant 3, a mirror's force sync): `sha` onto the
   * branch with `--force-with-lease=refs/heads/<branch>:<lease>`. A verdict, not a throw, when git
   * rejects it (the lease failed: the branch is no longer at `lease`).
   */
  forcePushWithLease(remote: Remote, input: { branch: string; sha: string; lease: string }): Promise<BranchPushResult>;
  listTags(repo: string, options?: { mergedInto?: string }): Promise<string[]>;
  /** Tags below `prefix` (default refs/tags/) with their targets and annotations. */
  listTagDetails(repo: string, options?: { mergedInto?: string; prefix?: string }): Promise<TagInfo[]>;
  /** git processes started so far (benchmarks). */
  readonly stats: { calls: number };
}
