import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

// git guards every ref, packed-refs, config and commit-graph update with a `<name>.lock` file. A
// process killed with -9 in that instant leaves the lock behind and every later update of that
// ref fails. Our git commands hold locks for milliseconds, so a lock this old belongs to nobody.
export const STALE_LOCK_MS = 10 * 60_000;

export async function removeStaleLocks(dir: string, olderThan: number, depth = 0): Promise<number> {
  let removed = 0;
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Objects are never locked this way and there are many of them: skip the fan-out directories.
    if (entry.isDirectory() && depth < 8 && !(depth === 1 && /^[0-9a-f]{2}$/.test(entry.name))) {
      removed += await removeStaleLocks(path, olderThan, depth + 1);
    } else if (entry.isFile() && entry.name.endsWith('.lock')) {
      const info = await stat(path).catch(() => null);
      if (info && info.mtimeMs < olderThan) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
  }
  return removed;
}
