import type { Actor } from '../ports/actor.js';
import { plural } from './plural.js';

// One place for counts and names, so every surface says "1 commit" / "3 commits" and names people
// the same way: a Slack mention where Slack renders it, a readable name everywhere else.

const IRREGULAR: Record<string, string> = { person: 'people', needs: 'need' };

/** "1 commit", "3 commits", "0 files"; `many` for words that do not take an s. */
export function count(n: number, one: string, many?: string): string {
  return plural(n, one, many ?? IRREGULAR[one]);
}

/** The verb agreeing with a count: needs/need, is/are, waits/wait. */
export function agree(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** A person or process in plain text (CLI, GitHub comments, logs): the name when known, never "slack user U…". */
export function actorName(a: Actor): string {
  if (a.name) return a.kind === 'slack' || a.kind === 'github' ? `@${a.name}` : a.name;
  switch (a.kind) {
    case 'slack':
      return `@${a.id} on Slack`;
    case 'github':
      return `@${a.id} on GitHub`;
    case 'cron':
      return 'the schedule';
    case 'cli':
      return `${a.id} (CLI)`;
    case 'webhook':
      return 'a GitHub webhook';
    case 'bot':
      return 'the bot';
  }
}

/** The same in Slack mrkdwn: a `<@U…>` mention Slack turns into the person's name. */
export function actorMention(a: Actor): string {
  if (a.kind === 'slack' && /^[UW][A-Z0-9]{2,}$/.test(a.id)) return `<@${a.id}>`;
  return actorName(a).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
}
