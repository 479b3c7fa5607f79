import type { GitPort, Remote } from '../../ports.js';

// Several mirrors of one source share its git cache: the source is fetched into the source's own
// cache (one namespace for every mirror of it), and a target cache borrows those objects through
// git alternates. Fetches of the same source from one process are shared while in flight and for
// a few seconds after, so `sync` of every pipeline fetches a source once, not once per mirror.

const NS = 'refs/upstream-sync/mirror-source';
const SHARED_FOR_MS = 5_000;

export function sourceRefs(branch: string) {
  return { head: `${NS}/heads/${branch}`, tags: `${NS}/tags` };
}

const recent = new WeakMap<GitPort, Map<string, { at: number; settled: boolean; done: Promise<void> }>>();

/**
 * Fetches the source branch and its tags into the source's cache, once for concurrent callers.
 * `known`: the source's branch and every tag as the API reports them; when the cache holds exactly
 * those, nothing is fetched.
 */
export function fetchSource(
  git: GitPort,
  source: Remote,
  branch: string,
  now = Date.now(),
  known?: Readonly<Record<string, string>>,
): Promise<void> {
  let fetches = recent.get(git);
  if (!fetches) recent.set(git, (fetches = new Map()));
  const key = `${source.repo.toLowerCase()}\u0000${branch}`;
  const hit = fetches.get(key);
  // In flight: always shared (two fetches into one cache race on its ref locks); done: shared briefly.
  if (hit && (!hit.settled || now - hit.at < SHARED_FOR_MS)) return hit.done;
  const refs = sourceRefs(branch);
  const done = git.fetch(source, [`+refs/heads/${branch}:${refs.head}`, `+refs/tags/*:${refs.tags}/*`], {
    prune: true,
    ...(known ? { known } : {}),
  });
  const entry = { at: now, settled: false, done };
  fetches.set(key, entry);
  done.then(
    () => {
      entry.settled = true;
      entry.at = Date.now();
    },
    () => {
      if (fetches.get(key) === entry) fetches.delete(key);
    },
  );
  return done;
}
