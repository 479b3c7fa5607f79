import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import { type ReleaseJobResult } from '../../../src/workflows/release/release.js';
import type { LlmPort, LlmToolRequest } from '../../../src/ports.js';
import { FORK, RELEASER, cartoConfig, releaseWorld, seedCartoHistory } from './release-world.js';
import { releaseJobInput } from '../../../src/jobs/job-kinds.js';

// The optional polish: an in-memory LlmPort answers; whatever goes wrong, the plain notes ship.

function fakeLlm(answer: (request: LlmToolRequest) => unknown): LlmPort & { requests: LlmToolRequest[] } {
  const requests: LlmToolRequest[] = [];
  return {
    requests,
    async callTool(request) {
      requests.push(request);
      const input = answer(request);
      if (input instanceof Error) throw input;
      return { input, model: request.model, stopReason: 'tool_use', usage: { inputTokens: 1, outputTokens: 1 } };
    },
  };
}

const plainOf = (request: LlmToolRequest) => /<notes>\n([\s\S]*)\n<\/notes>/.exec(request.prompt)![1]!;

async function releaseWith(llm: LlmPort, notesLlm = true) {
  const world = await releaseWorld({ config: cartoConfig({ release: { notesLlm } }), llm });
  await seedCartoHistory(world.sandbox, world.github);
  const { job } = await world.runner.enqueue(
    releaseJobInput({ pipeline: 'litellm', bump: 'auto' }, { kind: 'slack', id: RELEASER }),
  );
  await world.runner.runUntilIdle({ timeoutMs: 60_000 });
  const done = (await world.runner.get(job.id))!;
  expect(done.state).toBe('succeeded');
  const body = world.sandbox.releases(FORK).find((r) => r.tag === 'v1.81.9-carto.1.19.0')!.body!;
  return { result: done.result as ReleaseJobResult, body };
}

describe('release notes polish', () => {
  it('ships the polished wording when it keeps every link', async () => {
    const llm = fakeLlm((r) => ({ markdown: plainOf(r).replace('OCI tool calls', 'OCI models can now call tools') }));
    const { result, body } = await releaseWith(llm);
    expect(result.notesSource).toBe('llm');
    expect(body).toContain('OCI models can now call tools');
    expect(llm.requests[0]!.tool.name).toBe('release_notes');
  });

  it.each([
    ['the LLM is down', () => new AppError('unavailable', 'overloaded')],
    ['the answer adds a link', (r: LlmToolRequest) => ({ markdown: `${plainOf(r)}\nSee https://evil.example/` })],
    ['the answer is empty', () => ({ markdown: '' })],
  ])('ships the plain notes when %s', async (_name, answer) => {
    const { result, body } = await releaseWith(fakeLlm(answer));
    expect(result.notesSource).toBe('plain');
    expect(body).toContain('- OCI tool calls ([#1](');
    expect(body).not.toContain('evil.example');
  });

  it('does not call the LLM unless release.notesLlm is on', async () => {
    const llm = fakeLlm(() => ({ markdown: 'x' }));
    const { result } = await releaseWith(llm, false);
    expect(result.notesSource).toBe('plain');
    expect(llm.requests).toEqual([]);
  });
});
