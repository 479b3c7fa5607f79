import { emitPush, syncPullHeads } from './pull-ops.js';
import type { Hub } from './hub.js';
import type { RepoState } from './state.js';

// What people do on GitHub while the bot works: push commits, and (through the sandbox class)
// merge or close pull requests. Commits are written straight into the bare repository, so no
// work tree or HTTP round trip is needed to set up history.

export interface PushCommitInput {
  branch: string;
  /** Path → new content; null deletes the file. */
  files: Record<string, string | null>;
  message: string;
  /** Login of the pusher (registered users get their name and email on the commit). */
  as?: string;
  /** Start the branch here when it does not exist yet (a rev); without it a new branch starts empty. */
  from?: string;
  /** ISO date for author and committer. */
  date?: string;
}

export interface CommitSpec {
  files: Record<string, string | null>;
  message: string;
  as?: string;
  date?: string;
}

export function pushCommit(hub: Hub, repo: RepoState, input: PushCommitInput): Promise<string> {
  return pushCommits(hub, repo, input.branch, [input], { from: input.from, as: input.as });
}

/**
 * Appends commits to a branch in one `git fast-import` (blobs, trees, commits and the ref in a
 * single process), then emits one push. Returns the new tip.
 */
export async function pushCommits(
  hub: Hub,
  repo: RepoState,
  branch: string,
  commits: CommitSpec[],
  options: { from?: string; as?: string } = {},
): Promise<string> {
  if (commits.length === 0) throw new Error('no commits to push');
  const ref = `refs/heads/${branch}`;
  const current = await repo.git.resolve(ref);
  const parent = current ?? (options.from ? await repo.git.resolve(options.from) : null);
  if (options.from && !current && !parent) throw new Error(`cannot start ${branch} from unknown rev ${options.from}`);
  const chunks: Buffer[] = [];
  const text = (t: string) => chunks.push(Buffer.from(t, 'utf8'));
  const data = (content: string) => {
    const bytes = Buffer.from(content, 'utf8');
    text(`data ${bytes.length}\n`);
    chunks.push(bytes);
    text('\n');
  };
  commits.forEach((commit, i) => {
    const who = hub.identity(commit.as ?? options.as ?? 'sandbox-person');
    const when = `${Math.floor((commit.date ? Date.parse(commit.date) : Date.now()) / 1000)} +0000`;
    text(`commit ${ref}\nauthor ${who.name} <${who.email}> ${when}\ncommitter ${who.name} <${who.email}> ${when}\n`);
    data(commit.message);
    // Later commits in the stream continue from the branch tip fast-import is building.
    if (i === 0 && parent) text(`from ${parent}\n`);
    for (const [path, content] of Object.entries(commit.files)) {
      if (content === null) {
        text(`D ${quotePath(path)}\n`);
      } else {
        text(`M 100644 inline ${quotePath(path)}\n`);
        data(content);
      }
    }
    text('\n');
  });
  await repo.git.run(['fast-import', '--quiet'], { input: Buffer.concat(chunks) });
  const sha = await repo.git.resolve(ref);
  if (!sha || sha === current) throw new Error(`commits on ${branch} were not written`);
  const login = commits.at(-1)!.as ?? options.as ?? 'sandbox-person';
  emitPush(hub, repo, ref, current, sha, login);
  await syncPullHeads(hub, repo, login);
  return sha;
}

/** fast-import paths: C-style quoted when they contain quotes, backslashes or line breaks. */
function quotePath(path: string): string {
  return /["\\\n]/.test(path) || path.startsWith(' ') ? JSON.stringify(path) : path;
}

export async function createBranch(repo: RepoState, branch: string, rev: string): Promise<string> {
  const sha = await repo.git.resolve(rev);
  if (!sha || !(await repo.git.updateRef(`refs/heads/${branch}`, sha, null)))
    throw new Error(`cannot create ${branch} at ${rev} in ${repo.fullName}`);
  return sha;
}

/** Lightweight tag, or annotated when a message is given. */
export async function createTag(repo: RepoState, tag: string, rev: string, message?: string): Promise<void> {
  const args = message ? ['tag', '-a', '-m', message, tag, rev] : ['tag', tag, rev];
  await repo.git.run(args, { env: { GIT_COMMITTER_NAME: 'Sandbox', GIT_COMMITTER_EMAIL: 'sandbox@example.test' } });
}
