// The upstream release's own notes, carried into the sync PR body and the card's thread: trimmed
// (a link goes to the full text), with upstream's "breaking" and "migration" sections called out,
// because those are what a fork maintainer must read before approving.

export interface UpstreamNotes {
  /** The notes, trimmed on a line boundary; '' when the release has none. */
  text: string;
  trimmed: boolean;
  /** Headings (or bold lead-ins) of sections about breaking changes or migrations, in order. */
  flagged: Array<{ kind: 'breaking' | 'migration'; title: string; lines: string[] }>;
  url: string;
}

const FLAGS: Array<{ kind: 'breaking' | 'migration'; re: RegExp }> = [
  { kind: 'breaking', re: /\bbreaking\b|\bbackwards?[- ]incompatible\b/i },
  { kind: 'migration', re: /\bmigrat(e|ion|ions|ing)\b|\bupgrade (guide|notes)\b/i },
];

const HEADING = /^\s{0,3}(#{1,6})\s+(.+?)\s*#*\s*$/;
const BOLD_LEAD = /^\s*\*\*(.+?)\*\*:?\s*$/;

function flagOf(title: string): 'breaking' | 'migration' | null {
  return FLAGS.find((f) => f.re.test(title))?.kind ?? null;
}

/** Upstream text must not ping people, hide markers or close our markup: neutralised, not escaped. */
export function neutralise(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/<!--[\s\S]*?(-->|$)/g, '')
    .replace(/(^|[^\w`])@(?=[A-Za-z0-9])/g, '$1@\u200b')
    .replace(/<\/?details>|<\/?summary>/gi, '');
}

export function upstreamNotes(input: { body: string | null; url: string; maxChars?: number }): UpstreamNotes {
  const max = input.maxChars ?? 3000;
  const clean = neutralise(input.body ?? '').trim();
  const flagged: UpstreamNotes['flagged'] = [];
  let current: UpstreamNotes['flagged'][number] | null = null;
  let currentLevel = 0;
  for (const line of clean.split('\n')) {
    const h = HEADING.exec(line);
    const lead = h ? null : BOLD_LEAD.exec(line);
    const title = h?.[2] ?? lead?.[1];
    if (title !== undefined) {
      const level = h ? (h[1] ?? '#').length : 7;
      const kind = flagOf(title);
      if (kind) {
        current = { kind, title: title.replace(/[*_`]/g, '').trim(), lines: [] };
        currentLevel = level;
        flagged.push(current);
        continue;
      }
      if (current && level <= currentLevel) current = null;
      continue;
    }
    if (current && line.trim()) current.lines.push(line.trim());
  }
  let text = clean;
  let trimmed = false;
  if (text.length > max) {
    const cut = text.lastIndexOf('\n', max);
    text = text.slice(0, cut > max / 2 ? cut : max).trimEnd();
    trimmed = true;
  }
  return { text, trimmed, flagged, url: input.url };
}

/** The PR body section (Markdown). */
export function upstreamNotesMarkdown(notes: UpstreamNotes, customised: readonly string[]): string[] {
  const out = ['### 📝 Upstream release notes', ''];
  for (const f of notes.flagged) {
    out.push(
      '> [!WARNING]',
      `> **Upstream flags ${f.kind === 'breaking' ? 'breaking changes' : 'a migration'}: ${f.title}**`,
    );
    for (const l of f.lines.slice(0, 10)) out.push(`> ${l}`);
    if (f.lines.length > 10) out.push(`> …and ${f.lines.length - 10} more lines in the full notes.`);
    out.push('');
  }
  if (customised.length) {
    out.push(`**Files the fork customises that this release touches (${customised.length}):**`, '');
    for (const path of customised.slice(0, 50)) out.push(`- \`${path.replace(/`/g, "'")}\``);
    if (customised.length > 50) out.push(`- …and ${customised.length - 50} more`);
    out.push('');
  }
  if (notes.text) {
    out.push('<details><summary>Notes as published upstream</summary>', '', notes.text, '', '</details>', '');
  } else out.push('_The upstream release has no notes._', '');
  out.push(`${notes.trimmed ? 'Trimmed: the full notes are' : 'Full notes'} at ${notes.url}`, '');
  return out;
}
