import type { ChecksSummary, SyncConflictCounts, SyncStage } from '../../ports.js';
import type { BranchSyncConfig, MirrorConfig, ReleaseSyncConfig } from '../../config/schema.js';
import { plural } from '../../core/plural.js';

// How each sync stage looks, shared by the card, the status reply and App Home, so the three
// always describe a sync the same way.

export const PROGRESS_STEPS: readonly SyncStage[] = [
  'detected',
  'mirror-updated',
  'pr-open',
  'resolving',
  'ci',
  'ready',
  'merged',
  'released',
];

export const STAGES: Record<SyncStage, { emoji: string; label: string; step: number | null }> = {
  queued: { emoji: '⏸️', label: 'Queued behind the open sync PR', step: 0 },
  'up-to-date': { emoji: '✅', label: 'Up to date', step: null },
  detected: { emoji: '🔎', label: 'New release detected', step: 1 },
  'mirror-updated': { emoji: '🪞', label: 'Mirror updated', step: 2 },
  'pr-open': { emoji: '📬', label: 'PR open', step: 3 },
  resolving: { emoji: '🛠️', label: 'Resolving conflicts', step: 4 },
  'needs-person': { emoji: '🙋', label: 'Needs a person', step: 4 },
  ci: { emoji: '🧪', label: 'CI running', step: 5 },
  ready: { emoji: '🟢', label: 'Ready to merge', step: 6 },
  merged: { emoji: '🔀', label: 'Merged', step: 7 },
  released: { emoji: '🚀', label: 'Released', step: 8 },
  failed: { emoji: '❌', label: 'Failed', step: null },
  skipped: { emoji: '⏭️', label: 'Skipped', step: null },
  superseded: { emoji: '↪️', label: 'Superseded', step: null },
};

export function progressBar(stage: SyncStage): string | null {
  const step = STAGES[stage].step;
  if (step === null) return null;
  const total = PROGRESS_STEPS.length;
  return `${'◼️'.repeat(step)}${'◻️'.repeat(total - step)}  Step ${step} of ${total}`;
}

export function ciText(ci: ChecksSummary | null | undefined): string {
  if (!ci || ci.state === 'none') return '— no checks reported';
  if (ci.state === 'success') return `✅ ${ci.total} passed`;
  if (ci.state === 'failure') return `❌ ${ci.failing.length} of ${ci.total} failing`;
  return `⏳ ${ci.pending.length} of ${ci.total} running`;
}

export function conflictText(c: SyncConflictCounts | null | undefined): string {
  if (!c) return '—';
  if (c.files === 0) return 'none';
  const parts = [
    c.byRule && `${c.byRule} by rule`,
    c.byStructure && `${c.byStructure} structured`,
    c.byMemory && `${c.byMemory} by memory`,
    c.byLlm && `${c.byLlm} by LLM`,
    c.byPerson && `${c.byPerson} by people`,
  ].filter(Boolean);
  const waiting = c.waiting ? ` · *${c.waiting} waiting for a person*` : '';
  return `${plural(c.files, 'file')}${parts.length ? `: ${parts.join(', ')}` : ''}${waiting}`;
}

/** The facts about a pipeline every view needs. */
export interface PipelineFacts {
  id: string;
  /**
   * branch-sync cards name an upstream head range instead of a release, and have no skip or
   * release; mirror cards (a merge into target) name the source head merged, likewise.
   */
  kind?: 'release-sync' | 'branch-sync' | 'mirror';
  forkRepo: string;
  upstreamRepo: string;
  productionBranch: string;
  mirrorBranch: string | null;
  releases: boolean;
  channel: string | null;
}

export function pipelineFacts(p: ReleaseSyncConfig | BranchSyncConfig | MirrorConfig): PipelineFacts {
  if (p.kind === 'mirror')
    return {
      id: p.id,
      kind: 'mirror',
      forkRepo: p.target.repo,
      upstreamRepo: p.source.repo,
      productionBranch: p.target.branch,
      mirrorBranch: null,
      releases: false,
      channel: p.slack?.channel ?? null,
    };
  if (p.kind === 'branch-sync')
    return {
      id: p.id,
      kind: 'branch-sync',
      forkRepo: p.fork.repo,
      upstreamRepo: p.upstream.repo,
      // The PR's base: what "production" means for this kind.
      productionBranch: p.fork.targetBranch,
      mirrorBranch: null,
      releases: false,
      channel: p.slack?.channel ?? null,
    };
  return {
    id: p.id,
    forkRepo: p.fork.repo,
    upstreamRepo: p.upstream.repo,
    productionBranch: p.fork.productionBranch,
    mirrorBranch: p.fork.mirrorBranch ?? null,
    releases: p.release !== undefined,
    channel: p.slack?.channel ?? null,
  };
}
