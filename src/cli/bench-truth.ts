import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CorpusFormat } from '../core/resolve/corpus-format.js';

// The answers of a corpus, for scoring only: never handed to the resolver. `final` (fork-sync) is
// the file as it reached production where people changed it again on the sync PR, else `landed`;
// the conflicts corpus has one answer, `resolved`. A corpus stripped of its answers scores nothing.

export type Truth = { deleted: true } | { deleted: false; bytes: Buffer };
export type TruthMode = 'final' | 'landed';

async function pick(dir: string, name: string, ext: string): Promise<Truth | null> {
  if (existsSync(join(dir, `${name}.deleted`))) return { deleted: true };
  const f = join(dir, `${name}.${ext}`);
  return existsSync(f) ? { deleted: false, bytes: await readFile(f) } : null;
}

export async function truthOf(
  root: string,
  format: CorpusFormat,
  c: { id: string; ext: string },
  mode: TruthMode,
): Promise<Truth | null> {
  const dir = join(root, c.id);
  if (format === 'fork-sync')
    return ((mode === 'final' && (await pick(dir, 'final', c.ext))) || null) ?? pick(dir, 'landed', c.ext);
  const resolved = await pick(dir, 'resolved', c.ext);
  if (resolved) return resolved;
  const caseFile = join(dir, 'case.json');
  if (!existsSync(caseFile)) return null;
  const answer = JSON.parse(await readFile(caseFile, 'utf8')) as { resolved_deleted?: unknown };
  return answer.resolved_deleted === true ? { deleted: true } : null;
}
