import { describe, expect, it } from 'vitest';
import { releaseCardData } from '../../src/core/release/release-card.js';
import { markdownToMrkdwn } from '../../src/slack/markdown-to-mrkdwn.js';
import { releaseCard } from '../../src/slack/views/release-card.js';
import { releasePreviewModal } from '../../src/slack/views/release-modal.js';
import { expectValidMessage, expectValidView } from './block-checks.js';

// Issue 11 item 4: release notes showed raw Markdown in Slack (`##`, `**`, `[x](url)`) in the
// preview modal and the release card. They are rendered as Slack mrkdwn now.

const NOTES = [
  '## ⚠️ Breaking changes',
  '- **proxy**: drop `old_key` ([#12](https://github.com/CartoDB/litellm/pull/12))',
  '## ✨ Features',
  '- add **OCI** images, see [docs](https://docs.example.com/a?b=1&c=2)',
  '## 🐛 Fixes',
  '- fix <script> & the *retry* loop [evil](javascript:alert(1))',
  '',
  '**Full Changelog**: https://github.com/CartoDB/litellm/compare/a...b',
].join('\n');

function raw(text: string): string[] {
  return [/^#{1,6} /m, /\*\*/, /\]\(/].filter((re) => re.test(text)).map(String);
}

describe('release notes as Slack mrkdwn (issue 11 item 4)', () => {
  it.each([
    ['## Fixes', '*Fixes*'],
    ['**bold** and __bold__', '*bold* and *bold*'],
    ['*italic*', '_italic_'],
    ['~~gone~~', '~gone~'],
    ['- item', '• item'],
    ['  - nested', '    ◦ nested'],
    ['[PR #1](https://github.com/o/r/pull/1)', '<https://github.com/o/r/pull/1|PR #1>'],
    ['[x](javascript:alert(1))', 'x'],
    ['<https://a.example/x>', '<https://a.example/x>'],
    ['a <b> & c', 'a &lt;b&gt; &amp; c'],
    ['`**kept**`', '`**kept**`'],
    ['<!channel> @here', '&lt;!channel&gt; @\u2060here'],
  ])('%j → %j', (md, mrkdwn) => expect(markdownToMrkdwn(md)).toBe(mrkdwn));

  it('the preview modal shows headings, bold and links, not Markdown', () => {
    const view = releasePreviewModal(
      {
        pipeline: 'litellm',
        bump: 'minor',
        nextTag: 'v1.81.12-carto.1.3.0',
        previousTag: 'v1.81.12-carto.1.2.0',
        upstream: '1.81.12',
        commitCount: 4,
        notes: NOTES,
        warnings: [],
      },
      'C09K0M5MP7V',
    );
    expectValidView(view);
    const text = JSON.stringify(view.blocks);
    expect(raw(text)).toEqual([]);
    expect(text).toContain('*⚠️ Breaking changes*');
    expect(text).toContain('• *proxy*: drop `old_key` (<https://github.com/CartoDB/litellm/pull/12|#12>)');
    expect(text).toContain('<https://docs.example.com/a?b=1&amp;c=2|docs>');
    expect(text).not.toContain('javascript:');
  });

  it('the release card renders its highlights as mrkdwn', () => {
    const data = releaseCardData({
      tag: 'v1.81.12-carto.1.3.0',
      url: 'https://github.com/CartoDB/litellm/releases/tag/v1.81.12-carto.1.3.0',
      notes: NOTES,
      previousTag: null,
      version: '1.3.0',
      upstream: '1.81.12',
      previousUpstream: '1.81.12',
      bump: 'minor',
      commitCount: 3,
      author: null,
      image: null,
    });
    const card = releaseCard('litellm', data);
    expectValidMessage(card);
    const text = JSON.stringify(card.blocks);
    expect(raw(text)).toEqual([]);
    expect(text).toContain('*Key highlights*\\n• proxy: drop `old_key` (#12)');
    expect(text).toContain('add OCI images, see docs');
  });
});
