import type { Logger } from 'pino';
import type { BranchPushResult, BranchUpdate, Remote } from '../../ports.js';
import { AppError, isTransient } from '../../errors.js';
import { authEnv, resolveToken, type TokenSource } from './git-auth.js';
import { classifyGitFailure, type GitExec } from './git-exec.js';
import { scrub } from '../../redact.js';
import { assertCloneUrl, assertRefName, assertRefspec, assertRev, redactUrl } from './git-names.js';

export interface TransportOptions {
  /** GitHub token (or a function returning a fresh one) for HTTPS remotes. */
  token?: TokenSource;
  /** Attempts for fetch/push on network trouble (5xx, resets). Default 4. */
  attempts?: number;
  /** Waits between attempts; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Talking to remotes: fetch and push. Transient failures (a 502 from the server, a reset
// connection) are retried here, because a fetch or an idempotent push is safe to repeat.
export class GitTransport {
  constructor(
    private readonly exec: GitExec,
    private readonly open: (repo: string) => Promise<string>,
    private readonly log: Logger,
    private readonly options: TransportOptions,
  ) {}

  private async withRetry<T>(what: string, fn: () => Promise<T>): Promise<T> {
    const attempts = this.options.attempts ?? 4;
    const sleep = this.options.sleep ?? defaultSleep;
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!isTransient(err) || attempt >= attempts) throw err;
        this.log.warn({ what, attempt, code: (err as AppError).code }, 'git transport failed, retrying');
        await sleep(250 * 2 ** (attempt - 1));
      }
    }
  }

  async fetch(remote: Remote, refspecs: string[], into: string, prune = false): Promise<void> {
    const url = assertCloneUrl(remote.cloneUrl);
    if (refspecs.length === 0) return;
    refspecs.forEach(assertRefspec);
    const cwd = await this.open(into);
    await this.withRetry('fetch', async () => {
      const env = authEnv(url, await resolveToken(this.options.token));
      // --no-tags: tags arrive only through explicit refspecs, so a hostile upstream tag name never
      // lands in the cache unasked. No FETCH_HEAD: parallel fetches into one cache do not race on it.
      await this.exec.run(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          '--no-write-fetch-head',
          '--no-auto-gc',
          ...(prune ? ['--prune'] : []),
          '--',
          url,
          ...refspecs,
        ],
        { cwd, env },
      );
    });
    this.log.debug({ repo: remote.repo, into, url: redactUrl(url), refspecs: refspecs.length }, 'fetched');
  }

  /**
   * One `git push` for several branches, each with its own compare-and-swap lease. Returns a
   * verdict per branch (a rejection is an answer here, not an error); transport failures throw.
   */
  async pushBranches(
    remote: Remote,
    updates: readonly BranchUpdate[],
    isAncestor: (a: string, d: string) => Promise<boolean>,
  ): Promise<BranchPushResult[]> {
    const url = assertCloneUrl(remote.cloneUrl);
    const results = new Map<string, BranchPushResult>();
    const flags: string[] = [];
    const refspecs: string[] = [];
    for (const update of updates) {
      assertRefName(update.branch, 'branch');
      const sha = assertRev(update.sha);
      if (update.expected !== null && update.expected !== sha && !(await isAncestor(assertRev(update.expected), sha))) {
        results.set(update.branch, {
          branch: update.branch,
          ok: false,
          reason: `the new commit does not descend from ${update.expected.slice(0, 12)}`,
        });
        continue;
      }
      // The lease is a compare-and-swap, not a force: with the ancestry check above, every update
      // it allows is a fast-forward from the value we expect (or a creation when we expect none).
      const ref = `refs/heads/${update.branch}`;
      flags.push(`--force-with-lease=${ref}:${update.expected ?? ''}`);
      refspecs.push(`${sha}:${ref}`);
    }
    if (refspecs.length > 0) {
      const verdicts = await this.pushRefspecs(remote, url, flags, refspecs);
      for (const update of updates) {
        if (results.has(update.branch)) continue;
        const verdict = verdicts.get(`refs/heads/${update.branch}`);
        results.set(update.branch, {
          branch: update.branch,
          ok: verdict?.ok ?? false,
          reason: verdict?.ok ? null : (verdict?.reason ?? 'no verdict from git'),
        });
      }
    }
    return updates.map((u) => results.get(u.branch) as BranchPushResult);
  }

  /**
   * The mirror's force sync: the lease names the exact head the person saw in the report, so a
   * target that moved since is never overwritten (git answers "stale info").
   */
  async forcePushWithLease(
    remote: Remote,
    input: { branch: string; sha: string; lease: string },
  ): Promise<BranchPushResult> {
    const url = assertCloneUrl(remote.cloneUrl);
    assertRefName(input.branch, 'branch');
    const ref = `refs/heads/${input.branch}`;
    const flags = [`--force-with-lease=${ref}:${assertRev(input.lease)}`];
    const verdict = (await this.pushRefspecs(remote, url, flags, [`${assertRev(input.sha)}:${ref}`])).get(ref);
    return {
      branch: input.branch,
      ok: verdict?.ok ?? false,
      reason: verdict?.ok ? null : (verdict?.reason ?? 'no verdict from git'),
    };
  }

  async pushTag(remote: Remote, name: string, from?: string): Promise<void> {
    const url = assertCloneUrl(remote.cloneUrl);
    assertRefName(name, 'tag');
    const ref = `refs/tags/${name}`;
    // No "+" and no force: git refuses to move a tag that already exists on the remote.
    const verdict = (await this.pushRefspecs(remote, url, [], [`${from ?? ref}:${ref}`])).get(ref);
    if (!verdict?.ok)
      throw new AppError('push_rejected', `push of tag ${name} to ${remote.repo} was rejected`, {
        details: { ref: name, reason: verdict?.reason ?? 'rejected' },
      });
  }

  private async pushRefspecs(
    remote: Remote,
    url: string,
    flags: string[],
    refspecs: string[],
  ): Promise<Map<string, { ok: boolean; reason: string }>> {
    const cwd = await this.open(remote.repo);
    return this.withRetry('push', async () => {
      const env = authEnv(url, await resolveToken(this.options.token));
      const result = await this.exec.run(['push', '--porcelain', '--no-verify', ...flags, '--', url, ...refspecs], {
        cwd,
        env,
        okCodes: [0, 1],
      });
      const verdicts = parsePorcelain(result.stdout.toString('utf8'));
      if (verdicts.size > 0) return verdicts;
      // No per-ref verdict: the transport failed; classify like any git failure (5xx is retried).
      const stderr = scrub(result.stderr.trim()).slice(-2000);
      throw new AppError(
        classifyGitFailure(stderr),
        `push to ${remote.repo} failed: ${stderr.split('\n').slice(-2).join(' | ')}`,
      );
    });
  }
}

/** `git push --porcelain`: `<flag>\t<src>:<dst>\t<summary>` per ref; `!` is a rejection, `=` up to date. */
function parsePorcelain(stdout: string): Map<string, { ok: boolean; reason: string }> {
  const verdicts = new Map<string, { ok: boolean; reason: string }>();
  for (const line of stdout.split('\n')) {
    const m = /^([ +\-*!=])\t[^\t]*:([^\t]+)\t(.*)$/.exec(line);
    if (m) verdicts.set(m[2] as string, { ok: m[1] !== '!', reason: m[3] as string });
  }
  return verdicts;
}
