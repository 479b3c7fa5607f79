import { describe, expect, it } from 'vitest';
import { jobIdentity } from '../../src/jobs/job-kinds.js';
import { ALICE, OPS, TAG, slackWorld, type SlackWorld } from './slack-world.js';

// Slack never blocks work (invariant 10): a sync runs to its PR while Slack's Web API is down or
// rate limiting, and its card arrives afterwards, once, showing where the sync is now.

function topLevel(w: SlackWorld) {
  return w.slack.messages(OPS).filter((m) => !m.threadTs || m.threadTs === m.ts);
}

async function cronSync(w: SlackWorld): Promise<number> {
  const { job } = await w.services.runner.enqueue({
    ...jobIdentity.sync('litellm'),
    data: { pipeline: 'litellm' },
    requestedBy: { kind: 'cron', id: 'litellm' },
  });
  return job.id;
}

describe('Slack outage during a sync', () => {
  it('finishes the sync while the Web API answers 503, then posts one card with the current state', async () => {
    const w = await slackWorld();
    w.slack.faults.outage({ webApi: true });
    const jobId = await cronSync(w);
    const done = await w.services.runner.waitFor(jobId, { timeoutMs: 60_000 });
    expect(done.state).toBe('succeeded');
    expect(w.github.pulls('CartoDB/litellm').filter((p) => p.state === 'open')).toHaveLength(1);
    await w.until(() => w.slack.calls.some((c) => c.fault === 'outage'), 'a refused Slack call');
    expect(topLevel(w)).toEqual([]);
    expect(w.services.slack.outbox.counts().pending).toBeGreaterThan(0);

    w.slack.faults.endOutage();
    await w.until(() => w.services.slack.outbox.counts().pending === 0, 'the outbox to drain', 30_000);
    const cards = topLevel(w);
    expect(cards).toHaveLength(1);
    expect(w.cardText()).toMatch(/PR open|CI running|Ready to merge/);
    expect(w.thread().length).toBeGreaterThan(0);
    expect(w.services.slack.outbox.counts().dead).toBe(0);
  });

  it('honours rate limits: the card still arrives once', async () => {
    const w = await slackWorld();
    w.slack.faults.rateLimit('chat.postMessage', { times: 2, retryAfterSeconds: 1 });
    await w.command(ALICE, 'sync');
    await w.card();
    await w.until(() => w.services.slack.outbox.counts().pending === 0, 'the outbox to drain', 30_000);
    expect(w.slack.calls.filter((c) => c.method === 'chat.postMessage' && c.fault === 'ratelimited')).toHaveLength(2);
    expect(topLevel(w)).toHaveLength(1);
  });

  it('keeps answering commands after Slack drops the socket', async () => {
    const w = await slackWorld();
    w.slack.disconnect({ abrupt: true });
    await w.slack.waitForConnection(2, 15_000);
    expect(await w.command(ALICE, 'sync')).toEqual({});
    await w.card(TAG);
    expect(topLevel(w)).toHaveLength(1);
  });
});
