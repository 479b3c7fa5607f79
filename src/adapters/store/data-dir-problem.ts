import { constants, accessSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// SQLite says "unable to open database file" or "attempt to write a readonly database" for a
// directory it cannot write: true, but it names neither the directory nor the cause. This probe
// runs only after SQLite failed, and says which. A probe file, not access(): root passes
// access(W_OK) on a read-only mount.

/** Why the data directory (or its database file) cannot be written, or null when it can. */
export function dataDirProblem(dataDir: string, dbFile: string): string | null {
  const probe = join(dataDir, `.write-probe-${process.pid}`);
  try {
    // Some room, not just an inode: SQLite needs pages for its WAL and shared memory.
    writeFileSync(probe, Buffer.alloc(64 * 1024));
    rmSync(probe, { force: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM')
      return `the data directory ${dataDir} is read-only (${code}): the bot needs to write its database there; point UPSTREAM_SYNC_DATA_DIR at a writable directory`;
    if (code === 'ENOSPC' || code === 'EDQUOT')
      return `the data directory ${dataDir} is on a full disk (no space left on device): free space there and run again`;
    return `the data directory ${dataDir} cannot be written (${code ?? String(err)})`;
  }
  try {
    accessSync(join(dataDir, dbFile), constants.F_OK);
    accessSync(join(dataDir, dbFile), constants.W_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EROFS') return `the database ${join(dataDir, dbFile)} is read-only (${code})`;
  }
  return null;
}

/** Throws while `dataDir` cannot take a small write (a full disk): the runner's storage probe. */
export function probeDataDir(dataDir: string, bytes = 64 * 1024): void {
  const probe = join(dataDir, `.space-probe-${process.pid}`);
  try {
    writeFileSync(probe, Buffer.alloc(bytes));
  } finally {
    rmSync(probe, { force: true });
  }
}
