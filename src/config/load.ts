import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { configSchema, type Config } from './schema.js';
import { plural } from '../core/plural.js';

export interface ConfigProblem {
  /** Where, as `pipelines[0].fork.productionBranch`; empty for the document itself. */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  readonly code = 'config_invalid' as const;
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`${file}: ${plural(problems.length, 'problem')}\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  return p.path ? `${p.path}: ${p.message}` : p.message;
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function problemsFromZod(error: z.ZodError): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: formatPath([...issue.path, key]), message: 'unknown key' });
      continue;
    }
    let message = issue.message;
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) message = 'required';
    problems.push({ path: formatPath(issue.path), message });
  }
  return problems;
}

/** Validates an already-parsed document. Throws ConfigError listing every problem. */
export function parseConfig(raw: unknown, file = '<config>'): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (result.success) return result.data;
  const problems = problemsFromZod(result.error);
  // zod skips whole-document refinements once a field fails; report duplicates anyway.
  for (const p of duplicateIds(raw)) if (!problems.some((q) => q.path === p.path)) problems.push(p);
  throw new ConfigError(file, problems);
}

function duplicateIds(raw: unknown): ConfigProblem[] {
  const pipelines = (raw as { pipelines?: unknown } | null)?.pipelines;
  if (!Array.isArray(pipelines)) return [];
  const seen = new Map<unknown, number>();
  const problems: ConfigProblem[] = [];
  pipelines.forEach((p: unknown, i) => {
    const id = (p as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    const first = seen.get(id);
    if (first === undefined) seen.set(id, i);
    else
      problems.push({
        path: `pipelines[${i}].id`,
        message: `duplicate pipeline id "${id}" (also pipelines[${first}])`,
      });
  });
  return problems;
}

export function parseConfigText(text: string, file = '<config>'): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        message: `YAML: ${e.message.split('\n')[0]}${e.linePos ? ` (line ${e.linePos[0].line})` : ''}`,
      })),
    );
  }
  return parseConfig(doc.toJS(), file);
}

export async function loadConfig(file: string): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ConfigError(file, [
      {
        path: '',
        message:
          code === 'ENOENT' ? `config file not found: ${file}` : `cannot read ${file}: ${(err as Error).message}`,
      },
    ]);
  }
  return parseConfigText(text, file);
}
