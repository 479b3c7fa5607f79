import { describe, expect, it } from 'vitest';
import { firstReleaseSync } from '../helpers/pipelines.js';
import type { CiFixFact } from '../../src/ports.js';
import { pipelineFacts } from '../../src/slack/views/stages.js';
import { syncCard } from '../../src/slack/views/sync-card.js';
import { visibleText } from '../../src/sandbox/slack/slack-shapes.js';
import { ACTION_IDS } from '../../src/slack/action-ids.js';
import { buttonLabels, expectValidMessage } from './block-checks.js';
import { snapshot, testConfig } from './fixtures.js';

// The sync card in each state of the CI fixer: what it says, and the one button it offers.

const litellm = pipelineFacts(firstReleaseSync(testConfig()));
const red = { ci: { state: 'failure' as const, total: 2, failing: ['lint'], pending: [] } };
const fact = (state: CiFixFact['state'], f: Partial<CiFixFact> = {}): CiFixFact => ({
  state,
  n: 2,
  of: 3,
  headSha: 'a'.repeat(40),
  reason: null,
  message: null,
  commitSha: null,
  failing: ['lint'],
  at: '2026-02-02T10:00:00.000Z',
  ...f,
});

describe('sync card: CI fixer states', () => {
  it.each([
    ['ci', fact('off', { message: 'no LLM is configured' }), 'The CI fixer is off (no LLM is configured)', false],
    ['ci', fact('running'), 'The CI fixer is working on attempt 2 of 3.', false],
    [
      'ci',
      fact('pushed', { commitSha: 'b'.repeat(40) }),
      'CI fixer attempt 2 of 3 is pushed; waiting for CI on it.',
      false,
    ],
    ['ci', fact('pre-existing', { message: 'lint also fails on production' }), 'no fix was proposed', false],
    [
      'ci',
      fact('llm-unavailable', { message: 'LLM API answered 529' }),
      'could not reach the LLM (LLM API answered 529)',
      true,
    ],
    [
      'needs-person',
      fact('refused', { reason: 'path-denied', message: 'the patch touches .github/workflows/ci.yml' }),
      "The CI fixer's patch was refused (path-denied)",
      true,
    ],
    [
      'needs-person',
      fact('exhausted', { reason: 'exhausted', message: 'all 3 attempts on this PR are used' }),
      'The CI fixer stopped: all 3 attempts on this PR are used',
      true,
    ],
  ] as const)('%s / %s', (stage, ciFix, says, button) => {
    const card = syncCard(snapshot(stage, { ...red, ciFix }), litellm);
    expectValidMessage(card);
    const text = visibleText(card.blocks);
    expect(text).toContain(says);
    expect(text).toContain('*CI fixer*');
    expect(buttonLabels(card.blocks).includes('Try the CI fixer again')).toBe(button);
    if (button) {
      const json = JSON.stringify(card.blocks);
      expect(json).toContain(ACTION_IDS.ciFixAgain);
      expect(json).toContain('Try the CI fixer again?'); // the confirm dialog
    }
    // A card asking about the fixer never offers to resolve conflicts at the same time.
    expect(buttonLabels(card.blocks)).not.toContain('Resolve conflicts');
  });

  it('before the fixer has said anything, a red card keeps the generic promise', () => {
    const text = visibleText(syncCard(snapshot('ci', red), litellm).blocks);
    expect(text).toContain('the CI fixer tries a bounded number of times');
    expect(text).not.toContain('*CI fixer*');
  });
});
