import { execFile } from 'node:child_process';
import { isolatedGitEnv } from '../scratch-repo.js';

// Read and write access to one bare repository, the way GitHub's own storage would answer the
// REST API: every answer comes from git itself, so what tests push over HTTP is what the API sees.

export interface GitRun {
  code: number;
  stdout: string;
  stderr: string;
}

export function gitRun(
  cwd: string,
  args: string[],
  options: { input?: string | Buffer; env?: Record<string, string> } = {},
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: isolatedGitEnv(options.env), maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : -1
          : 0;
        if (code === -1) return reject(err);
        resolve({ code, stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8') });
      },
    );
    // git may exit before reading stdin (or never read it): a closed pipe is not an error here.
    child.stdin?.on('error', () => undefined);
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}

export interface GitCommit {
  sha: string;
  tree: string;
  parents: string[];
  authorName: string;
  authorEmail: string;
  authorDate: string;
  committerName: string;
  committerEmail: string;
  committerDate: string;
  message: string;
}

export interface GitFileChange {
  path: string;
  previousPath: string | null;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  additions: number;
  deletions: number;
}

const SEP = '\x1f';
const END = '\x1e';
const COMMIT_FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join(SEP) + END;

function parseCommits(out: string): GitCommit[] {
  return out
    .split(END)
    .map((chunk) => chunk.replace(/^\n/, ''))
    .filter((chunk) => chunk.length > 0)
    .map((chunk) => {
      const [
        sha,
        tree,
        parents,
        authorName,
        authorEmail,
        authorDate,
        committerName,
        committerEmail,
        committerDate,
        message,
      ] = chunk.split(SEP);
      return {
        sha: sha!,
        tree: tree!,
        parents: parents ? parents.split(' ') : [],
        authorName: authorName!,
        authorEmail: authorEmail!,
        authorDate: authorDate!,
        committerName: committerName!,
        committerEmail: committerEmail!,
        committerDate: committerDate!,
        message: (message ?? '').replace(/\n$/, ''),
      };
    });
}

