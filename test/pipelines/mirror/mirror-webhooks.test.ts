import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { silentLogger } from '../../../src/log.js';
import { registerMirrorWebhooks } from '../../../src/pipelines/mirror/mirror-webhooks.js';
import { GITHUB_WEBHOOK_EVENTS } from '../../../src/web/bot-webhooks.js';
import { testWebhooks } from '../../helpers/test-webhooks.js';
import { tempDir } from '../../helpers/tmp.js';
import { runnerFor, storeIn } from '../../jobs/fixtures/harness.js';

// after.workflows: deliveries go through the real receiver into a real SQLite job queue; no job
// handler is registered, so what the handler enqueued stays queued for the test to read.

const config = parseConfig({
  pipelines: [
    {
      id: 'occ',
      kind: 'mirror',
      source: { repo: 'o9nn/occ', branch: 'main' },
      target: { repo: 'cogpy/occ', branch: 'main' },
      after: { workflows: ['OCC Windows Build'] },
    },
    {
      id: 'quiet',
      kind: 'mirror',
      source: { repo: 'o9nn/occ', branch: 'main' },
      target: { repo: 'x/occ', branch: 'main' },
    },
  ],
});

async function world() {
  const store = storeIn(await tempDir());
  const runner = runnerFor(store);
  const webhooks = testWebhooks();
  registerMirrorWebhooks(webhooks.receiver, { config, queue: runner, log: silentLogger() });
  let n = 0;
  const deliver = (run: Record<string, unknown>, repo = 'o9nn/occ', action = 'completed') =>
    webhooks.deliver('workflow_run', {
      action,
      repository: { full_name: repo },
      workflow_run: { id: ++n, name: 'OCC Windows Build', head_branch: 'main', conclusion: 'success', ...run },
    });
  const jobs = async () =>
    (await runner.list({})).map((j) => ({ kind: j.kind, dedupeKey: j.dedupeKey, data: j.data, by: j.requestedBy }));
  return { deliver, jobs, close: () => store.close() };
}

describe('mirror after.workflows (workflow_run webhooks)', () => {
  it('the bot subscribes to workflow_run', () => {
    expect(GITHUB_WEBHOOK_EVENTS).toContain('workflow_run');
  });

  it('a listed workflow succeeding on the source branch queues one mirror run of that pipeline', async () => {
    const w = await world();
    await w.deliver({});
    expect(await w.jobs()).toEqual([
      {
        kind: 'sync',
        dedupeKey: 'sync:occ',
        data: { pipeline: 'occ' },
        by: { kind: 'webhook', id: 'github', via: 'workflow_run:d-1' },
      },
    ]);
    w.close();
  });

  it('failure, cancelled, another branch, another workflow, another repository, not completed: nothing', async () => {
    const w = await world();
    await w.deliver({ conclusion: 'failure' });
    await w.deliver({ conclusion: 'cancelled' });
    await w.deliver({ conclusion: null });
    await w.deliver({ head_branch: 'feature' });
    await w.deliver({ name: 'Lint' });
    await w.deliver({}, 'cogpy/occ');
    await w.deliver({}, 'o9nn/occ', 'requested');
    await w.deliver({ name: null });
    expect(await w.jobs()).toEqual([]);
    w.close();
  });
});
