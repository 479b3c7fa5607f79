import type { Logger } from 'pino';
import type { Config, ReleaseSyncConfig } from '../config/schema.js';
import type { JobRecord } from '../ports/jobs.js';
import {
  systemClock,
  type Clock,
  type PullMerged,
  type ReleasePublished,
  type SyncDetail,
  type SyncNotifier,
  type SyncRef,
  type SyncSnapshot,
  type SyncStage,
  type SyncUpdate,
} from '../ports.js';
import { scrub } from '../redact.js';
import type { PostPayload, ReplyPayload } from './outbox/outbox-dispatcher.js';
import type { OutboxStore } from './outbox/outbox-store.js';
import { changelogCard, releaseCard } from './views/release-card.js';
import { FINAL_STAGES, pipelineFacts } from './views/stages.js';
import type { RenderedMessage } from './views/sync-card.js';
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
const SYNC_JOB_KINDS = new Set(['sync', 'resolve', 'merge']);

export interface SlackNotifierOptions {
  config: Config;
  store: OutboxStore;
  log: Logger;
  clock?: Clock;
}

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
      const card = this.options.store.getCard(ref);
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
      const merged = this.options.store.recentCards(p.id, 20).find((s) => s.stage === 'merged');
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

  /**
   * Runner hook: a sync, resolve or merge job that failed for good fails the sync in flight on
   * its card (with Retry); a failed job put back in the queue resumes the card where it stopped.
   */
  jobChanged(job: JobRecord): void {
    if (!job.pipeline || !SYNC_JOB_KINDS.has(job.kind)) return;
    const pipeline = job.pipeline;
    this.guard('jobChanged', { pipeline, tag: '*' }, () => {
      const cards = this.options.store.recentCards(pipeline, 20);
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
    const { card, previousStage } = this.options.store.saveCard(ref, update, { now, send: (s) => this.posts(p, s) });
    const s = card.snapshot;
    if (this.posts(p, s) && s.stage !== previousStage && REPLY_STAGES.has(s.stage)) {
      const broadcast = (p.slack?.broadcast ?? this.options.config.slack.broadcast).includes(s.stage as never);
      this.reply(ref, stageReply(s, pipelineFacts(p)), broadcast, `stage:${ref.pipeline}:${ref.tag}:${card.version}`);
    }
    this.wake();
  }

  private renderDetail(p: ReleaseSyncConfig, ref: SyncRef, detail: SyncDetail): RenderedMessage {
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
      case 'note':
        return noteReply(detail.text);
    }
  }

  private reply(ref: SyncRef, message: RenderedMessage, broadcast: boolean, idemKey: string): void {
    const payload: ReplyPayload = { text: message.text, blocks: message.blocks, broadcast };
    this.options.store.enqueue(
      { op: 'reply', pipeline: ref.pipeline, tag: ref.tag, payload, idemKey },
      this.clock.now(),
    );
    this.wake();
  }

  private post(p: ReleaseSyncConfig, message: RenderedMessage, kind: string, key: string): void {
    if (!p.slack || p.slack.silent) return;
    const payload: PostPayload = { channel: p.slack.channel, text: message.text, blocks: message.blocks, kind, key };
    this.options.store.enqueue(
      { op: 'post', pipeline: p.id, tag: null, payload, idemKey: `${kind}:${p.id}:${key}` },
      this.clock.now(),
    );
    this.wake();
  }

  private wake(): void {
    for (const listener of this.queuedListeners) listener();
  }

  private posts(p: ReleaseSyncConfig, s: SyncSnapshot): boolean {
    return Boolean(p.slack) && !p.slack?.silent && !s.silent;
  }

  private pipeline(id: string): ReleaseSyncConfig | undefined {
    const p = pipelineById(this.options.config, id);
    return p && isReleaseSync(p) ? p : undefined;
  }

  private guard(what: string, ref: SyncRef, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.options.log.error({ err, pipeline: ref.pipeline, tag: ref.tag }, `slack notifier ${what} failed`);
    }
  }
}
