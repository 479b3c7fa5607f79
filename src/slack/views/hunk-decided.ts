import { actorMention } from '../../core/wording.js';
import type { HunkDecision } from '../../ports.js';
import { ACTION_IDS, decodeValue } from '../action-ids.js';
import { code } from '../mrkdwn.js';
import { context, type Block } from './blocks.js';
import { slackDate } from './status.js';

// A hunk someone decided keeps no buttons: the thread message is redrawn with who took which side
// and when in place of "Take upstream / Take fork", so nobody clicks a choice that changes nothing.

export function decisionText(d: HunkDecision & { at: string }): string {
  return `✅ ${actorMention(d.by)} took *${d.take}* ${slackDate(d.at)}`;
}

interface LooseBlock {
  type: string;
  elements?: Array<{ action_id?: string; value?: string }>;
}

/** The message's blocks with the hunk's Take upstream / Take fork row replaced by `text`; null if it has none. */
export function markHunkDecided(blocks: readonly { type: string }[], hunkId: string, text: string): Block[] | null {
  const isTake = (e: { action_id?: string; value?: string }) =>
    (e.action_id === ACTION_IDS.hunkUpstream || e.action_id === ACTION_IDS.hunkFork) &&
    decodeValue(e.value)?.h === hunkId;
  let found = false;
  const out = (blocks as readonly LooseBlock[]).flatMap((b): Block[] => {
    if (b.type !== 'actions' || !b.elements?.some(isTake)) return [b as Block];
    found = true;
    // "Open in GitHub" stays: it changes nothing.
    const rest = b.elements.filter((e) => !isTake(e));
    return rest.length ? [context(text), { ...b, elements: rest } as Block] : [context(text)];
  });
  return found ? out : null;
}

/** The answer to a click on a hunk that was decided already. */
export function alreadyDecidedText(
  pr: number,
  prior: { choice: (HunkDecision & { at: string }) | null; resolvedSha: string | null },
): string {
  if (prior.choice)
    return `ℹ️ This hunk of PR #${pr} was already decided: ${decisionText(prior.choice).slice(2)}. Your click changed nothing; to change it, push a fix to the branch and run the resolver again.`;
  return `ℹ️ PR #${pr} was already resolved in ${code((prior.resolvedSha ?? '').slice(0, 12))}: nothing waits for this choice, so your click changed nothing.`;
}
