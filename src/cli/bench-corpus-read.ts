import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import {
  allowedKeys,
  conflictsCaseSchema,
  forkSyncCaseSchema,
  formatOfFiles,
  orientConflicts,
  orientForkSync,
  type CaseOrientation,
  type CorpusFormat,
} from '../core/resolve/corpus-format.js';
import { compileRules } from '../core/resolve/path-rules.js';
import type { CorpusTexts } from '../core/resolve/corpus-case.js';
import type { PathHistory } from '../core/resolve/history/upstream-history.js';
import { corpusUpstreamHistory } from './bench-corpus-history.js';

// Reads a conflict corpus the way a real sync knows a conflict: the three versions, the conflicted
// file, the orientation, and (fork-sync) the path's history. Only allow-listed case.json keys are
// parsed; answer files (landed, final, resolved) are never opened here (bench-truth.ts scores).

const manifestSchema = z.object({
  cases: z.array(z.object({ id: z.string().min(1), path: z.string().min(1), ext: z.string().min(1) })).min(1),
});

export interface Corpus {
  root: string;
  format: CorpusFormat;
  cases: Array<{ id: string; path: string; ext: string }>;
}

export type Opened = { ok: true; corpus: Corpus } | { ok: false; reason: string };

export async function openCorpus(root: string): Promise<Opened> {
  const file = join(root, 'manifest.json');
  if (!existsSync(file)) return { ok: false, reason: `no manifest.json in ${root}` };
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return { ok: false, reason: `manifest.json is not JSON: ${(err as Error).message}` };
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      reason: `manifest.json: ${parsed.error.issues[0]?.path.join('.') || 'cases'}: ${parsed.error.issues[0]?.message}`,
    };
  const cases = parsed.data.cases.map(({ id, path, ext }) => ({ id, path, ext }));
  for (const c of cases) {
    const dir = join(root, c.id);
    if (!existsSync(dir)) continue;
    const format = formatOfFiles(await readdir(dir), c.ext);
    if (!format)
      return {
        ok: false,
        reason: `case ${c.id} has neither upstream/fork files with a case.json (fork-sync format) nor ours/theirs files (conflicts format)`,
      };
    return { ok: true, corpus: { root, format, cases } };
  }
  return { ok: false, reason: `none of the ${cases.length} cases listed in manifest.json has a folder in ${root}` };
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Bytes as text that writes back to the same bytes: UTF-8 when every version is, else Latin-1. */
export function decodeAll(buffers: Array<Buffer | null>): { texts: Array<string | null>; encoding: BufferEncoding } {
  try {
    return { texts: buffers.map((b) => (b ? utf8.decode(b) : null)), encoding: 'utf8' };
  } catch {
    return { texts: buffers.map((b) => (b ? b.toString('latin1') : null)), encoding: 'latin1' };
  }
}

async function readOptional(file: string): Promise<Buffer | null> {
  return existsSync(file) ? readFile(file) : null;
}

// Where a corpus does not say, build output is what the built-in build-artefact rule covers.
const BUILD_OUTPUT = compileRules([], true);

export const MISSING = 'listed but missing from the corpus';

export interface ReadCase {
  id: string;
  path: string;
  ext: string;
  date: string | null;
  /** The merge the case comes from: hunks recurring across merges are what memory is for. */
  sync: string | null;
  buildOutput: boolean;
  texts: CorpusTexts;
  encoding: BufferEncoding;
  orientation: CaseOrientation;
  history: PathHistory | null;
}

export type CaseRead = { ok: true; c: ReadCase } | { ok: false; reason: string };

export async function readCase(corpus: Corpus, c: { id: string; path: string; ext: string }): Promise<CaseRead> {
  const dir = join(corpus.root, c.id);
  if (!existsSync(dir)) return { ok: false, reason: MISSING };
  let raw: unknown = {};
  const caseFile = join(dir, 'case.json');
  if (existsSync(caseFile)) {
    try {
      raw = JSON.parse(await readFile(caseFile, 'utf8'));
    } catch {
      return { ok: false, reason: 'case.json is not JSON' };
    }
  }
  const safe = { ...allowedKeys(raw), id: c.id, path: c.path, ext: c.ext };
  let orientation: CaseOrientation;
  let history: PathHistory | null = null;
  let buildOutput = false;
  let sync: string | null;
  if (corpus.format === 'fork-sync') {
    const p = forkSyncCaseSchema.safeParse(safe);
    if (!p.success)
      return { ok: false, reason: `case.json: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}` };
    orientation = (orientForkSync(p.data) as { ok: true; orientation: CaseOrientation }).orientation;
    buildOutput = p.data.build_output ?? false;
    sync = p.data.sync_merge ?? null;
    history = await corpusUpstreamHistory(corpus.root, [p.data]).historyOf(c.path);
  } else {
    const p = conflictsCaseSchema.safeParse(safe);
    if (!p.success)
      return { ok: false, reason: `case.json: ${p.error.issues[0]?.path.join('.')}: ${p.error.issues[0]?.message}` };
    const o = orientConflicts(p.data);
    if (!o.ok) return { ok: false, reason: o.reason };
    orientation = o.orientation;
    sync = p.data.merge ?? null;
  }
  const f = orientation.files;
  const raws = await Promise.all(
    ['base', f.upstream, f.fork, 'conflicted'].map((n) => readOptional(join(dir, `${n}.${c.ext}`))),
  );
  // Both sides exist in every kept case of either corpus: a missing one means a case not in the
  // format, and guessing would write a wrong file.
  const absent = [f.upstream, f.fork].filter((_, i) => raws[i + 1] === null);
  if (absent.length) return { ok: false, reason: `no ${absent.map((n) => `${n}.${c.ext}`).join(' or ')} in the case` };
  const { texts, encoding } = decodeAll(raws);
  const [base, upstream, fork, conflicted] = texts as Array<string | null>;
  const date = typeof allowedKeys(raw).date === 'string' ? (allowedKeys(raw).date as string) : null;
  return {
    ok: true,
    c: {
      id: c.id,
      path: c.path,
      ext: c.ext,
      date,
      sync,
      buildOutput: buildOutput || BUILD_OUTPUT.match(c.path) !== null,
      texts: { base: base ?? '', upstream: upstream ?? null, fork: fork ?? null, conflicted: conflicted ?? null },
      encoding,
      orientation,
      history,
    },
  };
}
