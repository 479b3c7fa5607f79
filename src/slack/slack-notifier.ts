import type { Logger } from 'pino';
import type { BranchSyncConfig, Config, MirrorConfig, PipelineConfig, ReleaseSyncConfig } from '../config/schema.js';
import { renderMirrorRun } from '../pipelines/mirror/mirror-notify.js';
import { KIND } from '../jobs/job-kinds.js';

/** Kinds whose syncs have cards (a mirror's: its merge into target). */
type CardPipeline = ReleaseSyncConfig | BranchSyncConfig | MirrorConfig;
import type { JobRecord } from '../ports/jobs.js';
import {
  systemClock,
  type Clock,
  type PullMerged,
  type ReleasePublished,
  type SyncDetail,
  type SyncNotifier,
  type KindRunEvent,
  type SyncCards,
  type SyncRef,
  type SyncSnapshot,
  type SyncStage,
  type SyncUpdate,
} from '../ports.js';
import { scrub } from '../redact.js';
import type { PostPayload, ReplyPayload } from './outbox/outbox-dispatcher.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import { changelogCard, releaseCard } from './views/release-card.js';
import { dispatchCard, type DispatchCardFacts } from './views/dispatch-card.js';
import { FINAL_STAGES } from '../ports/sync-cards.js';
import { pipelineFacts } from './views/stages.js';
import type { RenderedMessage } from './views/sync-card.js';
import { reminderReply } from './views/reminder.js';
import { upstreamNotesReply } from './views/upstream-notes.js';
import { ledgerReply } from './views/ledger-thread.js';
import { ciReply, conflictsReply, failureReply, noteReply, stageReply, waitingReply } from './views/sync-thread.js';
import { isReleaseSync, pipelineById } from '../config/require-pipeline.js';

// The SyncNotifier the workflows call. It writes the card's new state and any thread reply to
// SQLite in one go and wakes the outbox; it never talks to Slack and never throws, so a Slack
// outage cannot fail or slow a sync (invariant 10). Silent syncs still keep their card in SQLite
// (status reads it) but nothing is queued for Slack.

/** Stages whose arrival gets a thread reply; the configured broadcast list decides which also go to the channel. */
const REPLY_STAGES: ReadonlySet<SyncStage> = new Set([
  'queued',
  'pr-open',
  'needs-person',
  'ready',
  'merged',
  'released',
  'failed',
]);

/** Job kinds whose failure is a failure of the sync in flight. */
const SYNC_JOB_KINDS: ReadonlySet<string> = new Set([KIND.sync, KIND.resolve, KIND.merge, KIND.ledgerRestore]);

export interface SlackNotifierOptions {
  config: Config;
  /** The sync's lifecycle state: saved here, rendered from here. */
  cards: SyncCards;
  /** Slack's send queue. */
  outbox: OutboxStore;
  log: Logger;
  clock?: Clock;
}

/** The card of one run, per pipeline kind that posts one (release-sync has its own sync cards). */
const KIND_VIEWS: Partial<
  Record<PipelineConfig['kind'], (p: PipelineConfig, result: KindRunEvent['result']) => RenderedMessage>
> = {
  dispatch: (p, result) =>
    dispatchCard(p.id, {
      ...(result as unknown as Omit<DispatchCardFacts, 'sourceRepo' | 'sourceUrl'>),
      sourceRepo: p.kind === 'dispatch' ? p.source.repo : '',
      sourceUrl: typeof result.sourceUrl === 'string' ? result.sourceUrl : null,
    }),
  mirror: (p, result) => renderMirrorRun(p as MirrorConfig, result),
};

export class SlackNotifier implements SyncNotifier {
  private readonly clock: Clock;
  private readonly queuedListeners = new Set<() => void>();

