import { lineBody } from './lines.js';

// A file's outline: the lines that name its structure (definitions, classes, headings, top-level
// keys), with line numbers, so the model knows where a hunk sits without reading the file.

const OUTLINE_LINE = [
  /^\s*(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:def|class|function|interface|type|enum|struct|impl|fn|func|module|namespace)\s+[A-Za-z_$][\w$]*/,
  /^(?:export\s+)?(?:const|let|var)\s+[A-Za-z_$][\w$]*\s*=\s*(?:async\s*)?(?:\(|function|class)/,
  /^#{1,4}\s+\S/,
  /^[A-Za-z_][\w.-]*:\s*(?:#.*)?$/,
  /^\[[\w.\-"']+\]\s*$/,
  /^\s*(?:model|enum|generator|datasource)\s+\w+\s*\{/,
];

export interface OutlineOptions {
  maxLines?: number;
  maxWidth?: number;
}

export function outline(text: string, options: OutlineOptions = {}): string[] {
  const maxLines = options.maxLines ?? 60;
  const maxWidth = options.maxWidth ?? 100;
  const out: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lineBody(lines[i] as string);
    if (!OUTLINE_LINE.some((re) => re.test(line))) continue;
    const trimmed = line.trimEnd();
    out.push(`${i + 1}: ${trimmed.length > maxWidth ? `${trimmed.slice(0, maxWidth)}…` : trimmed}`);
  }
  if (out.length <= maxLines) return out;
  // Keep the outer structure when there is too much: the least indented entries first.
  const depth = (l: string) => /^\d+: (\s*)/.exec(l)?.[1]?.length ?? 0;
  const keep = new Set([...out].sort((a, b) => depth(a) - depth(b)).slice(0, maxLines));
  return out.filter((l) => keep.has(l));
}
