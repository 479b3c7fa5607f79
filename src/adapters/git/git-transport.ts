import type { Logger } from 'pino';
import type { BranchPushResult, BranchUpdate, Remote } from '../../ports.js';
import { AppError, isAppError, isTransient } from '../../errors.js';
import { authEnv, resolveToken, type TokenSource } from './git-auth.js';
import { classifyGitFailure, type GitExec } from './git-exec.js';
import { scrub } from '../../redact.js';
import { assertCloneUrl, assertRefName, assertRefspec, assertRev, redactUrl } from './git-names.js';

export interface TransportOptions {
  /** GitHub token (or a function returning a fresh one) for HTTPS remotes. */
  token?: TokenSource;
  /** Attempts for fetch/push on network trouble (5xx, resets, 403/429). Default 4: the REST client's 1 + 3 retries. */
  attempts?: number;
  /** Waits between attempts; tests pass a no-op. */
  sleep?: (ms: number) => Promise<void>;
}

const RETRY_BASE_MS = 1000;
const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// Talking to remotes: fetch and push. Transient failures (a 502 from the server, a reset
// connection) are retried here, because a fetch or an idempotent push is safe to repeat. A 403
// is retried too, with the same bounds as the REST client: GitHub answers a rate-limited git
// request with a bare 403 that git cannot tell from a missing permission, so a permanent 403
// costs three short waits and a rate limit no longer ends the run at once.
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
        if (!(isTransient(err) || isAppError(err, 'forbidden')) || attempt >= attempts) throw err;
        this.log.warn({ what, attempt, code: (err as AppError).code }, 'git transport failed, retrying');
        // plugin-retry's schedule: retry n waits n² seconds.
        await sleep(RETRY_BASE_MS * attempt ** 2);
      }
    }
  }

  async fetch(remote: Remote, refspecs: string[], into: string, prune = false): Promise<void> {
    const url = assertCloneUrl(remote.cloneUrl);
    if (refspecs.length === 0) return;
    refspecs.forEach(assertRefspec);
    const cwd = await this.open(into);
    await this.withRetry('fetch', async () => {
      const env = authEnv(url, await resolveToken(this.options.token, url));
      // --no-tags: tags arrive only through explicit refspecs, so a hostile upstream tag name never
      // lands in the cache unasked. No FETCH_HEAD: parallel fetches into one cache do not race on it.
      await this.exec.run(
        [
          'fetch',
          '--quiet',
          '--no-tags',
          '--no-write-fetch-head',
          '--no-auto-gc',
          // The forced-update check only feeds fetch's report (we run --quiet) but walks history
          // from each ref's old value: on a long history it is pure cost.
          '--no-show-forced-updates',
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
          cause: 'race',
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
        results.set(
          update.branch,
          verdict?.ok
            ? { branch: update.branch, ok: true, reason: null }
            : {
                branch: update.branch,
                ok: false,
                reason: verdict?.reason ?? 'no verdict from git',
                cause: verdict?.cause ?? 'race',
              },
        );
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
  ): Promise<Map<string, PushVerdict>> {
    const cwd = await this.open(remote.repo);
    return this.withRetry('push', async () => {
      const env = authEnv(url, await resolveToken(this.options.token, url));
      const result = await this.exec.run(['push', '--porcelain', '--no-verify', ...flags, '--', url, ...refspecs], {
        cwd,
        env,
        okCodes: [0, 1],
      });
      const verdicts = parsePorcelain(result.stdout.toString('utf8'), scrub(result.stderr));
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

interface PushVerdict {
  ok: boolean;
  reason: string;
  cause?: 'race' | 'policy' | 'collateral';
}

/**
 * receive-pack's own words when the ref moved after it advertised it (another push landed between
 * the advertisement and the update, e.g. a killed run's push arriving late): the compare-and-swap
 * lost a race, which a rerun from a fresh fetch settles. Not a hook or a protection saying no.
 */
const LOST_REF_UPDATE =
  /\((?:failed to update ref|failed to lock|cannot lock ref|incorrect old value provided|reference already exists)\b/;

/**
 * `git push --porcelain`: `<flag>\t<src>:<dst>\t<summary>` per ref; `!` is a rejection, `=` up to
 * date. A hook or branch protection declines the whole push and every ref reads "[remote rejected]
 * (pre-receive hook declined)"; the server's own lines on stderr (GitHub's GH006) name the ref it
 * refused, so that ref gets the server's reason and the others are marked collateral.
 */
function parsePorcelain(stdout: string, stderr: string): Map<string, PushVerdict> {
  const verdicts = new Map<string, PushVerdict>();
  const remoteLines = stderr
    .split('\n')
    .filter((l) => l.startsWith('remote:'))
    .map((l) => l.slice('remote:'.length).trim())
    .filter((l) => l.length > 0);
  for (const line of stdout.split('\n')) {
    const m = /^([ +\-*!=])\t[^\t]*:([^\t]+)\t(.*)$/.exec(line);
    if (!m) continue;
    const ref = m[2] as string;
    const summary = m[3] as string;
    if (m[1] !== '!') {
      verdicts.set(ref, { ok: true, reason: summary });
      continue;
    }
    const policy = summary.includes('remote rejected') && !LOST_REF_UPDATE.test(summary);
    verdicts.set(ref, { ok: false, reason: summary, cause: policy ? 'policy' : 'race' });
  }
  const named = (ref: string) => remoteLines.filter((l) => l.includes(ref)).map((l) => l.slice(0, 300));
  const refused = [...verdicts].filter(([ref, v]) => v.cause === 'policy' && named(ref).length > 0);
  if (refused.length > 0) {
    for (const [ref, v] of verdicts) {
      if (v.cause !== 'policy') continue;
      const lines = named(ref);
      if (lines.length > 0) verdicts.set(ref, { ...v, reason: `${v.reason}: ${lines.join(' ')}` });
      else
        verdicts.set(ref, {
          ...v,
          reason: `declined with the rest of the push (the server refused ${refused.map(([r]) => r.replace(/^refs\/heads\//, '')).join(', ')})`,
          cause: 'collateral',
        });
    }
  }
  return verdicts;
}
