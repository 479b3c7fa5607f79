import { describe, expect, it } from 'vitest';
import { evaluateGuards } from '../../../src/core/ledger/guards.js';
import { basicRegexToJs, parseGuardsFile } from '../../../src/core/ledger/guards-file.js';

const files = new Map<string, string | null>([
  ['litellm/llms/azure/common_utils.py', 'SUFFIX = r"chat/completions|completions|embeddings|audio/speech"\n'],
  ['litellm/llms/oci/chat/transformation.py', 'tool_call_id = uuid.uuid4().hex\n'],
  ['gone.py', null],
]);

describe('evaluateGuards', () => {
  it('passes when files exist and patterns match; names each failure', () => {
    const results = evaluateGuards(
      [
        {
          feature: 'OCI',
          files: ['litellm/llms/oci/chat/transformation.py'],
          patterns: [{ file: 'litellm/llms/oci/chat/transformation.py', literal: 'uuid.uuid4().hex' }],
        },
        {
          feature: 'Gone',
          files: ['gone.py'],
          patterns: [{ file: 'litellm/llms/oci/chat/transformation.py', regex: '^def _handle' }],
        },
      ],
      files,
    );
    expect(results).toEqual([
      { feature: 'OCI', ok: true, failures: [] },
      {
        feature: 'Gone',
        ok: false,
        failures: ['gone.py is missing', 'litellm/llms/oci/chat/transformation.py no longer matches /^def _handle/'],
      },
    ]);
  });
});

describe('guards file in the fork', () => {
  it("reads CARTO's manifest with grep basic-regex semantics (| is literal, . any char)", () => {
    const parsed = parseGuardsFile(`
features:
  - name: Azure URL Suffix Stripping
    verification:
      - pattern: "chat/completions|completions|embeddings|audio/speech"
        file: litellm/llms/azure/common_utils.py
  - name: OCI Gemini Tool Call UUIDs
    verification:
      - pattern: uuid.uuid4().hex
        file: litellm/llms/oci/chat/transformation.py
      - pattern: _handle_tool_call_delta
        file: litellm/llms/oci/chat/transformation.py
`);
    expect('guards' in parsed).toBe(true);
    if (!('guards' in parsed)) return;
    expect(evaluateGuards(parsed.guards, files).map((r) => [r.feature, r.ok])).toEqual([
      ['Azure URL Suffix Stripping', true],
      ['OCI Gemini Tool Call UUIDs', false],
    ]);
    expect(basicRegexToJs('a|b\\|c(d)')).toBe('a\\|b|c\\(d\\)');
  });

  it('reads our own shape; refuses anything else with a reason', () => {
    expect(parseGuardsFile('guards:\n  - feature: X\n    files: [a.py]\n')).toEqual({
      guards: [{ feature: 'X', files: ['a.py'], patterns: [] }],
    });
    expect(parseGuardsFile('something: else\n')).toEqual({ error: expect.stringContaining('expected') });
    expect(parseGuardsFile('a: [\n')).toEqual({ error: expect.stringMatching(/^not YAML/) });
  });
});
