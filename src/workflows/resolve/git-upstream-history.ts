import { GitCache } from '../../adapters/git/git-cache.js';
import type { GitPort } from '../../ports.js';
import type { ForkCommit, PathHistory, UpstreamHistoryPort } from '../../core/resolve/history/upstream-history.js';

// The sync's implementation of the "upstream history of a path" port, read from its git cache:
// upstream's commits on the path (`git log --raw <upstream> -- <path>`) with the contents of the
// newest versions, and the fork's commits on the path since the merge base (`<production>
// ^<upstream>`), each marked a cherry-pick of an upstream commit (same patch on upstream's side,
// `--cherry-mark`) or brought by a sync (a merge one of whose parents upstream already holds, or a
// commit of an upstream release an earlier sync fetched, such as a backport on a release branch).

/** Upstream versions looked at, newest first, and how many of them are read in full. */
const MAX_VERSIONS = 60;
const MAX_READ = 30;
const MAX_BLOB_BYTES = 1 << 20;
const MAX_FORK_COMMITS = 20;
/** Where the release sync keeps the upstream tags it fetched (cacheRefs.upstreamTag). */
const UPSTREAM_TAGS = 'refs/upstream/tags/*';

/** Runs git in one repository's cache: argument arrays only, never a shell. */
export type GitRunner = (args: string[], okCodes?: number[]) => Promise<{ code: number; stdout: Buffer }>;

/** The runner for the sync's own cache, when the git port is the product's GitCache. */
export function cacheRunner(git: GitPort, repo: string): GitRunner | null {
  if (!(git instanceof GitCache)) return null;
  return async (args, okCodes = [0]) => git.exec.run(args, { cwd: await git.open(repo), okCodes });
}

export interface GitHistoryInput {
  /** The upstream side of the sync (the sync branch's head, built from the release tag). */
  upstream: string;
  /** The fork's production branch head. */
  production: string;
}

export class GitUpstreamHistory implements UpstreamHistoryPort {
  constructor(
    private readonly input: GitHistoryInput,
    private readonly git: GitRunner,
  ) {}

  private async text(args: string[], okCodes = [0]): Promise<string> {
    return (await this.git(args, okCodes)).stdout.toString('utf8');
  }

  async historyOf(path: string): Promise<PathHistory | null> {
    const { upstream, production } = this.input;
    const log = await this.text([
      'log',
      '--raw',
      '--no-abbrev',
      '--no-renames',
      '--format=%x01%H',
      `-n${MAX_VERSIONS}`,
      upstream,
      '--',
      path,
    ]);
    const versions: Array<{ commit: string; blob: string | null }> = [];
    for (const chunk of log.split('\x01').slice(1)) {
      const [commit = '', ...rest] = chunk.split('\n');
      const raw = rest.find((l) => l.startsWith(':') && l.endsWith(`\t${path}`));
      const blob = raw?.split(/\s+/)[3] ?? null;
      if (blob && !/^0+$/.test(blob)) versions.push({ commit: commit.trim(), blob });
    }
    if (versions.length === 0) return null;
    const texts = await this.contents(versions.slice(0, MAX_READ).map((v) => v.blob as string));
    const forkBlob = (await this.text(['rev-parse', '--verify', '--quiet', `${production}:${path}`], [0, 1])).trim();
    return {
      upstream: versions.map((v) => ({ ...v, text: v.blob ? (texts.get(v.blob) ?? null) : null })),
      fork: await this.forkCommits(path),
      forkBlob: forkBlob || null,
    };
  }

  private async contents(blobs: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const utf8 = new TextDecoder('utf-8', { fatal: true });
    for (const blob of new Set(blobs)) {
      const size = Number((await this.text(['cat-file', '-s', blob])).trim());
      if (!(size <= MAX_BLOB_BYTES)) continue;
      const bytes = (await this.git(['cat-file', 'blob', blob])).stdout;
      try {
        out.set(blob, utf8.decode(bytes));
      } catch {
        // Binary or not UTF-8: compared by blob id only.
      }
    }
    return out;
  }

  private async forkCommits(path: string): Promise<ForkCommit[]> {
    const { upstream, production } = this.input;
    const marks = await this.text([
      'rev-list',
      '--cherry-mark',
      '--right-only',
      '--no-merges',
      `${upstream}...${production}`,
      '--',
      path,
    ]);
    const picked = new Set(
      marks
        .split('\n')
        .filter((l) => l.startsWith('='))
        .map((l) => l.slice(1).trim()),
    );
    const log = await this.text([
      'log',
      '--format=%x01%H%x00%P%x00%s',
      `-n${MAX_FORK_COMMITS}`,
      production,
      `^${upstream}`,
      '--',
      path,
    ]);
    const released = await this.olderReleases();
    const out: ForkCommit[] = [];
    for (const entry of log.split('\x01').slice(1)) {
      const [commit = '', parents = '', subject = ''] = entry.trim().split('\x00');
      const ps = parents.split(' ').filter(Boolean);
      // An upstream commit an earlier sync brought in (a backport on a release branch the new
      // release does not descend from) is upstream's text, not the fork's intent.
      let sync = released.has(commit);
      for (const p of ps.slice(1)) if (await this.isAncestor(p, upstream)) sync = true;
      // A backport in an upstream release has the patch of upstream's own fix: upstream's, not a pick.
      out.push({ commit, upstreamCommit: picked.has(commit) && !released.has(commit), syncCommit: sync, subject });
    }
    return out;
  }

  /**
   * Commits of the upstream releases earlier syncs fetched into this cache (refs/upstream/tags/*)
   * that the new upstream side lacks. A fresh cache knows none: such commits then count as the
   * fork's own, and a person decides, which is the safe direction.
   */
  private async olderReleases(): Promise<Set<string>> {
    const r = await this.git(['rev-list', `--glob=${UPSTREAM_TAGS}`, `^${this.input.upstream}`], [0, 128]);
    return new Set(r.code === 0 ? r.stdout.toString('utf8').split('\n').filter(Boolean) : []);
  }

  private async isAncestor(a: string, b: string): Promise<boolean> {
    return (await this.git(['merge-base', '--is-ancestor', a, b], [0, 1])).code === 0;
  }
}

/** The history port for a sync, or undefined (the history layer stays silent) without a git cache. */
export function historyFor(
  git: GitPort,
  repo: string,
  heads: { head: string; production: string },
): UpstreamHistoryPort | undefined {
  const run = cacheRunner(git, repo);
  return run ? new GitUpstreamHistory({ upstream: heads.head, production: heads.production }, run) : undefined;
}
