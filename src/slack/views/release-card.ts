import type { PullCardData, ReleaseCardData } from '../../ports/release-cards.js';
import { ACTION_IDS } from '../action-ids.js';
import { code, inline, link } from '../mrkdwn.js';
import { markdownLine } from '../markdown-to-mrkdwn.js';
import { actions, button, buttons, context, section, type Block } from './blocks.js';
import type { RenderedMessage } from './sync-card.js';
import { plural } from '../../core/plural.js';

// The release card (CARTO's S4) and the changelog card for a PR merged into production (S5).
// The data comes from src/core/release; everything from GitHub in it is escaped here.

export function releaseCard(pipeline: string, d: ReleaseCardData): RenderedMessage {
  const highlights = d.highlights.length
    ? `\n*Key highlights*\n${d.highlights.map((h) => `• ${markdownLine(h)}`).join('\n')}`
    : '';
  const fields = [
    `*Fork version*\n${code(d.version)}`,
    `*Upstream base*\n${d.upstream ? code(`v${d.upstream}`) : 'unknown'}`,
    `*Previous*\n${d.previousTag ? code(d.previousTag) : 'none'}`,
    `*Commits*\n${d.commitCount}`,
  ];
  const blocks: Block[] = [
    section(`*${d.emoji} ${inline(pipeline)} release* ${link(d.url, d.tag)}\n${inline(d.typeLabel)}${highlights}`, {
      fields,
    }),
  ];
  if (d.images.length) blocks.push(context(`🐳 ${d.images.map(code).join(' ')}`));
  const view = buttons(
    button({ label: 'View release', actionId: ACTION_IDS.viewRelease, url: d.url, style: 'primary' }),
  );
  if (view.length) blocks.push(actions(view));
  return { text: `${d.emoji} ${inline(pipeline)} release ${inline(d.tag)}`, blocks };
}

export function changelogCard(pipeline: string, d: PullCardData): RenderedMessage {
  const fields = [
    `*Author*\n${d.author ? code(d.author) : 'unknown'}`,
    `*Impact*\n${inline(d.impact)}`,
    `*Files*\n${plural(d.fileCount, 'file')}`,
    `*Changes*\n+${d.additions} −${d.deletions}`,
  ];
  const blocks: Block[] = [
    section(`*${d.emoji} ${inline(d.typeLabel)}:* ${link(d.url, `PR #${d.number}`)} — ${inline(d.title)}`, { fields }),
  ];
  const files = d.topFiles.map(code).join(' ');
  blocks.push(
    context(
      `${inline(pipeline)}${d.upstream ? ` · upstream v${inline(d.upstream)}` : ''}${files ? ` · ${files}` : ''}`,
    ),
  );
  const view = buttons(button({ label: 'View PR / diff', actionId: ACTION_IDS.viewPr, url: d.url }));
  if (view.length) blocks.push(actions(view));
  return { text: `${d.emoji} ${inline(d.typeLabel)}: PR #${d.number} ${inline(d.title)}`, blocks };
}
