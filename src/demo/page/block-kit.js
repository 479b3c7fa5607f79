/* global document */
// Block Kit as Slack draws it, from the blocks the bot really sent: headers, sections with fields
// and accessories, context, dividers, actions with styled buttons (and their confirm dialogs),
// images, inputs in modals, and legacy attachments with their colour bar. mrkdwn is turned into
// HTML only after everything else is escaped.

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&' };
const decode = (s) => s.replace(/&(lt|gt|amp);/g, (m) => ENTITIES[m]);
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  rocket: '🚀',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  arrows_counterclockwise: '🔄',
  package: '📦',
  tada: '🎉',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  no_entry: '⛔',
  lock: '🔒',
  eyes: '👀',
  memo: '📝',
  robot_face: '🤖',
  bust_in_silhouette: '👤',
};

function slackDate(target, fallback) {
  const seconds = Number(target.split('^')[1]);
  if (!Number.isFinite(seconds)) return decode(fallback ?? '');
  return new Date(seconds * 1000).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Slack mrkdwn → HTML. `names` maps user and channel ids to names for mentions. */
export function mrkdwn(text, names = {}) {
  const held = [];
  const hold = (html) => `\uE000${held.push(html) - 1}\uE001`;
  let s = String(text ?? '');
  s = s.replace(/```([\s\S]*?)```/g, (_, code) => hold(`<pre>${escapeHtml(decode(code.replace(/^\n/, '')))}</pre>`));
  s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decode(code))}</code>`));
  s = s.replace(/<([^<>\s][^<>]*)>/g, (_, inner) => {
    const [target, label] = inner.split('|');
    if (target.startsWith('@'))
      return hold(`<span class="mention">@${escapeHtml(names[target.slice(1)] ?? label ?? target.slice(1))}</span>`);
    if (target.startsWith('#'))
      return hold(`<span class="mention">#${escapeHtml(label ?? names[target.slice(1)] ?? target.slice(1))}</span>`);
    // <!date^1712345678^{date_short}|fallback>: Slack renders the date in the reader's time zone.
    if (target.startsWith('!date^')) return hold(`<span class="date">${escapeHtml(slackDate(target, label))}</span>`);
    if (target.startsWith('!'))
      return hold(`<span class="mention">@${escapeHtml(label ?? target.slice(1).split('^')[0])}</span>`);
    const href = decode(target);
    if (!/^(https?:|mailto:)/.test(href)) return hold(escapeHtml(decode(inner)));
    return hold(
      `<a href="${escapeHtml(href)}" target="_blank" rel="noopener">${escapeHtml(decode(label ?? target))}</a>`,
    );
  });
  s = escapeHtml(decode(s));
  s = s.replace(/(^|[\s(])\*(?!\s)([^*\n]+?)\*(?=$|[\s).,:;!?])/gm, '$1<b>$2</b>');
  s = s.replace(/(^|[\s(])_(?!\s)([^_\n]+?)_(?=$|[\s).,:;!?])/gm, '$1<i>$2</i>');
  s = s.replace(/(^|[\s(])~(?!\s)([^~\n]+?)~(?=$|[\s).,:;!?])/gm, '$1<s>$2</s>');
  s = s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);
  s = s
    .split('\n')
    .map((line) => (line.startsWith('&#62; ') ? `<blockquote>${line.slice(6)}</blockquote>` : line))
    .join('\n')
    .replace(/<\/blockquote>\n<blockquote>/g, '<br>')
    .replace(/\n/g, '<br>');
  return s.replace(/\uE000(\d+)\uE001/g, (_, i) => held[Number(i)]);
}

function el(tag, className, html) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (html !== undefined) e.innerHTML = html;
  return e;
}

export function textHtml(t, names) {
  if (!t) return '';
  if (typeof t === 'string') return mrkdwn(t, names);
  return t.type === 'mrkdwn' ? mrkdwn(t.text, names) : escapeHtml(t.text ?? '');
}

function button(element, blockId, ctx) {
  const b = el('button', `bk-button ${element.style ? `bk-${element.style}` : ''}`, textHtml(element.text));
  b.type = 'button';
  b.dataset.actionId = element.action_id ?? '';
  b.dataset.blockId = blockId ?? '';
  if (element.url) b.title = element.url;
  b.addEventListener('click', () => ctx.onButton(element, blockId));
  return b;
}

function option(o, selected) {
  const opt = el('option', '', textHtml(o.text));
  opt.value = o.value;
  opt.selected = selected;
  return opt;
}

/** A select, overflow, radio or checkbox group; in modals their value is read on submit. */
function choice(element, blockId, ctx) {
  const options = element.options ?? (element.option_groups ?? []).flatMap((g) => g.options);
  if (element.type === 'radio_buttons' || element.type === 'checkboxes') {
    const box = el('div', 'bk-choices');
    const initial = new Set(
      [element.initial_option, ...(element.initial_options ?? [])].filter(Boolean).map((o) => o.value),
    );
    for (const o of options) {
      const label = el('label', 'bk-choice');
      const input = document.createElement('input');
      input.type = element.type === 'radio_buttons' ? 'radio' : 'checkbox';
      input.name = `${blockId}/${element.action_id}`;
      input.value = o.value;
      input.checked = initial.has(o.value);
      label.append(input, el('span', '', textHtml(o.text)));
      box.append(label);
    }
    if (ctx.inputs) ctx.inputs.push({ blockId, element, read: () => readChoices(box, element, options) });
    else
      box.addEventListener('change', () =>
        ctx.onChoose?.(
          element,
          blockId,
          [...box.querySelectorAll('input:checked')].map((i) => i.value),
        ),
      );
    return box;
  }
  const select = el('select', 'bk-select');
  const placeholder = element.placeholder ?? (element.type === 'overflow' ? { type: 'plain_text', text: '⋯' } : null);
  if (placeholder) select.append(option({ text: placeholder, value: '' }, !element.initial_option));
  for (const o of options) select.append(option(o, element.initial_option?.value === o.value));
  if (!ctx.inputs) {
    select.addEventListener('change', () => select.value && ctx.onChoose?.(element, blockId, [select.value]));
    return select;
  }
  ctx.inputs.push({
    blockId,
    element,
    read: () => {
      const o = options.find((x) => x.value === select.value);
      return { type: element.type, selected_option: o ?? null };
    },
  });
  return select;
}

