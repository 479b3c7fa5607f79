import type { SyncStage } from '../../ports.js';
import { link, mentionPrincipal } from '../mrkdwn.js';
import { section } from './blocks.js';
import type { RenderedMessage } from './sync-card.js';
import { slackDate } from './status.js';

// The thread reminder for a sync PR that has waited for a person too long: who may act, since
// when, and what to do.

const WHAT: Partial<Record<SyncStage, string>> = {
  'needs-person': 'has hunks waiting for a person: pick a side for each above',
  ready: 'is ready to merge: press *Approve &amp; merge* on the card',
};

export function reminderReply(input: {
  stage: SyncStage;
  since: string;
  pr: { number: number; url: string } | null;
  people: readonly string[];
}): RenderedMessage {
  const pr = input.pr ? link(input.pr.url, `PR #${input.pr.number}`) : 'This sync PR';
  const who = input.people.length ? `${input.people.map(mentionPrincipal).join(' ')}: ` : '';
  const what = WHAT[input.stage] ?? `is at "${input.stage}"`;
  const text = `⏰ ${who}${pr} ${what}. It has been waiting since ${slackDate(input.since)}.`;
  return {
    text: `⏰ ${input.pr ? `PR #${input.pr.number}` : 'The sync PR'} is waiting for a person`,
    blocks: [section(text)],
  };
}
