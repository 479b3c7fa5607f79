import { access, appendFile, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type {
  BlobSpec,
  DiffEntry,
  BranchPushResult,
  BranchUpdate,
  CommitInfo,
  GitPort,
  MergeTreeResult,
  PatchApplyResult,
  Remote,
  Signature,
  TagInfo,
  TreeChange,
  Worktree,
} from '../../ports.js';
import { AppError } from '../../errors.js';
import { GitExec, type GitRunOptions, type GitStats } from './git-exec.js';
import { assertFullRef, assertRefName, assertRepoPath, assertRev, cacheDirName } from './git-names.js';
import { parseMergeTree } from './parse-merge-tree.js';
import { parseCatFileBatch, parseNameStatus } from './diff-files.js';
import { GitTransport, type TransportOptions } from './git-transport.js';
import { writeTreeWithChanges } from './tree-writer.js';
import { applyPatchToTree } from './apply-patch.js';
import { runInWorktree } from './worktree.js';
import { listTagDetails } from './tags.js';
import { identityEnv, taggerLine } from './identity.js';
import { removeStaleLocks, STALE_LOCK_MS } from './stale-locks.js';
import { AncestryMemo } from './ancestry-memo.js';
import { DiffMemo } from './diff-memo.js';

export interface GitCacheOptions extends TransportOptions {
  /** `<dataDir>`: caches live in `<dataDir>/git/<owner>/<name>.git`, work trees in `<dataDir>/work`. */
  dataDir: string;
  logger: Logger;
}

/** GitPort over persistent bare caches; the only component that runs git for the product. */
export class GitCache implements GitPort {
  readonly exec: GitExec;
  private readonly transport: GitTransport;
  private readonly ready = new Map<string, Promise<string>>();
  private readonly checkedNames = new Set<string>();
  private readonly memos = new Map<string, AncestryMemo>();
  private readonly diffMemos = new Map<string, DiffMemo>();

  constructor(private readonly options: GitCacheOptions) {
    this.exec = new GitExec(options.logger);
    this.transport = new GitTransport(this.exec, (repo) => this.open(repo), options.logger, options);
  }

  get stats(): GitStats {
    return this.exec.stats;
  }

  /** Path of a cache, created (bare, with our settings) on first use. */
  open(repo: string): Promise<string> {
    let pending = this.ready.get(repo);
    if (!pending) {
      pending = this.create(repo);
      this.ready.set(repo, pending);
      pending.catch(() => this.ready.delete(repo));
    }
    return pending;
  }

  private async create(repo: string): Promise<string> {
    const dir = join(this.options.dataDir, 'git', cacheDirName(repo));
    const exists = await access(join(dir, 'HEAD')).then(
      () => true,
      () => false,
    );
    if (!exists) {
      await mkdir(dir, { recursive: true });
      await this.exec.run(['init', '--quiet', '--bare', dir], { cwd: this.options.dataDir });
      for (const [key, value] of [
        ['core.logAllRefUpdates', 'false'],
        ['gc.autoDetach', 'false'],
      ]) {
        await this.exec.run(['config', key as string, value as string], { cwd: dir });
      }
    } else {
      // A process killed mid-job leaves work-tree metadata and lock files behind; clear them.
      await removeStaleLocks(dir, Date.now() - STALE_LOCK_MS);
      await this.exec.run(['worktree', 'prune'], { cwd: dir });
    }
    return dir;
  }

  private async memo(repo: string): Promise<AncestryMemo> {
    const dir = await this.open(repo);
    let memo = this.memos.get(dir);
    if (!memo) this.memos.set(dir, (memo = new AncestryMemo(dir)));
    return memo;
  }

  /** `git diff` output between two commits, remembered when both are full shas (it cannot change). */
  private async diffOutput(repo: string, kind: string, from: string, to: string, args: string[]): Promise<string> {
    if (!DiffMemo.cacheable(from, to)) return this.gitText(repo, args);
    const dir = await this.open(repo);
    let memo = this.diffMemos.get(dir);
    if (!memo) this.diffMemos.set(dir, (memo = new DiffMemo(dir)));
    const known = await memo.get(kind, from, to);
    if (known) return known.toString('utf8');
    const { stdout } = await this.git(repo, args);
    await memo.set(kind, from, to, stdout);
    return stdout.toString('utf8');
  }

  private async git(repo: string, args: string[], options: Omit<GitRunOptions, 'cwd'> = {}) {
    return this.exec.run(args, { ...options, cwd: await this.open(repo) });
  }

  private async gitText(repo: string, args: string[], options: Omit<GitRunOptions, 'cwd'> = {}): Promise<string> {
    return (await this.git(repo, args, options)).stdout.toString('utf8');
  }

  async checkRefName(name: string): Promise<void> {
    assertRefName(name);
    if (this.checkedNames.has(name)) return;
    await mkdir(this.options.dataDir, { recursive: true });
    // The full-ref form cannot be read as an option, whatever the name holds.
    const result = await this.exec.run(['check-ref-format', `refs/heads/${name}`], {
      cwd: this.options.dataDir,
      okCodes: [0, 1],
    });
    if (result.code !== 0)
      throw new AppError('invalid_ref', `git check-ref-format refuses ${JSON.stringify(name)}`, { details: { name } });
    this.checkedNames.add(name);
  }

  /** Fetches made and fetches found unnecessary (the cache already held what the API reported). */
  readonly fetches = { made: 0, skipped: 0 };

  async fetch(
    remote: Remote,
    refspecs: string[],
    options: { into?: string; prune?: boolean; known?: Readonly<Record<string, string>> } = {},
  ): Promise<void> {
    const into = options.into ?? remote.repo;
    if (options.known && refspecs.length > 0 && (await this.holdsAll(into, refspecs, options.known))) {
      this.fetches.skipped += 1;
      return;
    }
    this.fetches.made += 1;
    await this.transport.fetch(remote, refspecs, into, options.prune ?? false);
    // A split commit-graph layer for what just arrived keeps ancestry queries on long histories
    // cheap. Written here rather than by fetch.writeCommitGraph, whose lock makes two fetches into
    // one cache (or one killed mid-write) fatal; a write that loses the race is simply skipped.
    await this.git(into, ['commit-graph', 'write', '--reachable', '--split', '--no-progress'], {
      okCodes: [0, 1, 128],
    });
  }

  /**
   * Whether every refspec's destination already holds the sha `known` gives for its source. A glob
   * refspec (`refs/tags/*:…/*`) holds when the destination namespace is exactly what `known`
   * lists under the source prefix, no more and no less (so a prune would remove nothing).
   */
  private async holdsAll(into: string, refspecs: string[], known: Readonly<Record<string, string>>): Promise<boolean> {
    const wanted = new Map<string, string>();
    const namespaces: string[] = [];
    for (const spec of refspecs) {
      const [src, dst] = spec.replace(/^\+/, '').split(':');
      if (!src || !dst) return false;
      if (src.endsWith('/*') && dst.endsWith('/*')) {
        const from = src.slice(0, -1);
        const to = assertFullRef(dst.slice(0, -2));
        namespaces.push(`${to}/`);
        for (const [ref, sha] of Object.entries(known))
          if (ref.startsWith(from)) wanted.set(`${to}/${ref.slice(from.length)}`, sha);
        continue;
      }
      const sha = known[src];
      if (!sha || src.includes('*')) return false;
      wanted.set(assertFullRef(dst), sha);
    }
    const exact = [...wanted.keys()].filter((ref) => !namespaces.some((ns) => ref.startsWith(ns)));
    const out = await this.gitText(into, [
      'for-each-ref',
      '--format=%(refname) %(objectname)',
      ...namespaces,
      ...exact,
    ]);
    const held = new Map(
      out
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' ') as [string, string]),
    );
    if ([...held.keys()].some((ref) => !wanted.has(ref))) return false;
    return [...wanted].every(([ref, sha]) => held.get(ref) === sha);
  }

  async push(remote: Remote, input: BranchUpdate): Promise<void> {
    const [result] = await this.pushBranches(remote, [input]);
    if (!result?.ok) {
      // Lost a race (the remote moved, e.g. a killed run's push landing late): a retried job
      // re-reads the branch and finds that work. A refusal by the server's policy is final.
      throw new AppError(
        'push_rejected',
        `push of ${input.branch} to ${remote.repo} was rejected: ${result?.reason ?? 'rejected'}`,
        { details: { branch: input.branch }, transient: result?.cause === 'race' },
      );
    }
  }

  pushBranches(remote: Remote, updates: readonly BranchUpdate[]): Promise<BranchPushResult[]> {
    return this.transport.pushBranches(remote, updates, (a, d) => this.isAncestor(remote.repo, a, d));
  }

  pushTag(remote: Remote, name: string, options: { from?: string } = {}): Promise<void> {
    return this.transport.pushTag(remote, name, options.from === undefined ? undefined : assertFullRef(options.from));
  }

  forcePushWithLease(remote: Remote, input: { branch: string; sha: string; lease: string }): Promise<BranchPushResult> {
    return this.transport.forcePushWithLease(remote, input);
  }

  async resolve(repo: string, rev: string): Promise<string | null> {
    const result = await this.git(
      repo,
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${assertRev(rev)}^{commit}`],
      { okCodes: [0, 1] },
    );
    return result.code === 0 ? result.stdout.toString('utf8').trim() : null;
  }

  async resolveAll(repo: string, revs: readonly string[]): Promise<(string | null)[]> {
    if (revs.length === 0) return [];
    // One process for all of them; names go through stdin, one per line (assertRev admits no newline).
    const input = revs.map((rev) => `${assertRev(rev)}^{commit}\n`).join('');
    const out = await this.gitText(repo, ['cat-file', '--batch-check=%(objectname)'], { input });
    const lines = out.split('\n');
    return revs.map((_, i) => {
      const line = lines[i]?.trim() ?? '';
      return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(line) ? line : null;
    });
  }

  async isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
    const memo = AncestryMemo.cacheable(ancestor, descendant) ? await this.memo(repo) : null;
    const known = await memo?.get('anc', ancestor, descendant);
    if (known !== undefined) return known === '0';
    // 128: one of them is not in the cache, so the ancestry cannot be shown: false, never "maybe"
    // (and not remembered: a later fetch may bring the missing commit).
    const result = await this.git(repo, ['merge-base', '--is-ancestor', assertRev(ancestor), assertRev(descendant)], {
      okCodes: [0, 1, 128],
    });
    if (memo && result.code !== 128) await memo.set('anc', ancestor, descendant, String(result.code));
    return result.code === 0;
  }

  async countCommits(repo: string, from: string, to: string): Promise<number> {
    const out = await this.gitText(repo, ['rev-list', '--count', assertRev(to), `^${assertRev(from)}`, '--']);
    return Number(out.trim());
  }

  async mergeBase(repo: string, a: string, b: string): Promise<string | null> {
    const memo = AncestryMemo.cacheable(a, b) ? await this.memo(repo) : null;
    const known = await memo?.get('base', a, b);
    if (known !== undefined) return known === '-' ? null : known;
    const result = await this.git(repo, ['merge-base', assertRev(a), assertRev(b)], { okCodes: [0, 1] });
    const base = result.code === 0 ? result.stdout.toString('utf8').trim() : null;
    if (memo) await memo.set('base', a, b, base ?? '-');
    return base;
  }

  async log(
    repo: string,
    from: string | null,
    to: string,
    options: { firstParent?: boolean; noMerges?: boolean; limit?: number } = {},
  ): Promise<CommitInfo[]> {
    const args = ['log', '-z', '--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s%x1f%b'];
    if (options.firstParent) args.push('--first-parent');
    if (options.noMerges) args.push('--no-merges');
    if (options.limit !== undefined) args.push(`--max-count=${Math.max(0, Math.floor(options.limit))}`);
    args.push(assertRev(to));
    if (from) args.push(`^${assertRev(from)}`);
    args.push('--');
    const out = await this.gitText(repo, args);
    return out
      .split('\0')
      .filter((record) => record.length > 0)
      .map((record) => {
        const [sha, parents, authorName, authorEmail, authorDate, subject, body] = record.split('\x1f');
        return {
          sha: sha as string,
          parents: parents ? parents.split(' ') : [],
          authorName: authorName ?? '',
          authorEmail: authorEmail ?? '',
          authorDate: authorDate ?? '',
          subject: subject ?? '',
          body: (body ?? '').trim(),
        };
      });
  }

  async changedPaths(repo: string, from: string, to: string): Promise<string[]> {
    const out = await this.diffOutput(repo, 'names', from, to, [
      'diff',
      '--name-only',
      '-z',
      '--no-renames',
      assertRev(from),
      assertRev(to),
      '--',
    ]);
    return out.split('\0').filter((p) => p.length > 0);
  }

  async mergeTree(
    repo: string,
    first: string,
    second: string,
    options: { allowUnrelatedHistories?: boolean } = {},
  ): Promise<MergeTreeResult> {
    const args = ['merge-tree', '--write-tree', '-z', '--messages'];
    if (options.allowUnrelatedHistories) args.push('--allow-unrelated-histories');
    const result = await this.git(repo, [...args, assertRev(first), assertRev(second)], { okCodes: [0, 1] });
    return parseMergeTree(result.stdout, result.code === 0);
  }

  async commitTree(
    repo: string,
    input: { tree: string; parents: string[]; message: string; author: Signature },
  ): Promise<string> {
    const args = ['commit-tree', assertRev(input.tree)];
    for (const parent of input.parents) args.push('-p', assertRev(parent));
    args.push('-F', '-');
    const out = await this.gitText(repo, args, { input: input.message, env: identityEnv(input.author) });
    const sha = out.trim();
    // A commit we made contains each of its parents: the next sync asking (e.g. whether an older
    // sync branch is built on its tag) need not walk for it.
    const parents = input.parents.filter((parent) => AncestryMemo.cacheable(parent, sha));
    if (parents.length > 0) {
      const memo = await this.memo(repo);
      for (const parent of parents) await memo.set('anc', parent, sha, '0');
    }
    return sha;
  }

  async applyPatch(repo: string, base: string, patch: string): Promise<PatchApplyResult> {
    return applyPatchToTree(
      this.exec,
      await this.open(repo),
      join(this.options.dataDir, 'tmp'),
      assertRev(base),
      patch,
    );
  }

  async writeTree(repo: string, base: string, changes: TreeChange[]): Promise<string> {
    return writeTreeWithChanges(
      this.exec,
      await this.open(repo),
      join(this.options.dataDir, 'tmp'),
      assertRev(base),
      changes,
    );
  }

  async diffFiles(repo: string, from: string, to: string): Promise<DiffEntry[]> {
    const out = await this.diffOutput(repo, 'status', from, to, [
      'diff',
      '--name-status',
      '-z',
      '-M',
      '--find-renames',
      '--no-ext-diff',
      assertRev(from),
      assertRev(to),
      '--',
    ]);
    return parseNameStatus(out);
  }

  async readFiles(repo: string, specs: readonly BlobSpec[]): Promise<(Buffer | null)[]> {
    if (specs.length === 0) return [];
    // One request per line: a path holding a newline would smuggle in a second request.
    if (specs.some((s) => s.path.includes('\n'))) throw new AppError('validation', 'a path holds a newline');
    const input = specs.map((s) => `${assertRev(s.rev)}:${assertRepoPath(s.path)}\n`).join('');
    const result = await this.git(repo, ['cat-file', '--batch'], { input });
    return parseCatFileBatch(result.stdout, specs.length);
  }

  async readFile(repo: string, rev: string, path: string): Promise<Buffer | null> {
    const result = await this.git(repo, ['cat-file', 'blob', `${assertRev(rev)}:${assertRepoPath(path)}`], {
      okCodes: [0, 128],
    });
    return result.code === 0 ? result.stdout : null;
  }

  async withWorktree<T>(repo: string, rev: string, fn: (worktree: Worktree) => Promise<T>): Promise<T> {
    const workRoot = join(this.options.dataDir, 'work');
    await mkdir(workRoot, { recursive: true });
    return runInWorktree(this.exec, await this.open(repo), workRoot, assertRev(rev), fn);
  }

  async shareObjects(repo: string, from: string): Promise<void> {
    if (repo === from) return;
    const file = join(await this.open(repo), 'objects', 'info', 'alternates');
    const objects = join(await this.open(from), 'objects');
    const current = await readFile(file, 'utf8').catch(() => '');
    if (current.split('\n').includes(objects)) return;
    await mkdir(join(file, '..'), { recursive: true });
    await appendFile(file, `${objects}\n`);
  }

  async updateRef(repo: string, ref: string, sha: string, expected?: string | null): Promise<void> {
    const args = ['update-ref', '--no-deref', assertFullRef(ref), assertRev(sha)];
    if (expected !== undefined) args.push(expected === null ? '0'.repeat(40) : assertRev(expected));
    const result = await this.git(repo, args, { okCodes: [0, 1, 128] });
    if (result.code !== 0) throw new AppError('conflict', `${ref} is not at the expected value`, { details: { ref } });
  }

  async createTag(
    repo: string,
    input: { name: string; sha: string; message: string; tagger: Signature },
  ): Promise<string> {
    await this.checkRefName(input.name);
    const ref = `refs/tags/${input.name}`;
    const existing = await this.git(repo, ['rev-parse', '--verify', '--quiet', ref], { okCodes: [0, 1] });
    if (existing.code === 0) {
      const target = await this.resolve(repo, ref);
      if (target !== assertRev(input.sha))
        throw new AppError('conflict', `tag ${input.name} already exists on another commit`, {
          details: { tag: input.name },
        });
      return existing.stdout.toString('utf8').trim();
    }
    const object = `object ${input.sha}\ntype commit\ntag ${input.name}\ntagger ${taggerLine(input.tagger)}\n\n${input.message.endsWith('\n') ? input.message : `${input.message}\n`}`;
    const tagSha = (await this.gitText(repo, ['mktag'], { input: object })).trim();
    await this.updateRef(repo, ref, tagSha, null);
    return tagSha;
  }

  async listTags(repo: string, options: { mergedInto?: string } = {}): Promise<string[]> {
    return (await this.listTagDetails(repo, options)).map((t) => t.name);
  }

  async listTagDetails(repo: string, options: { mergedInto?: string; prefix?: string } = {}): Promise<TagInfo[]> {
    return listTagDetails(this.exec, await this.open(repo), options);
  }

  /** Removes the cache of one repository (tests, `--fresh` recovery). */
  async removeCache(repo: string): Promise<void> {
    this.ready.delete(repo);
    this.memos.delete(join(this.options.dataDir, 'git', cacheDirName(repo)));
    await rm(join(this.options.dataDir, 'git', cacheDirName(repo)), { recursive: true, force: true });
  }
}