  constructor(private readonly options: SlackNotifierOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** The dispatcher in this process sends queued work at once instead of at its next poll. */
  onQueued(listener: () => void): () => void {
    this.queuedListeners.add(listener);
    return () => this.queuedListeners.delete(listener);
  }

  async syncChanged(ref: SyncRef, update: SyncUpdate): Promise<void> {
    this.guard('syncChanged', ref, () => this.change(ref, update));
  }

  async syncDetail(ref: SyncRef, detail: SyncDetail, options: { key: string }): Promise<void> {
    this.guard('syncDetail', ref, () => {
      const p = this.pipeline(ref.pipeline);
      const card = this.options.cards.get(ref);
      if (!p || !card || !this.posts(p, card.snapshot)) return;
      const message = this.renderDetail(p, ref, detail);
      this.reply(ref, message, false, `detail:${ref.pipeline}:${ref.tag}:${options.key}`);
    });
  }

  async releasePublished(event: ReleasePublished): Promise<void> {
    const ref = { pipeline: event.pipeline, tag: event.card.tag };
    this.guard('releasePublished', ref, () => {
      const p = this.pipeline(event.pipeline);
      if (!p) return;
      this.post(p, releaseCard(p.id, event.card), 'release-card', event.card.tag);
      // The merged sync this release ships moves to `released`.
      const merged = this.options.cards.recent(p.id, 20).find((s) => s.stage === 'merged');
      if (merged)
        this.change(
          { pipeline: p.id, tag: merged.tag },
          { stage: 'released', release: { tag: event.card.tag, url: event.card.url } },
        );
    });
  }

  async pullMerged(event: PullMerged): Promise<void> {
    this.guard('pullMerged', { pipeline: event.pipeline, tag: `#${event.card.number}` }, () => {
      const p = this.pipeline(event.pipeline);
      if (p?.slack?.changelog)
        this.post(p, changelogCard(p.id, event.card), 'changelog-card', `pr-${event.card.number}`);
    });
  }

  async kindRun(event: KindRunEvent): Promise<void> {
    this.guard('kindRun', { pipeline: event.pipeline, tag: event.key }, () => {
      const p = pipelineById(this.options.config, event.pipeline);
      const view = p ? KIND_VIEWS[p.kind]?.(p, event.result) : undefined;
      if (p && view) this.post(p, view, `${p.kind}-run`, event.key);
    });
  }

  /**
   * Runner hook: a sync, resolve or merge job that failed for good fails the sync in flight on
   * its card (with Retry); a failed job put back in the queue resumes the card where it stopped.
   */
  jobChanged(job: JobRecord): void {
    if (!job.pipeline || !SYNC_JOB_KINDS.has(job.kind)) return;
    const pipeline = job.pipeline;
    // A mirror's plain run has no sync card (its own run card says what happened); only a merge into target does.
    const merge = (job.data as { merge?: unknown } | null)?.merge === true;
    if (job.kind === KIND.sync && !merge && pipelineById(this.options.config, pipeline)?.kind === 'mirror') return;
    this.guard('jobChanged', { pipeline, tag: '*' }, () => {
      const cards = this.options.cards.recent(pipeline, 20);
      if (job.state === 'failed') {
        const data = (job.data ?? {}) as { pr?: unknown; tag?: unknown; silent?: unknown };
        const related =
          cards.find((s) => s.jobId === job.id) ??
          cards.find((s) =>
            typeof data.pr === 'number'
              ? s.pr?.number === data.pr
              : typeof data.tag === 'string'
                ? s.tag === data.tag
                : !FINAL_STAGES.includes(s.stage) && s.stage !== 'failed',
          );
        const error = job.error ?? { code: 'internal', message: 'the job failed' };
        if (related) {
          this.change(related, {
            stage: 'failed',
            failedStage: related.stage,
            jobId: job.id,
            error: { code: error.code, message: scrub(error.message), step: job.kind },
          });
          return;
        }
        // Failed before it had a card (e.g. GitHub unreachable while looking for releases): a
        // message of its own, with Retry, so the failure is not silent.
        const p = this.pipeline(pipeline);
        if (p && data.silent !== true) {
          const message = failureReply({
            pipeline: pipelineFacts(p),
            tag: null,
            step: `${job.kind} of ${p.id}`,
            error: { code: error.code, message: scrub(error.message) },
            jobId: job.id,
          });
          this.post(p, message, 'job-failure', `job-${job.id}-${job.attempts}`);
        }
      } else if (job.state === 'queued' || job.state === 'running') {
        const failed = cards.find((s) => s.stage === 'failed' && s.jobId === job.id);
        if (failed) this.change(failed, { stage: failed.failedStage ?? 'detected', error: null });
      }
    });
  }

  private change(ref: SyncRef, update: SyncUpdate): void {
    const p = this.pipeline(ref.pipeline);
    if (!p) return;
    const now = this.clock.now();
    const before = this.options.cards.get(ref)?.snapshot.stage;
    const stamped = before === update.stage ? update : { ...update, stageSince: now.toISOString() };
    const { card, previousStage } = this.options.cards.save(ref, stamped, {
      now,
      // Same transaction: a saved change that goes to Slack always has a card row pending.
      then: (saved) => {
        if (this.posts(p, saved.snapshot)) this.options.outbox.requestCard(ref, now);
      },
    });
    const s = card.snapshot;
    if (this.posts(p, s) && s.stage !== previousStage && REPLY_STAGES.has(s.stage)) {
      const broadcast = (p.slack?.broadcast ?? this.options.config.slack.broadcast).includes(s.stage as never);
      this.reply(ref, stageReply(s, pipelineFacts(p)), broadcast, `stage:${ref.pipeline}:${ref.tag}:${card.version}`);
    }
    this.wake();
  }

  private renderDetail(p: CardPipeline, ref: SyncRef, detail: SyncDetail): RenderedMessage {
    const facts = pipelineFacts(p);
    switch (detail.kind) {
      case 'conflicts':
        return conflictsReply(detail.files);
      case 'waiting':
        return waitingReply({ pipeline: facts, pr: detail.pr, hunks: detail.hunks });
      case 'failure':
        return failureReply({
          pipeline: facts,
          tag: ref.tag,
          step: detail.step,
          error: { code: detail.error.code, message: scrub(detail.error.message) },
          jobId: detail.jobId,
        });
      case 'ci':
        return ciReply({ checks: detail.checks, url: detail.url });
      case 'upstream-notes':
        return upstreamNotesReply(detail.notes, detail.customised);
      case 'reminder':
        return reminderReply(detail);
      case 'note':
        return noteReply(detail.text);
      case 'ledger':
        return ledgerReply(p.id, ref.tag, detail);
    }
  }

  private reply(ref: SyncRef, message: RenderedMessage, broadcast: boolean, idemKey: string): void {
    const payload: ReplyPayload = { text: message.text, blocks: message.blocks, broadcast };
    this.options.outbox.enqueue(
      { op: 'reply', pipeline: ref.pipeline, tag: ref.tag, payload, idemKey },
      this.clock.now(),
    );
    this.wake();
  }

  private post(p: Pick<PipelineConfig, 'id' | 'slack'>, message: RenderedMessage, kind: string, key: string): void {
    if (!p.slack || p.slack.silent) return;
    const payload: PostPayload = { channel: p.slack.channel, text: message.text, blocks: message.blocks, kind, key };
    this.options.outbox.enqueue(
      { op: 'post', pipeline: p.id, tag: null, payload, idemKey: `${kind}:${p.id}:${key}` },
      this.clock.now(),
    );
    this.wake();
  }

  private wake(): void {
    for (const listener of this.queuedListeners) listener();
  }

  private posts(p: CardPipeline, s: SyncSnapshot): boolean {
    return Boolean(p.slack) && !p.slack?.silent && !s.silent;
  }

  private pipeline(id: string): CardPipeline | undefined {
    const p = pipelineById(this.options.config, id);
    return p && (isReleaseSync(p) || p.kind === 'branch-sync' || p.kind === 'mirror') ? p : undefined;
  }

  private guard(what: string, ref: SyncRef, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.log.error({ err, pipeline: ref.pipeline, tag: ref.tag }, `slack notifier ${what} failed`);
    }
  }
}
