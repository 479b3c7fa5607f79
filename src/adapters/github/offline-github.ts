import { AppError } from '../../errors.js';
import type { GitHubPort } from '../../ports.js';

// A GitHubPort for commands that can say something useful without GitHub (`status` shows the
// local state from SQLite): every call fails at once with `reason`, so the command reports what
// it could not check instead of refusing to run.

export function offlineGitHub(reason: string): GitHubPort {
  return new Proxy({} as GitHubPort, {
    get: (_target, name) =>
      name === 'then' ? undefined : () => Promise.reject(new AppError('unauthorized', `${reason}: not checked`)),
  });
}
