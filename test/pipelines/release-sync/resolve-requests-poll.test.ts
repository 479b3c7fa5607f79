import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/log.js';
import { pollResolveRequests } from '../../../src/pipelines/release-sync/resolve-requests-poll.js';
import type { SyncSnapshot } from '../../../src/ports.js';
import { FORK, syncWorld } from './harness.js';

// Issue 11 item 7, without webhooks: `/upstream-sync resolve` comments on an open sync PR are
// found by polling its comments, acted on once each, as the GitHub user who wrote them; a login
// that is not github:-listed is refused and audited.

describe('resolve requested by a PR comment, found by polling (issue 11 item 7)', () => {
  it('queues the resolver once per comment, as the commenter; refuses and audits others', async () => {
    const w = await syncWorld({ top: { access: { resolve: ['github:mateo-di'] } } });
    await w.release('1.81.0', { 'litellm/new.py': 'n\n' });
    const result = await w.sync();
    const pr = result.pr!.number;
    const card = { pipeline: 'litellm', tag: 'v1.81.0-stable', stage: 'pr-open', pr: { number: pr } } as SyncSnapshot;
    w.sandbox.commentAs(FORK, pr, 'mateo-di', '/upstream-sync resolve');
    w.sandbox.commentAs(FORK, pr, 'mallory', '/upstream-sync resolve');
    w.sandbox.commentAs(FORK, pr, 'mateo-di', 'looks fine, no need to /upstream-sync resolve');
    const deps = {
      config: w.config,
      queue: w.services.runner,
      audit: w.services.store.audit,
      log: silentLogger(),
      github: w.github,
      cards: { recent: () => [card] },
      seen: w.services.store.webhookDeliveries,
      now: () => new Date(),
    };
    expect(await pollResolveRequests(deps)).toBe(2);
    expect(await pollResolveRequests(deps)).toBe(0);
    const jobs = await w.services.runner.list({ kind: 'resolve' });
    expect(jobs.map((j) => [j.requestedBy.kind, j.requestedBy.id, (j.data as { pr: number }).pr])).toEqual([
      ['github', 'mateo-di', pr],
    ]);
    const refused = w.services.store.audit.list({ action: 'resolve' }).filter((a) => a.outcome === 'refused');
    expect(refused.map((a) => a.actor.id)).toEqual(['mallory']);
  });
});
