import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BareGit, gitRun } from './bare-git.js';
import type { RepoState } from './state.js';

// The repositories the stand-in serves: one bare repository per "owner/name" under a root that
// is also git http-backend's GIT_PROJECT_ROOT, so clone URLs and API answers share one truth.

export interface CreateRepoOptions {
  defaultBranch?: string;
  /** "owner/name" of an existing sandbox repository: the new one starts as its bare clone. */
  forkOf?: string;
  /**
   * Git receive settings. Both default to true so that any force push or ref deletion over git
   * fails loudly; branch deletion through the REST API still works, as on GitHub.
   */
  denyNonFastForwards?: boolean;
  denyDeletes?: boolean;
}

const SLUG = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

// Branch protection for pushes over git: receive-pack runs this hook in the bare repository, and
// it refuses any update to a ref listed in `protected-refs` (the REST side checks the same map).
const PRE_RECEIVE = `#!/bin/sh
[ -f protected-refs ] || exit 0
status=0
while read old new ref; do
  if grep -qxF "$ref" protected-refs; then
    echo "error: GH006: Protected branch update failed for $ref." >&2
    status=1
  fi
done
exit $status
`;

export class RepoStore {
  private readonly repos = new Map<string, RepoState>();
  private nextId = 1000;

  constructor(readonly root: string) {}

  /** A sequence shared by every object that has an id (repos, releases, comments, checks). */
  newId(): number {
    return this.nextId++;
  }

  get(fullName: string): RepoState | undefined {
    return this.repos.get(fullName.toLowerCase());
  }

  all(): RepoState[] {
    return [...this.repos.values()];
  }

  pathOf(fullName: string): string {
    return join(this.root, `${fullName}.git`);
  }

  async create(fullName: string, options: CreateRepoOptions = {}): Promise<RepoState> {
    if (!SLUG.test(fullName) || fullName.includes('..')) throw new Error(`invalid repository name: ${fullName}`);
    if (this.get(fullName)) throw new Error(`repository already exists: ${fullName}`);
    const path = this.pathOf(fullName);
    const parent = options.forkOf ? this.get(options.forkOf) : undefined;
    if (options.forkOf && !parent) throw new Error(`fork parent does not exist: ${options.forkOf}`);
    const defaultBranch = options.defaultBranch ?? parent?.defaultBranch ?? 'main';
    await mkdir(path, { recursive: true });
    if (parent) {
      const r = await gitRun(this.root, ['clone', '--quiet', '--bare', parent.path, path]);
      if (r.code !== 0) throw new Error(`cannot fork ${parent.fullName}: ${r.stderr.trim()}`);
      const git = new BareGit(path);
      await git.run(['remote', 'remove', 'origin']);
      await git.run(['symbolic-ref', 'HEAD', `refs/heads/${defaultBranch}`]);
    } else {
      await gitRun(path, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`]);
    }
    const git = new BareGit(path);
    // Appended in one write rather than one `git config` process per setting. http-backend
    // refuses pushes unless receivepack is on; the token check happens before it runs.
    await appendFile(
      join(path, 'config'),
      [
        '[receive]',
        `\tdenyNonFastForwards = ${options.denyNonFastForwards ?? true}`,
        `\tdenyDeletes = ${options.denyDeletes ?? true}`,
        '[http]',
        '\treceivepack = true',
        '[uploadpack]',
        '\tallowAnySHA1InWant = true',
        '',
      ].join('\n'),
    );
    await mkdir(join(path, 'hooks'), { recursive: true });
    await writeFile(join(path, 'hooks', 'pre-receive'), PRE_RECEIVE, { mode: 0o755 });
    const [owner, name] = fullName.split('/') as [string, string];
    const state: RepoState = {
      id: this.newId(),
      owner,
      name,
      fullName,
      defaultBranch,
      parent: parent?.fullName ?? null,
      path,
      git,
      releases: [],
      pulls: [],
      comments: [],
      checkRuns: [],
      statuses: [],
      protectedBranches: new Map(),
      nextIssueNumber: 1,
    };
    this.repos.set(fullName.toLowerCase(), state);
    return state;
  }

  async protect(repo: RepoState, branch: string, requiredChecks: string[]): Promise<void> {
    repo.protectedBranches.set(branch, { requiredChecks });
    const refs = [...repo.protectedBranches.keys()].map((b) => `refs/heads/${b}`);
    await writeFile(join(repo.path, 'protected-refs'), refs.join('\n') + '\n');
  }
}
