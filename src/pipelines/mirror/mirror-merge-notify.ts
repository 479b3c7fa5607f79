import type { MirrorConfig } from '../../config/schema.js';
import type { SyncRef, SyncUpdate } from '../../ports.js';
import { waitingHunksId } from '../../workflows/resolve/waiting-hunks-id.js';
import { changeCard } from '../change-card.js';
import type { MirrorMergeAnalysis } from './mirror-merge-analysis.js';
import { MIRROR_RESOLVER_PR, mirrorMergeTag, type MirrorMergeDeps, type MirrorMergeRun } from './mirror-merge-types.js';

// A merge into the target has the same card as the other kinds' sync PRs (one per source head,
// `mirror-<short S>`): detected → needs-person (hunks in the thread) → pr-open → ci → ready →
// merged by Approve & merge. The CI watcher moves it after pr-open. Never fails a run (invariant 10).

export function mergeCard(deps: MirrorMergeDeps, p: MirrorConfig, run: MirrorMergeRun, sourceSha: string) {
  const ref = { pipeline: p.id, tag: mirrorMergeTag(sourceSha) };
  const change = (update: SyncUpdate, then?: () => Promise<void>): Promise<void> =>
    changeCard(deps.notifier, run, ref, update, 'mirror merge notification failed', then);
  return {
    ref,
    /** An older merge's card, taken over by this one. */
    superseded: async (old: SyncRef, by: string): Promise<void> => {
      // Only a card the bot made: a PR opened elsewhere gets no card of ours now.
      if (run.dryRun || !deps.cards?.get(old)) return;
      try {
        await deps.notifier.syncChanged(old, { stage: 'superseded', supersededBy: by });
      } catch (err) {
        run.log.warn({ err }, 'mirror merge notification failed');
      }
    },
    /** The merge starts: the card appears (a rerun while hunks wait does not send it back to the start). */
    detected: (input: { targetSha: string; ahead: number }) =>
      deps.cards?.get(ref)
        ? Promise.resolve()
        : change({
            stage: 'detected',
            fromVersion: input.targetSha.slice(0, 12),
            toVersion: sourceSha.slice(0, 12),
            commitsBehind: input.ahead,
          }),
    waiting: (a: MirrorMergeAnalysis, pr: { number: number; url: string } | null) =>
      change(
        { stage: 'needs-person', conflicts: a.counts, ...(pr ? { pr: { ...pr, title: p.merge.title } } : {}) },
        async () => {
          await deps.notifier.syncDetail(
            ref,
            { kind: 'waiting', pr: pr?.number ?? MIRROR_RESOLVER_PR, hunks: a.waiting },
            { key: `waiting:${p.id}:${sourceSha}:${waitingHunksId(a.waiting)}` },
          );
        },
      ),
    opened: (pr: { number: number; url: string; title: string }, a: MirrorMergeAnalysis | null) => {
      const stage = deps.cards?.get(ref)?.snapshot.stage;
      // The CI watcher already moved it on (a rerun after the PR opened): leave the card where it is.
      if (stage && !['detected', 'needs-person', 'failed'].includes(stage)) return Promise.resolve();
      return change(
        {
          stage: 'pr-open',
          pr: { number: pr.number, url: pr.url, title: pr.title },
          conflicts: a?.files.length ? a.counts : null,
        },
        async () => {
          if (a?.files.length)
            await deps.notifier.syncDetail(
              ref,
              { kind: 'conflicts', files: a.outcomes },
              { key: `conflicts:${p.id}:${sourceSha}` },
            );
        },
      );
    },
  };
}
