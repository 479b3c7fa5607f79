import type { Logger } from 'pino';
import type { Config } from '../../config/schema.js';
import { KIND, pruneAuditInput } from '../../jobs/job-kinds.js';
import type { AuditLog, AuditPruneResult, Clock } from '../../ports.js';
import type { JobDefinition, JobQueue } from '../../ports/jobs.js';

// Audit entries are kept `audit.retentionDays` (default 180) and then removed by this job, which
// says what it removed: in its result, in the log, and as an audit row of its own, so the log
// shows where its older history went.

const DAY_MS = 24 * 60 * 60_000;

export interface PruneAuditDeps {
  config: Pick<Config, 'audit'>;
  audit: AuditLog;
  clock: Clock;
  log: Logger;
}

export function pruneAuditJob(deps: PruneAuditDeps): JobDefinition<Record<string, never>, AuditPruneResult> {
  return {
    kind: KIND.pruneAudit,
    maxAttempts: 3,
    handler: async (ctx) => {
      const before = new Date(deps.clock.now().getTime() - deps.config.audit.retentionDays * DAY_MS);
      const result = deps.audit.prune(before);
      deps.log.info({ ...result, retentionDays: deps.config.audit.retentionDays }, 'audit log pruned');
      if (result.removed > 0)
        deps.audit.record({
          actor: ctx.job.requestedBy,
          action: 'audit.prune',
          outcome: 'done',
          details: { ...result, retentionDays: deps.config.audit.retentionDays },
        });
      return result;
    },
  };
}

/** Enqueues the prune now and then once a day while the bot runs; returns the stop function. */
export function scheduleAuditPrune(queue: JobQueue, log: Logger, everyMs = DAY_MS): () => void {
  const enqueue = () =>
    void queue
      .enqueue(pruneAuditInput({ kind: 'cron', id: 'audit-prune' }))
      .catch((err: unknown) => log.warn({ err }, 'could not queue the audit prune'));
  enqueue();
  const timer = setInterval(enqueue, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
