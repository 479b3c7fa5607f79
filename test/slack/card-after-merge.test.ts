import { describe, expect, it } from 'vitest';
import { pipelineFacts } from '../../src/slack/views/stages.js';
import { syncCard } from '../../src/slack/views/sync-card.js';
import { firstReleaseSync } from '../helpers/pipelines.js';
import { snapshot, testConfig } from './fixtures.js';

// Issue 11 item 2: after 1.81.0 was merged and released the card still said "Behind 1 commit".
// A merged or released card says what landed, never that production is behind.

const litellm = pipelineFacts(firstReleaseSync(testConfig()));

describe('the sync card after a merge (issue 11 item 2)', () => {
  it.each(['merged', 'released'] as const)('%s: no "Behind", the merged commits instead', (stage) => {
    const text = JSON.stringify(syncCard(snapshot(stage, { commitsBehind: 1 }), litellm).blocks);
    expect(text).not.toContain('*Behind*');
    expect(text).toContain('*Upstream commits merged*\\n1');
  });

  it('before the merge it still says how far behind', () => {
    expect(JSON.stringify(syncCard(snapshot('ready', { commitsBehind: 1 }), litellm).blocks)).toContain(
      '*Behind*\\n1 commit',
    );
  });
});
