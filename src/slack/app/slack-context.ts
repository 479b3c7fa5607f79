import type { SlackIntake } from './slack-intake.js';
import { retryWhileBusy } from '../../jobs/storage-fault.js';
import { actorMention } from '../../core/wording.js';
import type { Logger } from 'pino';
import type { Config, PipelineConfig, ReleaseSyncConfig } from '../../config/schema.js';
import type { EnqueueInput, EnqueueResult, JobQueue, JobRecord } from '../../ports/jobs.js';
import type { SyncResult } from '../../pipelines/release-sync/sync-types.js';
import type {
  Actor,
  AuditLog,
  ChatPort,
  ResolverLog,
  SlackMessages,
  SyncCardReader,
  SyncNotifier,
  SyncRecords,
} from '../../ports.js';
import type { Bump } from '../action-ids.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import type { Authorizer, Permission } from '../authorizer.js';
import { mentionChannel } from '../mrkdwn.js';
import { CARD_KIND } from '../outbox/outbox-dispatcher.js';
import type { StatusService } from '../status/status-service.js';
import { noticeMessage } from '../views/help.js';
import type { ReleasePreview } from '../views/release-modal.js';

// What every listener needs after it has acked: who is asking, from where, how to answer them,
// and the gate every action goes through (allow-list + channel, audited either way).

export interface SlackDeps {
  config: Config;
  queue: JobQueue;
  chat: ChatPort;
  authorizer: Authorizer;
  audit: AuditLog;
  /** The syncs' lifecycle state (read only: jobs change it through the notifier). */
  cards: SyncCardReader;
  messages: SlackMessages;
  status: StatusService;
  records: Pick<SyncRecords, 'unskip' | 'activeSkips'>;
  notifier: SyncNotifier;
  /** The release preview (next tag, notes); throws AppError when no release can be cut now. */
  planRelease: (pipeline: ReleaseSyncConfig, bump: Bump) => Promise<ReleasePreview>;
  /** `check`: what a sync would do now, changing nothing. */
  check: (pipeline: ReleaseSyncConfig, by: Actor) => Promise<SyncResult>;
  /** Fork-patch ledgers and accepted drops (Accept drop / Restore fork side); absent: those buttons refuse. */
  ledgers?: LedgerRecords;
  /** People's hunk choices and the last resolver run: a stale hunk button is answered from them. */
  hunks?: Pick<ResolverLog, 'choice' | 'recordChoice' | 'lastRun'>;
  /** `status` of a pipeline of another kind: the lines its module describes (read-only). */
  kindStatus?: (pipeline: PipelineConfig) => Promise<string[]>;
  log: Logger;
  /** Seconds from a listener being called to its ack written (metrics). */
  observeAck?: (type: 'command' | 'action' | 'view', seconds: number) => void;
  /** Where commands and clicks are written before their ack (issue 13); absent in unit tests. */
  intake?: SlackIntake;
}

export interface Reply {
  text: string;
  blocks: readonly { type: string }[];
}

/** One person's command or click. */
export interface Interaction {
  userId: string;
  /** The Slack username from the payload, for plain-text surfaces (CLI, GitHub comments). */
  userName?: string;
  /** null for App Home and modals. */
  channelId: string | null;
  surface: 'channel' | 'home';
  teamDomain: string | null;
  triggerId: string | null;
  /** The message a button was clicked on (channel messages only), and the thread it is in: our record of it decides the target. */
  clicked?: { ts: string; threadTs: string | null } | null;
  /** The channel message the clicked button is on, when it was one. */
  message?: { channel: string; ts: string; blocks: readonly { type: string }[] };
  /** Answers only this person (ephemeral, or App Home). */
  reply(message: Reply): Promise<void>;
  /** Replaces this person's last answer (response_url replace_original, or App Home again); else reply. */
  replace?(message: Reply): Promise<void>;
}

export function actorOf(ix: Interaction): Actor {
  return {
    kind: 'slack',
    id: ix.userId,
    ...(ix.channelId ? { via: ix.channelId } : {}),
    ...(ix.userName ? { name: ix.userName } : {}),
  };
}

export function pipelinesIn(config: Config, channelId: string | null): PipelineConfig[] {
  return config.pipelines.filter((p) => p.slack?.channel === channelId);
}

export class SlackContext {
  constructor(readonly deps: SlackDeps) {}

  pipeline(id: string): PipelineConfig | undefined {
    return this.deps.config.pipelines.find((p) => p.id === id);
  }

  /** Answers the person; a failure to answer is logged, never thrown (the work is already queued). */
  async answer(ix: Interaction, message: Reply | string): Promise<void> {
    try {
      await ix.reply(typeof message === 'string' ? noticeMessage(message) : message);
    } catch (err) {
      this.deps.log.warn({ err, user: ix.userId }, 'could not answer in Slack');
    }
  }

  /** Allow-list and channel check, audited; on refusal the person is told who may do it. */
  async allowed(
    ix: Interaction,
    p: PipelineConfig,
    permission: Permission,
    action: string,
    target: string | null,
  ): Promise<boolean> {
    const decision = await this.deps.authorizer.authorize({
      userId: ix.userId,
      pipeline: p,
      permission,
      surface: ix.surface,
      channelId: ix.channelId,
    });
    if (permission === 'read' && decision.allowed) return true;
    this.deps.audit.record({
      actor: actorOf(ix),
      action,
      pipeline: p.id,
      target,
      outcome: decision.allowed ? 'allowed' : 'refused',
      ...(decision.allowed ? {} : { details: { reason: decision.reason } }),
    });
    if (!decision.allowed) await this.answer(ix, `⛔ ${decision.message}`);
    return decision.allowed;
  }

  /** Where the sync's card is, as a link people can click; null before it was posted. */
  cardLink(ix: Interaction, pipeline: string, tag: string): string | null {
    const card = this.deps.messages.get(pipeline, tag, CARD_KIND);
    if (!card) return null;
    if (!ix.teamDomain) return mentionChannel(card.channel);
    return `<https://${encodeURIComponent(ix.teamDomain)}.slack.com/archives/${card.channel}/p${card.ts.replace('.', '')}|the card>`;
  }

  /**
   * Enqueues and tells the person; a double click or two people at once find the job already
   * active (same dedupe key) and are told so, with a link. `busy` words the answer when the active
   * job is not the one asked for (null: the usual "already running").
   */
  async enqueue<D>(
    ix: Interaction,
    input: EnqueueInput<D>,
    what: string,
    card: { pipeline: string; tag: string } | null,
    options: { busy?: (active: JobRecord<D>) => string | null } = {},
  ): Promise<EnqueueResult<D>> {
    // Another process may hold the database's write lock: wait for it here, off the ack path.
    const enqueued = await retryWhileBusy(() => this.deps.queue.enqueue(input));
    const { job, created } = enqueued;
    const link = card ? this.cardLink(ix, card.pipeline, card.tag) : null;
    const where = link ? ` Follow it on ${link}.` : '';
    const busy = created ? null : (options.busy?.(job) ?? null);
    if (created) await this.answer(ix, `✅ Queued ${what} (job #${job.id}).${where}`);
    else if (busy) await this.answer(ix, `⏳ ${busy}${where}`);
    else
      await this.answer(
        ix,
        `⏳ ${what[0]?.toUpperCase()}${what.slice(1)} is already ${job.state === 'running' ? 'running' : 'queued'} (job #${job.id}, asked for by ${actorMention(job.requestedBy)}).${where}`,
      );
    return enqueued;
  }
}
