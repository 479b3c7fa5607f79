import { describe, expect, it } from 'vitest';
import { decisionLogComment, DECISION_LOG_MARKER, mergeCommitMessage } from '../../../src/core/resolve/decision-log.js';
import { hunkIdMatches, waitingHunkId } from '../../../src/core/resolve/hunk-id.js';
import type { HunkRecord } from '../../../src/ports.js';

const records: HunkRecord[] = [
  {
    path: 'ui/out/index.html',
    hunk: 0,
    hunkKey: 'k0',
    layer: 'rule',
    by: '**/out/**',
    rationale: 'built-in rule',
    confidence: 1,
    text: 'x',
  },
  {
    path: 'litellm/main.py',
    hunk: 0,
    hunkKey: 'k1',
    layer: 'llm',
    by: 'claude',
    rationale: 'kept | both',
    confidence: 0.91,
    text: 'y',
  },
  {
    path: 'litellm/main.py',
    hunk: 1,
    hunkKey: 'k2',
    layer: null,
    by: null,
    rationale: 'no strategy applies',
    confidence: 0,
    text: null,
  },
];

describe('decision log', () => {
  it('lists every hunk with layer, rule or strategy, confidence and why, and both sides of what waits', () => {
    const body = decisionLogComment({
      pr: 12,
      headSha: 'abcdef0123456789',
      records,
      waiting: [
        {
          id: 'id',
          path: 'litellm/main.py',
          index: 2,
          of: 2,
          upstream: 'return ```x```\n',
          fork: 'return 5\n',
          url: 'https://github.test/pr/12/files',
        },
      ],
    });
    expect(body.startsWith(DECISION_LOG_MARKER)).toBe(true);
    expect(body).toContain('1 hunk needs a person');
    expect(body).toContain('| `ui/out/index.html` | 1 | path rule | **/out/** | 1.00 | built-in rule |');
    expect(body).toContain('| `litellm/main.py` | 1 | LLM | claude | 0.91 | kept \\| both |');
    expect(body).toContain('| `litellm/main.py` | 2 | ⏳ waiting |  | - | no strategy applies |');
    // A fence longer than the backticks inside the file.
    expect(body).toContain('````\nreturn ```x```\n````');
  });

  it('says when the merge commit was pushed', () => {
    const body = decisionLogComment({
      pr: 12,
      headSha: 'abcdef0123456789',
      records: records.slice(0, 2),
      waiting: [],
      commit: '1234567890abcdef',
    });
    expect(body).toContain('Conflicts resolved (2 hunks)');
    expect(body).toContain('`1234567890ab`');
    expect(body).toMatch(/never squash or rebase/);
  });

  it('writes the merge commit message with a per-file summary', () => {
    const msg = mergeCommitMessage(12, records.slice(0, 2));
    expect(msg.split('\n')[0]).toBe('fix: resolve upstream sync conflicts for PR #12');
    expect(msg).toContain('2 hunks in 2 files: path rule 1, LLM 1.');
    expect(msg).toContain('- litellm/main.py: 1 LLM (claude)');
    expect(msg.trimEnd().endsWith('Resolves: #12')).toBe(true);
  });

  it("hunk ids name the file, the hunk and its content, and stay within Slack's 200 characters", () => {
    const id = waitingHunkId('litellm/main.py', 1, 'f'.repeat(64));
    expect(hunkIdMatches(id, 'litellm/main.py', 1, 'f'.repeat(64))).toBe(true);
    expect(hunkIdMatches(id, 'litellm/main.py', 1, 'e'.repeat(64))).toBe(false);
    expect(hunkIdMatches(id, 'litellm/main.py', 2, 'f'.repeat(64))).toBe(false);
    expect(waitingHunkId(`${'deep/'.repeat(60)}x.py`, 0, 'f'.repeat(64)).length).toBeLessThanOrEqual(200);
  });
});
