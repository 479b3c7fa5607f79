import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emitPush, syncPullHeads } from './pull-ops.js';
import type { Hub } from './hub.js';
import type { RepoState } from './state.js';

// What people do on GitHub while the bot works: push commits, and (through the sandbox class)
// merge or close pull requests. Commits are written straight into the bare repository with a
// throw-away index, so no work tree or HTTP round trip is needed to set up history.

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

export async function pushCommit(hub: Hub, repo: RepoState, input: PushCommitInput): Promise<string> {
  const ref = `refs/heads/${input.branch}`;
  const current = await repo.git.resolve(ref);
  const parent = current ?? (input.from ? await repo.git.resolve(input.from) : null);
  if (input.from && !current && !parent) throw new Error(`cannot start ${input.branch} from unknown rev ${input.from}`);
  const index = join(tmpdir(), `sandbox-index-${randomUUID()}`);
  const env = { GIT_INDEX_FILE: index };
  try {
    if (parent) await repo.git.run(['read-tree', parent], { env });
    else await repo.git.run(['read-tree', '--empty'], { env });
    const lines: string[] = [];
    for (const [path, content] of Object.entries(input.files)) {
      if (content === null) {
        lines.push(`0 ${'0'.repeat(40)}\t${path}`);
      } else {
        const blob = (await repo.git.run(['hash-object', '-w', '--stdin'], { input: content })).trim();
        lines.push(`100644 ${blob}\t${path}`);
      }
    }
    await repo.git.run(['update-index', '--index-info'], { env, input: lines.join('\n') + '\n' });
    const tree = (await repo.git.run(['write-tree'], { env })).trim();
    const login = input.as ?? 'sandbox-person';
    const sha = await repo.git.commitTree(tree, parent ? [parent] : [], input.message, { ...hub.identity(login), date: input.date });
    if (!(await repo.git.updateRef(ref, sha, current))) throw new Error(`${input.branch} moved while committing`);
    emitPush(hub, repo, ref, current, sha, login);
    await syncPullHeads(hub, repo, login);
    return sha;
  } finally {
    await rm(index, { force: true });
  }
}
