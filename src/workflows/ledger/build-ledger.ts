import type { GitPort } from '../../ports.js';
import { buildLedger } from '../../core/ledger/classify.js';
import type { Ledger, LedgerFileInput } from '../../core/ledger/types.js';

// The git side of the fork-patch ledger: the fork's patch set is `git diff -M` from the merge base
// with upstream to the production head; every changed file is then read at the four revisions in
// one `git cat-file --batch` and classified by the pure core. Two git processes, whatever the size.

export interface LedgerRevs {
  /** The upstream commit production was last synced to: merge-base(production, new upstream). */
  base: string;
  production: string;
  /** The upstream commit being synced to. */
  upstream: string;
  /** The sync branch head. */
  result: string;
}

export interface BuiltLedger extends Ledger {
  /** Files still carrying conflict markers: classified once resolved (the merge gate rebuilds). */
  pendingPaths: string[];
  files: number;
}

export async function buildForkLedger(
  git: GitPort,
  repo: string,
  revs: LedgerRevs,
  options: { pendingPaths?: readonly string[]; deferAll?: boolean } = {},
): Promise<BuiltLedger> {
  const changed = await git.diffFiles(repo, revs.base, revs.production);
  // A conflicted sync branch is still the bare upstream tag: nothing to classify until resolved.
  const pending = new Set(options.deferAll ? changed.map((c) => c.path) : (options.pendingPaths ?? []));
  const files = changed.filter((c) => !pending.has(c.path));
  const specs = files.flatMap((c) => [
    { rev: revs.base, path: c.oldPath ?? c.path },
    { rev: revs.production, path: c.path },
    { rev: revs.upstream, path: c.path },
    { rev: revs.result, path: c.path },
  ]);
  const blobs = await git.readFiles(repo, specs);
  const text = (i: number): string | null => blobs[i]?.toString('utf8') ?? null;
  const inputs: LedgerFileInput[] = files.map((c, n) => ({
    path: c.path,
    ...(c.oldPath ? { basePath: c.oldPath } : {}),
    base: c.status === 'added' ? null : text(4 * n),
    fork: c.status === 'deleted' ? null : text(4 * n + 1),
    upstream: text(4 * n + 2),
    result: text(4 * n + 3),
  }));
  return {
    ...buildLedger(inputs),
    pendingPaths: changed.filter((c) => pending.has(c.path)).map((c) => c.path),
    files: files.length,
  };
}
