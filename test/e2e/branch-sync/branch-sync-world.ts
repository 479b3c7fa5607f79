import type { GitHubSandbox } from '../../../src/sandbox/github/github-sandbox.js';
import { cliWorld, type CliRun, type CliWorld } from '../sync/cli-process.js';

// open-webui/open-webui and its fork acme/open-webui (dev one fork commit ahead of upstream main)
// in the GitHub stand-in, and the real `upstream-sync` process configured with a branch-sync
// pipeline `webui` (the seed's setup: sync/upstream kept merged with main, one PR into dev).

export const UPSTREAM = 'open-webui/open-webui';
export const FORK = 'acme/open-webui';
export const SYNC_BRANCH = 'sync/upstream';
export const BOT = { name: 'Webui Bot', email: 'bot@acme.test' };

export function branchSyncConfig(extra = ''): string {
  return `
git:
  author: { name: ${BOT.name}, email: ${BOT.email} }
pipelines:
  - id: webui
    kind: branch-sync
    upstream: { repo: ${UPSTREAM}, branch: main }
    fork: { repo: ${FORK}, syncBranch: ${SYNC_BRANCH}, targetBranch: dev }
    pr: { title: 'chore: sync with upstream', labels: [upstream-sync], reviewers: [devops-lead] }
    resolution: { rules: [ { paths: ['docs/**'], take: fork } ] }
${extra}`;
}

export async function seedWebui(sandbox: GitHubSandbox, options: { unrelatedUpstream?: boolean } = {}): Promise<void> {
  sandbox.registerUser({ login: 'acme-dev', name: 'Acme Dev', email: 'dev@acme.test' });
  sandbox.registerUser({ login: 'devops-lead', name: 'Devops Lead', email: 'lead@acme.test' });
  sandbox.registerUser({ login: 'upstream-dev', name: 'Upstream Dev', email: 'up@webui.test' });
  await sandbox.createRepo(UPSTREAM);
  const base = await sandbox.pushCommit(UPSTREAM, {
    branch: 'main',
    files: { 'README.md': 'open-webui\n', 'src/app.py': 'a = 1\nb = 2\nc = 3\n', 'docs/setup.md': 'setup\n' },
    message: 'initial',
    as: 'upstream-dev',
  });
  await sandbox.createRepo(FORK, { forkOf: UPSTREAM });
  if (options.unrelatedUpstream) {
    await sandbox.pushCommit(FORK, {
      branch: 'dev',
      files: { 'ACME.md': 'our own history\n' },
      message: 'acme: start from scratch',
      as: 'acme-dev',
    });
    return;
  }
  await sandbox.git(FORK, ['update-ref', 'refs/heads/main', base]);
  await sandbox.pushCommit(FORK, {
    branch: 'dev',
    from: base,
    files: { 'acme.py': 'acme = True\n' },
    message: 'feat: acme feature',
    as: 'acme-dev',
  });
}

/** Upstream moves: one commit on main. */
export function upstreamCommit(sandbox: GitHubSandbox, files: Record<string, string | null>, message: string) {
  return sandbox.pushCommit(UPSTREAM, { branch: 'main', files, message, as: 'upstream-dev' });
}

export interface BranchSyncWorld extends CliWorld {
  sync(...extra: string[]): Promise<CliRun & { line: Record<string, unknown> }>;
  /** Every commit on the sync branch's first-parent chain, newest first: "sha parents… subject". */
  syncLog(): Promise<string[]>;
}

export async function branchSyncWorld(
  options: { extraConfig?: string; unrelatedUpstream?: boolean } = {},
): Promise<BranchSyncWorld> {
  const w = await cliWorld({ config: branchSyncConfig(options.extraConfig), seed: false });
  await seedWebui(w.sandbox, options);
  return {
    ...w,
    sync: async (...extra) => {
      const run = await w.run(['sync', '--config', w.configFile, '--pipeline', 'webui', '--json', ...extra]);
      if (run.json.length !== 1) throw new Error(`expected one JSON line, got ${run.stdout.join('\n')}\n${run.stderr}`);
      return Object.assign(run, { line: run.json[0]! });
    },
    syncLog: async () =>
      (await w.sandbox.git(FORK, ['log', '--first-parent', '--format=%H %P|%an|%s', `refs/heads/${SYNC_BRANCH}`]))
        .trim()
        .split('\n'),
  };
}
