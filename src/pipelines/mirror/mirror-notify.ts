import type { MirrorConfig } from '../../config/schema.js';
import type { Clock } from '../../ports.js';
import type { OutboxStore } from '../../slack/outbox/outbox-store.js';
import { mirrorCard } from '../../slack/views/mirror-card.js';
import type { MirrorResult, SyncReport } from './mirror-types.js';

// A mirror run that changed or found something gets a card in the pipeline's channel, through the
// outbox (Slack never blocks the run, a Slack outage never fails it). One card per distinct
// situation: the same divergence seen by every daily run is posted once.

const CARD_OUTCOMES = new Set(['fast-forwarded', 'diverged', 'target-ahead', 'forced', 'refused']);

export function mirrorCardKey(r: Pick<MirrorResult, 'pipeline' | 'outcome' | 'sourceSha' | 'targetSha'>): string {
  return `mirror:${r.pipeline}:${r.outcome}:${r.sourceSha ?? '-'}:${r.targetSha ?? '-'}`;
}

export function postMirrorCard(
  deps: { outbox: OutboxStore; clock: Clock },
  input: {
    pipeline: MirrorConfig;
    result: MirrorResult;
    state: string;
    report: SyncReport | null;
    targetHtmlUrl: string;
  },
): boolean {
  const { pipeline: p, result } = input;
  const channel = p.slack?.channel;
  if (!channel || !CARD_OUTCOMES.has(result.outcome)) return false;
  const now = deps.clock.now();
  const card = mirrorCard({
    pipeline: p,
    run: {
      outcome: result.outcome,
      state: input.state as never,
      sourceSha: result.sourceSha,
      targetSha: result.targetSha,
      targetShaAfter: result.targetShaAfter,
      ahead: result.ahead,
      behind: result.behind,
      report: input.report,
      tags: result.tags,
      backupRef: result.backupRef ?? null,
      ...(result.refused ? { refused: result.refused } : {}),
    },
    targetHtmlUrl: input.targetHtmlUrl,
    at: now.toISOString(),
  });
  const key = mirrorCardKey(result);
  return deps.outbox.enqueue(
    {
      op: 'post',
      pipeline: p.id,
      tag: null,
      payload: { channel, kind: 'mirror-card', key, text: card.text, blocks: card.blocks },
      idemKey: key,
    },
    now,
  );
}
