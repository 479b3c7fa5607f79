import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { tempDir } from '../../helpers/tmp.js';
import { seedRepos } from '../../pipelines/release-sync/harness.js';

// The real `upstream-sync` process (node + tsx, as in production) against the GitHub stand-in.

const CLI = fileURLToPath(new URL('../../../src/cli.ts', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string[];
  stderr: string;
  /** stdout lines parsed as JSON (throws if any line is not JSON). */
  json: Array<Record<string, unknown>>;
}

export interface CliWorld {
  sandbox: GitHubSandbox;
  dataDir: string;
  configFile: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], extraEnv?: NodeJS.ProcessEnv): Promise<CliRun>;
  start(args: string[], extraEnv?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<CliRun> };
}

const sandboxes: GitHubSandbox[] = [];
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  while (sandboxes.length) await sandboxes.pop()!.close();
});

export const CONFIG = `
git:
  author: { name: Cartofante, email: cartofante@carto.com }
pipelines:
  - id: litellm
    upstream: { repo: BerriAI/litellm, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: CartoDB/litellm, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    pr: { title: '🔄 Upstream Sync: LiteLLM {tag}', labels: [upstream-sync, automated] }
`;

export async function cliWorld(options: { config?: string; seed?: boolean } = {}): Promise<CliWorld> {
  const sandbox = await GitHubSandbox.start({ root: await tempDir('e2e-gh-') });
  sandboxes.push(sandbox);
  if (options.seed !== false) await seedRepos(sandbox);
  const root = await tempDir('e2e-cli-');
  const dataDir = join(root, 'data', 'not-yet-created');
  const configFile = join(root, 'upstream-sync.yml');
  await writeFile(configFile, options.config ?? CONFIG);
  // No Slack variables at all: the CLI must not need them.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: root,
    GITHUB_TOKEN: sandbox.token,
    GITHUB_API_URL: sandbox.url,
    UPSTREAM_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'info',
  };
  const start = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const done = once(child, 'close').then(([code, signal]) => {
      const stdout = out.split('\n').filter((l) => l.length > 0);
      return {
        code: code as number | null,
        signal: signal as NodeJS.Signals | null,
        stdout,
        stderr: err,
        get json() {
          return stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
        },
      };
    });
    return { child, done };
  };
  return { sandbox, dataDir, configFile, env, start, run: (args, extraEnv) => start(args, extraEnv).done };
}
