import { firstReleaseSync } from '../../helpers/pipelines.js';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load.js';
import { checkActor, checkPull, isSyncBranch, resolveAllowList } from '../../../src/core/resolve/gate.js';
import type { PullRequest } from '../../../src/ports.js';

const config = parseConfig({
  access: { resolve: ['U0TOP00001'] },
  pipelines: [
    {
      id: 'litellm',
      upstream: { repo: 'BerriAI/litellm', tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' },
      fork: { repo: 'CartoDB/litellm', productionBranch: 'carto/main' },
      version: { file: 'pyproject.toml', key: 'tool.poetry.version' },
      access: { resolve: ['U0PIPE0001', 'github:Mateo-Di', 'github:cartofante'] },
    },
  ],
});
const p = firstReleaseSync(config);

const pull = (over: Partial<PullRequest> = {}): PullRequest => ({
  number: 12,
  htmlUrl: 'https://github.test/CartoDB/litellm/pull/12',
  title: 'sync',
  body: null,
  state: 'open',
  merged: false,
  mergedAt: null,
  mergeCommitSha: null,
  headRef: 'upstream-sync/v1.81.0-stable',
  headSha: 'a'.repeat(40),
  headRepo: 'CartoDB/litellm',
  baseRef: 'carto/main',
  labels: ['upstream-sync', 'automated'],
  mergeable: false,
  mergeableState: 'dirty',
  user: 'cartofante',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-01T00:00:00Z',
  ...over,
});

describe('resolver gate', () => {
  it("accepts the pipeline's own sync PR", () => {
    expect(checkPull(p, pull())).toEqual({ ok: true });
  });

  it.each([
    { name: 'a closed PR', over: { state: 'closed' as const }, reason: /closed/ },
    { name: 'another base', over: { baseRef: 'main' }, reason: /not the production branch/ },
    { name: 'a branch outside the sync pattern', over: { headRef: 'feature/x' }, reason: /not a sync branch/ },
    { name: 'a head in a fork of the fork', over: { headRepo: 'mallory/litellm' }, reason: /never pushes to forks/ },
    { name: 'a deleted head repository', over: { headRepo: null }, reason: /deleted repository/ },
    {
      name: 'no sync label',
      over: { labels: ['automated', 'upstream-sync-ish'] },
      reason: /sync label "upstream-sync"/,
    },
  ])('refuses $name', ({ over, reason }) => {
    const r = checkPull(p, pull(over));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toMatch(reason);
  });

  it('matches the sync-branch template exactly', () => {
    expect(isSyncBranch(p, 'upstream-sync/v1.81.0-stable')).toBe(true);
    expect(isSyncBranch(p, 'x/upstream-sync/v1')).toBe(false);
    expect(isSyncBranch(p, 'upstream-sync/')).toBe(false);
  });

  it.each([
    { actor: { kind: 'bot' as const, id: 'sync:litellm' }, ok: true },
    { actor: { kind: 'cli' as const, id: 'ops' }, ok: true },
    { actor: { kind: 'github' as const, id: 'mateo-di' }, ok: true },
    { actor: { kind: 'github' as const, id: 'CartoFante' }, ok: true },
    { actor: { kind: 'github' as const, id: 'mallory' }, ok: false },
    { actor: { kind: 'cron' as const, id: 'litellm' }, ok: false },
    { actor: { kind: 'webhook' as const, id: 'delivery-1' }, ok: false },
  ])('actor $actor.kind:$actor.id allowed: $ok', ({ actor, ok }) => {
    expect(checkActor(actor, resolveAllowList(p, config.access.resolve))?.ok).toBe(ok);
  });

  it('leaves Slack users to the Slack authorizer, and a pipeline list replaces the top-level one', () => {
    expect(checkActor({ kind: 'slack', id: 'U0PIPE0001' }, [])).toBeNull();
    expect(resolveAllowList(p, config.access.resolve)).not.toContain('U0TOP00001');
    expect(resolveAllowList({ ...p, access: undefined }, config.access.resolve)).toEqual(['U0TOP00001']);
  });
});
