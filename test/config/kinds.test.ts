import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../src/config/load.js';
import { pipelinesOfKind, requirePipeline } from '../../src/config/require-pipeline.js';

// One configuration holds pipelines of every kind; each kind has its own schema section and the
// shared parts (id, schedule, slack, access) mean the same everywhere.

const ALL_KINDS = `
pipelines:
  - id: litellm
    upstream: { repo: BerriAI/litellm, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: CartoDB/litellm, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
  - id: webui
    kind: branch-sync
    upstream: { repo: open-webui/open-webui, branch: main }
    fork: { repo: acme/open-webui, syncBranch: sync/upstream, targetBranch: dev }
    schedule: '0 0 * * *'
  - id: occ
    kind: mirror
    source: { repo: o9nn/occ, branch: main }
    target: { repo: cogpy/occ, branch: main }
    tags: 'v*'
    after: { workflows: ['OCC Windows Build'] }
  - id: ecosystem
    kind: dispatch
    source: { repo: anomalyco/web-dev-ecosystem, branch: main }
    subscribers:
      - repo: user/cousin-flask-webpush
        subscriptions: ['features/webpush/flask']
`;

function problemsOf(text: string): string[] {
  try {
    parseConfigText(text);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('pipeline kinds in the configuration', () => {
  it('reads every kind, with defaults, and finds pipelines by kind', () => {
    const config = parseConfigText(ALL_KINDS);
    expect(config.pipelines.map((p) => p.kind)).toEqual(['release-sync', 'branch-sync', 'mirror', 'dispatch']);
    const webui = requirePipeline(config, 'webui', 'branch-sync');
    expect(webui).toMatchObject({ allowUnrelatedHistories: false, pr: { title: 'chore: sync with upstream' } });
    expect(requirePipeline(config, 'ecosystem', 'dispatch').subscribers?.[0]).toMatchObject({
      mode: 'dispatch',
      eventType: 'feature-update',
    });
    expect(pipelinesOfKind(config, 'mirror').map((p) => p.id)).toEqual(['occ']);
    expect(() => requirePipeline(config, 'occ', 'release-sync')).toThrow(/occ" is a mirror pipeline/);
  });

  it('names an unknown kind and the kind-specific keys that are wrong', () => {
    expect(problemsOf(ALL_KINDS.replace('kind: mirror', 'kind: mirrror'))).toEqual([
      'pipelines[2].kind: unknown pipeline kind: use one of release-sync, branch-sync, mirror, dispatch (omitted: release-sync)',
    ]);
    expect(problemsOf(ALL_KINDS.replace("tags: 'v*'", "tags: 'v*'\n    productionBranch: main"))).toEqual([
      'pipelines[2].productionBranch: unknown key',
    ]);
  });

  it('wants subscribers from somewhere, each repository once', () => {
    const none = ALL_KINDS.replace(/ {4}subscribers:\n[\s\S]*$/, '    schedule: "*/10 * * * *"\n');
    expect(problemsOf(none)).toEqual(['pipelines[3].subscribers: give subscribers, subscribersFile, or both']);
    const twice = `${ALL_KINDS}      - repo: User/Cousin-Flask-Webpush\n        subscriptions: ['x']\n`;
    expect(problemsOf(twice)).toEqual([
      'pipelines[3].subscribers[1].repo: duplicate subscriber "User/Cousin-Flask-Webpush" (also subscribers[0])',
    ]);
  });
});
