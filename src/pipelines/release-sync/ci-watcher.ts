import type { Logger } from 'pino';
import type { BranchSyncConfig, Config, ReleaseSyncConfig } from '../../config/schema.js';
import { prReadyLabel, prRepo, type PrPipeline } from '../sync-pr-target.js';

/** Kinds whose sync PRs are watched: release-sync, branch-sync and a mirror's merge PR (same stages, same readiness label). */
type WatchedPipeline = PrPipeline;
import { errorMessage } from '../../errors.js';
import type { JobQueue } from '../../ports/jobs.js';
import { Waker } from '../../jobs/waker.js';
import type {
  ChecksSummary,
  GitHubPort,
  PullRequest,
  SyncCardReader,
  SyncNotifier,
  SyncRecords,
  SyncSnapshot,
  SyncStage,
  SyncUpdate,
} from '../../ports.js';
import { pipelinesOfKind } from '../../config/require-pipeline.js';
import { ciFixJobInput, enqueueLearn, learnJobInput } from '../../jobs/job-kinds.js';
import { adoptSyncPr } from './adopt-sync-prs.js';
import { ProductionDrift } from './production-drift.js';

// Moves open sync PRs along their cards by polling GitHub: checks running → `ci`, green and
// mergeable → `ready` (the card then offers Approve & merge), merged or closed on GitHub by a
// person → `merged` / `skipped`. A CI result also gets one thread reply per head commit.
// Polling keeps it independent of webhooks; each PR costs two requests per interval. Webhooks,
// when mounted, only make it look sooner (checkSoon). A merge it sees is handed to the learn job;
// production moving under an open sync PR is handed to the recheck job (production-drift.ts).

const WATCHED: ReadonlySet<SyncStage> = new Set(['pr-open', 'ci', 'ready']);
/** Also looked at when asked about the PR: a PR waiting for its resolver can still be merged or closed by a person. */
const ASKABLE: ReadonlySet<SyncStage> = new Set([...WATCHED, 'resolving', 'needs-person']);

/** needs-person because the CI fixer stopped (not because of conflicts): CI is still watched. */
function ciWaiting(card: SyncSnapshot): boolean {
  return card.stage === 'needs-person' && !!card.ciFix && card.ciFix.state !== 'off';
}

export interface CiWatcherOptions {
  config: Config;
  github: GitHubPort;
  cards: Pick<SyncCardReader, 'recent'>;
  notifier: SyncNotifier;
  log: Logger;
  intervalMs?: number;
  /** Where merged sync PRs go to be learned from; without it nothing is learned here. */
  queue?: Pick<JobQueue, 'enqueue' | 'list'>;
  /** Sync PRs the bot closed when superseding them: their cards are the sync job's business. */
  closures?: Pick<SyncRecords, 'botClosedPulls'>;
  /** Sync runs of other processes (a CLI sync): their PRs get a card and are watched too. */
  runs?: Pick<SyncRecords, 'lastRun'>;
  jobs?: Pick<JobQueue, 'get'>;
  /**
   * The fork-patch ledger follows the PR's head: called for each open watched PR; rebuilds (and
   * refreshes the card and thread) when the head moved since the stored ledger. Absent: not followed.
   */
  ledgerFollow?: (p: ReleaseSyncConfig | BranchSyncConfig, pr: PullRequest) => Promise<void>;
}

function sameChecks(a: ChecksSummary | null, b: ChecksSummary): boolean {
  return (
    a !== null &&
    a.state === b.state &&
    a.total === b.total &&
    a.failing.join() === b.failing.join() &&
    a.pending.join() === b.pending.join()
  );
}

export class CiWatcher {
  private readonly waker = new Waker();
  private loop: Promise<void> | null = null;
  private stopping = false;
  /** Pipeline-qualified PRs someone asked about since the last pass ("litellm#12"). */
  private readonly asked = new Set<string>();
  /** Sync PRs of other processes already looked at (adoptSyncPr). */
  private readonly adopted = new Set<string>();
  private soon = false;
  /** Red head commits already handed to the CI fixer by this process. */
  private readonly fixAsked = new Set<string>();
  /** Production moving under an open sync PR, noticed without webhooks; needs the queue. */
  private readonly drift: ProductionDrift | null;