const STATUS: Record<string, GitFileChange['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

export class BareGit {
  constructor(readonly dir: string) {}

  async run(args: string[], options?: { input?: string | Buffer; env?: Record<string, string> }): Promise<string> {
    const r = await gitRun(this.dir, args, options);
    if (r.code !== 0) throw new Error(`git ${args[0]} failed in ${this.dir}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Full sha of a commit-ish, or null. Tags are peeled to their commit. */
  async resolve(rev: string): Promise<string | null> {
    if (rev.startsWith('-')) return null;
    const r = await gitRun(this.dir, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    return r.code === 0 ? r.stdout.trim() : null;
  }

  /** Object id a ref points at, without peeling (annotated tags give the tag object). */
  async refTarget(ref: string): Promise<{ sha: string; type: string } | null> {
    const r = await gitRun(this.dir, ['for-each-ref', '--format=%(objectname) %(objecttype) %(refname)', ref]);
    const line = r.stdout.split('\n').find((l) => l.endsWith(` ${ref}`));
    if (!line) return null;
    const [sha, type] = line.split(' ');
    return { sha: sha!, type: type! };
  }

  /** Refs under a prefix ("refs/heads/", "refs/tags/"), with peeled commit shas. */
  async listRefs(prefix: string, sort?: string): Promise<{ ref: string; sha: string; type: string; commit: string }[]> {
    const args = ['for-each-ref', `--format=%(refname)${SEP}%(objectname)${SEP}%(objecttype)${SEP}%(*objectname)`];
    if (sort) args.push(`--sort=${sort}`);
    const out = await this.run([...args, prefix]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref, sha, type, peeled] = line.split(SEP);
        return { ref: ref!, sha: sha!, type: type!, commit: peeled || sha! };
      });
  }

  async commit(sha: string): Promise<GitCommit | null> {
    const r = await gitRun(this.dir, ['log', '-1', `--format=${COMMIT_FORMAT}`, '--end-of-options', sha]);
    return r.code === 0 ? (parseCommits(r.stdout)[0] ?? null) : null;
  }

  /** Commits reachable from `to` and not from `exclude`, newest first (or oldest first with `reverse`). */
  async log(to: string, options: { exclude?: string; reverse?: boolean; path?: string } = {}): Promise<GitCommit[]> {
    const args = ['log', `--format=${COMMIT_FORMAT}`];
    if (options.reverse) args.push('--reverse');
    args.push('--end-of-options', to);
    if (options.exclude) args.push(`^${options.exclude}`);
    if (options.path) args.push('--', options.path);
    return parseCommits(await this.run(args));
  }

  async count(from: string, to: string): Promise<number> {
    return Number((await this.run(['rev-list', '--count', '--end-of-options', to, `^${from}`])).trim());
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await gitRun(this.dir, ['merge-base', '--is-ancestor', ancestor, descendant])).code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const r = await gitRun(this.dir, ['merge-base', a, b]);
    return r.code === 0 ? r.stdout.trim() : null;
  }

  /** `git merge-tree --write-tree`: exit 1 means conflicts (the tree then holds markers). */
  async mergeTree(base: string, head: string): Promise<{ clean: boolean; tree: string }> {
    const r = await gitRun(this.dir, ['merge-tree', '--write-tree', '--no-messages', base, head]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`git merge-tree failed in ${this.dir}: ${r.stderr.trim()}`);
    return { clean: r.code === 0, tree: r.stdout.split('\n')[0]!.trim() };
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    identity: { name: string; email: string; date?: string },
  ): Promise<string> {
    const env: Record<string, string> = {
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
    };
    if (identity.date) Object.assign(env, { GIT_AUTHOR_DATE: identity.date, GIT_COMMITTER_DATE: identity.date });
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p]), '-F', '-'];
    return (await this.run(args, { input: message, env })).trim();
  }

  /** Compare-and-swap: `old` null means "must not exist yet". Returns false when the ref moved. */
  async updateRef(ref: string, sha: string, old: string | null): Promise<boolean> {
    const r = await gitRun(this.dir, ['update-ref', ref, sha, old ?? '0'.repeat(40)]);
    return r.code === 0;
  }

  async deleteRef(ref: string, old: string): Promise<boolean> {
    return (await gitRun(this.dir, ['update-ref', '-d', ref, old])).code === 0;
  }

  /** Object at `rev:path`: a blob's bytes, a tree's entries, or null. */
  async readPath(
    rev: string,
    path: string,
  ): Promise<
    | { type: 'blob'; sha: string; content: Buffer }
    | { type: 'tree'; sha: string; entries: { name: string; type: string; sha: string; size: number }[] }
    | null
  > {
    const spec = `${rev}:${path.replace(/^\/+|\/+$/g, '')}`;
    const typeRun = await gitRun(this.dir, ['cat-file', '-t', spec]);
    if (typeRun.code !== 0) return null;
    const sha = (await this.run(['rev-parse', spec])).trim();
    if (typeRun.stdout.trim() === 'blob') {
      const content = await new Promise<Buffer>((resolve, reject) => {
        execFile(
          'git',
          ['cat-file', 'blob', sha],
          { cwd: this.dir, env: isolatedGitEnv(), encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
          (err, out) => (err ? reject(err) : resolve(out)),
        );
      });
      return { type: 'blob', sha, content };
    }
    const out = await this.run(['ls-tree', '--long', sha]);
    const entries = out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [meta, name] = line.split('\t');
        const [, type, objSha, size] = meta!.split(/\s+/);
        return { name: name!, type: type!, sha: objSha!, size: size === '-' ? 0 : Number(size) };
      });
    return { type: 'tree', sha, entries };
  }

  /** Files changed between two commits, as GitHub lists them for compare and pull files. */
  async diffFiles(from: string, to: string): Promise<GitFileChange[]> {
    const statusOut = await this.run(['diff', '--name-status', '-M', '-z', from, to]);
    const numOut = await this.run(['diff', '--numstat', '-M', '-z', from, to]);
    const parts = statusOut.split('\0').filter((p) => p !== '');
    const files: GitFileChange[] = [];
    for (let i = 0; i < parts.length;) {
      const code = parts[i++]!;
      const letter = code[0]!;
      if (letter === 'R' || letter === 'C') {
        const previousPath = parts[i++]!;
        files.push({ path: parts[i++]!, previousPath, status: STATUS[letter]!, additions: 0, deletions: 0 });
      } else {
        files.push({
          path: parts[i++]!,
          previousPath: null,
          status: STATUS[letter] ?? 'changed',
          additions: 0,
          deletions: 0,
        });
      }
    }
    // numstat -z: "add\tdel\tpath\0" or, for renames, "add\tdel\t\0old\0new\0".
    const nums = numOut.split('\0');
    for (let i = 0; i < nums.length; i++) {
      const m = /^(\d+|-)\t(\d+|-)\t(.*)$/.exec(nums[i]!);
      if (!m) continue;
      let path = m[3]!;
      if (path === '') {
        path = nums[i + 2]!;
        i += 2;
      }
      const file = files.find((f) => f.path === path);
      if (file) {
        file.additions = m[1] === '-' ? 0 : Number(m[1]);
        file.deletions = m[2] === '-' ? 0 : Number(m[2]);
      }
    }
    return files;
  }
}
