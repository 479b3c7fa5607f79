import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ledgerAcceptCommand, ledgerCommand } from '../../src/cli/ledger.js';
import { openStore } from '../../src/adapters/store/open-store.js';
import { SqliteLedgerRecords } from '../../src/adapters/store/ledger-store.js';
import { buildLedger } from '../../src/core/ledger/classify.js';
import { ledgerFixture } from '../../src/core/ledger/fixture.js';
import { tempDir } from '../helpers/tmp.js';

const CONFIG = `
git: { author: { name: Bot, email: bot@example.com } }
pipelines:
  - id: litellm
    upstream: { repo: BerriAI/litellm, tagPattern: '^v(?<version>\\d+\\.\\d+\\.\\d+)-stable$' }
    fork: { repo: CartoDB/litellm, productionBranch: carto/main }
    version: { file: pyproject.toml, key: tool.poetry.version }
`;

async function world(options: { slack?: boolean } = {}) {
  const root = await tempDir('ledger-cli-');
  const dataDir = join(root, 'data');
  const config = join(root, 'upstream-sync.yml');
  await writeFile(config, options.slack ? `${CONFIG}    slack: { channel: C0OPS0001 }\n` : CONFIG);
  const store = openStore(dataDir);
  if (options.slack)
    store.syncCards.save(
      { pipeline: 'litellm', tag: 'v1.81.0-stable' },
      { stage: 'ready', ledgerBlock: { dropped: 2, guardsFailing: 0 } },
      { now: new Date() },
    );
  const ledger = buildLedger(ledgerFixture(2));
  new SqliteLedgerRecords(store.db, { now: () => new Date() }).save({
    pipeline: 'litellm',
    tag: 'v1.81.0-stable',
    prNumber: 12,
    headSha: 'a'.repeat(40),
    baseSha: 'b'.repeat(40),
    productionSha: 'c'.repeat(40),
    upstreamSha: 'd'.repeat(40),
    counts: ledger.counts,
    entries: ledger.entries,
    pendingPaths: [],
    guards: [],
  });
  store.close();
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
  const env = {
    GITHUB_TOKEN: 'x',
    UPSTREAM_SYNC_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    ...(options.slack ? { SLACK_BOT_TOKEN: 'xoxb-test' } : {}),
  };
  return { config, io, out, err, env, ledger, dataDir };
}

describe('upstream-sync ledger', () => {
  it('prints the ledger of a PR, dropped first, absorbed marked as removable', async () => {
    const w = await world();
    expect(await ledgerCommand({ config: w.config, pr: '12' }, w.io, w.env)).toBe(0);
    expect(w.out[0]).toMatch(/^litellm v1\.81\.0-stable PR #12: head aaaaaaaaaaaa, built \d+ min ago$/);
    expect(w.out[1]).toBe('2 kept · 2 absorbed · 2 adapted · 2 dropped');
    expect(w.out).toContain('absorbed (upstream carries these: the fork patch can go):');
    expect(w.out.indexOf('dropped:')).toBeLessThan(w.out.indexOf('adapted:'));
  });

  it('accepts a dropped hunk (audited), shows it accepted, refuses one that was not dropped', async () => {
    const w = await world();
    const dropped = w.ledger.entries.find((e) => e.fate === 'dropped')!;
    const kept = w.ledger.entries.find((e) => e.fate === 'kept')!;
    expect(await ledgerAcceptCommand({ config: w.config, pr: '12', hunk: dropped.id }, w.io, w.env)).toBe(0);
    expect(await ledgerAcceptCommand({ config: w.config, pr: '12', hunk: kept.id }, w.io, w.env)).toBe(1);
    expect(w.err).toContain(`refused: hunk ${kept.id} was kept, not dropped`);
    expect(await ledgerCommand({ config: w.config, pr: '12', json: true }, w.io, w.env)).toBe(0);
    const json = JSON.parse(w.out[w.out.length - 1]!) as { accepted: string[]; counts: unknown };
    expect(json.accepted).toEqual([dropped.id]);
    expect(json.counts).toEqual({ kept: 2, absorbed: 2, adapted: 2, dropped: 2 });
  });

  it('an accepted drop is on the card and queued for its thread at once', async () => {
    const w = await world({ slack: true });
    const dropped = w.ledger.entries.find((e) => e.fate === 'dropped')!;
    expect(await ledgerAcceptCommand({ config: w.config, pr: '12', hunk: dropped.id }, w.io, w.env)).toBe(0);
    const store = openStore(w.dataDir);
    try {
      const card = store.syncCards.get({ pipeline: 'litellm', tag: 'v1.81.0-stable' })!;
      expect(card.snapshot.stage).toBe('ready');
      expect(card.snapshot.ledgerBlock).toEqual({ dropped: 1, guardsFailing: 0, accepted: 1 });
      const replies = store.db.prepare("SELECT payload FROM slack_outbox WHERE op = 'reply'").all() as {
        payload: string;
      }[];
      expect(replies.some((r) => r.payload.includes('drop accepted by'))).toBe(true);
    } finally {
      store.close();
    }
  });

  it('usage errors exit 2; no ledger exits 1', async () => {
    const w = await world();
    expect(await ledgerCommand({ config: w.config, pr: 'x' }, w.io, w.env)).toBe(2);
    expect(w.err).toContain('error: --pr must be a pull request number, got "x"');
    expect(await ledgerCommand({ config: w.config, pr: '99' }, w.io, w.env)).toBe(1);
    expect(await ledgerAcceptCommand({ config: w.config, pr: '12' }, w.io, w.env)).toBe(2);
  });
});
