import type { BranchSyncConfig } from '../../config/schema.js';
import type { GitPort, LedgerDetail } from '../../ports.js';
import type { LedgerRecords } from '../../ports/ledger-records.js';
import { takenByRuleOf } from '../../workflows/ledger/ledger-gate.js';
import { ledgerDetail } from '../../workflows/ledger/ledger-refresh.js';
import { recordLedger } from '../../workflows/ledger/ledger-service.js';
import { ledgerPrSection } from '../../workflows/ledger/ledger-summary.js';
import type { Look } from './look.js';
import { rangeRef } from './notify.js';

// The fork-patch ledger of a branch-sync, exactly as release-sync has it: the fork's patch set is
// the target branch against its merge base with upstream's head U, classified against the sync
// branch once upstream is merged into it. Stored under the range's card (`<from>..<U>`), so the
// merge gate, the CI watcher and the card's buttons find it by PR like any sync's ledger.

export interface BranchSyncLedger {
  /** The range card's tag the ledger is stored under. */
  tag: string;
  /** The PR body's section. */
  section: string[];
}

export async function branchSyncLedger(
  deps: { git: GitPort; ledgers: LedgerRecords },
  p: BranchSyncConfig,
  input: { seen: Look; head: string; from: string | null },
): Promise<BranchSyncLedger | null> {
  const cache = p.fork.repo;
  const u = input.seen.upstreamSha;
  const base = await deps.git.mergeBase(cache, input.seen.target, u);
  if (!base) return null;
  const tag = rangeRef(p, input.from, u).tag;
  const record = await recordLedger(deps.git, deps.ledgers, {
    pipeline: p.id,
    tag,
    prNumber: null,
    repo: cache,
    revs: { base, production: input.seen.target, upstream: u, result: input.head },
    guards: p.guards,
    guardsFile: p.guardsFile,
  });
  return { tag, section: ledgerPrSection(record) };
}

/** Once the PR exists: the ledger is tied to it and the thread's reply (with its buttons) is built. */
export function attachLedgerToPr(
  ledgers: LedgerRecords,
  p: BranchSyncConfig,
  ledger: BranchSyncLedger,
  pr: number,
): LedgerDetail | null {
  ledgers.setPr(p.id, ledger.tag, pr);
  const stored = ledgers.latest(p.id, { tag: ledger.tag, pr });
  return stored ? ledgerDetail(stored, ledgers, takenByRuleOf(p)) : null;
}
