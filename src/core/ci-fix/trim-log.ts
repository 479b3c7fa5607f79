// A failed job's log cut to what a reader (person or LLM) needs: the error lines with a few lines
// of context around each, then the tail, under a byte bound. CI logs run to megabytes; the cause
// is usually in a handful of lines near "error", "FAILED" or a stack trace.

const ERROR_LINE =
  /\b(error|errors|failed|failure|fatal|exception|traceback|assert(ion)?error|panic)\b|^\s*E\s{2,}|^FAIL\b|✗|##\[error\]/i;
/** GitHub Actions prefixes every line with an ISO timestamp; it costs bytes and says nothing. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z /;

export interface TrimmedLog {
  text: string;
  /** Lines of the original log. */
  totalLines: number;
  /** Lines kept. */
  keptLines: number;
  truncated: boolean;
}

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Error lines with `context` lines either side, then the last lines, all under `maxBytes` (UTF-8). */
export function trimLog(log: string, maxBytes: number, context = 3, tailLines = 20): TrimmedLog {
  const lines = log
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(TIMESTAMP, ''));
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  const keep = new Set<number>();
  lines.forEach((line, i) => {
    if (!ERROR_LINE.test(line)) return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep.add(j);
  });
  const tail = new Set<number>();
  for (let i = Math.max(0, lines.length - tailLines); i < lines.length; i++) tail.add(i);

  // The tail is where a runner prints its summary: it is reserved first, errors fill the rest.
  const budget = Math.max(0, maxBytes - 64);
  const tailText = [...tail].map((i) => lines[i]!);
  let tailBudget = Math.min(Math.floor(budget / 3), bytes(tailText.join('\n')));
  const kept: number[] = [];
  let used = 0;
  for (const i of [...keep].sort((a, b) => a - b)) {
    if (tail.has(i)) continue;
    const cost = bytes(lines[i]!) + 1;
    if (used + cost > budget - tailBudget) break;
    kept.push(i);
    used += cost;
  }
  tailBudget = budget - used;
  const tailKept: number[] = [];
  for (const i of [...tail].reverse()) {
    const cost = bytes(lines[i]!) + 1;
    if (cost > tailBudget) break;
    tailKept.unshift(i);
    tailBudget -= cost;
  }
  const all = [...kept, ...tailKept];
  const out: string[] = [];
  let previous = -1;
  for (const i of all) {
    if (i !== previous + 1) out.push(`… (${i - previous - 1} lines)`);
    out.push(lines[i]!);
    previous = i;
  }
  if (previous < lines.length - 1) out.push(`… (${lines.length - 1 - previous} lines)`);
  let text = out.join('\n');
  // The marker lines are small but not free: cut from the front if they tipped it over.
  while (bytes(text) > maxBytes && text.includes('\n')) text = text.slice(text.indexOf('\n') + 1);
  if (bytes(text) > maxBytes)
    text = Buffer.from(text, 'utf8')
      .subarray(0, maxBytes)
      .toString('utf8')
      .replace(/\uFFFD$/, '');
  return { text, totalLines: lines.length, keptLines: all.length, truncated: all.length < lines.length };
}

/** Repository paths a log names (e.g. `src/app.py:12: error`), for telling whose failure it is. */
export function pathsInLog(log: string, known: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of known) if (log.includes(path)) found.add(path);
  return [...found].sort();
}

/** File-like tokens in error lines (`a/b.py:3`, `./x/y.ts(4,5)`), normalised to repository paths. */
export function fileMentions(log: string): string[] {
  const found = new Set<string>();
  for (const line of log.split('\n')) {
    if (!ERROR_LINE.test(line)) continue;
    for (const m of line.matchAll(/(?:^|[\s"'(])\.?\/?((?:[\w.-]+\/)*[\w.-]+\.[A-Za-z]{1,6})(?=[:(", ]|$)/g)) {
      const path = m[1]!;
      if (!/^\d+(\.\d+)+$/.test(path)) found.add(path);
    }
  }
  return [...found].sort();
}
