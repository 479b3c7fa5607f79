import { join } from 'node:path';
import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { silentLogger } from '../../../src/log.js';
import { ScratchRepo, initBare } from '../../../src/sandbox/scratch-repo.js';
import { tempDir } from '../../helpers/tmp.js';

export const BOT = { name: 'upstream-sync[bot]', email: 'upstream-sync[bot]@users.noreply.github.com' };

export interface GitWorld {
  root: string;
  upstream: ScratchRepo;
  /** Bare repository standing in for the fork on GitHub. */
  forkBare: string;
  fork: ScratchRepo;
  git: GitCache;
  remotes: { upstream: { repo: string; cloneUrl: string }; fork: { repo: string; cloneUrl: string } };
}

/** An upstream with a tag, a fork cloned from it with a production branch, and an empty cache. */
export async function gitWorld(): Promise<GitWorld> {
  const root = await tempDir('git-world-');
  const upstream = await ScratchRepo.init(join(root, 'upstream'));
  await upstream.commit({ 'README.md': 'hello\n', 'src/app.py': 'a = 1\nb = 2\nc = 3\n' }, 'initial');
  await upstream.tag('v1.0.0-stable', { message: 'release 1.0.0' });
  const forkBare = await initBare(join(root, 'fork.git'));
  await upstream.push(forkBare, ['refs/heads/main:refs/heads/main', 'refs/heads/main:refs/heads/carto/main']);
  const fork = await ScratchRepo.clone(forkBare, join(root, 'fork'));
  await fork.checkout('carto/main');
  const git = new GitCache({ dataDir: join(root, 'data'), logger: silentLogger(), sleep: async () => undefined });
  return {
    root,
    upstream,
    forkBare,
    fork,
    git,
    remotes: {
      upstream: { repo: 'upstream/project', cloneUrl: upstream.dir },
      fork: { repo: 'company/project', cloneUrl: forkBare },
    },
  };
}
