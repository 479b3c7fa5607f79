// A unified diff as the LLM writes it, read strictly enough to check before git sees it: which
// files it touches, how many lines it adds and removes, and the removed lines themselves.

export interface PatchFile {
  /** null for a created file. */
  oldPath: string | null;
  /** null for a deleted file. */
  newPath: string | null;
  added: string[];
  removed: string[];
}

export type ParsedPatch = { ok: true; files: PatchFile[]; lines: number } | { ok: false; message: string };

function pathOf(header: string): string | null {
  const raw = header.replace(/\t.*$/, '').trim();
  if (raw === '/dev/null') return null;
  return raw.replace(/^[ab]\//, '');
}

export function parseUnifiedDiff(patch: string): ParsedPatch {
  const lines = patch.replace(/\r\n?/g, '\n').split('\n');
  const files: PatchFile[] = [];
  let current: PatchFile | null = null;
  let inHunk = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ ')) {
      current = { oldPath: pathOf(line.slice(4)), newPath: pathOf(lines[i + 1]!.slice(4)), added: [], removed: [] };
      if (current.oldPath === null && current.newPath === null)
        return { ok: false, message: 'a file header names no path' };
      files.push(current);
      inHunk = false;
      i++;
      continue;
    }
    if (line.startsWith('@@')) {
      if (!current) return { ok: false, message: `hunk before any file header at line ${i + 1}` };
      if (!/^@@ -\d+(,\d+)? \+\d+(,\d+)? @@/.test(line))
        return { ok: false, message: `bad hunk header at line ${i + 1}` };
      inHunk = true;
      continue;
    }
    if (!inHunk || !current) continue;
    if (line.startsWith('+')) current.added.push(line.slice(1));
    else if (line.startsWith('-')) current.removed.push(line.slice(1));
  }
  if (files.length === 0) return { ok: false, message: 'no file in the patch' };
  const empty = files.find((f) => f.added.length === 0 && f.removed.length === 0);
  if (empty) return { ok: false, message: `no change for ${empty.newPath ?? empty.oldPath ?? '?'}` };
  return { ok: true, files, lines: files.reduce((n, f) => n + f.added.length + f.removed.length, 0) };
}

/** Every path a patch touches (both sides of a rename). */
export function touchedPaths(files: readonly PatchFile[]): string[] {
  const out = new Set<string>();
  for (const f of files) {
    if (f.oldPath) out.add(f.oldPath);
    if (f.newPath) out.add(f.newPath);
  }
  return [...out].sort();
}
