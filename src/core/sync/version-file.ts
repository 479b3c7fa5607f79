import { parse as parseToml } from 'smol-toml';
import { configRegex } from '../config-regex.js';

// The production branch records the upstream version it is on in a file (pyproject.toml for
// CARTO). Read it with a real parser: CARTO's `grep '^version'` picked the first matching line,
// whatever table it was in.

export interface VersionSource {
  file: string;
  /** Dotted key path for TOML or JSON, e.g. tool.poetry.version. */
  key?: string;
  /** Regex with a (?<version>…) group. */
  pattern?: string;
}

export type VersionRead = { ok: true; version: string } | { ok: false; problem: string };

function lookup(doc: unknown, keyPath: string): unknown {
  let node: unknown = doc;
  for (const part of keyPath.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !(part in node)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

function parseStructured(text: string, file: string): { ok: true; doc: unknown } | { ok: false; problem: string } {
  const lower = file.toLowerCase();
  const tryJson = () => ({ ok: true as const, doc: JSON.parse(text) as unknown });
  const tryToml = () => ({ ok: true as const, doc: parseToml(text) as unknown });
  const order = lower.endsWith('.json') ? [tryJson] : lower.endsWith('.toml') ? [tryToml] : [tryJson, tryToml];
  let last = '';
  for (const attempt of order) {
    try {
      return attempt();
    } catch (err) {
      last = (err as Error).message.split('\n')[0] ?? 'parse error';
    }
  }
  return { ok: false, problem: `cannot parse ${file}: ${last}` };
}

/** The version as written in the file (no `v` added or removed). */
export function readVersion(text: string, source: VersionSource): VersionRead {
  if (source.pattern !== undefined) {
    const match = configRegex(source.pattern, 'm').exec(text);
    const version = match?.groups?.version?.trim();
    return version ? { ok: true, version } : { ok: false, problem: `no match for ${source.pattern} in ${source.file}` };
  }
  if (source.key === undefined) return { ok: false, problem: 'version source needs a key or a pattern' };
  const parsed = parseStructured(text, source.file);
  if (!parsed.ok) return parsed;
  const value = lookup(parsed.doc, source.key);
  if (typeof value === 'string' && value.trim()) return { ok: true, version: value.trim() };
  if (typeof value === 'number') return { ok: true, version: String(value) };
  return {
    ok: false,
    problem:
      value === undefined
        ? `${source.file} has no key ${source.key}`
        : `${source.key} in ${source.file} is not a string`,
  };
}
