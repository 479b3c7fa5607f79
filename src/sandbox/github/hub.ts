import { notFound } from './router.js';
import type { RepoStore } from './repo-store.js';
import type { SandboxUser, Shapes } from './shapes.js';
import type { DispatchRecord, MergeRecord, PullRecord, RepoState } from './state.js';
import type { WebhookEmitter } from './webhook-emitter.js';

// Everything the route handlers share: the repositories, the people, the recorders of actions
// tests assert on, and webhook emission with GitHub's payload envelope.

export class Hub {
  readonly users = new Map<string, SandboxUser>();
  readonly orgMembers = new Map<string, Set<string>>();
  readonly merges: MergeRecord[] = [];
  readonly dispatches: DispatchRecord[] = [];
  /** Pull requests with a merge under way: GitHub merges one PR once, whoever clicks first. */
  readonly merging = new Set<PullRecord>();
  /**
   * A workflow's `run-name:`, per workflow file, from its dispatch inputs; without one the run's
   * display title is the workflow's name, as on GitHub.
   */
  readonly runNames = new Map<string, (inputs: Record<string, unknown>) => string>();
  /** How many reads of a new or just-pushed pull request report mergeable null (GitHub computes it lazily). */
  unknownMergeableReads = 0;

  constructor(
    readonly store: RepoStore,
    readonly shapes: Shapes,
    readonly webhooks: WebhookEmitter,
    private readonly clock: () => Date,
  ) {}

  now(): string {
    return this.clock()
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
  }

  userByEmail(email: string): SandboxUser | undefined {
    const lower = email.toLowerCase();
    for (const user of this.users.values()) if (user.email.toLowerCase() === lower) return user;
    return undefined;
  }

  identity(login: string): { name: string; email: string } {
    const user = this.users.get(login);
    return user
      ? { name: user.name, email: user.email }
      : { name: login, email: `${login}@users.noreply.sandbox.test` };
  }

  /** The repository named by route params, or a 404 like GitHub's. */
  repo(params: Record<string, string>): RepoState {
    const repo = this.store.get(`${params.owner}/${params.repo}`);
    if (!repo) throw notFound();
    return repo;
  }

  pull(repo: RepoState, number: string | number): PullRecord {
    const pr = repo.pulls.find((p) => p.number === Number(number));
    if (!pr) throw notFound();
    return pr;
  }

  repoJson(repo: RepoState): Record<string, unknown> {
    const parent = repo.parent ? this.store.get(repo.parent) : undefined;
    return this.shapes.repo(repo, parent);
  }

  emit(repo: RepoState, event: string, payload: Record<string, unknown>, sender: string): void {
    this.webhooks.emit(event, { ...payload, repository: this.shapes.repo(repo), sender: this.shapes.user(sender) });
  }
}
