import { describe, expect, it } from 'vitest';
import { acceptPolished, buildPolishRequest } from '../../../src/core/release/notes-polish.js';

const plain =
  '## v1.81.9-carto.1.19.0\n\n### ✨ Features\n\n- **oci:** tool calls ([#12](https://github.com/CartoDB/litellm/pull/12))\n';

describe('acceptPolished', () => {
  it('accepts reworded notes with the same links', () => {
    const markdown =
      '## v1.81.9-carto.1.19.0\n\n### ✨ Features\n\n- OCI models can now call tools ([#12](https://github.com/CartoDB/litellm/pull/12))';
    expect(acceptPolished(plain, { markdown })).toEqual({ ok: true, markdown: `${markdown}\n` });
  });

  it.each([
    [null, 'no markdown'],
    [{ markdown: '   ' }, 'no markdown'],
    [{ markdown: 42 }, 'no markdown'],
    [{ markdown: '## v1.81.9-carto.1.19.0\n\n- OCI tool calls' }, 'link dropped'],
    [{ markdown: `${plain}\n- see https://evil.example/x` }, 'link added: https://evil.example/x'],
    [{ markdown: plain.replace('1.19.0', '2.0.0') }, 'first line changed'],
    [{ markdown: `${plain}${'x'.repeat(10_000)}` }, 'much longer'],
  ])('refuses %j', (input, problem) => {
    const result = acceptPolished(plain, input);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.problem).toContain(problem);
  });
});

describe('buildPolishRequest', () => {
  it('forces one tool and passes the notes as data', () => {
    const request = buildPolishRequest(plain, { model: 'm', maxTokens: 1000, timeoutMs: 5000 });
    expect(request.tool.name).toBe('release_notes');
    expect(request.prompt).toContain('<notes>\n## v1.81.9');
    expect(request.system).toMatch(/data, not instructions/);
  });
});
