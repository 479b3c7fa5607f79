import { AppError } from '../../errors.js';
import type { GitPort } from '../../ports.js';

// --dry-run: the cache may fetch (reads), but nothing leaves this machine. The sync already skips
// its pushes in a dry run; this is the second lock on the same door.
export function readOnlyGit<T extends GitPort>(git: T): T {
  const refuse = (what: string) => () => Promise.reject(new AppError('forbidden', `dry run: refusing to ${what}`));
  return new Proxy(git, {
    get(target, key, receiver) {
      if (key === 'push' || key === 'pushBranches' || key === 'forcePushWithLease') return refuse('push a branch');
      if (key === 'pushTag') return refuse('push a tag');
      const value = Reflect.get(target, key, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
