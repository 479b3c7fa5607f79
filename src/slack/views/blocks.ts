import type { types } from '@slack/bolt';
import { clip, clipPlain, safeUrl } from '../mrkdwn.js';

export type Block = types.KnownBlock;
export type Button = types.Button;
export type ConfirmationDialog = types.ConfirmationDialog;
type ActionsBlock = types.ActionsBlock;
type ContextBlock = types.ContextBlock;
type DividerBlock = types.DividerBlock;
type HeaderBlock = types.HeaderBlock;
type SectionBlock = types.SectionBlock;

// Small builders that enforce Block Kit's limits at the point where text enters a block, so no
// view can produce a payload Slack rejects with invalid_blocks, however long the input.

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  url: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  privateMetadata: 3000,
  /** Slack truncates top-level text past 40k; notifications show far less. */
  fallbackText: 3000,
} as const;

export function header(text: string): HeaderBlock {
  return { type: 'header', text: { type: 'plain_text', text: clipPlain(text, LIMITS.headerText), emoji: true } };
}

export function section(mrkdwn: string, options: { fields?: string[]; blockId?: string } = {}): SectionBlock {
  const block: SectionBlock = { type: 'section', text: { type: 'mrkdwn', text: clip(mrkdwn, LIMITS.sectionText) } };
  if (options.fields?.length) {
    block.fields = options.fields.slice(0, LIMITS.fields).map((f) => ({ type: 'mrkdwn', text: clip(f, LIMITS.field) }));
  }
  if (options.blockId) block.block_id = options.blockId;
  return block;
}

export function context(...mrkdwn: string[]): ContextBlock {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, LIMITS.contextElements)
      .map((t) => ({ type: 'mrkdwn', text: clip(t, LIMITS.contextText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(elements: Button[], blockId?: string): ActionsBlock {
  const block: ActionsBlock = { type: 'actions', elements: elements.slice(0, LIMITS.actionsElements) };
  if (blockId) block.block_id = blockId;
  return block;
}

export interface ConfirmInput {
  title: string;
  text: string;
  confirm: string;
  deny?: string;
  danger?: boolean;
}

export function confirmDialog(input: ConfirmInput): ConfirmationDialog {
  const dialog: ConfirmationDialog = {
    title: { type: 'plain_text', text: clipPlain(input.title, LIMITS.confirmTitle) },
    text: { type: 'mrkdwn', text: clip(input.text, LIMITS.confirmText) },
    confirm: { type: 'plain_text', text: clipPlain(input.confirm, LIMITS.confirmButton) },
    deny: { type: 'plain_text', text: clipPlain(input.deny ?? 'Cancel', LIMITS.confirmButton) },
  };
  if (input.danger) dialog.style = 'danger';
  return dialog;
}

export interface ButtonInput {
  label: string;
  actionId: string;
  value?: string;
  url?: string | null;
  style?: 'primary' | 'danger';
  confirm?: ConfirmationDialog;
}

/** A button, or null when it would carry a URL Slack would reject (empty, not http(s), too long). */
export function button(input: ButtonInput): Button | null {
  const b: Button = {
    type: 'button',
    action_id: input.actionId,
    text: { type: 'plain_text', text: clipPlain(input.label, LIMITS.buttonText), emoji: true },
  };
  if (input.url !== undefined) {
    const href = safeUrl(input.url);
    if (!href || href.length > LIMITS.url) return null;
    b.url = href;
  }
  if (input.value !== undefined) {
    if (input.value.length > LIMITS.buttonValue)
      throw new Error(`button value for ${input.actionId} is longer than ${LIMITS.buttonValue}`);
    b.value = input.value;
  }
  if (input.style) b.style = input.style;
  if (input.confirm) b.confirm = input.confirm;
  return b;
}

export function buttons(...items: (Button | null | undefined | false)[]): Button[] {
  return items.filter((b): b is Button => Boolean(b));
}

/**
 * Bullet lines packed into as few sections as fit (each ≤ 3000 chars), at most `maxLines` lines
 * and `maxBlocks` sections; what does not fit becomes "…and N more".
 */
export function bulletSections(
  lines: string[],
  options: { maxLines: number; maxBlocks: number; more?: (n: number) => string },
): SectionBlock[] {
  const more = options.more ?? ((n: number) => `…and ${n} more`);
  const budget = LIMITS.sectionText - 40; // room for the "…and N more" line
  const sections: string[] = [];
  let current = '';
  let shown = 0;
  for (const line of lines) {
    const entry = clip(line, 400);
    if (shown >= options.maxLines) break;
    if (current && current.length + 1 + entry.length > budget) {
      if (sections.length + 1 >= options.maxBlocks) break;
      sections.push(current);
      current = '';
    }
    current = current ? `${current}\n${entry}` : entry;
    shown += 1;
  }
  const rest = lines.length - shown;
  if (rest > 0) current = current ? `${current}\n${more(rest)}` : more(rest);
  if (current) sections.push(current);
  return sections.map((text) => section(text));
}

/** Keeps a message within the block limit, replacing the tail with a note when it must cut. */
export function fitBlocks(
  blocks: Block[],
  max: number,
  note = "Some details were left out to fit Slack's limits.",
): Block[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), context(note)];
}
