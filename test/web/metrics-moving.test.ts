import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicLlm } from '../../src/adapters/llm/anthropic-llm.js';
import { startAnthropicSandbox, type AnthropicSandbox } from '../../src/sandbox/anthropic/anthropic-sandbox.js';
import { buttonLabels } from '../../src/sandbox/slack/find-button.js';
import { instrumentLlm } from '../../src/web/instrument.js';
import { createMetrics } from '../../src/web/metrics.js';
import { FORK, publishRelease } from '../pipelines/release-sync/harness.js';
import { ALICE, OPS_CHANNEL } from '../slack/fixtures.js';
import { appWorld, type AppWorld } from '../e2e/start/app-world.js';

// Every custom metric moves when its work is done: a sync, a merge and a release through Slack
// against the stand-ins, read back from /metrics as Prometheus scrapes it.

const TAG = 'v1.81.0-stable';

/** `name{labels} value` lines of the exposition, keyed by `name{labels}`. */
function parse(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return out;
}

async function scrape(w: AppWorld): Promise<{ text: string; m: Map<string, number> }> {
  const r = await w.get('/metrics');
  expect(r.status).toBe(200);
  return { text: r.body, m: parse(r.body) };
}

const value = (m: Map<string, number>, key: string): number => m.get(key) ?? 0;
const sumOf = (m: Map<string, number>, prefix: string): number =>
  [...m].filter(([k]) => k.startsWith(prefix)).reduce((n, [, v]) => n + v, 0);

let anthropic: AnthropicSandbox | null = null;
afterEach(async () => {
  await anthropic?.close();
  anthropic = null;
});

