import { join } from 'node:path';
import { GitCache } from '../../../src/adapters/git/git-cache.js';
import { ledgerFixture, type FixtureFile } from '../../../src/core/ledger/fixture.js';
import { silentLogger } from '../../../src/log.js';
import { writeLedgerFork, type LedgerForkRevs } from '../../../src/sandbox/ledger-fork.js';
import { initBare } from '../../../src/sandbox/scratch-repo.js';
import { tempDir } from '../../helpers/tmp.js';

export const REPO = 'company/project';

const t = (...ls: string[]): string => `${ls.join('\n')}\n`;
const BODY = ['import os', 'def run():', '    return os.getcwd()', 'def stop():', '    return None'];

/** Renames and deletions the generated fixture does not cover, with their expected fates. */
export function extraFiles(): FixtureFile[] {
  const forked = t(...BODY.slice(0, 2), '    return os.getcwd() + "/carto"', ...BODY.slice(3));
  return [
    // Renamed and changed by the fork; the result keeps both at the new path.
    {
      path: 'carto/renamed_kept.py',
      basePath: 'core/renamed_kept.py',
      base: t(...BODY),
      fork: forked,
      upstream: null,
      result: forked,
      expected: 'kept',
    },
    // Renamed by the fork; a resolution put the file back at its old path with upstream's content.
    {
      path: 'carto/renamed_lost.py',
      basePath: 'core/renamed_lost.py',
      base: t(...BODY, '# lost'),
      fork: t(...BODY.slice(0, 2), '    return "/carto/lost"', ...BODY.slice(3), '# lost'),
      upstream: null,
      result: null,
      expected: 'dropped',
    },
    // The fork deleted a file; the sync brought it back.
    {
      path: 'legacy/returns.py',
      base: t('# returns', ...BODY),
      fork: null,
      upstream: t('# returns', ...BODY, 'def extra(): pass'),
      result: t('# returns', ...BODY, 'def extra(): pass'),
      expected: 'dropped',
    },
    // The fork deleted a file and it stayed deleted.
    {
      path: 'legacy/stays_gone.py',
      base: t('# gone', ...BODY),
      fork: null,
      upstream: t('# gone', ...BODY, 'def extra(): pass'),
      result: null,
      expected: 'kept',
    },
  ];
}

export interface LedgerRepo {
  git: GitCache;
  revs: LedgerForkRevs;
  files: FixtureFile[];
}

export async function ledgerRepo(perFate = 20): Promise<LedgerRepo> {
  const root = await tempDir('ledger-');
  const dataDir = join(root, 'data');
  const dir = await initBare(join(dataDir, 'git', 'company', 'project.git'));
  const files = [...ledgerFixture(perFate), ...extraFiles()];
  const revs = await writeLedgerFork(dir, files);
  const git = new GitCache({ dataDir, logger: silentLogger(), sleep: async () => undefined });
  return { git, revs, files };
}
