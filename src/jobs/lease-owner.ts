import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

// A lease owner names the process that holds a job: `<hostname>:<pid>:<random>`. The random part
// keeps two runners of one process apart; host and pid let a runner restarted on the same machine
// see that the previous process is gone and resume its jobs at once, instead of waiting a whole
// lease for it to expire. Owners of another shape (tests name theirs) are only ever expired.

export interface OwnerProcess {
  host: string;
  pid: number;
}

export function newLeaseOwner(here: OwnerProcess = thisProcess()): string {
  return `${here.host}:${here.pid}:${randomUUID().slice(0, 8)}`;
}

export function thisProcess(): OwnerProcess {
  return { host: hostname(), pid: process.pid };
}

/** Host and pid of an owner written by newLeaseOwner; null for any other name. */
export function parseLeaseOwner(owner: string): OwnerProcess | null {
  // Host names never contain ':', so the last two fields are pid and random.
  const m = /^([^:]+):(\d{1,10}):[0-9a-f]{8}$/.exec(owner);
  if (!m) return null;
  const pid = Number(m[2]);
  return Number.isSafeInteger(pid) && pid > 0 ? { host: m[1] as string, pid } : null;
}

/** Whether a process with this pid exists here. Signal 0 only checks; EPERM means it exists, owned by someone else. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * True only when `owner` is a process of this host that no longer exists. Anything uncertain (an
 * other host, a name of another shape, a live or unknowable pid) is false: such leases expire.
 */
export function ownerIsGone(
  owner: string,
  here: OwnerProcess = thisProcess(),
  exists: (pid: number) => boolean = processExists,
): boolean {
  const parsed = parseLeaseOwner(owner);
  if (!parsed || parsed.host !== here.host || parsed.pid === here.pid) return false;
  return !exists(parsed.pid);
}
