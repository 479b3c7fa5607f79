import type { GitHubPort } from '../ports/github.js';
import type { GitPort, Remote } from '../ports/git.js';
import type { ProgressEvent, ProgressSink } from '../ports/progress.js';

// GitPort and GitHubPort that tell a progress sink when a fetch, merge, push or pull request
// starts and ends (the CLI's --progress lines). Everything else passes through untouched.

type Describe = (args: unknown[]) => string;

function wrap<T extends object>(target: T, kind: string, methods: Record<string, Describe>, sink: ProgressSink): T {
  return new Proxy(target, {
    get(t, prop) {
      const value: unknown = Reflect.get(t, prop, t);
      if (typeof value !== 'function') return value;
      const describe = typeof prop === 'string' ? methods[prop] : undefined;
      const fn = value as (...args: unknown[]) => unknown;
      if (!describe) return fn.bind(t);
      return async (...args: unknown[]) => {
        const name = describe(args);
        const tell = (e: Omit<ProgressEvent, 'kind' | 'name'>) => sink({ kind, name, ...e });
        const started = performance.now();
        tell({});
        try {
          const result = await fn.apply(t, args);
          tell({ seconds: (performance.now() - started) / 1000, ok: true });
          return result;
        } catch (err) {
          tell({ seconds: (performance.now() - started) / 1000, ok: false });
          throw err;
        }
      };
    },
  });
}

const remote = (args: unknown[]): string => (args[0] as Remote).repo;

export function gitWithProgress<T extends GitPort>(git: T, sink: ProgressSink): T {
  return wrap(
    git,
    'git',
    {
      fetch: (a) => `fetch ${remote(a)}`,
      mergeTree: (a) => `merge ${String(a[2]).slice(0, 12)} into ${String(a[1]).slice(0, 12)} (${String(a[0])})`,
      push: (a) => `push ${remote(a)} ${(a[1] as { branch: string }).branch}`,
      pushBranches: (a) => `push ${remote(a)} ${(a[1] as { branch: string }[]).map((u) => u.branch).join(', ')}`,
      pushTag: (a) => `push ${remote(a)} tag ${String(a[1])}`,
      forcePushWithLease: (a) => `push --force-with-lease ${remote(a)} ${(a[1] as { branch: string }).branch}`,
    },
    sink,
  );
}

export function githubWithProgress<T extends GitHubPort>(github: T, sink: ProgressSink): T {
  return wrap(
    github,
    'github',
    {
      createPull: (a) => `open pull request ${String(a[0])} ${(a[1] as { head: string }).head}`,
      mergePull: (a) => `merge pull request ${String(a[0])}#${String(a[1])}`,
    },
    sink,
  );
}
