import { describe, expect, it } from 'vitest';
import { validateBlocks, validateView } from '../../../src/sandbox/slack/block-kit.js';

// Slack's Block Kit limits, one row per limit: the largest allowed value passes, one more fails
// with Slack's wording and the JSON pointer of the offending field.

const s = (n: number): string => 'x'.repeat(n);
const plain = (text: string): Record<string, unknown> => ({ type: 'plain_text', text });
const mrkdwn = (text: string): Record<string, unknown> => ({ type: 'mrkdwn', text });
const button = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'button',
  text: plain('Go'),
  action_id: 'go',
  ...over,
});
const actions = (...elements: unknown[]): Record<string, unknown> => ({ type: 'actions', elements });
const confirm = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  title: plain('Sure?'),
  text: plain('Really'),
  confirm: plain('Yes'),
  deny: plain('No'),
  ...over,
});
const modal = (over: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'modal',
  title: plain('Skip'),
  blocks: [],
  ...over,
});

interface Row {
  name: string;
  ok: unknown[];
  bad: unknown[];
  error: string;
}

const rows: Row[] = [
  {
    name: '50 blocks per message',
    ok: Array(50).fill({ type: 'divider' }),
    bad: Array(51).fill({ type: 'divider' }),
    error: 'no more than 50 items allowed [json-pointer:/blocks]',
  },
  {
    name: 'section text ≤ 3000',
    ok: [{ type: 'section', text: mrkdwn(s(3000)) }],
    bad: [{ type: 'section', text: mrkdwn(s(3001)) }],
    error: 'must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'section fields ≤ 10',
    ok: [{ type: 'section', fields: Array(10).fill(mrkdwn('a')) }],
    bad: [{ type: 'section', fields: Array(11).fill(mrkdwn('a')) }],
    error: 'no more than 10 items allowed [json-pointer:/blocks/0/fields]',
  },
  {
    name: 'section field ≤ 2000',
    ok: [{ type: 'section', fields: [mrkdwn(s(2000))] }],
    bad: [{ type: 'section', fields: [mrkdwn(s(2001))] }],
    error: 'must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]',
  },
  {
    name: 'section needs text or fields',
    ok: [{ type: 'section', text: mrkdwn('a') }],
    bad: [{ type: 'section' }],
    error: 'must provide either text or fields [json-pointer:/blocks/0]',
  },
  {
    name: 'header ≤ 150, plain_text',
    ok: [{ type: 'header', text: plain(s(150)) }],
    bad: [{ type: 'header', text: plain(s(151)) }],
    error: 'must be less than 151 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'header is plain_text only',
    ok: [{ type: 'header', text: plain('a') }],
    bad: [{ type: 'header', text: mrkdwn('a') }],
    error: 'must be one of plain_text [json-pointer:/blocks/0/text/type]',
  },
  {
    name: 'button text ≤ 75',
    ok: [actions(button({ text: plain(s(75)) }))],
    bad: [actions(button({ text: plain(s(76)) }))],
    error: 'must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
  },
  {
    name: 'button value ≤ 2000',
    ok: [actions(button({ value: s(2000) }))],
    bad: [actions(button({ value: s(2001) }))],
    error: 'must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]',
  },
  {
    name: 'action_id ≤ 255',
    ok: [actions(button({ action_id: s(255) }))],
    bad: [actions(button({ action_id: s(256) }))],
    error: 'must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]',
  },
  {
    name: 'block_id ≤ 255',
    ok: [{ type: 'divider', block_id: s(255) }],
    bad: [{ type: 'divider', block_id: s(256) }],
    error: 'must be less than 256 characters [json-pointer:/blocks/0/block_id]',
  },
  {
    name: 'url ≤ 3000',
    ok: [actions(button({ url: `https://x/${s(2990)}` }))],
    bad: [actions(button({ url: `https://x/${s(2991)}` }))],
    error: 'must be less than 3001 characters [json-pointer:/blocks/0/elements/0/url]',
  },
  {
    name: 'empty button url',
    ok: [actions(button({ url: 'https://x' }))],
    bad: [actions(button({ url: '' }))],
    error: 'must be more than 0 characters [json-pointer:/blocks/0/elements/0/url]',
  },
  {
    name: 'context elements ≤ 10',
    ok: [{ type: 'context', elements: Array(10).fill(mrkdwn('a')) }],
    bad: [{ type: 'context', elements: Array(11).fill(mrkdwn('a')) }],
    error: 'no more than 10 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'actions elements ≤ 25',
    ok: [actions(...Array(25).fill(button()))],
    bad: [actions(...Array(26).fill(button()))],
    error: 'no more than 25 items allowed [json-pointer:/blocks/0/elements]',
  },
  {
    name: 'confirm title ≤ 100',
    ok: [actions(button({ confirm: confirm({ title: plain(s(100)) }) }))],
    bad: [actions(button({ confirm: confirm({ title: plain(s(101)) }) }))],
    error: 'must be less than 101 characters [json-pointer:/blocks/0/elements/0/confirm/title/text]',
  },
  {
    name: 'confirm text ≤ 300',
    ok: [actions(button({ confirm: confirm({ text: plain(s(300)) }) }))],
    bad: [actions(button({ confirm: confirm({ text: plain(s(301)) }) }))],
    error: 'must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]',
  },
  {
    name: 'confirm button ≤ 30',
    ok: [actions(button({ confirm: confirm({ confirm: plain(s(30)) }) }))],
    bad: [actions(button({ confirm: confirm({ confirm: plain(s(31)) }) }))],
    error: 'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/confirm/text]',
  },
  {
    name: 'deny button ≤ 30',
    ok: [actions(button({ confirm: confirm({ deny: plain(s(30)) }) }))],
    bad: [actions(button({ confirm: confirm({ deny: plain(s(31)) }) }))],
    error: 'must be less than 31 characters [json-pointer:/blocks/0/elements/0/confirm/deny/text]',
  },
  {
    name: 'unknown block type',
    ok: [{ type: 'divider' }],
    bad: [{ type: 'carousel' }],
    error: 'unsupported type: carousel [json-pointer:/blocks/0/type]',
  },
  {
    name: 'unknown element type',
    ok: [actions(button())],
    bad: [actions({ type: 'slider', action_id: 'a' })],
    error: 'unsupported type: slider [json-pointer:/blocks/0/elements/0/type]',
  },
  {
    name: 'element not allowed in actions',
    ok: [actions(button())],
    bad: [actions({ type: 'plain_text_input', action_id: 'a' })],
    error: 'unsupported type: plain_text_input [json-pointer:/blocks/0/elements/0/type]',
  },
  {
    name: 'button text required',
    ok: [actions(button())],
    bad: [actions({ type: 'button', action_id: 'a' })],
    error: 'missing required field [json-pointer:/blocks/0/elements/0/text]',
  },
  {
    name: 'block type required',
    ok: [{ type: 'divider' }],
    bad: [{ block_id: 'b' }],
    error: 'missing required field [json-pointer:/blocks/0/type]',
  },
  {
    name: 'empty text',
    ok: [{ type: 'section', text: mrkdwn('a') }],
    bad: [{ type: 'section', text: mrkdwn('') }],
    error: 'must be more than 0 characters [json-pointer:/blocks/0/text/text]',
  },
  {
    name: 'image alt_text required',
    ok: [{ type: 'image', image_url: 'https://x/i.png', alt_text: 'i' }],
    bad: [{ type: 'image', image_url: 'https://x/i.png' }],
    error: 'missing required field [json-pointer:/blocks/0/alt_text]',
  },
  {
    name: 'button style',
    ok: [actions(button({ style: 'danger' }))],
    bad: [actions(button({ style: 'red' }))],
    error: 'must be one of primary, danger [json-pointer:/blocks/0/elements/0/style]',
  },
];

