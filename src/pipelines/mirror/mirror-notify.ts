import type { MirrorConfig } from '../../config/schema.js';
import type { MirrorState } from '../../core/mirror/mirror-state.js';
import type { KindRunEvent } from '../../ports/notifier.js';
import { mirrorCard } from '../../slack/views/mirror-card.js';
import type { MirrorResult, SyncReport } from './mirror-types.js';

// A mirror run that changed or found something gets a card in the pipeline's channel, through the
// notifier's kind-run hook (the outbox: Slack never blocks the run, an outage never fails it). One
// card per distinct situation: the same divergence seen by every daily run is posted once.

const CARD_OUTCOMES = new Set(['fast-forwarded', 'diverged', 'target-ahead', 'forced', 'refused']);

/** What the card needs beyond the JSON line: the state, the full stored report, the compare link. */
export interface MirrorCardEvent extends MirrorResult {
  state: MirrorState;
  fullReport: SyncReport | null;
  targetHtmlUrl: string;
  at: string;
}

export function mirrorCardEvent(event: MirrorCardEvent): KindRunEvent | null {
  if (!CARD_OUTCOMES.has(event.outcome)) return null;
  return {
    pipeline: event.pipeline,
    key: `${event.outcome}:${event.sourceSha ?? '-'}:${event.targetSha ?? '-'}`,
    result: event as unknown as KindRunEvent['result'],
  };
}

/** The notifier's view of a mirror run (KIND_VIEWS in src/slack/slack-notifier.ts). */
export function renderMirrorRun(p: MirrorConfig, result: KindRunEvent['result']) {
  const r = result as unknown as MirrorCardEvent;
  return mirrorCard({
    pipeline: p,
    run: {
      outcome: r.outcome,
      state: r.state,
      sourceSha: r.sourceSha,
      targetSha: r.targetSha,
      targetShaAfter: r.targetShaAfter,
      ahead: r.ahead,
      behind: r.behind,
      report: r.fullReport,
      tags: r.tags,
      backupRef: r.backupRef ?? null,
      ...(r.refused ? { refused: r.refused } : {}),
    },
    targetHtmlUrl: r.targetHtmlUrl,
    at: r.at,
  });
}
