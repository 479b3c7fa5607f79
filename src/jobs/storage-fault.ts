import { AppError } from '../errors.js';

// A full (or failing) disk under the data directory. SQLite says "database or disk is full"
// (SQLITE_FULL), git "No space left on device"; neither is a bug in a job, and neither goes away
// by retrying every poll. The runner records it once, says it once, and clears it on the first
// write that works again.

export interface StorageFault {
  message: string;
  since: string;
}

const SQLITE_CODES = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN)/;

/** The AppError for a write that failed because of the disk, or null for any other error. */
export function storageFaultOf(err: unknown, where = "the data directory's disk"): AppError | null {
  if (err instanceof AppError) return err.code === 'disk_full' ? err : null;
  const code = (err as { code?: unknown } | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if ((typeof code === 'string' && SQLITE_CODES.test(code)) || code === 'ENOSPC' || /no space left/i.test(message)) {
    return new AppError('disk_full', `${where} cannot be written (${message}): free space there`, {
      cause: err,
    });
  }
  return null;
}

/** Another process holds the write lock: try again shortly (never a reason to fail a job). */
export function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return (
    code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'))
  );
}

/** Runs a synchronous database call, retrying while another process holds the lock (async waits). */
export async function retryWhileBusy<T>(
  fn: () => T | Promise<T>,
  options: { attempts?: number; waitMs?: number } = {},
): Promise<T> {
  const attempts = options.attempts ?? 100;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseBusy(err) || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, options.waitMs ?? 100));
    }
  }
}