describe('Block Kit validation (messages)', () => {
  it.each(rows)('$name', ({ ok, bad, error }) => {
    expect(validateBlocks(ok, 'message')).toEqual([]);
    expect(validateBlocks(bad, 'message')).toContain(error);
  });

  it('accepts a realistic sync card and reports every problem in one answer', () => {
    const card = [
      { type: 'header', text: plain('🔄 Sync v1.80.0-stable') },
      {
        type: 'section',
        text: mrkdwn('*3 conflicts* resolved'),
        accessory: button({ url: 'https://github.com/CartoDB/litellm/pull/42', text: plain('PR #42') }),
      },
      {
        type: 'context',
        elements: [mrkdwn('upstream `v1.80.0`'), { type: 'image', image_url: 'https://x/i.png', alt_text: 'ci' }],
      },
      actions(button({ style: 'primary', confirm: confirm() }), {
        type: 'overflow',
        action_id: 'more',
        options: [{ text: plain('Skip'), value: 'skip' }],
      }),
    ];
    expect(validateBlocks(card, 'message')).toEqual([]);
    expect(validateBlocks([{ type: 'header', text: plain(s(151)) }, { type: 'carousel' }], 'message')).toHaveLength(2);
  });
});

describe('Block Kit validation (views)', () => {
  it('allows 100 blocks in a modal or home tab, not 101', () => {
    expect(validateView(modal({ blocks: Array(100).fill({ type: 'divider' }) }))).toEqual([]);
    expect(validateView({ type: 'home', blocks: Array(101).fill({ type: 'divider' }) })).toEqual([
      'no more than 100 items allowed [json-pointer:/view/blocks]',
    ]);
  });

  it('limits a modal title to 24 characters and needs submit with input blocks', () => {
    expect(validateView(modal({ title: plain(s(24)) }))).toEqual([]);
    expect(validateView(modal({ title: plain(s(25)) }))).toEqual([
      'must be less than 25 characters [json-pointer:/view/title/text]',
    ]);
    const input = { type: 'input', label: plain('Tag'), element: { type: 'plain_text_input', action_id: 'v' } };
    expect(validateView(modal({ blocks: [input] }))).toEqual([
      'submit is required when an input block is present [json-pointer:/view/submit]',
    ]);
    expect(validateView(modal({ blocks: [input], submit: plain('Go') }))).toEqual([]);
  });

  it('rejects unknown view types and over-long private_metadata', () => {
    expect(validateView({ type: 'workflow_step', blocks: [] })).toEqual([
      'unsupported type: workflow_step [json-pointer:/view/type]',
    ]);
    expect(validateView(modal({ private_metadata: s(3001) }))).toEqual([
      'must be less than 3001 characters [json-pointer:/view/private_metadata]',
    ]);
  });
});
