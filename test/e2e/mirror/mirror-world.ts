import type { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { cliWorld, type CliWorld } from '../sync/cli-process.js';

// o9nn/occ (the source) and cogpy/occ (its mirror, forked at the same commit), driven through
// the real `upstream-sync` process.

export const SOURCE = 'o9nn/occ';
export const TARGET = 'cogpy/occ';

export const MIRROR_CONFIG = `
git:
  author: { name: OCC Sync Bot, email: occ-sync@example.com }
pipelines:
  - id: occ
    kind: mirror
    source: { repo: ${SOURCE}, branch: main }
    target: { repo: ${TARGET}, branch: main }
    tags: 'v*'
    after: { workflows: ['OCC Windows Build'] }
`;

export interface MirrorWorld extends CliWorld {
  base: string;
  sync(...extra: string[]): ReturnType<CliWorld['run']>;
}

/** `allowForce`: the target accepts non-fast-forward pushes (as GitHub does without protection). */
export async function seedMirror(sandbox: GitHubSandbox, options: { allowForce?: boolean } = {}): Promise<string> {
  sandbox.registerUser({ login: 'occ-dev', name: 'Occ Dev', email: 'dev@occ.test' });
  sandbox.registerUser({ login: 'cogpy-dev', name: 'Cogpy Dev', email: 'dev@cogpy.test' });
  await sandbox.createRepo(SOURCE);
  const base = await sandbox.pushCommit(SOURCE, {
    branch: 'main',
    files: { 'README.md': 'occ\n', 'src/core.c': 'int a = 1;\nint b = 2;\nint c = 3;\n' },
    message: 'occ: initial',
    as: 'occ-dev',
  });
  // By default the target refuses any force over git, so an unintended one fails loudly.
  await sandbox.createRepo(TARGET, { forkOf: SOURCE, denyNonFastForwards: !options.allowForce });
  await sandbox.git(TARGET, ['update-ref', 'refs/heads/main', base]);
  return base;
}

export async function mirrorWorld(options: { config?: string; allowForce?: boolean } = {}): Promise<MirrorWorld> {
  const w = await cliWorld({ config: options.config ?? MIRROR_CONFIG, seed: false });
  const base = await seedMirror(w.sandbox, options);
  return Object.assign(w, {
    base,
    sync: (...extra: string[]) => w.run(['sync', '--config', w.configFile, '--pipeline', 'occ', '--json', ...extra]),
  });
}

/** One side's commit on main: its files and message. */
export interface Side {
  files: Record<string, string>;
  message: string;
}

/** Both sides move on from the fork point: one commit on the source's main (by occ-dev), then one on the target's (by cogpy-dev). */
export async function diverge(sandbox: GitHubSandbox, source: Side, target: Side): Promise<{ s1: string; t1: string }> {
  const s1 = await sourceCommit(sandbox, source.files, source.message);
  const t1 = await targetCommit(sandbox, target.files, target.message);
  return { s1, t1 };
}

/** The source moves: one commit on main by occ-dev. */
export function sourceCommit(sandbox: GitHubSandbox, files: Record<string, string>, message: string) {
  return sandbox.pushCommit(SOURCE, { branch: 'main', files, message, as: 'occ-dev' });
}

/** The target moves: one commit on main by cogpy-dev. */
export function targetCommit(sandbox: GitHubSandbox, files: Record<string, string>, message: string) {
  return sandbox.pushCommit(TARGET, { branch: 'main', files, message, as: 'cogpy-dev' });
}

/** The divergence most tests start from: both sides changed a.c. */
export const BOTH_CHANGED_A: [Side, Side] = [
  { files: { 'a.c': 'source\n' }, message: 'source: a' },
  { files: { 'a.c': 'target\n' }, message: 'target: a' },
];

/** Refs of a repository under a prefix, as `name sha` lines (for before/after comparisons). */
export async function refsOf(sandbox: GitHubSandbox, repo: string, prefix = 'refs/'): Promise<string> {
  return sandbox.git(repo, ['for-each-ref', '--format=%(refname) %(objectname)', prefix]);
}
