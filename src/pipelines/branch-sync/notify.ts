import type { BranchSyncConfig } from '../../config/schema.js';
import type { LedgerDetail, SyncRef, SyncUpdate } from '../../ports.js';
import { ledgerBlockOf, ledgerReplyKey } from '../../workflows/ledger/ledger-refresh.js';
import { waitingHunksId } from '../../workflows/resolve/waiting-hunks-id.js';
import { changeCard } from '../change-card.js';
import type { BranchSyncDeps, BranchSyncResult, BranchSyncRun } from './branch-sync-types.js';
import type { Look } from './look.js';
import type { MergeAnalysis } from './merge-upstream.js';

// What a run leaves for `status` and App Home (facts in SQLite, with the time they were true)
// and for Slack: one card per pipeline and upstream head range (`<from>..<U>`, from = the newest
// upstream commit already in the sync branch). Never fails a run: Slack and bookkeeping come
// after the work and only record (invariant 10).

export interface BranchSyncFacts {
  kind: 'branch-sync';
  outcome: BranchSyncResult['outcome'];
  upstreamSha: string | null;
  syncBranchSha: string | null;
  ahead: number;
  behind: number;
  pr: { number: number; url: string } | null;
  conflicts: string[];
  checkedAt: string;
}

/** The card of one upstream head range, e.g. `a1b2c3d..e4f5a6b` (`root..` for unrelated histories). */
export function rangeRef(p: BranchSyncConfig, from: string | null, u: string): SyncRef {
  return { pipeline: p.id, tag: `${from ? from.slice(0, 7) : 'root'}..${u.slice(0, 7)}` };
}

function card(
  deps: BranchSyncDeps,
  run: BranchSyncRun,
  ref: SyncRef,
  update: SyncUpdate,
  then?: () => Promise<void>,
): Promise<void> {
  return changeCard(deps.notifier, run, ref, update, 'branch-sync notification failed', then);
}

/** Upstream moved: the range's card appears (before the merge is made). */
export function cardDetected(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  seen: Look,
  input: { from: string | null; behind: number },
): Promise<void> {
  const u = seen.upstreamSha;
  const ref = rangeRef(p, input.from, u);
  // A rerun of the same range (conflicts still waiting) does not send its card back to the start.
  if (deps.cards?.recent(p.id, 20).some((s) => s.tag === ref.tag)) return Promise.resolve();
  return card(deps, run, ref, {
    stage: 'detected',
    fromVersion: input.from ? input.from.slice(0, 12) : null,
    toVersion: u.slice(0, 12),
    commitsBehind: input.behind,
    compareUrl: input.from ? `${seen.upstream.htmlUrl}/compare/${input.from}...${u}` : null,
  });
}

export async function notifyBranchSync(
  deps: BranchSyncDeps,
  p: BranchSyncConfig,
  run: BranchSyncRun,
  seen: Look,
  input: {
    result: BranchSyncResult;
    from: string | null;
    analysis: MergeAnalysis | null;
    /** The fork-patch ledger of the new head: on the card, and in the thread with its buttons. */
    ledger?: LedgerDetail | null;
  },
): Promise<void> {
  if (run.dryRun) return;
  const r = input.result;
  try {
    const facts: BranchSyncFacts = {
      kind: 'branch-sync',
      outcome: r.outcome,
      upstreamSha: r.upstreamSha,
      syncBranchSha: r.syncBranchSha,
      ahead: r.ahead,
      behind: r.behind,
      pr: r.pr,
      conflicts: r.conflicts,
      checkedAt: deps.clock.now().toISOString(),
    };
    deps.syncRecords.saveFacts(p.id, { ...facts });
  } catch (err) {
    run.log.warn({ err }, 'branch-sync facts not saved');
  }
  const ref = rangeRef(p, input.from, seen.upstreamSha);
  const a = input.analysis;
  const pr = r.pr ? { ...r.pr, title: p.pr.title } : null;
  if (r.outcome !== 'up-to-date' && r.outcome !== 'refused') await supersedeOlder(deps, run, ref);
  if (r.outcome === 'pr-created' || r.outcome === 'pr-updated') {
    const ledger = input.ledger ?? null;
    const update: SyncUpdate = {
      stage: 'pr-open',
      pr,
      conflicts: a?.files.length ? a.counts : null,
      ...(ledger ? { ledgerBlock: ledgerBlockOf(ledger) } : {}),
    };
    await card(deps, run, ref, update, async () => {
      if (ledger) await deps.notifier.syncDetail(ref, ledger, { key: ledgerReplyKey(ledger) });
      if (a?.files.length)
        await deps.notifier.syncDetail(
          ref,
          { kind: 'conflicts', files: a.files.map((f) => fileOutcome(a, f.path)) },
          { key: `conflicts:${p.id}:${seen.upstreamSha}:${r.syncBranchSha ?? ''}` },
        );
    });
  } else if (r.outcome === 'conflicts' && a) {
    await card(deps, run, ref, { stage: 'needs-person', pr, conflicts: a.counts }, async () => {
      await deps.notifier.syncDetail(
        ref,
        { kind: 'waiting', pr: r.pr?.number ?? 0, hunks: a.waiting },
        { key: `waiting:${p.id}:${seen.upstreamSha}:${waitingHunksId(a.waiting)}` },
      );
    });
  }
}

/** Stages of a range still in flight: a newer range merged onto the same branch takes over from it. */
const IN_FLIGHT = new Set(['detected', 'pr-open', 'resolving', 'needs-person', 'ci', 'ready']);

async function supersedeOlder(deps: BranchSyncDeps, run: BranchSyncRun, ref: SyncRef): Promise<void> {
  const older = (deps.cards?.recent(ref.pipeline, 20) ?? []).filter((s) => s.tag !== ref.tag && IN_FLIGHT.has(s.stage));
  for (const s of older)
    await card(deps, run, { pipeline: s.pipeline, tag: s.tag }, { stage: 'superseded', supersededBy: ref.tag });
}

function fileOutcome(a: MergeAnalysis, path: string) {
  const found = a.outcomes.find((o) => o.path === path);
  if (!found) throw new Error(`no outcome for ${path}`);
  return found;
}
