import { execFile } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { errorMessage } from '../errors.js';
import { openStore } from '../adapters/store/open-store.js';
import { fail, ok, type CheckResult } from './check.js';

// Checks of this machine: git, the data directory, the database.

const run = promisify(execFile);

/** `git merge-tree --write-tree` (the conflict check and the merge itself) arrived in 2.38. */
export const MIN_GIT = [2, 38] as const;

export function parseGitVersion(output: string): [number, number, number] | null {
  const m = /git version (\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : null;
}

export async function checkGit(): Promise<CheckResult> {
  const title = 'git';
  let out: string;
  try {
    out = (await run('git', ['--version'])).stdout;
  } catch (err) {
    return fail(
      'git',
      title,
      `git cannot be run (${errorMessage(err)})`,
      'install git ≥ 2.38 and put it on PATH',
      true,
    );
  }
  const v = parseGitVersion(out);
  if (!v) return fail('git', title, `unrecognised version "${out.trim()}"`, 'install git ≥ 2.38', true);
  const found = v.join('.');
  if (v[0] < MIN_GIT[0] || (v[0] === MIN_GIT[0] && v[1] < MIN_GIT[1]))
    return fail('git', title, `git ${found} is older than 2.38`, 'install git ≥ 2.38 (merge-tree --write-tree)', true);
  return ok('git', title, `${found} (needs ≥ 2.38)`);
}

export async function checkDataDir(dataDir: string): Promise<CheckResult> {
  const title = 'data directory';
  const probe = join(dataDir, `.write-test-${process.pid}`);
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(probe, 'ok');
    await rm(probe, { force: true });
    return ok('data-dir', title, `${dataDir} is writable`);
  } catch (err) {
    return fail(
      'data-dir',
      title,
      `${dataDir} is not writable (${(err as { code?: string }).code ?? errorMessage(err)})`,
      'set UPSTREAM_SYNC_DATA_DIR to a writable directory (a volume in Docker)',
      true,
    );
  }
}

export function checkDatabase(dataDir: string): CheckResult {
  const title = 'database';
  try {
    const store = openStore(dataDir);
    store.close();
    return ok('database', title, `SQLite opens and its schema is migrated (${dataDir})`);
  } catch (err) {
    return fail(
      'database',
      title,
      `SQLite in ${dataDir} cannot be opened or migrated (${errorMessage(err)})`,
      'check the disk and the file, or move it aside to start afresh (history is lost)',
      true,
    );
  }
}
