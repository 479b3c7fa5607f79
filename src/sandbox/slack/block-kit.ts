import { checkElement, checkImage, checkText, ELEMENTS_IN, Problems, type Json } from './block-kit-elements.js';

// Block Kit validation as the Slack API does it: limits from the Block Kit reference, answers in
// Slack's wording ("[ERROR] no more than 50 items allowed [json-pointer:/blocks]").

export type Surface = 'message' | 'modal' | 'home';

const MAX_BLOCKS: Record<Surface, number> = { message: 50, modal: 100, home: 100 };

/** Longest `text` chat.postMessage / chat.update accept. */
export const MAX_MESSAGE_TEXT = 40_000;

function checkBlock(p: Problems, value: unknown, at: string): void {
  const block = p.object(value, at);
  if (!block) return;
  p.string(block.block_id, `${at}/block_id`, 255, false);
  switch (block.type) {
    case 'section':
      if (block.text === undefined && block.fields === undefined) p.add('must provide either text or fields', at);
      if (block.text !== undefined) checkText(p, block.text, `${at}/text`, 3000);
      if (block.fields !== undefined) {
        p.array(block.fields, `${at}/fields`, 1, 10)?.forEach((f, i) => checkText(p, f, `${at}/fields/${i}`, 2000));
      }
      if (block.accessory !== undefined) checkElement(p, block.accessory, `${at}/accessory`, ELEMENTS_IN.accessory);
      return;
    case 'header':
      checkText(p, block.text, `${at}/text`, 150, { plainOnly: true });
      return;
    case 'divider':
      return;
    case 'context':
      p.array(block.elements, `${at}/elements`, 1, 10)?.forEach((e, i) => {
        const element = p.object(e, `${at}/elements/${i}`);
        if (element?.type === 'image') checkImage(p, element, `${at}/elements/${i}`);
        else if (element) checkText(p, element, `${at}/elements/${i}`, 3000);
      });
      return;
    case 'actions':
      p.array(block.elements, `${at}/elements`, 1, 25)?.forEach((e, i) =>
        checkElement(p, e, `${at}/elements/${i}`, ELEMENTS_IN.actions),
      );
      return;
    case 'image':
      checkImage(p, block, at);
      if (block.title !== undefined) checkText(p, block.title, `${at}/title`, 2000, { plainOnly: true });
      return;
    case 'input':
      checkText(p, block.label, `${at}/label`, 2000, { plainOnly: true });
      if (block.hint !== undefined) checkText(p, block.hint, `${at}/hint`, 2000, { plainOnly: true });
      checkElement(p, block.element, `${at}/element`, ELEMENTS_IN.input);
      return;
    case 'rich_text':
      p.array(block.elements, `${at}/elements`, 1, Number.MAX_SAFE_INTEGER);
      return;
    case 'markdown':
      p.string(block.text, `${at}/text`, 12_000);
      return;
    case undefined:
      p.add('missing required field', `${at}/type`);
      return;
    default:
      p.add(`unsupported type: ${String(block.type)}`, `${at}/type`);
  }
}

/** Problems with a `blocks` array for a surface; [] when Slack would accept it. */
export function validateBlocks(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const p = new Problems();
  p.array(blocks, pointer, 0, MAX_BLOCKS[surface])?.forEach((b, i) => checkBlock(p, b, `${pointer}/${i}`));
  return p.list;
}

/** Problems with a modal or home view object (views.open/push/update/publish). */
export function validateView(value: unknown, pointer = '/view'): string[] {
  const p = new Problems();
  const view = p.object(value, pointer);
  if (!view) return p.list;
  if (view.type !== 'modal' && view.type !== 'home') {
    p.add(
      view.type === undefined ? 'missing required field' : `unsupported type: ${String(view.type)}`,
      `${pointer}/type`,
    );
    return p.list;
  }
  const surface: Surface = view.type;
  p.string(view.private_metadata, `${pointer}/private_metadata`, 3000, false);
  p.string(view.callback_id, `${pointer}/callback_id`, 255, false);
  p.string(view.external_id, `${pointer}/external_id`, 255, false);
  if (surface === 'modal') {
    checkText(p, view.title, `${pointer}/title`, 24, { plainOnly: true });
    checkText(p, view.submit, `${pointer}/submit`, 24, { plainOnly: true, required: false });
    checkText(p, view.close, `${pointer}/close`, 24, { plainOnly: true, required: false });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => (b as Json | null)?.type === 'input');
    if (hasInput && view.submit === undefined)
      p.add('submit is required when an input block is present', `${pointer}/submit`);
  }
  return [...p.list, ...validateBlocks(view.blocks, surface, `${pointer}/blocks`)];
}
