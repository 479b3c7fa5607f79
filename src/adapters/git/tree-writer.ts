import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TreeChange } from '../../ports.js';
import type { GitExec } from './git-exec.js';
import { assertRepoPath, assertRev } from './git-names.js';

const NULL_OID = '0'.repeat(40);

// Builds a tree from a base plus changes using a private index file: no work tree, no lock on the
// cache's own index, so several jobs can do this at once. Pathspecs are literal (a path such as
// ":(glob)**" from a hostile repository is a name, not magic).
export async function writeTreeWithChanges(
  exec: GitExec,
  cacheDir: string,
  tmpDir: string,
  base: string,
  changes: TreeChange[],
): Promise<string> {
  await mkdir(tmpDir, { recursive: true });
  const indexFile = join(tmpDir, `index-${randomUUID()}`);
  const env = { GIT_INDEX_FILE: indexFile, GIT_LITERAL_PATHSPECS: '1' };
  const run = (args: string[], input?: string | Buffer) => exec.run(args, { cwd: cacheDir, env, input });
  try {
    await run(['read-tree', `${base}^{tree}`]);
    const paths = changes.map((c) => assertRepoPath(c.path));
    if (paths.length === 0) return (await run(['write-tree'])).stdout.toString('utf8').trim();

    // Clear every touched path first (a file, or all files below a directory), then add entries.
    const existing = (await run(['ls-files', '-z', '--', ...paths])).stdout
      .toString('utf8')
      .split('\0')
      .filter(Boolean);
    const modes = new Map<string, string>();
    if (existing.length > 0) {
      const staged = (await run(['ls-files', '-s', '-z', '--', ...paths])).stdout
        .toString('utf8')
        .split('\0')
        .filter(Boolean);
      for (const line of staged) {
        const m = /^(\d{6}) [0-9a-f]+ \d\t([\s\S]*)$/.exec(line);
        if (m) modes.set(m[2] as string, m[1] as string);
      }
    }
    let info = existing.map((p) => `0 ${NULL_OID}\t${p}\0`).join('');

    for (const change of changes) {
      if ('delete' in change) continue;
      if ('fromRev' in change) {
        const from = change.fromPath === undefined ? change.path : assertRepoPath(change.fromPath);
        const listing = (
          await run(['ls-tree', '-r', '-z', '--full-tree', assertRev(change.fromRev), '--', from])
        ).stdout.toString('utf8');
        for (const entry of listing.split('\0').filter(Boolean)) {
          const m = /^(\d{6}) (blob|commit) ([0-9a-f]+)\t([\s\S]*)$/.exec(entry);
          // ls-tree lists `from` itself (a file) or entries below it (a directory): re-root them at `path`.
          if (m) info += `${m[1]} ${m[3]}\t${change.path}${(m[4] as string).slice(from.length)}\0`;
        }
        continue;
      }
      const oid = (await run(['hash-object', '-w', '--stdin'], change.content)).stdout.toString('utf8').trim();
      const mode = change.mode ?? (modes.get(change.path) === '100755' ? '100755' : '100644');
      info += `${mode} ${oid}\t${change.path}\0`;
    }
    await run(['update-index', '-z', '--replace', '--index-info'], info);
    return (await run(['write-tree'])).stdout.toString('utf8').trim();
  } finally {
    await rm(indexFile, { force: true });
  }
}
