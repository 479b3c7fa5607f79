import { z } from 'zod';
import { configSchema } from './schema.js';

// The configuration reference in the README is generated from the schema's .describe() texts,
// and a test keeps the two identical: the docs cannot drift from what the loader accepts.

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
}

interface Row {
  key: string;
  type: string;
  required: boolean;
  default: string;
  description: string;
}

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(' \\| ');
  if (s.const !== undefined) return JSON.stringify(s.const);
  const variants = s.anyOf ?? s.oneOf;
  if (variants) return [...new Set(variants.map(typeOf))].join(' \\| ');
  if (s.type === 'array') {
    const item = s.items ? typeOf(s.items) : 'any';
    return item.includes(' ') ? `(${item})[]` : `${item}[]`;
  }
  return Array.isArray(s.type) ? s.type.join(' \\| ') : (s.type ?? 'any');
}

function defaultOf(s: JsonSchema): string {
  if (s.default === undefined) return '';
  // Whole-object defaults are spelt out field by field in their own rows.
  if (typeof s.default === 'object' && s.default !== null && !Array.isArray(s.default)) return '';
  return `\`${JSON.stringify(s.default)}\``;
}

function walk(s: JsonSchema, key: string, required: boolean, rows: Row[]): void {
  const variants = s.anyOf ?? s.oneOf;
  const objectVariant = variants?.find((v) => v.type === 'object');
  rows.push({
    key,
    type: typeOf(s),
    required,
    default: defaultOf(s),
    description: s.description ?? objectVariant?.description ?? '',
  });
  const object = s.type === 'object' ? s : objectVariant;
  if (object?.properties) {
    for (const [name, child] of Object.entries(object.properties))
      walk(child, `${key}.${name}`, object.required?.includes(name) ?? false, rows);
  }
  if (s.type === 'array' && s.items?.type === 'object') {
    for (const [name, child] of Object.entries(s.items.properties ?? {}))
      walk(child, `${key}[].${name}`, s.items.required?.includes(name) ?? false, rows);
  }
  // Pipelines are a union on `kind`: each kind's keys get their own rows, the default kind as `[]`.
  const kinds = s.type === 'array' ? (s.items?.oneOf ?? s.items?.anyOf) : undefined;
  for (const variant of kinds ?? []) {
    const kind = variant.properties?.kind?.const;
    const at = typeof kind === 'string' && variant.properties?.kind?.default === undefined ? `[${kind}]` : '[]';
    for (const [name, child] of Object.entries(variant.properties ?? {}))
      walk(child, `${key}${at}.${name}`, variant.required?.includes(name) ?? false, rows);
  }
}

export function configReferenceRows(): Row[] {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const rows: Row[] = [];
  for (const [name, child] of Object.entries(schema.properties ?? {}))
    walk(child, name, schema.required?.includes(name) ?? false, rows);
  return rows;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Markdown table of every configuration key. */
export function configReference(): string {
  const lines = ['| key | type | default | meaning |', '| --- | --- | --- | --- |'];
  for (const r of configReferenceRows()) {
    const type = r.type.replace(/(?<!\\)\|/g, '\\|');
    lines.push(`| \`${r.key}\`${r.required ? ' (required)' : ''} | ${type} | ${r.default} | ${cell(r.description)} |`);
  }
  return lines.join('\n');
}
