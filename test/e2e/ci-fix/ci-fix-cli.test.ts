import { describe, expect, it } from 'vitest';
import { AnthropicSandbox } from '../../../src/sandbox/anthropic/anthropic-sandbox.js';
import { FORK, publishRelease } from '../../pipelines/release-sync/harness.js';
import { cliWorld, type CliWorld } from '../sync/cli-process.js';
import { APP, APP_AT_TAG, lintLog, replaceDiff } from './ci-fix-world.js';
import { afterEach } from 'vitest';
import { until } from '../../helpers/until.js';

// `upstream-sync fix-ci` as a real process: --dry-run shows the evidence and the request size and
// calls no LLM; kill -9 after the push and before the attempt is recorded, then a restart: one
// fix(ci) commit for that head, found by its trailer, and one PR comment.

const llms: AnthropicSandbox[] = [];
afterEach(async () => {
  while (llms.length) await llms.pop()!.close();
});

async function redSyncPr(w: CliWorld): Promise<{ pr: number; branch: string; head: string }> {
  await publishRelease(w.sandbox, '1.81.0', { [APP]: APP_AT_TAG });
  const synced = await w.run(['sync', '--config', w.configFile, '--json']);
  expect(synced.json[0]).toMatchObject({ outcome: 'pr-created' });
  const pr = (synced.json[0]!.pr as { number: number }).number;
  const branch = w.sandbox.pull(FORK, pr).headRef;
  const head = (await w.sandbox.branchSha(FORK, branch))!;
  await w.sandbox.setCheckRun(FORK, head, { name: 'lint', conclusion: 'failure', log: lintLog() });
  return { pr, branch, head };
}

const FIXED = `${APP_AT_TAG.replace('d = undefined_name\n', '')}undefined_name = 0\nd = undefined_name\n`;

describe('upstream-sync fix-ci', () => {
  it('--dry-run shows the evidence and the request size, calls no LLM and changes nothing', async () => {
    const w = await cliWorld();
    const anthropic = await new AnthropicSandbox().listen();
    llms.push(anthropic);
    const { pr, branch, head } = await redSyncPr(w);
    const run = await w.run(
      ['fix-ci', '--pr', String(pr), '--dry-run', '--json', '--config', w.configFile],
      anthropic.env(),
    );
    expect(run.code).toBe(0);
    const out = run.json[0]!;
    expect(out).toMatchObject({
      ok: true,
      dryRun: true,
      pr,
      headSha: head,
      failing: ['lint'],
      off: null,
      wouldAskLlm: true,
    });
    expect((out.evidence as { changedFiles: string[] }).changedFiles).toContain(APP);
    expect(JSON.stringify(out.evidence)).toContain('F821 error');
    expect(out.requestBytes).toBeGreaterThan(500);
    expect(anthropic.requests).toEqual([]);
    expect(await w.sandbox.branchSha(FORK, branch)).toBe(head);
  }, 240_000);

  it("a red check branch protection does not require is not the fixer's: no evidence, no LLM", async () => {
    const w = await cliWorld();
    const anthropic = await new AnthropicSandbox().listen();
    llms.push(anthropic);
    await w.sandbox.protectBranch(FORK, 'carto/main', { requiredChecks: ['test'] });
    const { pr, branch, head } = await redSyncPr(w);
    const dry = await w.run(
      ['fix-ci', '--pr', String(pr), '--dry-run', '--json', '--config', w.configFile],
      anthropic.env(),
    );
    expect(dry.json[0]).toMatchObject({ pr, headSha: head, failing: [], wouldAskLlm: false });
    const run = await w.run(['fix-ci', '--pr', String(pr), '--json', '--config', w.configFile], anthropic.env());
    expect(run.json[0]).toMatchObject({ outcome: 'not-failing' });
    expect(String(run.json[0]!.message)).toContain('no required check (test)');
    expect(anthropic.requests).toEqual([]);
    expect(await w.sandbox.branchSha(FORK, branch)).toBe(head);
  }, 240_000);

  it('without an LLM the fixer is off and says so (exit 1)', async () => {
    const w = await cliWorld();
    const { pr } = await redSyncPr(w);
    const run = await w.run(['fix-ci', '--pr', String(pr), '--json', '--config', w.configFile]);
    expect(run.code).toBe(1);
    expect(run.json[0]).toMatchObject({ ok: false, outcome: 'off' });
    expect(String(run.json[0]!.message)).toContain('no LLM is configured');
  }, 240_000);

  it('kill -9 after the push and before the record: the restart makes no second commit for that head', async () => {
    const w = await cliWorld();
    const anthropic = await new AnthropicSandbox().listen();
    llms.push(anthropic);
    const { pr, branch, head } = await redSyncPr(w);
    anthropic.replyToolUse({
      patch: replaceDiff(APP, APP_AT_TAG, FIXED),
      summary: 'define undefined_name',
      rationale: 'ruff F821.',
    });
    // The read of the sync branch right after the push is held: the process dies there.
    const fault = { method: 'GET', path: /\/git\/ref\/heads(\/|%2F)upstream-sync/ };
    const seen = () => w.sandbox.requests.filter((r) => r.method === fault.method && fault.path.test(r.path)).length;
    const before = seen();
    w.sandbox.faults.inject({ ...fault, latencyMs: 5000, times: 1 });
    const first = w.start(['fix-ci', '--pr', String(pr), '--json', '--config', w.configFile], anthropic.env());
    await until(() => seen() > before, 'the held request', 60_000);
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    const pushed = (await w.sandbox.branchSha(FORK, branch))!;
    expect(pushed).not.toBe(head);

    const again = await w.run(['fix-ci', '--pr', String(pr), '--json', '--config', w.configFile], anthropic.env());
    expect(again.code).toBe(0);
    expect(again.json[0]).toMatchObject({ outcome: 'pushed', commitSha: pushed, headSha: head });
    expect(await w.sandbox.branchSha(FORK, branch)).toBe(pushed);
    expect((await w.sandbox.git(FORK, ['rev-list', '--count', `${head}..${pushed}`])).trim()).toBe('1');
    expect(anthropic.requests).toHaveLength(1);
    expect(w.sandbox.comments(FORK, pr).filter((c) => c.body.includes('CI fixer'))).toHaveLength(1);

    // status shows the attempt from SQLite.
    const status = await w.run(['status', '--json', '--config', w.configFile]);
    expect(status.json[0]!.ciFix).toMatchObject([
      { pr, n: 1, of: 3, headSha: head, outcome: 'pushed', commitSha: pushed, paths: [APP], refused: null },
    ]);
  }, 240_000);
});