  constructor(private readonly options: CiWatcherOptions) {
    const { queue, github, log } = options;
    this.drift = queue ? new ProductionDrift({ github, queue, log }) : null;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = (async () => {
      while (!this.stopping) {
        await this.tick();
        // A request that came in during the pass gets a pass of its own, not the next interval.
        if (!this.stopping && !this.soon) await this.waker.sleep(this.options.intervalMs ?? 60_000);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.waker.wake();
    await this.loop;
    this.loop = null;
  }

  /**
   * Asks for a pass now rather than at the next interval (a webhook said CI finished or the PR
   * closed). Returns at once: the pass runs on the watcher's own loop.
   */
  checkSoon(pipeline: string, pr?: number): void {
    if (pr !== undefined) this.asked.add(`${pipeline}#${pr}`);
    this.soon = true;
    this.waker.wake();
  }

  /** One pass over every open sync PR: those with a card, and the last one a sync of any process opened. */
  async tick(): Promise<void> {
    const asked = new Set(this.asked);
    this.asked.clear();
    this.soon = false;
    const watched: WatchedPipeline[] = [
      ...pipelinesOfKind(this.options.config, 'release-sync'),
      ...pipelinesOfKind(this.options.config, 'branch-sync'),
      ...pipelinesOfKind(this.options.config, 'mirror'),
    ];
    for (const p of watched) {
      // A sync run by another process (a CLI `sync`) has a PR and no card yet: adopt it.
      if (this.options.runs && p.kind === 'release-sync') {
        const { github, notifier, runs, jobs } = this.options;
        await adoptSyncPr(
          { github, notifier, runs, ...(jobs ? { queue: jobs } : {}) },
          p,
          this.options.cards.recent(p.id, 20),
          this.adopted,
        ).catch((err: unknown) =>
          this.options.log.warn({ pipeline: p.id, err: errorMessage(err) }, 'could not adopt a sync PR'),
        );
      }
      const cards = this.options.cards.recent(p.id, 20);
      // Drift of production under an open sync PR: release-sync's production branch (branch-sync's
      // target moving is caught by its next scheduled run).
      const production = p.kind === 'release-sync' ? await this.productionHead(p, cards) : null;
      for (const card of cards) {
        if (this.stopping || !card.pr) continue;
        if (
          !WATCHED.has(card.stage) &&
          !ciWaiting(card) &&
          !(ASKABLE.has(card.stage) && asked.has(`${p.id}#${card.pr.number}`))
        )
          continue;
        try {
          await this.check(p, card, production);
        } catch (err) {
          this.options.log.warn(
            { pipeline: p.id, tag: card.tag, err: errorMessage(err) },
            'could not read the sync PR',
          );
        }
      }
    }
  }

  /** Production's head, read once per pass and only while a sync PR is watched; null when not needed or unreadable. */
  private async productionHead(p: ReleaseSyncConfig, cards: SyncSnapshot[]): Promise<string | null> {
    if (!this.drift || !cards.some((c) => c.pr && WATCHED.has(c.stage))) return null;
    try {
      return await this.drift.head(p);
    } catch (err) {
      this.options.log.warn({ pipeline: p.id, err: errorMessage(err) }, 'could not read the production branch');
      return null;
    }
  }

  private async check(p: WatchedPipeline, card: SyncSnapshot, production: string | null = null): Promise<void> {
    const { github, notifier, queue } = this.options;
    const repo = prRepo(p);
    const ref = { pipeline: card.pipeline, tag: card.tag };
    const pr = await github.getPull(repo, (card.pr as { number: number }).number);
    if (pr.merged) {
      await notifier.syncChanged(ref, { stage: 'merged', mergeSha: pr.mergeCommitSha });
      // Merged by a person on GitHub: what they landed is remembered like the bot's own merges.
      if (queue && pr.mergeCommitSha && p.kind === 'release-sync')
        await enqueueLearn(queue, learnJobInput(p, pr.number, pr.mergeCommitSha, { kind: 'bot', id: 'ci-watcher' }));
      return;
    }
    if (pr.state === 'closed') {
      // A PR the bot closed to supersede it gets `superseded` from the sync job; reading the
      // closed PR first must not overwrite that with `skipped`.
      if (this.options.closures?.botClosedPulls(p.id).has(pr.number)) return;
      return notifier.syncChanged(ref, { stage: 'skipped' });
    }
    // Asked about while its conflicts are being resolved: only a merge or close is news here.
    if (!WATCHED.has(card.stage) && !ciWaiting(card)) return;
    // A new head (a person's push, a resolution, a restored hunk): the ledger is rebuilt for it.
    // (A mirror's merge PR has no fork-patch ledger.)
    if (p.kind !== 'mirror')
      await this.options
        .ledgerFollow?.(p, pr)
        .catch((err: unknown) =>
          this.options.log.warn({ pipeline: p.id, pr: pr.number, err: errorMessage(err) }, 'ledger not rebuilt'),
        );
    // Production moved under the PR: the recheck job brings it up to date or hands it to the resolver.
    if (production && p.kind === 'release-sync' && (await this.drift?.check(p, pr, production))) return;
    const checks = await github.getChecks(repo, pr.headSha);
    let stage: SyncStage = checks.state === 'success' && pr.mergeable === true ? 'ready' : 'ci';
    // The fixer stopped on this red commit: the card keeps asking a person until the head moves.
    if (ciWaiting(card) && checks.state === 'failure' && card.ciFix?.headSha === pr.headSha) stage = 'needs-person';
    if (checks.state === 'failure') await this.askFixer(p, pr.number, pr.headSha);
    await this.keepReadyLabel(p, pr, stage === 'ready');
    if (stage === card.stage && sameChecks(card.ci, checks) && pr.mergeable === card.mergeable) return;
    const update: SyncUpdate = { stage, ci: checks, mergeable: pr.mergeable };
    // Green and mergeable: what the fixer last said is history, not the card's state.
    if (stage === 'ready' && card.ciFix) update.ciFix = null;
    await notifier.syncChanged(ref, update);
    if (checks.state === 'failure' || checks.state === 'success') {
      await notifier.syncDetail(
        ref,
        { kind: 'ci', checks, url: `${pr.htmlUrl}/checks` },
        { key: `ci:${pr.headSha}:${checks.state}` },
      );
    }
  }

  /**
   * A red head commit goes to the CI fixer once per process and commit; the job's dedupe key and
   * its one-attempt-per-commit record fold this with webhooks and other processes.
   */
  private async askFixer(p: WatchedPipeline, pr: number, headSha: string): Promise<void> {
    const { queue } = this.options;
    // A mirror's merge PR carries the source's commits as they are: nothing for the fixer to patch.
    if (p.kind === 'mirror') return;
    const key = `${p.fork.repo}#${pr}@${headSha}`;
    if (!queue || this.fixAsked.has(key)) return;
    await queue.enqueue(ciFixJobInput(p, { pr, headSha }, { kind: 'bot', id: 'ci-watcher' }));
    this.fixAsked.add(key);
  }

  /** pr.readyLabel follows readiness, so workflows listening for it (deployments) see the truth. */
  private async keepReadyLabel(p: WatchedPipeline, pr: PullRequest, ready: boolean): Promise<void> {
    const label = prReadyLabel(p);
    if (!label || pr.labels.includes(label) === ready) return;
    if (ready) await this.options.github.addLabels(prRepo(p), pr.number, [label]);
    else await this.options.github.removeLabel(prRepo(p), pr.number, label);
  }
}