function readChoices(box, element, options) {
  const picked = [...box.querySelectorAll('input:checked')].map((i) => options.find((o) => o.value === i.value));
  return element.type === 'radio_buttons'
    ? { type: element.type, selected_option: picked[0] ?? null }
    : { type: element.type, selected_options: picked };
}

function textInput(element, blockId, ctx) {
  const input = el(element.multiline ? 'textarea' : 'input', 'bk-text-input');
  input.value = element.initial_value ?? '';
  if (element.placeholder) input.placeholder = element.placeholder.text;
  ctx.inputs?.push({ blockId, element, read: () => ({ type: 'plain_text_input', value: input.value }) });
  return input;
}

function interactive(element, blockId, ctx) {
  if (element.type === 'button') return button(element, blockId, ctx);
  if (element.type === 'image') return image(element);
  if (element.type === 'plain_text_input') return textInput(element, blockId, ctx);
  if (/select|radio|checkbox|overflow/.test(element.type)) return choice(element, blockId, ctx);
  return el('span', 'bk-unsupported', escapeHtml(`[${element.type}]`));
}

function image(element) {
  const img = document.createElement('img');
  img.className = 'bk-image';
  img.alt = element.alt_text ?? '';
  img.src = element.image_url ?? '';
  return img;
}

function richText(block) {
  const parts = [];
  const walk = (node) => {
    if (typeof node.text === 'string') parts.push(node.text);
    for (const child of node.elements ?? []) walk(child);
  };
  walk(block);
  return el('div', 'bk-section', escapeHtml(parts.join('')).replace(/\n/g, '<br>'));
}

function renderBlock(block, ctx) {
  const names = ctx.names;
  switch (block.type) {
    case 'header':
      return el('div', 'bk-header', textHtml(block.text, names));
    case 'divider':
      return el('hr', 'bk-divider');
    case 'context': {
      const c = el('div', 'bk-context');
      for (const e of block.elements ?? [])
        c.append(e.type === 'image' ? image(e) : el('span', '', textHtml(e, names)));
      return c;
    }
    case 'section': {
      const s = el('div', 'bk-section');
      const body = el('div', 'bk-section-body');
      if (block.text) body.append(el('div', 'bk-text', textHtml(block.text, names)));
      if (block.fields?.length) {
        const f = el('div', 'bk-fields');
        for (const field of block.fields) f.append(el('div', 'bk-field', textHtml(field, names)));
        body.append(f);
      }
      s.append(body);
      if (block.accessory) {
        const accessory = el('div', 'bk-accessory');
        accessory.append(interactive(block.accessory, block.block_id, ctx));
        s.append(accessory);
      }
      return s;
    }
    case 'actions': {
      const a = el('div', 'bk-actions');
      for (const e of block.elements ?? []) a.append(interactive(e, block.block_id, ctx));
      return a;
    }
    case 'image': {
      const i = el('div', 'bk-image-block');
      if (block.title) i.append(el('div', 'bk-context', textHtml(block.title)));
      i.append(image(block));
      return i;
    }
    case 'input': {
      const i = el('label', 'bk-input');
      i.append(
        el(
          'div',
          'bk-input-label',
          textHtml(block.label) + (block.optional ? ' <span class="bk-optional">(optional)</span>' : ''),
        ),
      );
      i.append(interactive(block.element, block.block_id, ctx));
      if (block.hint) i.append(el('div', 'bk-context', textHtml(block.hint)));
      return i;
    }
    case 'rich_text':
      return richText(block);
    case 'markdown':
      return el('div', 'bk-section', escapeHtml(block.text ?? '').replace(/\n/g, '<br>'));
    default:
      return el('div', 'bk-unsupported', escapeHtml(`[${block.type} block]`));
  }
}

/**
 * Renders a message or view body. ctx: { names, onButton(element, blockId), onChoose(element, blockId,
 * values), inputs?: [] } — modals pass `inputs` and read each entry's value on submit; elsewhere a
 * choice is sent at once, as Slack does.
 */
export function renderBlocks(blocks, ctx) {
  const root = el('div', 'bk-blocks');
  for (const block of blocks ?? []) root.append(renderBlock(block, ctx));
  return root;
}

/** A message: blocks (or its text when it has none) and legacy attachments with their colour bar. */
export function renderMessageBody(message, ctx) {
  const root = el('div', 'bk-message');
  if (message.blocks?.length) root.append(renderBlocks(message.blocks, ctx));
  else root.append(el('div', 'bk-text', mrkdwn(message.text, ctx.names)));
  for (const a of message.attachments ?? []) {
    const att = el('div', 'bk-attachment');
    att.style.borderLeftColor = a.color
      ? a.color.startsWith('#')
        ? a.color
        : ({ good: '#2eb67d', warning: '#ecb22e', danger: '#e01e5a' }[a.color] ?? '#ddd')
      : '#ddd';
    if (a.blocks?.length) att.append(renderBlocks(a.blocks, ctx));
    else if (a.text || a.fallback) att.append(el('div', 'bk-text', mrkdwn(a.text ?? a.fallback, ctx.names)));
    root.append(att);
  }
  return root;
}
