// Text objects, interactive elements and confirm dialogs, checked with Slack's published limits.
// Errors use Slack's own wording and JSON-pointer suffix so tests see what the real API answers.

export type Json = Record<string, unknown>;

export class Problems {
  readonly list: string[] = [];

  add(message: string, pointer: string): void {
    this.list.push(`${message} [json-pointer:${pointer}]`);
  }

  /** An object at `pointer`, or a problem recorded and undefined. */
  object(value: unknown, pointer: string): Json | undefined {
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Json;
    this.add(value === undefined ? 'missing required field' : 'must be an object', pointer);
    return undefined;
  }

  /** An array at `pointer` with min..max items, or a problem recorded and undefined. */
  array(value: unknown, pointer: string, min: number, max: number): unknown[] | undefined {
    if (!Array.isArray(value)) {
      this.add(value === undefined ? 'missing required field' : 'must be an array', pointer);
      return undefined;
    }
    if (value.length < min) this.add(`must provide at least ${min} items`, pointer);
    if (value.length > max) this.add(`no more than ${max} items allowed`, pointer);
    return value;
  }

  /** A string of 1..max characters; `required` false lets it be absent. */
  string(value: unknown, pointer: string, max: number, required = true): void {
    if (value === undefined && !required) return;
    if (typeof value !== 'string') {
      this.add(value === undefined ? 'missing required field' : 'must be a string', pointer);
      return;
    }
    if (value.length === 0) this.add('must be more than 0 characters', pointer);
    if (value.length > max) this.add(`must be less than ${max + 1} characters`, pointer);
  }
}

/** A text object (`plain_text` or `mrkdwn`) with its own length limit. */
export function checkText(
  p: Problems,
  value: unknown,
  pointer: string,
  max: number,
  options: { plainOnly?: boolean; required?: boolean } = {},
): void {
  if (value === undefined && options.required === false) return;
  const text = p.object(value, pointer);
  if (!text) return;
  const allowed = options.plainOnly ? ['plain_text'] : ['plain_text', 'mrkdwn'];
  if (!allowed.includes(String(text.type))) {
    p.add(
      text.type === undefined ? 'missing required field' : `must be one of ${allowed.join(', ')}`,
      `${pointer}/type`,
    );
  }
  p.string(text.text, `${pointer}/text`, max);
}

export function checkConfirm(p: Problems, value: unknown, pointer: string): void {
  if (value === undefined) return;
  const confirm = p.object(value, pointer);
  if (!confirm) return;
  checkText(p, confirm.title, `${pointer}/title`, 100, { plainOnly: true });
  checkText(p, confirm.text, `${pointer}/text`, 300);
  checkText(p, confirm.confirm, `${pointer}/confirm`, 30, { plainOnly: true });
  checkText(p, confirm.deny, `${pointer}/deny`, 30, { plainOnly: true });
  if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger') {
    p.add('must be one of primary, danger', `${pointer}/style`);
  }
}

function checkButton(p: Problems, e: Json, at: string): void {
  checkText(p, e.text, `${at}/text`, 75, { plainOnly: true });
  p.string(e.value, `${at}/value`, 2000, false);
  // Slack rejects an empty url outright rather than treating it as absent.
  p.string(e.url, `${at}/url`, 3000, false);
  p.string(e.accessibility_label, `${at}/accessibility_label`, 75, false);
  if (e.style !== undefined && e.style !== 'primary' && e.style !== 'danger')
    p.add('must be one of primary, danger', `${at}/style`);
  checkConfirm(p, e.confirm, `${at}/confirm`);
}

function checkOptions(p: Problems, value: unknown, pointer: string, max: number, required: boolean): void {
  if (value === undefined && !required) return;
  const options = p.array(value, pointer, 1, max);
  options?.forEach((o, i) => {
    const option = p.object(o, `${pointer}/${i}`);
    if (!option) return;
    checkText(p, option.text, `${pointer}/${i}/text`, 75);
    p.string(option.value, `${pointer}/${i}/value`, 150);
  });
}

const SELECTS = ['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select'];
const MULTI_SELECTS = SELECTS.map((s) => `multi_${s}`);
const INPUTS = [
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
];
const PICKERS = ['datepicker', 'timepicker', 'datetimepicker'];
const CHOICES = ['checkboxes', 'radio_buttons'];

/** Element types Slack accepts in each position. */
export const ELEMENTS_IN = {
  accessory: ['button', 'image', 'overflow', ...SELECTS, ...MULTI_SELECTS, ...PICKERS, ...CHOICES],
  actions: ['button', 'overflow', ...SELECTS, ...MULTI_SELECTS, ...PICKERS, ...CHOICES, 'rich_text_input'],
  input: [...SELECTS, ...MULTI_SELECTS, ...PICKERS, ...CHOICES, ...INPUTS],
} as const;

/** An interactive element (or accessory image) at `at`, allowed if its type is in `allowed`. */
export function checkElement(p: Problems, value: unknown, at: string, allowed: readonly string[]): void {
  const e = p.object(value, at);
  if (!e) return;
  const type = e.type;
  if (typeof type !== 'string') {
    p.add('missing required field', `${at}/type`);
    return;
  }
  if (!allowed.includes(type)) {
    p.add(`unsupported type: ${type}`, `${at}/type`);
    return;
  }
  if (type === 'image') {
    checkImage(p, e, at);
    return;
  }
  p.string(e.action_id, `${at}/action_id`, 255, false);
  if (type === 'button') checkButton(p, e, at);
  else if (type === 'overflow') checkOptions(p, e.options, `${at}/options`, 5, true);
  else if (type === 'static_select' || type === 'multi_static_select') {
    if (e.option_groups === undefined) checkOptions(p, e.options, `${at}/options`, 100, true);
  } else if (CHOICES.includes(type)) checkOptions(p, e.options, `${at}/options`, 10, true);
  if (e.placeholder !== undefined) checkText(p, e.placeholder, `${at}/placeholder`, 150, { plainOnly: true });
  if (type !== 'button') checkConfirm(p, e.confirm, `${at}/confirm`);
}

/** Image element or block: a URL (or slack_file) and alt text. */
export function checkImage(p: Problems, e: Json, at: string): void {
  if (e.slack_file === undefined) p.string(e.image_url, `${at}/image_url`, 3000);
  p.string(e.alt_text, `${at}/alt_text`, 2000);
}
