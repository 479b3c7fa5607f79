import { AppError } from '../../errors.js';

// Finding a button the way a person does: by the label they read on it.

export interface FoundButton {
  blockId: string;
  element: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function buttonsIn(blocks: unknown): FoundButton[] {
  if (!Array.isArray(blocks)) return [];
  const found: FoundButton[] = [];
  for (const block of blocks as Json[]) {
    const candidates =
      block.type === 'actions' && Array.isArray(block.elements)
        ? (block.elements as Json[])
        : block.type === 'section' && block.accessory
          ? [block.accessory as Json]
          : [];
    for (const element of candidates) {
      if (element.type === 'button') found.push({ blockId: String(block.block_id ?? ''), element });
    }
  }
  return found;
}

export function buttonLabel(element: Json): string {
  const text = element.text as Json | undefined;
  return typeof text?.text === 'string' ? text.text : '';
}

/** Labels of every button in `blocks`, for messages and assertions. */
export function buttonLabels(blocks: unknown): string[] {
  return buttonsIn(blocks).map((b) => buttonLabel(b.element));
}

/** The single button whose visible label is `label` (exact, or trimmed and case-insensitive). */
export function findButton(blocks: unknown, label: string): FoundButton | undefined {
  const all = buttonsIn(blocks);
  const exact = all.filter((b) => buttonLabel(b.element) === label);
  const loose = all.filter((b) => buttonLabel(b.element).trim().toLowerCase() === label.trim().toLowerCase());
  const matches = exact.length > 0 ? exact : loose;
  if (matches.length > 1)
    throw new AppError('validation', `${matches.length} buttons are labelled "${label}"`, {
      details: { labels: buttonLabels(blocks) },
    });
  return matches[0];
}

/** The block_actions `actions[0]` entry for a button click. */
export function buttonAction(found: FoundButton): Record<string, unknown> {
  const e = found.element;
  const action: Record<string, unknown> = {
    action_id: e.action_id,
    block_id: found.blockId,
    text: { type: 'plain_text', text: buttonLabel(e), emoji: true },
    type: 'button',
  };
  if (e.value !== undefined) action.value = e.value;
  if (e.url !== undefined) action.url = e.url;
  if (e.style !== undefined) action.style = e.style;
  return action;
}
