import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { LedgerFileInput } from '../core/ledger/types.js';
import { runGit } from './scratch-repo.js';

// Writes a fork's four revisions for the ledger into a bare repository with `git fast-import`:
// the merge base (files at their base paths), production and the new upstream on top of it, and
// the sync result as a merge of the two. Tests and `npm run bench -- ledger` use it.

export interface LedgerForkRevs {
  base: string;
  production: string;
  upstream: string;
  result: string;
}

const IDENTITY = 'Fixture <fixture@example.test>';

function blob(text: string): string {
  return `data ${Buffer.byteLength(text)}\n${text}\n`;
}

/** `from`: an existing commit the merge base builds on (e.g. a long generated history); absent: a root commit. */
export async function writeLedgerFork(
  dir: string,
  files: readonly LedgerFileInput[],
  options: { from?: string } = {},
): Promise<LedgerForkRevs> {
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: dir,
    stdio: ['pipe', 'ignore', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const write = async (text: string) => {
    if (!child.stdin.write(text)) await once(child.stdin, 'drain');
  };
  const time = 1_800_000_000;
  const commit = async (
    mark: number,
    branch: string,
    parents: string[],
    ops: Array<[string, string | null]>,
    message: string,
  ) => {
    let out = `commit refs/heads/${branch}\nmark :${mark}\ncommitter ${IDENTITY} ${time + mark} +0000\n${blob(message)}`;
    parents.forEach((p, i) => (out += `${i === 0 ? 'from' : 'merge'} ${p}\n`));
    for (const [path, text] of ops) out += text === null ? `D ${path}\n` : `M 100644 inline ${path}\n${blob(text)}`;
    await write(out);
  };
  const atBase = (f: LedgerFileInput) => f.basePath ?? f.path;
  await commit(
    1,
    'ledger/base',
    options.from ? [options.from] : [],
    files.map((f) => [atBase(f), f.base]),
    'base',
  );
  // Production: the base path goes away when the fork renamed the file.
  const fork = files.flatMap((f): Array<[string, string | null]> => [
    ...(f.basePath && f.basePath !== f.path ? [[f.basePath, null] as [string, null]] : []),
    [f.path, f.fork],
  ]);
  await commit(2, 'ledger/production', [':1'], fork, 'production');
  // Upstream keeps renamed files at their base path (it never renamed them).
  const up = files.flatMap((f): Array<[string, string | null]> =>
    f.basePath && f.basePath !== f.path ? [] : [[f.path, f.upstream]],
  );
  await commit(3, 'ledger/upstream', [':1'], up, 'upstream');
  const merged = files.flatMap((f): Array<[string, string | null]> => [
    ...(f.basePath && f.basePath !== f.path ? [[f.basePath, null] as [string, null]] : []),
    [f.path, f.result],
  ]);
  await commit(4, 'ledger/result', [':3', ':2'], merged, 'sync result');
  await write('done\n');
  child.stdin.end();
  const [code] = (await once(child, 'close')) as [number];
  if (code !== 0) throw new Error(`git fast-import failed: ${stderr}`);
  const shas = await runGit(dir, [
    'rev-parse',
    ...['base', 'production', 'upstream', 'result'].map((b) => `refs/heads/ledger/${b}`),
  ]);
  const [base, production, upstream, result] = shas.trim().split('\n') as [string, string, string, string];
  return { base, production, upstream, result };
}
