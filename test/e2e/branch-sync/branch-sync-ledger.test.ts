import { describe, expect, it } from 'vitest';
import { FORK, branchSyncWorld, upstreamCommit } from './branch-sync-world.js';

// Issue 20 item 4: a branch-sync builds the fork-patch ledger exactly like release-sync: after
// its sync branch is built, stored, in the PR body, `ledger`, and `status` while it blocks.

const GUARDS = `    guards:
      - feature: acme
        files: [acme.py]
        patterns: [ { file: src/app.py, literal: 'b = ACME' } ]
      - feature: acme-oci
        files: [acme_oci.py]
`;

describe('branch-sync: the fork-patch ledger', () => {
  it('is built once the sync branch is built: PR body, stored per PR, guards checked, status says it blocks', async () => {
    const w = await branchSyncWorld({ extraConfig: GUARDS });
    await w.sandbox.pushCommit(FORK, {
      branch: 'dev',
      files: { 'src/app.py': 'a = 1\nb = ACME\nc = 3\n' },
      message: 'acme: b',
      as: 'acme-dev',
    });
    await upstreamCommit(w.sandbox, { 'src/new.py': 'new\n' }, 'feat: new upstream thing');
    const first = await w.sync();
    expect(first.line).toMatchObject({ outcome: 'pr-created' });
    const pr = (first.line.pr as { number: number }).number;
    const body = w.sandbox.pull(FORK, pr).body ?? '';
    expect(body).toContain('### 🧾 Fork-patch ledger: 2 fork hunks');
    expect(body).toContain('2 kept · 0 absorbed · 0 adapted · 0 dropped');
    expect(body).toContain('- ⛔ feature guard **acme-oci**: acme_oci.py is missing');

    const ledger = await w.run([
      'ledger',
      '--config',
      w.configFile,
      '--pipeline',
      'webui',
      '--pr',
      String(pr),
      '--json',
    ]);
    expect(ledger.code).toBe(0);
    const record = ledger.json[0] as {
      prNumber: number;
      headSha: string;
      entries: { path: string; fate: string }[];
      guards: { feature: string; ok: boolean }[];
    };
    expect(record.prNumber).toBe(pr);
    expect(record.headSha).toBe(first.line.syncBranchSha);
    expect(record.entries.map((e) => [e.path, e.fate])).toEqual([
      ['acme.py', 'kept'],
      ['src/app.py', 'kept'],
    ]);
    expect(record.guards.map((g) => [g.feature, g.ok])).toEqual([
      ['acme', true],
      ['acme-oci', false],
    ]);

    const status = await w.run(['status', '--config', w.configFile, '--json']);
    expect((status.json[0] as { ledger?: string[] }).ledger).toEqual([
      expect.stringMatching(new RegExp(`^PR #${pr}: 1 feature guard failing \\(acme-oci: acme_oci\\.py is missing\\)`)),
    ]);
  });
});
