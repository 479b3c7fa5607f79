import type { Config } from '../../config/schema.js';
import type { SyncDeps } from './sync-types.js';
import type { JobDefinition } from '../../ports/jobs.js';
import type { AuditLog, GitHubPort, GitPort, SyncCardReader, SyncNotifier, SyncRecords } from '../../ports.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import { ledgerGate } from '../../workflows/ledger/ledger-gate.js';
import { refreshStatusJob } from './refresh-status-job.js';
import { mergeJob } from './merge-job.js';
import { skipJob } from './skip-job.js';

// Job kinds the Slack buttons start, registered by main.ts like the other workflows.

interface Registry {
  register<D, R>(definition: JobDefinition<D, R>): unknown;
}

interface SlackJobServices {
  runner: Registry;
  config: Config;
  github: GitHubPort;
  notifier: SyncNotifier;
  store: { audit: AuditLog };
  syncRecords: SyncRecords;
}

export function registerMergeJob(
  s: SlackJobServices & { git?: GitPort; ledgers?: LedgerRecords; store: { syncCards?: SyncCardReader } },
): void {
  const refresh = s.store.syncCards ? { notifier: s.notifier, cards: s.store.syncCards } : {};
  const gate =
    s.git && s.ledgers
      ? { ledgerGate: ledgerGate({ git: s.git, github: s.github, ledgers: s.ledgers, ...refresh }) }
      : {};
  s.runner.register(
    mergeJob({ config: s.config, github: s.github, notifier: s.notifier, audit: s.store.audit, ...gate }),
  );
}

export function registerSkipJob(s: SlackJobServices): void {
  s.runner.register(skipJob({ config: s.config, github: s.github, notifier: s.notifier, records: s.syncRecords }));
}

export function registerRefreshStatusJob(s: SlackJobServices & SyncDeps): void {
  s.runner.register(refreshStatusJob(s));
}
