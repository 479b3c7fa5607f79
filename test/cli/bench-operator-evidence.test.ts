import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// `npm run bench -- operator-evidence` prints the evidence issue 12's closing note quotes: it has
// to keep running, keep printing doctor's fix for each broken setup and the metrics of real work.

const bench = fileURLToPath(new URL('../../bench/operator-evidence.ts', import.meta.url));

function runBench(): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', bench], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('exit', (code) => resolve({ code, out, err }));
  });
}

/** The lines under `## <title>` up to the next heading. */
function section(out: string, title: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`## ${title} `));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('#'));
  return lines.slice(start + 1, end < 0 ? undefined : end).filter(Boolean);
}

describe('bench operator-evidence', () => {
  it(
    'prints doctor for a healthy and four broken setups, then the metrics of a sync, merge and release',
    { timeout: 180_000 },
    async () => {
      const before = (await readdir(tmpdir())).filter((d) => d.startsWith('evidence-'));
      const r = await runBench();
      expect(r.err).toBe('');
      expect(r.code).toBe(0);

      const healthy = section(r.out, 'healthy setup');
      expect(healthy.at(-1)).toBe('all good');
      expect(healthy.filter((l) => l.startsWith('✗'))).toEqual([]);
      const fixes: Array<[string, string]> = [
        ['bad GitHub token', '✗ GitHub credentials: GITHUB_TOKEN was refused by GitHub (401 Bad credentials) → '],
        ['bad Slack bot token', '✗ Slack bot token: SLACK_BOT_TOKEN was refused by Slack (invalid_auth) → '],
        [
          'bot not in the channel',
          '✗ litellm: Slack channel: the bot is not a member of #cartodb-ops → invite the bot: /invite @upstream-sync in #cartodb-ops',
        ],
        [
          'GitHub token without the workflow scope',
          '✗ litellm: workflows: BerriAI/litellm changes .github/workflows but the token has no workflow scope (scopes: repo) → give the token the workflow scope',
        ],
      ];
      for (const [title, fix] of fixes) {
        const lines = section(r.out, title);
        expect(
          lines.filter((l) => l.startsWith('✗')),
          title,
        ).toEqual([expect.stringContaining(fix)]);
        expect(lines.at(-1), title).toBe('1 problem');
      }

      const metrics = r.out.slice(r.out.indexOf('# /metrics'));
      for (const kind of ['sync', 'merge', 'release'])
        expect(metrics).toContain(`upstream_sync_jobs_finished_total{kind="${kind}",state="succeeded"} 1\n`);
      expect(metrics).toContain('upstream_sync_sync_outcomes_total{pipeline="litellm",outcome="pr-created"} 1\n');
      expect(metrics).not.toMatch(/upstream_sync_(process|nodejs)_/);
      expect((await readdir(tmpdir())).filter((d) => d.startsWith('evidence-'))).toEqual(before);
    },
  );
});
