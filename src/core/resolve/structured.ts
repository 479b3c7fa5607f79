import { parse as parseToml } from 'smol-toml';
import { parseDocument } from 'yaml';

// Data files merged by meaning: JSON, YAML and TOML documents are parsed and merged key by key.
// Text is never re-serialized (that would drop comments and formatting); the merged value only
// decides which textual candidate is right.

export type DataFormat = 'json' | 'yaml' | 'toml';

export function dataFormatOf(path: string): DataFormat | null {
  if (/\.json$/i.test(path)) return 'json';
  if (/\.ya?ml$/i.test(path)) return 'yaml';
  if (/\.toml$/i.test(path)) return 'toml';
  return null;
}

const FAILED = Symbol('unparsable');

/** The document's value, or FAILED when it does not parse (or parses with duplicate keys). */
export function parseData(text: string, format: DataFormat): unknown {
  try {
    if (format === 'json') {
      if (text.trim() === '') return {};
      // JSON.parse keeps the last of two equal keys without a word; the YAML parser refuses them.
      if (parseDocument(text, { uniqueKeys: true }).errors.length > 0) return FAILED;
      return JSON.parse(text);
    }
    if (format === 'toml') return parseToml(text);
    const doc = parseDocument(text, { uniqueKeys: true, merge: false });
    if (doc.errors.length > 0) return FAILED;
    return doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch {
    return FAILED;
  }
}

export function parses(text: string, format: DataFormat): boolean {
  return parseData(text, format) !== FAILED;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b);
}

const COLLISION = Symbol('collision');
const ABSENT = undefined;

/** Three-way merge of parsed values: a key changed differently on both sides is a collision. */
export function mergeValues(base: unknown, up: unknown, fork: unknown): unknown {
  if (deepEqual(up, fork)) return up;
  if (deepEqual(base, up)) return fork;
  if (deepEqual(base, fork)) return up;
  const b = base === ABSENT ? {} : base;
  if (!isObject(b) || !isObject(up) || !isObject(fork)) return COLLISION;
  const out: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(up), ...Object.keys(fork), ...Object.keys(b)])) {
    const v = mergeValues(b[key], up[key], fork[key]);
    if (v === COLLISION) return COLLISION;
    if (v !== ABSENT) out[key] = v;
  }
  return out;
}

export interface DataMerge {
  value: unknown;
}

/** The key-by-key merge of three documents, or null when one does not parse or a key collides. */
export function mergeDocuments(base: string, up: string, fork: string, format: DataFormat): DataMerge | null {
  const values = [parseData(base, format), parseData(up, format), parseData(fork, format)];
  if (values.includes(FAILED)) return null;
  const value = mergeValues(values[0], values[1], values[2]);
  return value === COLLISION ? null : { value };
}

/** Whether `text` parses to exactly the merged value. */
export function matchesMerge(text: string, format: DataFormat, merged: DataMerge): boolean {
  const v = parseData(text, format);
  return v !== FAILED && deepEqual(v, merged.value);
}
