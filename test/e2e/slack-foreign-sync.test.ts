import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buttonLabels } from '../../src/sandbox/slack/find-button.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK, UPSTREAM } from '../pipelines/release-sync/harness.js';
import { ALICE, OPS, TAG, slackWorld } from './slack-world.js';

// Issue 13 item 3: a CLI `sync` while `start` runs (same database, no Slack variables) opens the
// PR; the running bot posts its card from the durable sync record, watches its CI, and the PR can
// be approved from Slack.

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));

describe('a sync the bot did not run', () => {
  it('gets a card, is watched, and can be approved from Slack', async () => {
    const w = await slackWorld();
    const dir = await tempDir('foreign-');
    const config = join(dir, 'upstream-sync.yml');
    await writeFile(
      config,
      `git: { author: { name: Cartofante, email: cartofante@carto.com } }
pipelines:
  - id: litellm
    upstream: { repo: ${UPSTREAM}, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: ${FORK}, mirrorBranch: main, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
    slack: { channel: ${OPS} }
    release: { tagFormat: 'v{upstream}-carto.{major}.{minor}.{patch}' }
`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'sync', '--config', config, '--json'], {
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        ...w.github.env(),
        UPSTREAM_SYNC_DATA_DIR: w.services.dataDir,
        LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const [code] = await once(child, 'close');
    expect(code).toBe(0);
    const result = JSON.parse(out.trim()) as { outcome: string; pr: { number: number } };
    expect(result.outcome).toBe('pr-created');

    const card = await w.until(() => w.snapshot(TAG), 'the card of the CLI sync', 30_000);
    expect(card.pr?.number).toBe(result.pr.number);
    const head = w.github.pull(FORK, result.pr.number).headSha;
    await w.github.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
    await w.until(() => w.snapshot(TAG)?.stage === 'ready', 'the card at ready', 30_000);
    await w.until(
      () =>
        buttonLabels(
          w.slack
            .messages(OPS)
            .find((m) => m.ts === w.services.store.slackMessages.get('litellm', TAG, 'sync-card')?.ts)?.blocks,
        ).includes('Approve & merge'),
      'the Approve button',
    );
    await w.click(ALICE, 'Approve & merge');
    await w.until(() => w.snapshot(TAG)?.stage === 'merged', 'the card at merged', 30_000);
    expect(w.github.merges.filter((m) => m.ok).map((m) => m.number)).toEqual([result.pr.number]);
  }, 120_000);
});
