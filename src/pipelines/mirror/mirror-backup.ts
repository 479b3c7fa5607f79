import type { GitHubPort } from '../../ports.js';

// Nothing a force replaces is lost (issue 25): before the bot overwrites a branch, the head it
// replaces is kept in the target repository under refs/upstream-sync/backup/<branch>/<UTC time>,
// created through the API so everyone with access to the repository sees it.

export const backupPrefix = (branch: string): string => `refs/upstream-sync/backup/${branch}/`;

/**
 * `20261204T210501.123Z`: sortable, valid in a ref name (no colons), and to the millisecond so a
 * rollback right after a force does not collide with the force's backup.
 */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '');
}

/**
 * The backup ref of `sha`: an existing backup of the same commit is reused (a re-run after a
 * crash, or a head backed up before), else a new one is created.
 */
export async function backupHead(
  github: Pick<GitHubPort, 'listRefs' | 'createRef'>,
  input: { repo: string; branch: string; sha: string; at: Date },
): Promise<string> {
  const prefix = backupPrefix(input.branch);
  const existing = (await github.listRefs(input.repo, prefix)).filter((r) => r.sha === input.sha);
  const newest = existing
    .map((r) => r.ref)
    .sort()
    .at(-1);
  if (newest) return newest;
  const ref = `${prefix}${backupStamp(input.at)}`;
  await github.createRef(input.repo, ref, input.sha);
  return ref;
}

/** Backups of a branch, newest first, with the time their name records. */
export async function listBackups(
  github: Pick<GitHubPort, 'listRefs'>,
  repo: string,
  branch: string,
): Promise<Array<{ ref: string; sha: string; at: string | null }>> {
  const prefix = backupPrefix(branch);
  return (await github.listRefs(repo, prefix))
    .filter((r) => !r.ref.slice(prefix.length).includes('/'))
    .map((r) => ({ ...r, at: stampTime(r.ref.slice(prefix.length)) }))
    .sort((a, b) => (a.ref < b.ref ? 1 : a.ref > b.ref ? -1 : 0));
}

function stampTime(stamp: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(stamp);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z` : null;
}
