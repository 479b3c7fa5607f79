import { Webhooks } from '@octokit/webhooks';
import { describe, expect, it } from 'vitest';
import { hunkKey } from '../../src/core/resolve/hunk-key.js';
import { hunksOf, merge3 } from '../../src/core/resolve/merge3.js';
import type { ResolveJobResult } from '../../src/workflows/resolve/resolve.js';
import { FORK, type Scenario } from './resolve-world.js';
import { SYNC_BRANCH, webhookWorld, type WebhookWorld } from './webhooks-world.js';

// GitHub's webhooks into the real `start`: signed deliveries from the stand-in reach
// /webhooks/github, the handlers only enqueue, and the jobs do the work.

/** Conflicts the resolver settles alone (a list union, a build-output path rule): no LLM, no person. */
const settled: Scenario = {
  base: { 'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n]\n', 'ui/out/index.html': '<html>build a</html>\n' },
  fork: {
    'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "carto",\n]\n',
    'ui/out/index.html': '<html>build carto</html>\n',
  },
  upstream: {
    'litellm/constants.py': 'PROVIDERS = [\n    "openai",\n    "heroku",\n]\n',
    'ui/out/index.html': '<html>build b</html>\n',
  },
};

/** No conflict at sync time; a hotfix on carto/main later touches the same line. */
const clean: Scenario = {
  base: { 'litellm/app.py': 'def f():\n    return 1\n' },
  fork: { 'carto_feature.py': 'x = 1\n' },
  upstream: { 'litellm/app.py': 'def f():\n    return 2\n' },
};

const succeeded = (w: WebhookWorld, kind: string, n = 1) => {
  const done = w.jobs(kind).filter((j) => j.state === 'succeeded');
  return done.length >= n && done;
};

async function post(w: WebhookWorld, event: string, id: string, payload: object, secret: string) {
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': id,
    'x-hub-signature-256': await new Webhooks({ secret }).sign(body),
  };
  return fetch(`${w.web}/webhooks/github`, { method: 'POST', headers, body });
}

describe('GitHub webhooks into `start`', () => {
  it('a sync PR merged on GitHub is learned from, once, and its card moves to merged; CI finishing makes it ready at once', async () => {
    const w = await webhookWorld(settled);
    await w.sync();
    const [resolve] = await w.until(() => succeeded(w, 'resolve'), 'the resolver');
    expect((resolve!.result as ResolveJobResult).outcome).toBe('resolved');
    const pr = w.github.pulls(FORK).at(-1)!;

    // The watcher polls once a minute; the check_run delivery makes it look now.
    await w.github.setCheckRun(FORK, `refs/heads/${SYNC_BRANCH}`, { name: 'test', conclusion: 'success' });
    await w.until(() => w.card()?.stage === 'ready', 'the card at ready');

    const { sha } = await w.github.mergePullAs(FORK, pr.number, 'carto-dev');
    const [learn] = await w.until(() => succeeded(w, 'learn'), 'the learn job');
    expect(learn).toMatchObject({
      requestedBy: { kind: 'webhook' },
      data: { pipeline: 'litellm', pr: pr.number, mergeSha: sha },
    });
    expect(learn!.result).toEqual({ files: 2, hunks: 2, skipped: [] });
    const keyOf = (path: string) =>
      hunkKey(hunksOf(merge3(settled.base[path]!, settled.upstream[path]!, settled.fork[path]!))[0]!);
    const memory = w.resolver.recall(FORK, [keyOf('litellm/constants.py'), keyOf('ui/out/index.html')]);
    expect(memory.get(keyOf('litellm/constants.py'))).toMatchObject({
      text: '    "heroku",\n    "carto",\n',
      source: `${FORK}#${pr.number} litellm/constants.py`,
    });
    expect(memory.get(keyOf('ui/out/index.html'))).toMatchObject({ shape: 'upstream' });
    await w.until(() => w.card()?.stage === 'merged' && w.card(), 'the card at merged');
    // The merge also pushed carto/main: rechecked, with no open sync PR left to look at.
    await w.until(() => succeeded(w, 'recheck'), 'the recheck');

    // GitHub's "Redeliver" sends the same delivery id: acknowledged, nothing runs again.
    await w.settled();
    const closed = w.github.deliveries.find((d) => d.event === 'pull_request' && d.action === 'closed')!;
    const push = w.github.deliveries.find((d) => d.event === 'push' && d.payload.ref === 'refs/heads/carto/main')!;
    w.github.redeliver(closed.id);
    w.github.redeliver(push.id);
    await w.settled();
    expect(w.github.deliveries.map((d) => d.status)).toEqual(w.github.deliveries.map(() => 200));
    expect(w.jobs('learn')).toHaveLength(1); // the webhook and the watcher both saw the merge
    expect(w.jobs('recheck')).toHaveLength(1);
    const metrics = await (await fetch(`${w.web}/metrics`)).text();
    expect(metrics).toContain('upstream_sync_webhook_deliveries_total{event="push",result="duplicate"} 1');
    expect(metrics).toContain('upstream_sync_webhook_deliveries_total{event="pull_request",result="duplicate"} 1');

    // A delivery signed with another secret: 400, not recorded, nothing queued.
    const forged = await post(
      w,
      'push',
      'forged-1',
      { ref: 'refs/heads/carto/main', after: 'f'.repeat(40), repository: { full_name: FORK } },
      'not-the-secret',
    );
    expect(forged.status).toBe(400);
    expect(
      w.store.db.prepare('SELECT count(*) FROM webhook_deliveries WHERE delivery_id = ?').pluck().get('forged-1'),
    ).toBe(0);
    expect(w.jobs('recheck')).toHaveLength(1);
    w.github.assertNoUnexpectedRequests();
  });

  it('a push to carto/main that makes the open sync PR conflict: ready label off, one comment, the resolver started by the bot', async () => {
    const w = await webhookWorld(clean);
    expect((await w.sync()).state).toBe('succeeded');
    const pr = w.github.pulls(FORK).at(-1)!;
    expect(w.jobs('resolve')).toEqual([]);
    await w.github.labelPullAs(FORK, pr.number, 'carto-dev', 'sync-ready');

    await w.github.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'litellm/app.py': 'def f():\n    return 3  # CARTO hotfix\n' },
      message: 'fix: hotfix',
      as: 'carto-dev',
    });
    const [resolve] = await w.until(() => succeeded(w, 'resolve'), 'the resolver');
    expect(resolve).toMatchObject({ requestedBy: { kind: 'bot', id: 'recheck:litellm' }, data: { pr: pr.number } });
    expect((resolve!.result as ResolveJobResult).outcome).toBe('waiting'); // no LLM here: a person decides
    expect(w.jobs('recheck')[0]?.result).toEqual({ pulls: [{ pr: pr.number, mergeable: false, action: 'resolve' }] });
    expect(w.github.pull(FORK, pr.number).labels).not.toContain('sync-ready');
    const warnings = () => w.github.comments(FORK, pr.number).filter((c) => c.body.includes('⚠️ Conflicts detected'));
    expect(warnings()).toHaveLength(1);

    // Production moves again while the PR waits for a person: checked again, not announced again.
    await w.github.pushCommit(FORK, {
      branch: 'carto/main',
      files: { 'docs/notes.md': 'notes\n' },
      message: 'docs',
      as: 'carto-dev',
    });
    await w.until(
      () => succeeded(w, 'recheck', 2) && succeeded(w, 'resolve', 2),
      'the second recheck and resolver run',
    );
    expect(warnings()).toHaveLength(1);
    w.github.assertNoUnexpectedRequests();
  });
});
