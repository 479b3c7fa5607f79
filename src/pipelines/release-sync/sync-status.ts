import type { ReleaseSyncConfig } from '../../config/schema.js';
import { toJobError } from '../../errors.js';
import { normalizeVersion } from '../../core/sync/release-selection.js';
import { fetchHeads } from './sync-git.js';
import { inspect, type Inspection } from './sync-inspect.js';
import type { SyncDeps } from './sync-types.js';
import { ledgerWarnings } from './status-ledger.js';

// `status`: what is true now, read live (API and an incremental fetch; nothing is changed), plus
// what the bot remembers (last run, synced tags, skip list). When GitHub cannot be reached the
// facts cached by the last successful status are shown, marked stale.

export interface PipelineStatus {
  pipeline: string;
  state: 'up-to-date' | 'pr-open' | 'queued' | 'behind' | 'unknown';
  currentVersion: string | null;
  lastSyncedTag: string | null;
  latestTag: string | null;
  /** Commits in the latest stable tag that the production branch does not have. */
  commitsBehind: number | null;
  openPr: { number: number; url: string; tag: string } | null;
  /** A newer release waiting for the open PR (queue policy). */
  queuedTag: string | null;
  /** Newer releases still inside minReleaseAge. */
  waiting: string[];
  skipList: Array<{ tag: string; reason: string; prNumber: number | null; at: string }>;
  /** Releases refused for a bad or hostile tag. */
  skipped: Array<{ tag: string; reason: string }>;
  lastRun: { outcome: string; at: string; pr: { number: number; url: string } | null } | null;
  nextRunAt: string | null;
  warnings: string[];
  /** true when GitHub could not be read and the cached facts are shown. */
  stale: boolean;
  error?: { code: string; message: string };
}

function stateOf(found: Inspection): PipelineStatus['state'] {
  switch (found.plan.action) {
    case 'up-to-date':
      return 'up-to-date';
    case 'pr-exists':
      return 'pr-open';
    case 'queued':
      return 'queued';
    default:
      return 'behind';
  }
}

export function versionWarnings(
  file: { name: string; version: string | null },
  lastSynced: { tag: string; version: string } | null,
  currentTag: string | null,
): string[] {
  const warnings: string[] = [];
  if (!file.version) return warnings;
  const fileVersion = normalizeVersion(file.version);
  if (lastSynced && fileVersion !== normalizeVersion(lastSynced.version)) {
    warnings.push(
      `${file.name} says ${file.version}, but the last tag actually synced is ${lastSynced.tag} (${lastSynced.version})`,
    );
  }
  if (!currentTag) warnings.push(`${file.name} says ${file.version}, which is not an upstream stable release`);
  return warnings;
}

export async function pipelineStatus(
  deps: SyncDeps,
  p: ReleaseSyncConfig,
  nextRunAt: Date | null,
): Promise<PipelineStatus> {
  const lastSynced = deps.syncRecords.lastSynced(p.id);
  const lastRun = deps.syncRecords.lastRun(p.id);
  const base = {
    pipeline: p.id,
    lastSyncedTag: lastSynced?.tag ?? null,
    skipList: deps.syncRecords
      .activeSkips(p.id)
      .map((s) => ({ tag: s.tag, reason: s.reason, prNumber: s.prNumber, at: s.at })),
    lastRun: lastRun ? { outcome: lastRun.outcome, at: lastRun.finishedAt, pr: lastRun.pr } : null,
    nextRunAt: nextRunAt?.toISOString() ?? null,
  };
  let found: Inspection;
  try {
    found = await inspect(deps, p);
  } catch (err) {
    const cached = deps.syncRecords.facts(p.id)?.facts as Partial<PipelineStatus> | undefined;
    const error = toJobError(err);
    return {
      state: 'unknown',
      currentVersion: null,
      latestTag: null,
      commitsBehind: null,
      openPr: null,
      queuedTag: null,
      waiting: [],
      skipped: [],
      warnings: [],
      ...cached,
      ...base,
      stale: true,
      error,
    };
  }
  let commitsBehind: number | null = null;
  if (found.latest) {
    const heads = await fetchHeads(deps.git, found, p, { tag: found.latest.tag, branch: null, mirrorExists: false });
    commitsBehind = await deps.git.countCommits(found.fork.repo, heads.production, heads.tagCommit);
  }
  const plan = found.plan;
  const open =
    plan.action === 'pr-exists' || plan.action === 'queued' || plan.action === 'supersede'
      ? plan.pr
      : (found.syncPulls.find((pr) => pr.state === 'open') ?? null);
  const status: PipelineStatus = {
    ...base,
    state: stateOf(found),
    currentVersion: found.currentVersion,
    latestTag: found.latest?.tag ?? null,
    commitsBehind,
    openPr: open ? { number: open.number, url: open.htmlUrl, tag: open.tag } : null,
    queuedTag: plan.action === 'queued' ? plan.target.tag : null,
    waiting: found.waiting.map((r) => r.tag),
    skipped: found.skipped,
    warnings: [
      ...versionWarnings({ name: p.version.file, version: found.currentVersion }, lastSynced, found.currentTag),
      ...ledgerWarnings(deps.ledgers, p.id, open?.number ?? null, deps.clock.now()),
    ],
    stale: false,
  };
  deps.syncRecords.saveFacts(p.id, { ...status });
  return status;
}
