import type { DiffEntry } from '../../ports.js';

// Parsers for the two commands the fork-patch ledger runs: `git diff --name-status -z -M` and
// `git cat-file --batch` (one process for every blob, instead of one per file and side).

const STATUS: Record<string, DiffEntry['status']> = {
  A: 'added',
  D: 'deleted',
  M: 'modified',
  R: 'renamed',
  C: 'added',
  T: 'type-changed',
};

export function parseNameStatus(out: string): DiffEntry[] {
  const fields = out.split('\0');
  const entries: DiffEntry[] = [];
  for (let i = 0; i < fields.length;) {
    const status = fields[i++] ?? '';
    if (status === '') continue;
    const letter = status[0] as string;
    if (letter === 'R' || letter === 'C') {
      const from = fields[i++] as string;
      const to = fields[i++] as string;
      entries.push({ status: STATUS[letter] as DiffEntry['status'], path: to, oldPath: letter === 'R' ? from : null });
    } else {
      entries.push({ status: STATUS[letter] ?? 'modified', path: fields[i++] as string, oldPath: null });
    }
  }
  return entries;
}

/** Splits `cat-file --batch` output: `<oid> <type> <size>\n<bytes>\n` or `<spec> missing\n` per request. */
export function parseCatFileBatch(out: Buffer, count: number): (Buffer | null)[] {
  const blobs: (Buffer | null)[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new Error('git cat-file --batch: output ended early');
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      blobs.push(null);
      continue;
    }
    const size = Number(m[2]);
    blobs.push(m[1] === 'blob' ? out.subarray(at, at + size) : null);
    at += size + 1;
  }
  return blobs;
}
