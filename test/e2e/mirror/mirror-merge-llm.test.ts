import { afterEach, describe, expect, it } from 'vitest';
import { AnthropicSandbox } from '../../../src/sandbox/anthropic/anthropic-sandbox.js';
import { MIRROR_CONFIG, TARGET, diverge, mirrorWorld } from './mirror-world.js';

// The LLM layer of `sync --merge` (src/workflows/resolve/two-parent-merge.ts, shared with
// branch-sync): a hunk no other layer decides goes to the model once per source head, and its
// validated answer is the merge PR's content.

const llms: AnthropicSandbox[] = [];
afterEach(async () => {
  while (llms.length) await llms.pop()!.close();
});

describe('mirror --merge and the LLM', { timeout: 240_000 }, () => {
  it('a hunk only the model decides: asked once, the merge [T, S] carries its answer, one PR', async () => {
    const w = await mirrorWorld({ config: `${MIRROR_CONFIG}llm: { model: claude-test, confidenceThreshold: 0.8 }\n` });
    const anthropic = await new AnthropicSandbox().listen();
    llms.push(anthropic);
    const { s1, t1 } = await diverge(
      w.sandbox,
      { files: { 'src/core.c': 'int a = 1;\nint b = 20;\nint c = 3;\n' }, message: 'occ: b' },
      { files: { 'src/core.c': 'int a = 1;\nint b = 200;\nint c = 3;\n' }, message: 'cogpy: b' },
    );
    anthropic.replyToolUse({
      resolutions: [{ hunk: 0, resolved: 'int b = 220;\n', rationale: 'both changes', confidence: 0.95 }],
    });
    const sync = () =>
      w.run(['sync', '--config', w.configFile, '--pipeline', 'occ', '--json', '--merge'], anthropic.env());
    const run = await sync();
    expect(run.code).toBe(0);
    const branch = `upstream-sync/mirror-${s1.slice(0, 7)}`;
    expect(run.json[0]).toMatchObject({ outcome: 'merge-pr', mergeBranch: branch, conflicts: ['src/core.c'] });
    expect(anthropic.requests).toHaveLength(1);
    expect(w.sandbox.pulls(TARGET)).toHaveLength(1);
    const merge = (await w.sandbox.branchSha(TARGET, branch))!;
    expect((await w.sandbox.git(TARGET, ['log', '-1', '--format=%P', merge])).trim()).toBe(`${t1} ${s1}`);
    expect(await w.sandbox.git(TARGET, ['show', `${merge}:src/core.c`])).toBe('int a = 1;\nint b = 220;\nint c = 3;\n');
    expect(await w.sandbox.git(TARGET, ['log', '-1', '--format=%B', merge])).toMatch(
      /src\/core\.c: merged by llm \(both changes\)/,
    );

    // The same source head again: nothing new is asked.
    expect((await sync()).code).toBe(0);
    expect(anthropic.requests).toHaveLength(1);
  });
});
