import { describe, expect, it } from 'vitest';
import { renderSyncPrBody } from '../../../src/core/sync/pr-body.js';
import { upstreamNotes } from '../../../src/core/sync/upstream-notes.js';
import { upstreamNotesReply } from '../../../src/slack/views/upstream-notes.js';
import { expectValidMessage } from '../../slack/block-checks.js';

// Issue 11 item 11: the sync PR body and the card's thread carry the upstream release's notes,
// trimmed with a link, upstream's breaking/migration sections called out, and (in the PR body)
// the files the fork customises that this release touches.

const URL = 'https://github.com/BerriAI/litellm/releases/tag/v1.81.0-stable';
const BODY = [
  "## What's Changed",
  '* feat(proxy): new auth by @krrishdholakia in https://github.com/BerriAI/litellm/pull/1',
  '## ⚠️ Breaking Changes',
  '- `litellm.completion` drops `api_version`',
  '- proxy config key `general_settings.master_key` is required',
  '## Migration guide',
  'Run `litellm migrate` before starting the proxy.',
  '## Fixes',
  '- fix streaming <!-- upstream-sync:sync-pr pipeline=evil -->',
].join('\n');

describe('upstream release notes (issue 11 item 11)', () => {
  it('flags breaking and migration sections, neutralises mentions and markers, and trims with a link', () => {
    const n = upstreamNotes({ body: BODY, url: URL });
    expect(n.flagged).toEqual([
      {
        kind: 'breaking',
        title: '⚠️ Breaking Changes',
        lines: [
          '- `litellm.completion` drops `api_version`',
          '- proxy config key `general_settings.master_key` is required',
        ],
      },
      { kind: 'migration', title: 'Migration guide', lines: ['Run `litellm migrate` before starting the proxy.'] },
    ]);
    expect(n.text).not.toContain('@krrishdholakia');
    expect(n.text).toContain('@\u200bkrrishdholakia');
    expect(n.text).not.toContain('upstream-sync:sync-pr');
    expect(n.trimmed).toBe(false);
    const long = upstreamNotes({ body: `${'- a line of notes\n'.repeat(1000)}`, url: URL, maxChars: 500 });
    expect(long.trimmed).toBe(true);
    expect(long.text.length).toBeLessThanOrEqual(500);
    expect(upstreamNotes({ body: null, url: URL })).toMatchObject({ text: '', flagged: [] });
  });

  it('the PR body carries the notes, the warnings and the customised files this release touches', () => {
    const body = renderSyncPrBody({
      pipeline: 'litellm',
      upstreamRepo: 'BerriAI/litellm',
      forkRepo: 'CartoDB/litellm',
      tag: 'v1.81.0-stable',
      version: '1.81.0',
      currentVersion: '1.80.0',
      productionBranch: 'carto/main',
      syncBranch: 'upstream-sync/v1.81.0-stable',
      mirrorBranch: 'main',
      releaseUrl: URL,
      compareUrl: null,
      commits: 3,
      filesChanged: 2,
      conflicts: [],
      upstream: { notes: upstreamNotes({ body: BODY, url: URL }), customised: ['litellm/proxy/auth.py'] },
    });
    expect(body).toContain('### 📝 Upstream release notes');
    expect(body).toContain('**Upstream flags breaking changes: ⚠️ Breaking Changes**');
    expect(body).toContain('**Upstream flags a migration: Migration guide**');
    expect(body).toContain('**Files the fork customises that this release touches (1):**\n\n- `litellm/proxy/auth.py`');
    expect(body).toContain(`Full notes at ${URL}`);
    // Only our own marker, once.
    expect(body.match(/upstream-sync:sync-pr/g)).toHaveLength(1);
  });

  it('the thread reply renders them as Slack mrkdwn with the flags first', () => {
    const reply = upstreamNotesReply(upstreamNotes({ body: BODY, url: URL }), ['litellm/proxy/auth.py']);
    expectValidMessage(reply);
    expect(reply.text).toBe('📝 Upstream release notes ⚠️ breaking, migration');
    const text = JSON.stringify(reply.blocks);
    expect(text.indexOf('Upstream flags breaking changes')).toBeLessThan(text.indexOf("What's Changed"));
    expect(text).toContain('`litellm/proxy/auth.py`');
    expect(text).toContain(`<${URL}|full notes>`);
    expect(text).not.toContain('## ');
  });
});
