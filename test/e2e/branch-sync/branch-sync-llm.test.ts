import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicSandbox } from '../../../src/sandbox/anthropic/anthropic-sandbox.js';
import { FORK, SYNC_BRANCH, branchSyncWorld, upstreamCommit } from './branch-sync-world.js';

// The LLM layer of a branch-sync merge (src/workflows/resolve/two-parent-merge.ts, shared with
// mirror merges): a hunk no rule, strategy or memory decides goes to the model once per upstream
// head, and its validated answer is merged and pushed; a refused answer leaves the hunk to people.

const llms: AnthropicSandbox[] = [];
afterEach(async () => {
  while (llms.length) await llms.pop()!.close();
});

async function world() {
  const w = await branchSyncWorld({ extraConfig: 'llm: { model: claude-test, confidenceThreshold: 0.8 }\n' });
  const anthropic = await new AnthropicSandbox().listen();
  llms.push(anthropic);
  await w.sandbox.pushCommit(FORK, {
    branch: 'dev',
    files: { 'src/app.py': 'a = 1\nb = ACME\nc = 3\n' },
    message: 'acme: b',
    as: 'acme-dev',
  });
  const u = await upstreamCommit(w.sandbox, { 'src/app.py': 'a = 1\nb = UPSTREAM\nc = 3\n' }, 'feat: b');
  const sync = async () => {
    const run = await w.run(['sync', '--config', w.configFile, '--pipeline', 'webui', '--json'], anthropic.env());
    if (run.json.length !== 1) throw new Error(`expected one JSON line, got ${run.stdout.join('\n')}\n${run.stderr}`);
    return run.json[0]!;
  };
  return { ...w, anthropic, u, sync };
}

describe('branch-sync and the LLM', () => {
  it('a hunk only the model decides: asked once, its answer merged with U as second parent and pushed', async () => {
    const w = await world();
    w.anthropic.replyToolUse({
      resolutions: [{ hunk: 0, resolved: 'b = ACME_UPSTREAM\n', rationale: 'keeps both', confidence: 0.95 }],
    });
    const line = await w.sync();
    expect(line).toMatchObject({ outcome: 'pr-created', upstreamSha: w.u, conflicts: ['src/app.py'] });
    expect(w.anthropic.requests).toHaveLength(1);
    const merged = (await w.sandbox.branchSha(FORK, SYNC_BRANCH))!;
    expect(line.syncBranchSha).toBe(merged);
    expect(await w.sandbox.git(FORK, ['show', `${merged}:src/app.py`])).toBe('a = 1\nb = ACME_UPSTREAM\nc = 3\n');
    expect((await w.sandbox.git(FORK, ['log', '-1', '--format=%P', merged])).trim()).toMatch(new RegExp(` ${w.u}$`));
    expect(await w.sandbox.git(FORK, ['log', '-1', '--format=%B', merged])).toMatch(
      /src\/app\.py: merged by llm \(keeps both\)/,
    );

    // Nothing new upstream: the model is not asked again.
    expect(await w.sync()).toMatchObject({ outcome: 'up-to-date' });
    expect(w.anthropic.requests).toHaveLength(1);
  });

  it('a refused answer (low confidence) leaves the hunk to people, and the same head is not asked again', async () => {
    const w = await world();
    w.anthropic.replyToolUse(
      { resolutions: [{ hunk: 0, resolved: 'b = 4\n', rationale: 'unsure', confidence: 0.2 }] },
      { times: 3 },
    );
    expect(await w.sync()).toMatchObject({ outcome: 'conflicts', conflicts: ['src/app.py'] });
    expect(w.anthropic.requests).toHaveLength(1);
    expect(await w.sync()).toMatchObject({ outcome: 'conflicts' });
    expect(w.anthropic.requests).toHaveLength(1);
  });
});
