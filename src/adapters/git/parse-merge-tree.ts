import type { ConflictKind, ConflictStage, ConflictedPath, MergeTreeResult } from '../../ports.js';

// Output of `git merge-tree --write-tree -z --messages` (git ≥ 2.38):
//   <tree> NUL
//   (<mode> SP <oid> SP <stage> TAB <path> NUL)*      conflicted file info, absent when clean
//   NUL
//   (<n> NUL <path>{n} NUL <type> NUL <message> NUL)*  informational messages
// Stage 1 is the merge base, 2 the first side (merged into), 3 the second side.

interface Message {
  paths: string[];
  type: string;
  text: string;
}

const KIND_BY_TYPE: Record<string, ConflictKind> = {
  'CONFLICT (contents)': 'content',
  'CONFLICT (binary)': 'binary',
  'CONFLICT (modify/delete)': 'modify/delete',
  'CONFLICT (rename/delete)': 'rename/delete',
  'CONFLICT (rename/rename)': 'rename/rename',
  'CONFLICT (rename involved in collision)': 'rename/add',
  'CONFLICT (file/directory)': 'file/directory',
  'CONFLICT (distinct types)': 'file/directory',
};

function kindOf(message: Message): ConflictKind {
  // add/add is reported with the "contents" type; only the text tells them apart.
  if (message.type === 'CONFLICT (contents)' && message.text.includes('(add/add)')) return 'add/add';
  const known = KIND_BY_TYPE[message.type];
  if (known) return known;
  if (message.type.startsWith('CONFLICT (submodule')) return 'submodule';
  return 'other';
}

export function parseMergeTree(output: Buffer | string, clean: boolean): MergeTreeResult {
  const fields = (typeof output === 'string' ? output : output.toString('utf8')).split('\0');
  const tree = fields[0] ?? '';
  if (!/^[0-9a-f]{40,64}$/.test(tree))
    throw new Error(`unexpected merge-tree output: ${JSON.stringify(tree.slice(0, 80))}`);
  let i = 1;
  const stagesByPath = new Map<string, ConflictStage[]>();
  if (!clean) {
    for (; i < fields.length && fields[i] !== ''; i++) {
      const m = /^(\d{6}) ([0-9a-f]+) ([123])\t([\s\S]*)$/.exec(fields[i] as string);
      if (!m) throw new Error(`unexpected merge-tree conflict line: ${JSON.stringify(fields[i])}`);
      const path = m[4] as string;
      const list = stagesByPath.get(path) ?? [];
      list.push({ stage: Number(m[3]) as 1 | 2 | 3, mode: m[1] as string, oid: m[2] as string });
      stagesByPath.set(path, list);
    }
  }
  i += 1; // the empty field that ends the (possibly empty) conflict section
  const messages: Message[] = [];
  while (i < fields.length) {
    const countText = fields[i];
    if (countText === undefined || countText === '') break;
    const n = Number(countText);
    const paths = fields.slice(i + 1, i + 1 + n);
    const type = fields[i + 1 + n] ?? '';
    const text = (fields[i + 2 + n] ?? '').trim();
    messages.push({ paths, type, text });
    i += n + 3;
  }
  const conflicts: ConflictedPath[] = [...stagesByPath.entries()].map(([path, stages]) => {
    const related = messages.filter((m) => m.type.startsWith('CONFLICT') && m.paths.includes(path));
    const primary = related.find((m) => m.paths[0] === path) ?? related[0];
    return {
      path,
      kind: primary ? kindOf(primary) : 'other',
      message: related.map((m) => m.text).join('\n') || 'conflict',
      stages: stages.sort((a, b) => a.stage - b.stage),
      relatedPaths: [...new Set(related.flatMap((m) => m.paths))].filter((p) => p !== path),
    };
  });
  // Exit 1 without stage entries still means "not clean": keep git's own account of why.
  if (!clean && conflicts.length === 0) {
    for (const m of messages.filter((x) => x.type.startsWith('CONFLICT'))) {
      const path = m.paths[0] ?? '';
      if (path && !conflicts.some((c) => c.path === path)) {
        conflicts.push({ path, kind: kindOf(m), message: m.text, stages: [], relatedPaths: m.paths.slice(1) });
      }
    }
  }
  conflicts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { clean: conflicts.length === 0 && clean, tree, conflicts };
}
