import type { UpstreamNotes } from '../../core/sync/upstream-notes.js';
import { markdownToMrkdwn } from '../markdown-to-mrkdwn.js';
import { clip, code, link } from '../mrkdwn.js';
import { bulletSections, context, fitBlocks, section, LIMITS, type Block } from './blocks.js';
import type { RenderedMessage } from './sync-card.js';

// The upstream release's notes in the card's thread: upstream's breaking/migration sections
// first, the fork-customised files this release touches, then the trimmed notes and the link.

export function upstreamNotesReply(notes: UpstreamNotes, customised: readonly string[]): RenderedMessage {
  const blocks: Block[] = [section(`📝 *Upstream release notes* (${link(notes.url, 'full notes')})`)];
  for (const f of notes.flagged.slice(0, 5)) {
    const lines = f.lines.slice(0, 8).join('\n');
    const label = f.kind === 'breaking' ? 'breaking changes' : 'a migration';
    blocks.push(
      section(
        clip(
          `⚠️ *Upstream flags ${label}: ${markdownToMrkdwn(f.title)}*\n${markdownToMrkdwn(lines)}`,
          LIMITS.sectionText,
        ),
      ),
    );
  }
  if (customised.length)
    blocks.push(
      section(`*Fork-customised files this release touches (${customised.length})*`),
      ...bulletSections(
        customised.map((p) => `• ${code(p)}`),
        { maxLines: 40, maxBlocks: 2 },
      ),
    );
  if (notes.text) blocks.push(section(clip(markdownToMrkdwn(notes.text), LIMITS.sectionText)));
  else blocks.push(context('The upstream release has no notes.'));
  if (notes.trimmed) blocks.push(context(`Trimmed: ${link(notes.url, 'the full notes are on GitHub')}.`));
  const flag = notes.flagged.length ? ` ⚠️ ${notes.flagged.map((f) => f.kind).join(', ')}` : '';
  return { text: `📝 Upstream release notes${flag}`, blocks: fitBlocks(blocks, LIMITS.messageBlocks) };
}
