import type { Logger } from 'pino';
import type { ReleaseSyncConfig } from '../../config/schema.js';
import { enqueueRecheck, recheckJobInput } from '../../jobs/job-kinds.js';
import type { GitHubPort, PullRequest } from '../../ports.js';
import type { JobQueue } from '../../ports/jobs.js';

// The CI watcher's half of the drift re-check: with polling only (no push webhook), production
// moving under an open sync PR is noticed here and runs the same recheck job as the webhook. One
// recheck per production commit, whichever of poll and webhook sees it first (enqueueRecheck).
// A PR is compared with production only when production's head changed since it was last looked at.

export interface ProductionDriftDeps {
  github: Pick<GitHubPort, 'getBranchSha' | 'compare'>;
  queue: Pick<JobQueue, 'enqueue' | 'list'>;
  log: Logger;
}

export class ProductionDrift {
  /** "pipeline#pr" → the production head last compared with that PR. */
  private readonly compared = new Map<string, string>();

  constructor(private readonly deps: ProductionDriftDeps) {}

  head(p: ReleaseSyncConfig): Promise<string | null> {
    return this.deps.github.getBranchSha(p.fork.repo, p.fork.productionBranch);
  }

  /** Queues the recheck when the sync PR's head lacks production's head; true when one was queued. */
  async check(p: ReleaseSyncConfig, pr: PullRequest, production: string): Promise<boolean> {
    const key = `${p.id}#${pr.number}`;
    if (this.compared.get(key) === production) return false;
    const comparison = await this.deps.github.compare(p.fork.repo, production, pr.headSha);
    let queued = false;
    if (comparison.behindBy > 0) {
      const result = await enqueueRecheck(
        this.deps.queue,
        recheckJobInput(p, production, { kind: 'bot', id: 'ci-watcher', via: 'poll' }),
      );
      queued = result?.created ?? false;
      this.deps.log.info(
        { pipeline: p.id, pr: pr.number, production, queued, already: result === null || !result.created },
        'production moved under the sync PR',
      );
    }
    this.compared.set(key, production);
    return queued;
  }
}
