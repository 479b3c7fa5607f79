import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { silentLogger } from '../../src/log.js';
import { registerResolveRequestWebhooks } from '../../src/web/resolve-request-webhooks.js';
import { testWebhooks } from '../helpers/test-webhooks.js';
import { tempDir } from '../helpers/tmp.js';
import { runnerFor, storeIn } from '../jobs/fixtures/harness.js';
import { FORK, SYNC_BRANCH } from '../jobs/fixtures/sync-pull.js';

// Issue 11 item 7: `github:login` in `access:` was documented for "resolve requested from GitHub"
// but nothing created a GitHub actor, and bare words (`bob`) or Slack-looking ids (`C123`) passed
// as logins. Now a `/upstream-sync resolve` comment or the `upstream-sync:resolve` label on a sync
// PR, by a login listed as github:<login>, queues the resolver as that GitHub user; anyone else is
// refused and audited; and only github:-prefixed logins are accepted in the config.

const config = parseConfig({
  access: { resolve: ['U0ALICE001', 'github:mateo-di'] },
  pipelines: [
    {
      id: 'litellm',
      upstream: { repo: 'BerriAI/litellm', tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
      fork: { repo: FORK, productionBranch: 'carto/main' },
      version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
    },
  ],
});

async function world() {
  const store = storeIn(await tempDir());
  const runner = runnerFor(store);
  const webhooks = testWebhooks();
  registerResolveRequestWebhooks(webhooks.receiver, { config, queue: runner, audit: store.audit, log: silentLogger() });
  const deliver = (name: string, payload: Record<string, unknown>) =>
    webhooks.deliver(name, { repository: { full_name: FORK }, ...payload });
  const jobs = async () =>
    (await runner.list({})).map((j) => ({
      kind: j.kind,
      data: j.data,
      by: j.requestedBy.kind + ':' + j.requestedBy.id,
    }));
  return { store, deliver, jobs, close: () => store.close() };
}

const commentOn = (pr: number, login: string, body = '/upstream-sync resolve', isPull = true) => ({
  action: 'created',
  issue: { number: pr, ...(isPull ? { pull_request: { url: 'x' } } : {}) },
  comment: { body, user: { login, type: 'User' } },
});
const labelOn = (pr: number, login: string, label = 'upstream-sync:resolve', head = SYNC_BRANCH) => ({
  action: 'labeled',
  label: { name: label },
  sender: { login, type: 'User' },
  pull_request: { number: pr, head: { ref: head }, base: { ref: 'carto/main' } },
});

describe('resolve requested from GitHub (issue 11 item 7)', () => {
  it('a comment or the label by an allowed login queues the resolver as that GitHub user', async () => {
    const w = await world();
    await w.deliver('issue_comment', commentOn(7, 'mateo-di', '/upstream-sync resolve\nplease'));
    await w.deliver('pull_request', labelOn(8, 'mateo-di'));
    expect(await w.jobs()).toEqual([
      { kind: 'resolve', data: { pipeline: 'litellm', repo: FORK, pr: 8 }, by: 'github:mateo-di' },
      { kind: 'resolve', data: { pipeline: 'litellm', repo: FORK, pr: 7 }, by: 'github:mateo-di' },
    ]);
    w.close();
  });

  it('anyone else is refused and audited; other comments, labels, issues and branches do nothing', async () => {
    const w = await world();
    await w.deliver('issue_comment', commentOn(7, 'mallory'));
    await w.deliver('pull_request', labelOn(7, 'mallory'));
    await w.deliver('issue_comment', commentOn(7, 'mateo-di', 'LGTM, /upstream-sync resolve later'));
    await w.deliver('issue_comment', commentOn(7, 'mateo-di', '/upstream-sync resolve', false));
    await w.deliver('pull_request', labelOn(7, 'mateo-di', 'bug'));
    await w.deliver('pull_request', labelOn(7, 'mateo-di', 'upstream-sync:resolve', 'feature/x'));
    expect(await w.jobs()).toEqual([]);
    const refused = w.store.audit.list({ limit: 10 }).filter((a) => a.outcome === 'refused');
    expect(refused.map((a) => [a.actor.kind, a.actor.id, a.action, a.target])).toEqual([
      ['github', 'mallory', 'resolve', `pr:${FORK}#7`],
      ['github', 'mallory', 'resolve', `pr:${FORK}#7`],
    ]);
    w.close();
  });

  it.each([
    ['bob', false],
    ['C123', false],
    ['mateo-di', false],
    ['github:mateo-di', true],
    ['U012ABCDEF', true],
    ['S0OPSGROUP', true],
  ])('access entry %j is accepted: %s', (entry, ok) => {
    const parse = () => parseConfig({ ...config, access: { resolve: [entry] } });
    if (ok) expect(parse).not.toThrow();
    else expect(parse).toThrow(/must be a Slack user id \(U…\/W…\), a user-group id \(S…\) or github:<login>/);
  });
});
