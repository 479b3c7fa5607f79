import type { Logger } from 'pino';
import type { Remote } from '../../ports.js';
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

  async fetch(remote: Remote, refspecs: string[], into: string): Promise<void> {
    const url = assertCloneUrl(remote.cloneUrl);
    if (refspecs.length === 0) return;
    refspecs.forEach(assertRefspec);
    const cwd = await this.open(into);
    await this.withRetry('fetch', async () => {
      const env = authEnv(url, await resolveToken(this.options.token));
      // --no-tags: tags arrive only through explicit refspecs, so a hostile upstream tag name never
      // lands in the cache unasked. No FETCH_HEAD: parallel fetches into one cache do not race on it.
      await this.exec.run(['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--no-auto-gc', '--', url, ...refspecs], { cwd, env });
    });
    this.log.debug({ repo: remote.repo, into, url: redactUrl(url), refspecs: refspecs.length }, 'fetched');
  }

  async push(remote: Remote, input: { sha: string; branch: string; expected: string | null }, isAncestor: (a: string, d: string) => Promise<boolean>): Promise<void> {
    const url = assertCloneUrl(remote.cloneUrl);
    assertRefName(input.branch, 'branch');
    const sha = assertRev(input.sha);
    const ref = `refs/heads/${input.branch}`;
    if (input.expected !== null && input.expected !== sha && !(await isAncestor(assertRev(input.expected), sha))) {
      throw new AppError('push_rejected', `refusing to push ${input.branch}: the new commit does not descend from ${input.expected.slice(0, 12)}`, {
        details: { branch: input.branch },
      });
    }
    // The lease is a compare-and-swap, not a force: with the ancestry check above, every update it
    // allows is a fast-forward from the value we expect (or a creation when we expect none).
    const lease = `--force-with-lease=${ref}:${input.expected ?? ''}`;
    await this.pushRefspec(remote, url, [lease], `${sha}:${ref}`, input.branch);
  }

  async pushTag(remote: Remote, name: string): Promise<void> {
    const url = assertCloneUrl(remote.cloneUrl);
    assertRefName(name, 'tag');
    const ref = `refs/tags/${name}`;
    await this.pushRefspec(remote, url, [], `${ref}:${ref}`, name);
  }

  private async pushRefspec(remote: Remote, url: string, flags: string[], refspec: string, name: string): Promise<void> {
    const cwd = await this.open(remote.repo);
    await this.withRetry('push', async () => {
      const env = authEnv(url, await resolveToken(this.options.token));
      const result = await this.exec.run(['push', '--porcelain', '--no-verify', ...flags, '--', url, refspec], { cwd, env, okCodes: [0, 1] });
      const status = parsePushStatus(result.stdout.toString('utf8'));
      if (result.code === 0 && status !== '!') return;
      if (status === '!' || /\[rejected\]|\[remote rejected\]|stale info|already exists|non-fast-forward/.test(result.stderr + result.stdout.toString('utf8'))) {
        throw new AppError('push_rejected', `push of ${name} to ${remote.repo} was rejected`, {
          details: { ref: name, reason: pushReason(result.stdout.toString('utf8')) },
        });
      }
      // Exit 1 without a per-ref verdict: the transport failed; classify like any git failure.
      const stderr = scrub(result.stderr.trim()).slice(-2000);
      throw new AppError(classifyGitFailure(stderr), `push of ${name} to ${remote.repo} failed: ${stderr.split('\n').slice(-2).join(' | ')}`);
    });
  }
}

/** The flag of the single ref line in `git push --porcelain` output (` `, `+`, `-`, `*`, `!`, `=`). */
function parsePushStatus(stdout: string): string | null {
  const line = stdout.split('\n').find((l) => /^[ +\-*!=]\t/.test(l));
  return line ? (line[0] as string) : null;
}

function pushReason(stdout: string): string {
  const line = stdout.split('\n').find((l) => l.startsWith('!\t'));
  return line?.split('\t')[2] ?? 'rejected';
}
