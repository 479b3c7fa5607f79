import { describe, expect, it } from 'vitest';
import { storeAt } from '../../helpers/test-store.js';
import { SqliteCiFixRecords } from '../../../src/adapters/store/ci-fix-store.js';
import { systemClock } from '../../../src/ports.js';
import { registerSecrets } from '../../../src/redact.js';
import { tempDir } from '../../helpers/tmp.js';

// The CI fixer's records on a real SQLite file: an attempt per job (a resumed job gets its own
// row back), grants used exactly once, patches scrubbed of secrets.

const start = (jobId: number, headSha: string) => ({
  pipeline: 'litellm',
  tag: 'v1.81.0-stable',
  repo: 'CartoDB/litellm',
  pr: 7,
  headSha,
  n: 1,
  of: 3,
  jobId,
  granted: false,
  checks: ['lint'],
});

describe('SqliteCiFixRecords', () => {
  it('keeps one attempt per job and records its outcome', async () => {
    const store = storeAt(await tempDir('cifix-'), { clock: systemClock });
    const r = new SqliteCiFixRecords(store.db, systemClock);
    const a = r.begin(start(11, 'a'.repeat(40)));
    expect(r.begin(start(11, 'a'.repeat(40))).id).toBe(a.id);
    registerSecrets(['ghp_SECRETSECRETSECRET123']);
    r.update(a.id, { patch: '+token = "ghp_SECRETSECRETSECRET123"\n', summary: 's', rationale: 'r' });
    const done = r.update(a.id, {
      outcome: 'pushed',
      commitSha: 'c'.repeat(40),
      paths: ['x.py'],
      lines: 2,
      finished: true,
    });
    expect(done).toMatchObject({ outcome: 'pushed', paths: ['x.py'], lines: 2, summary: 's', checks: ['lint'] });
    expect(done.patch).not.toContain('ghp_SECRET');
    expect(done.finishedAt).not.toBeNull();
    expect(r.attempts('CartoDB/litellm', 7)).toHaveLength(1);
    expect(r.recent('litellm').map((x) => x.id)).toEqual([a.id]);
    store.close();
  });

  it('grants one extra attempt per granting job, each used once', async () => {
    const store = storeAt(await tempDir('cifix-'), { clock: systemClock });
    const r = new SqliteCiFixRecords(store.db, systemClock);
    const by = { kind: 'slack' as const, id: 'U1' };
    r.grant('CartoDB/litellm', 7, 100, by);
    r.grant('CartoDB/litellm', 7, 100, by); // the same job resumed
    expect(r.grants('CartoDB/litellm', 7)).toEqual({ total: 1, unused: 1 });
    const a = r.begin(start(12, 'b'.repeat(40)));
    expect(r.useGrant('CartoDB/litellm', 7, a.id)).toBe(true);
    expect(r.useGrant('CartoDB/litellm', 7, a.id)).toBe(true); // idempotent for the same attempt
    const b = r.begin(start(13, 'c'.repeat(40)));
    expect(r.useGrant('CartoDB/litellm', 7, b.id)).toBe(false);
    expect(r.grants('CartoDB/litellm', 7)).toEqual({ total: 1, unused: 0 });
    store.close();
  });
});
