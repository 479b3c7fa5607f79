import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import { Waker } from '../jobs/waker.js';
import type { ChecksSummary, GitHubPort, SyncNotifier, SyncSnapshot, SyncStage, SyncUpdate } from '../ports.js';
import type { OutboxStore } from './outbox/outbox-store.js';

// Moves open sync PRs along their cards by polling GitHub: checks running → `ci`, green and
// mergeable → `ready` (the card then offers Approve & merge), merged or closed on GitHub by a
// person → `merged` / `skipped`. A CI result also gets one thread reply per head commit.
// Polling keeps it independent of webhooks; each PR costs two requests per interval.

const WATCHED: ReadonlySet<SyncStage> = new Set(['pr-open', 'ci', 'ready']);

export interface CiWatcherOptions {
  config: Config;
  github: GitHubPort;
  cards: OutboxStore;
  notifier: SyncNotifier;
  log: Logger;
  intervalMs?: number;
}

function sameChecks(a: ChecksSummary | null, b: ChecksSummary): boolean {
  return a !== null && a.state === b.state && a.total === b.total && a.failing.join() === b.failing.join() && a.pending.join() === b.pending.join();
}

export class CiWatcher {
  private readonly waker = new Waker();
  private loop: Promise<void> | null = null;
  private stopping = false;

  constructor(private readonly options: CiWatcherOptions) {}

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        await this.tick();
        if (!this.stopping) await this.waker.sleep(this.options.intervalMs ?? 60_000);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waker.wake();
    await this.loop;
    this.loop = null;
  }

  /** One pass over every open sync PR that has a card. */
  async tick(): Promise<void> {
    for (const p of this.options.config.pipelines) {
      for (const card of this.options.cards.recentCards(p.id, 20)) {
        if (this.stopping || !card.pr || !WATCHED.has(card.stage)) continue;
        try {
          await this.check(p.fork.repo, card);
        } catch (err) {
          this.options.log.warn({ pipeline: p.id, tag: card.tag, err: errorMessage(err) }, 'could not read the sync PR');
        }
      }
    }
  }

  private async check(repo: string, card: SyncSnapshot): Promise<void> {
    const { github, notifier } = this.options;
    const ref = { pipeline: card.pipeline, tag: card.tag };
    const pr = await github.getPull(repo, (card.pr as { number: number }).number);
    if (pr.merged) return notifier.syncChanged(ref, { stage: 'merged', mergeSha: pr.mergeCommitSha });
    if (pr.state === 'closed') return notifier.syncChanged(ref, { stage: 'skipped' });
    const checks = await github.getChecks(repo, pr.headSha);
    const stage: SyncStage = checks.state === 'success' && pr.mergeable === true ? 'ready' : 'ci';
    if (stage === card.stage && sameChecks(card.ci, checks) && pr.mergeable === card.mergeable) return;
    const update: SyncUpdate = { stage, ci: checks, mergeable: pr.mergeable };
    await notifier.syncChanged(ref, update);
    if (checks.state === 'failure' || checks.state === 'success') {
      await notifier.syncDetail(ref, { kind: 'ci', checks, url: `${pr.htmlUrl}/checks` }, { key: `ci:${pr.headSha}:${checks.state}` });
    }
  }
}
