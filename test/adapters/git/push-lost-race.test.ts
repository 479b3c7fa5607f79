import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGit } from '../../../src/sandbox/scratch-repo.js';
import { BOT, gitWorld } from './fixtures.js';

const REPO = 'company/project';

// Another push landing between receive-pack's ref advertisement and its update (a killed run's
// push arriving late): git's client-side lease passed, the server's compare-and-swap did not. A
// pre-receive hook that moves the ref itself is that other push, at exactly that moment.
const MOVE_MAIN_FIRST = `#!/bin/sh
env -u GIT_QUARANTINE_PATH -u GIT_OBJECT_DIRECTORY -u GIT_ALTERNATE_OBJECT_DIRECTORIES \\
  git update-ref refs/heads/main "$(cat moved-to)" || exit 1
exit 0
`;

describe('GitCache.pushBranches: a ref that moved under the push', () => {
  it('is a lost race (retried from a fresh fetch), not a refusal', async () => {
    const w = await gitWorld();
    await w.git.fetch(w.remotes.fork, ['+refs/heads/main:refs/fork/heads/main']);
    const main = (await w.git.resolve(REPO, 'refs/fork/heads/main'))!;
    const tree = (await runGit(w.forkBare, ['rev-parse', `${main}^{tree}`])).trim();
    const ours = await w.git.commitTree(REPO, { tree, parents: [main], message: 'ours', author: BOT });
    const theirs = (
      await runGit(w.forkBare, ['commit-tree', tree, '-p', main, '-m', 'theirs'], {
        env: { GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'x@x', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'x@x' },
      })
    ).trim();
    await writeFile(join(w.forkBare, 'moved-to'), `${theirs}\n`);
    await writeFile(join(w.forkBare, 'hooks', 'pre-receive'), MOVE_MAIN_FIRST);
    await chmod(join(w.forkBare, 'hooks', 'pre-receive'), 0o755);

    const [result] = await w.git.pushBranches(w.remotes.fork, [{ sha: ours, branch: 'main', expected: main }]);
    expect(result).toMatchObject({ branch: 'main', ok: false, cause: 'race' });
    expect(result!.reason).toMatch(/remote rejected/);
    expect((await runGit(w.forkBare, ['rev-parse', 'refs/heads/main'])).trim()).toBe(theirs);
    await expect(w.git.push(w.remotes.fork, { sha: ours, branch: 'main', expected: main })).rejects.toMatchObject({
      code: 'push_rejected',
      transient: true,
    });
  });
});
