import { pipelinesOfKind } from '../../config/require-pipeline.js';
import type { GitHubPort, SyncSnapshot } from '../../ports.js';
import { commentKey, isResolveCommand, request, type ResolveRequestDeps } from '../../web/resolve-request-webhooks.js';

// Without webhooks (or when a delivery was lost), `/upstream-sync resolve` comments on open sync
// PRs are found by reading their comments; each comment is acted on once, whichever path sees it
// first, because both record it under the same key.

const OPEN: ReadonlySet<SyncSnapshot['stage']> = new Set(['pr-open', 'resolving', 'needs-person', 'ci', 'ready']);

export interface ResolveRequestPollDeps extends ResolveRequestDeps {
  github: Pick<GitHubPort, 'listComments'>;
  cards: { recent(pipeline: string, limit?: number): SyncSnapshot[] };
  seen: { recordOnce(id: string, event: string): boolean };
  now: () => Date;
}

/** Older comments are not acted on: the record of handled ones is pruned after a month. */
const MAX_AGE_MS = 7 * 24 * 3600_000;

/** One pass; returns how many requests it found. */
export async function pollResolveRequests(deps: ResolveRequestPollDeps): Promise<number> {
  let found = 0;
  for (const p of pipelinesOfKind(deps.config, 'release-sync')) {
    for (const card of deps.cards.recent(p.id, 20)) {
      if (!card.pr || !OPEN.has(card.stage)) continue;
      let comments;
      try {
        comments = await deps.github.listComments(p.fork.repo, card.pr.number);
      } catch (err) {
        deps.log.warn({ err, pipeline: p.id, pr: card.pr.number }, 'could not read sync PR comments');
        continue;
      }
      for (const c of comments) {
        if (!c.user || !isResolveCommand(c.body)) continue;
        if (deps.now().getTime() - Date.parse(c.createdAt) > MAX_AGE_MS) continue;
        if (!deps.seen.recordOnce(commentKey(p.fork.repo, c.id), 'issue_comment')) continue;
        found += 1;
        await request(deps, p, card.pr.number, { kind: 'github', id: c.user, via: `comment:${c.id}` });
      }
    }
  }
  return found;
}
