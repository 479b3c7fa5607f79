import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/audit.js';
import { buttonLabels } from '../../src/sandbox/slack/find-button.js';
import { tempDir } from '../helpers/tmp.js';
import { FORK } from '../pipelines/release-sync/harness.js';
import { ALICE, BOB, OPS, TAG, slackWorld } from './slack-world.js';

// The audit log read back, after a sync, a refusal and a merge made through the real bot:
// Slack `history` lists them (refusal with its reason) and `upstream-sync audit` prints them.

describe('the audit log, readable', () => {
  it('shows one sync, one refusal and one merge in Slack history and in `upstream-sync audit`', async () => {
    const w = await slackWorld();
    const s = await w.syncToPr();
    const head = w.github.pull(FORK, s.pr.number).headSha;
    await w.github.setCheckRun(FORK, head, { name: 'tests', status: 'completed', conclusion: 'success' });
    await w.until(() => w.snapshot()?.stage === 'ready', 'the card at ready');
    const cardTs = () => w.services.store.slackMessages.get('litellm', TAG, 'sync-card')?.ts;
    await w.until(
      () => buttonLabels(w.slack.messages(OPS).find((m) => m.ts === cardTs())?.blocks).includes('Approve & merge'),
      'the Approve & merge button',
    );
    await w.click(BOB, 'Approve & merge');
    expect(await w.answer(BOB, 0)).toContain('You may not *approve*');
    await w.click(ALICE, 'Approve & merge');
    await w.until(() => w.snapshot()?.stage === 'merged', 'the card at merged');
    // The CI watcher may see the merge on GitHub before the merge job has written its row.
    await w.until(() => w.services.store.audit.list({ action: 'approve' })[0]?.outcome === 'done', 'the merge row');

    await w.command(BOB, 'history');
    const history = await w.answer(BOB, 1);
    expect(history).toContain('Latest actions on `litellm`');
    const lines = history.split('\n').filter((l) => l.startsWith('•') && l.includes('<!date^'));
    expect(lines[0]).toMatch(/<@U[A-Z0-9]+> \*approve\* `pr:CartoDB\/litellm#\d+`: ✅ done/);
    expect(lines.find((l) => l.includes(`<@${BOB}> *approve*`))).toMatch(/⛔ refused \(not-listed\)/);
    expect(lines.at(-1)).toContain(`<@${ALICE}> *sync*`);

    const dir = await tempDir('e2e-audit-');
    const configFile = join(dir, 'upstream-sync.yml');
    await writeFile(configFile, JSON.stringify(w.config));
    const env = { ...w.github.env(), UPSTREAM_SYNC_DATA_DIR: w.services.dataDir, LOG_LEVEL: 'silent' };
    const out: string[] = [];
    const err: string[] = [];
    const io = { stdout: (l: string) => out.push(l), stderr: (l: string) => err.push(l) };
    expect(await auditCommand({ config: configFile, pipeline: 'litellm', since: '1h' }, io, env)).toBe(0);
    console.log(`$ upstream-sync audit --pipeline litellm --since 1h\n${out.join('\n')}`);
    expect(out.map((l) => l.split('  ').slice(1))).toEqual([
      ['litellm', `slack:${ALICE} (via ${OPS})`, 'approve', `pr:${FORK}#${s.pr.number}`, 'done'],
      ['litellm', `slack:${ALICE} (via ${OPS})`, 'approve', `pr:${FORK}#${s.pr.number}`, 'allowed'],
      ['litellm', `slack:${BOB} (via ${OPS})`, 'approve', `pr:${FORK}#${s.pr.number}`, 'refused: not-listed'],
      ['litellm', `slack:${ALICE} (via ${OPS})`, 'sync', '-', 'allowed'],
    ]);

    out.length = 0;
    expect(await auditCommand({ config: configFile, actor: BOB, json: true }, io, env)).toBe(0);
    expect(out.map((l) => JSON.parse(l) as unknown)).toEqual([
      expect.objectContaining({ actor: { kind: 'slack', id: BOB, via: OPS }, action: 'approve', outcome: 'refused' }),
    ]);
    expect(await auditCommand({ config: configFile, since: 'yesterday' }, io, env)).toBe(2);
    expect(err.join('\n')).toContain('--since "yesterday" is not a duration');
  });
});
