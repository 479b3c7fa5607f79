import { parseConfigText } from '../../src/config/load.js';
import type { Config } from '../../src/config/schema.js';
import type { SyncSnapshot, SyncStage } from '../../src/ports.js';

// Configuration and snapshots shared by the Slack tests: CARTO's shape, two pipelines so that
// channel checks and per-pipeline overrides have something to tell apart.

export const OPS_CHANNEL = 'C09K0M5MP7V';
export const OTHER_CHANNEL = 'C0OTHER0001';
export const ALICE = 'U012ABCDEF';
export const BOB = 'U0BOB00001';
export const CAROL = 'U0CAROL001';
export const OPS_GROUP = 'S0OPSGROUP';

export const CONFIG_YAML = `
access:
  approve: [${ALICE}, ${OPS_GROUP}]
  release: [${ALICE}]
  resolve: [${ALICE}, github:mateo-di]
  sync: [${ALICE}, ${OPS_GROUP}]
pipelines:
  - id: litellm
    upstream: { repo: BerriAI/litellm, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: CartoDB/litellm, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS_CHANNEL} }
    release: { tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}' }
  - id: other
    upstream: { repo: acme/tool, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)$' }
    fork: { repo: CartoDB/tool, productionBranch: main }
    version: { file: VERSION, pattern: '(?<version>.+)' }
    slack: { channel: ${OTHER_CHANNEL} }
    access:
      approve: [${BOB}]
`;

export function testConfig(yaml = CONFIG_YAML): Config {
  return parseConfigText(yaml);
}

export function snapshot(stage: SyncStage, patch: Partial<SyncSnapshot> = {}): SyncSnapshot {
  return {
    pipeline: 'litellm',
    tag: 'v1.81.12-stable',
    stage,
    fromVersion: '1.79.1',
    toVersion: '1.81.12',
    commitsBehind: 412,
    pr: ['detected', 'mirror-updated', 'queued', 'up-to-date'].includes(stage)
      ? null
      : {
          number: 123,
          url: 'https://github.com/CartoDB/litellm/pull/123',
          title: '🔄 Upstream Sync: LiteLLM v1.81.12-stable',
        },
    mergeable: stage === 'ready' ? true : null,
    conflicts: null,
    ci: stage === 'ready' ? { state: 'success', total: 14, failing: [], pending: [] } : null,
    blockedBy:
      stage === 'queued'
        ? { tag: 'v1.81.9-stable', pr: 120, url: 'https://github.com/CartoDB/litellm/pull/120' }
        : null,
    supersededBy: null,
    mergeSha: stage === 'merged' || stage === 'released' ? 'a'.repeat(40) : null,
    release:
      stage === 'released'
        ? { tag: 'v1.81.12-carto.1.2.0', url: 'https://github.com/CartoDB/litellm/releases/tag/v1.81.12-carto.1.2.0' }
        : null,
    error: stage === 'failed' ? { code: 'git_failed', message: 'push rejected', step: 'push branch' } : null,
    failedStage: stage === 'failed' ? 'pr-open' : null,
    jobId: 42,
    requestedBy: { kind: 'cron', id: 'litellm' },
    compareUrl: 'https://github.com/BerriAI/litellm/compare/v1.81.9-stable...v1.81.12-stable',
    silent: false,
    updatedAt: '2026-03-11T12:00:00.000Z',
    ...patch,
  };
}