describe('/metrics', () => {
  it('moves with one sync, one merge and one release', { timeout: 120_000 }, async () => {
    const w = await appWorld();
    const before = (await scrape(w)).m;
    expect(value(before, 'upstream_sync_jobs_finished_total{kind="sync",state="succeeded"}')).toBe(0);

    await publishRelease(w.github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
    const { services } = w.app;
    const snapshot = () => services.store.syncCards.get({ pipeline: 'litellm', tag: TAG })?.snapshot ?? null;
    const card = () => {
      const ts = services.store.slackMessages.get('litellm', TAG, 'sync-card')?.ts;
      return w.slack.messages(OPS_CHANNEL).find((m) => m.ts === ts);
    };
    await w.slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'sync',
      user_id: ALICE,
      channel_id: OPS_CHANNEL,
    });
    const pr = await w.until(() => snapshot()?.pr, 'the sync PR');
    await w.github.setCheckRun(FORK, w.github.pull(FORK, pr.number).headSha, {
      name: 'tests',
      status: 'completed',
      conclusion: 'success',
    });
    const ready = await w.until(() => {
      const c = card();
      return c && buttonLabels(c.blocks).includes('Approve & merge') ? c : null;
    }, 'Approve & merge');
    await w.slack.clickButton({ message: ready, label: 'Approve & merge', user: ALICE });
    const merged = await w.until(() => {
      const c = card();
      return c && buttonLabels(c.blocks).includes('Release minor') ? c : null;
    }, 'the release buttons');
    await w.slack.clickButton({ message: merged, label: 'Release minor', user: ALICE });
    await w.until(
      () => w.slack.openModals(ALICE).find((v) => JSON.stringify(v.view).includes('Next tag')),
      'the release preview',
    );
    await w.slack.sendViewSubmission({ user: ALICE, callbackId: 'us_release_modal' });
    await w.until(() => w.github.releases(FORK).length > 0, 'the GitHub release');
    await w.until(
      async () =>
        value((await scrape(w)).m, 'upstream_sync_jobs_finished_total{kind="release",state="succeeded"}') === 1,
      'the release job to be counted',
    );
    await w.until(() => services.slack.outbox.counts().pending === 0, 'the outbox to drain');

    const { text, m } = await scrape(w);
    if (process.env.SHOW_METRICS)
      console.log(
        text
          .split('\n')
          .filter((l) => /^(# HELP )?upstream_sync_(?!process|nodejs)/.test(l))
          .join('\n'),
      );
    for (const kind of ['sync', 'merge', 'release'])
      expect(value(m, `upstream_sync_jobs_finished_total{kind="${kind}",state="succeeded"}`)).toBe(1);
    expect(value(m, 'upstream_sync_sync_outcomes_total{pipeline="litellm",outcome="pr-created"}')).toBe(1);
    expect(sumOf(m, 'upstream_sync_step_duration_seconds_count{kind="sync"')).toBeGreaterThan(0);
    expect(sumOf(m, 'upstream_sync_step_duration_seconds_count{kind="merge"')).toBeGreaterThan(0);
    expect(sumOf(m, 'upstream_sync_step_duration_seconds_count{kind="release"')).toBeGreaterThan(0);
    expect(value(m, 'upstream_sync_github_requests_total{result="2xx"}')).toBeGreaterThan(
      value(before, 'upstream_sync_github_requests_total{result="2xx"}'),
    );
    expect(value(m, 'upstream_sync_github_rate_limit_remaining')).toBe(4999);
    expect(value(m, 'upstream_sync_slack_calls_total{method="chat.postMessage",result="ok"}')).toBeGreaterThan(0);
    expect(value(m, 'upstream_sync_slack_calls_total{method="views.open",result="ok"}')).toBe(1);
    expect(value(m, 'upstream_sync_slack_ack_seconds_count{type="command"}')).toBe(1);
    expect(value(m, 'upstream_sync_slack_ack_seconds_count{type="action"}')).toBe(2);
    expect(value(m, 'upstream_sync_slack_ack_seconds_count{type="view"}')).toBe(1);
    expect(m.has('upstream_sync_outbox_pending')).toBe(true);
    expect(value(m, 'upstream_sync_outbox_pending')).toBe(0);
    expect(value(m, 'upstream_sync_outbox_dropped')).toBe(0);
    expect(value(m, 'upstream_sync_last_successful_check_timestamp_seconds{pipeline="litellm"}')).toBeGreaterThan(
      Date.parse('2026-01-01') / 1000,
    );
  });

  it('counts dropped messages and refused Slack calls (bot not in the channel)', async () => {
    const w = await appWorld({ member: false });
    await publishRelease(w.github, '1.81.0', { 'litellm/new.py': 'n = 1\n' });
    await w.slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'sync',
      user_id: ALICE,
      channel_id: OPS_CHANNEL,
    });
    const m = await w.until(async () => {
      const s = (await scrape(w)).m;
      return value(s, 'upstream_sync_outbox_dropped') > 0 ? s : null;
    }, 'a dropped message');
    expect(
      value(m, 'upstream_sync_slack_calls_total{method="chat.postMessage",result="not_in_channel"}'),
    ).toBeGreaterThan(0);
  });

  it('counts LLM requests and tokens', async () => {
    anthropic = await startAnthropicSandbox();
    anthropic.replyToolUse({ answer: 'yes' }, { name: 'decide' });
    const metrics = createMetrics({ defaultMetrics: false });
    const llm = instrumentLlm(
      new AnthropicLlm({ apiKey: anthropic.apiKey, baseURL: anthropic.baseURL, maxRetries: 0, timeoutMs: 5_000 }),
      metrics,
    );
    await llm.callTool({
      model: 'claude-sonnet-4-6',
      maxTokens: 100,
      timeoutMs: 5_000,
      system: 'decide',
      prompt: 'yes or no?',
      tool: { name: 'decide', description: 'answer', inputSchema: { type: 'object', properties: {} } },
    });
    const m = parse(await metrics.registry.metrics());
    expect(value(m, 'upstream_sync_llm_requests_total{outcome="ok"}')).toBe(1);
    expect(value(m, 'upstream_sync_llm_tokens_total{direction="input"}')).toBeGreaterThan(0);
    expect(value(m, 'upstream_sync_llm_tokens_total{direction="output"}')).toBeGreaterThan(0);
  });
});
