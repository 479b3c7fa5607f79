import { execFile } from 'node:child_process';
import { mkdir, writeFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

// Scratch repositories for tests, benchmarks and the demo: real git, argument arrays only, and a
// fixed identity and config so results never depend on the machine's ~/.gitconfig.

export const SANDBOX_IDENTITY = { name: 'Sandbox Author', email: 'sandbox@example.test' };

export function isolatedGitEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: SANDBOX_IDENTITY.name,
    GIT_AUTHOR_EMAIL: SANDBOX_IDENTITY.email,
    GIT_COMMITTER_NAME: SANDBOX_IDENTITY.name,
    GIT_COMMITTER_EMAIL: SANDBOX_IDENTITY.email,
    ...extra,
  };
}

export async function runGit(
  cwd: string,
  args: string[],
  options: { env?: Record<string, string>; input?: string } = {},
): Promise<string> {
  try {
    const child = execFileAsync('git', args, { cwd, env: isolatedGitEnv(options.env), maxBuffer: 256 * 1024 * 1024 });
    if (options.input !== undefined) {
      child.child.stdin?.end(options.input);
    }
    const { stdout } = await child;
    return stdout;
  } catch (err) {
    const e = err as Error & { stderr?: string };
    throw new Error(`git ${args.join(' ')} failed in ${cwd}: ${e.stderr?.trim() || e.message}`, { cause: err });
  }
}

export async function initBare(dir: string, defaultBranch = 'main'): Promise<string> {
  await mkdir(dir, { recursive: true });
  await runGit(dir, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`]);
  return dir;
}

/** A non-bare repository with helpers to write history quickly. */
export class ScratchRepo {
  private constructor(readonly dir: string) {}

  static async init(dir: string, branch = 'main'): Promise<ScratchRepo> {
    await mkdir(dir, { recursive: true });
    await runGit(dir, ['init', '--quiet', `--initial-branch=${branch}`]);
    return new ScratchRepo(dir);
  }

  static async clone(url: string, dir: string): Promise<ScratchRepo> {
    await mkdir(dirname(dir), { recursive: true });
    await runGit(dirname(dir), ['clone', '--quiet', url, dir]);
    return new ScratchRepo(dir);
  }

  git(args: string[], options?: { env?: Record<string, string>; input?: string }): Promise<string> {
    return runGit(this.dir, args, options);
  }

  /** Writes (string) or deletes (null) files, stages them and commits. Returns the new sha. */
  async commit(
    files: Record<string, string | null>,
    message: string,
    options: { author?: { name: string; email: string }; date?: string } = {},
  ): Promise<string> {
    for (const [path, content] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (content === null) {
        await rm(full, { force: true });
      } else {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(full, content);
      }
    }
    await this.git(['add', '--all']);
    const env: Record<string, string> = {};
    if (options.author) {
      env.GIT_AUTHOR_NAME = options.author.name;
      env.GIT_AUTHOR_EMAIL = options.author.email;
    }
    if (options.date) {
      env.GIT_AUTHOR_DATE = options.date;
      env.GIT_COMMITTER_DATE = options.date;
    }
    await this.git(['commit', '--quiet', '--allow-empty', '-m', message], { env });
    return this.head();
  }

  async head(): Promise<string> {
    return (await this.git(['rev-parse', 'HEAD'])).trim();
  }

  async checkout(branch: string, options: { create?: boolean; from?: string } = {}): Promise<void> {
    const args = ['checkout', '--quiet'];
    if (options.create) args.push('-b', branch, ...(options.from ? [options.from] : []));
    else args.push(branch);
    await this.git(args);
  }

  /** Merge commit (always two parents); throws on conflicts. */
  async merge(rev: string, message: string): Promise<string> {
    await this.git(['merge', '--quiet', '--no-ff', '--no-edit', '-m', message, rev]);
    return this.head();
  }

  async tag(name: string, options: { message?: string; rev?: string } = {}): Promise<void> {
    const args = options.message ? ['tag', '-a', name, '-m', options.message] : ['tag', name];
    if (options.rev) args.push(options.rev);
    await this.git(args);
  }

  async push(remote: string, refspecs: string[]): Promise<void> {
    await this.git(['push', '--quiet', remote, ...refspecs]);
  }
}
