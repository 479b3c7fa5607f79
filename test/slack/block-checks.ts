import { expect } from 'vitest';
import { validateBlocks, validateView } from '../../src/sandbox/slack/block-kit.js';
import { buttonLabels } from '../../src/sandbox/slack/find-button.js';

// Assertions shared by the view tests: Slack would accept the payload, and no text in it carries
// a link, mention or broadcast the bot did not put there itself.

const OWN_MARKUP =
  /^<(https?:\/\/[^|<>\s]+(\|[^<>]*)?|@[UW][A-Z0-9]+|#[CG][A-Z0-9]+|!subteam\^S[A-Z0-9]+|!date\^\d+\^[^|<>]+\|[^<>]+)>$/;

function texts(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => texts(v, out));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    Object.values(o).forEach((v) => texts(v, out));
  }
  return out;
}

/** Every `<…>` in mrkdwn is a link/mention we built, and every `&` starts an entity. */
export function markupProblems(blocks: unknown): string[] {
  const problems: string[] = [];
  for (const t of texts(blocks)) {
    for (const m of t.match(/<[^>]*>?/g) ?? [])
      if (!OWN_MARKUP.test(m)) problems.push(`foreign markup ${m} in ${t.slice(0, 80)}`);
    for (const m of t.match(/&[^;\s]{0,6};?/g) ?? [])
      if (!/^&(amp|lt|gt);$/.test(m)) problems.push(`bare & (${m}) in ${t.slice(0, 80)}`);
  }
  return problems;
}

export function expectValidMessage(msg: { text: string; blocks: unknown[] }): void {
  expect(validateBlocks(msg.blocks, 'message')).toEqual([]);
  expect(markupProblems(msg.blocks)).toEqual([]);
  expect(msg.text.length).toBeGreaterThan(0);
}

export function expectValidView(view: unknown): void {
  expect(validateView(view)).toEqual([]);
  expect(markupProblems((view as { blocks: unknown }).blocks)).toEqual([]);
}

export { buttonLabels };
