import { spawn } from 'node:child_process';
import type { Logger } from 'pino';
import { AppError, type ErrorCode } from '../../errors.js';
import { scrub } from '../../redact.js';

// The one place that starts git. Argument arrays only (no shell), a clean environment (never the
// machine's or the user's git config, which may be empty in containers or hostile elsewhere), and
// an exit-code contract: callers list the codes that are answers rather than failures.

export interface GitRunOptions {
  cwd: string;
  /** Extra environment, e.g. auth config or an index file. */
  env?: Record<string, string>;
  input?: string | Buffer;
  /** Exit codes that are answers (e.g. 1 from merge-base --is-ancestor). Default [0]. */
  okCodes?: number[];
  timeoutMs?: number;
}

export interface GitRunResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export interface GitStats {
  calls: number;
  /** Calls and wall time per git subcommand (`fetch`, `merge-base`, …): where a sync spends its git time. */
  byCommand: Record<string, { calls: number; ms: number }>;
}

const BASE_ENV_KEYS = ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT'];

function baseEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of BASE_ENV_KEYS) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return {
    ...env,
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    // ext:: and fd:: would run commands; ssh is not how we talk to GitHub.
    GIT_ALLOW_PROTOCOL: 'https:http:file',
    GIT_OPTIONAL_LOCKS: '0',
  };
}

/** Maps git's stderr to an error code so that network trouble is retried and the rest is not. */
export function classifyGitFailure(stderr: string): ErrorCode {
  const text = stderr.toLowerCase();
  if (/no space left on device|disk quota exceeded/.test(text)) return 'disk_full';
  if (/returned error: 429|rate limit/.test(text)) return 'rate_limited';
  if (/returned error: 5\d\d|rpc failed|early eof|unexpected disconnect|the remote end hung up/.test(text))
    return 'unavailable';
  if (
    /could not resolve host|failed to connect|connection refused|connection reset|timed out|couldn't connect|empty reply/.test(
      text,
    )
  )
    return 'network';
  if (/returned error: 401|authentication failed|could not read username/.test(text)) return 'unauthorized';
  if (/returned error: 403/.test(text)) return 'forbidden';
  if (/returned error: 404|repository .* not found|couldn't find remote ref/.test(text)) return 'not_found';
  return 'git_failed';
}

export class GitExec {
  readonly stats: GitStats = { calls: 0, byCommand: {} };

  constructor(private readonly log: Logger) {}

  async run(args: string[], options: GitRunOptions): Promise<GitRunResult> {
    this.stats.calls += 1;
    const okCodes = options.okCodes ?? [0];
    const started = performance.now();
    const result = await spawnGit(args, options);
    const entry = (this.stats.byCommand[commandName(args)] ??= { calls: 0, ms: 0 });
    entry.calls += 1;
    entry.ms += performance.now() - started;
    if (!okCodes.includes(result.code)) {
      const stderr = scrub(result.stderr.trim()).slice(0, 4000);
      const code = result.code === -1 ? 'timeout' : classifyGitFailure(stderr);
      // Arguments may hold untrusted names; they are data in a log field, never a command line.
      this.log.debug({ args: args.map(scrub), exitCode: result.code, stderr }, 'git command failed');
      throw new AppError(
        code,
        `git ${args[0] ?? ''} failed (exit ${result.code}): ${stderr.split('\n').slice(-3).join(' | ')}`,
        {
          details: { command: args[0], exitCode: result.code },
        },
      );
    }
    return result;
  }

  async text(args: string[], options: GitRunOptions): Promise<string> {
    return (await this.run(args, options)).stdout.toString('utf8');
  }
}

/** The subcommand, skipping leading `-c key=value` options (auth config comes first for transports). */
function commandName(args: readonly string[]): string {
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] as string;
    if (arg === '-c') i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return '(none)';
}

function spawnGit(args: string[], options: GitRunOptions): Promise<GitRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...baseEnv(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      shell: false,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGKILL');
      },
      options.timeoutMs ?? 15 * 60_000,
    );
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new AppError('git_failed', `cannot start git: ${e.message}`, { cause: e }));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code: timedOut ? -1 : (code ?? -1),
        stdout: Buffer.concat(out),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    // EPIPE when git exits before reading all input (e.g. a failed commit-tree) is reported by close.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
