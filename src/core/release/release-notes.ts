import type { ChangeEntry, ReleaseChanges } from './release-changes.js';
import type { ChangeKind } from './conventional-commit.js';

// Plain release notes: deterministic Markdown from the collected changes. They are what ships
// when the optional LLM polish is off or fails, so they must read well on their own.

export interface UpstreamMove {
  /** e.g. https://github.com/BerriAI/litellm (from the API, never built from a host name). */
  repoUrl: string;
  version: string;
  /** The upstream release tag for `version`, when known. */
  tag: string | null;
  previousVersion: string | null;
  previousTag: string | null;
}

export interface NotesContext {
  tag: string;
  previousTag: string | null;
  /** Fork repository web URL, for compare and commit links. */
  forkUrl: string;
  upstream: string;
  /** Set when this release moves to a new upstream version. */
  upstreamMove: UpstreamMove | null;
}

// GitHub refuses release bodies over 125,000 characters; a fork's first release can hold
// thousands of commits. Past this many entries a section ends with a count instead.
export const MAX_SECTION_ENTRIES = 100;

const SECTIONS: { kind: ChangeKind; title: string }[] = [
  { kind: 'breaking', title: '⚠️ Breaking changes' },
  { kind: 'feature', title: '✨ Features' },
  { kind: 'fix', title: '🐛 Fixes' },
];

function entryLine(entry: ChangeEntry, forkUrl: string): string {
  const scope = entry.scope ? `**${entry.scope}:** ` : '';
  const ref = entry.pull
    ? ` ([#${entry.pull.number}](${entry.pull.url}))`
    : entry.sha
      ? ` ([${entry.sha.slice(0, 7)}](${forkUrl}/commit/${entry.sha}))`
      : '';
  return `- ${scope}${escapeInline(entry.text)}${ref}`;
}

/** Keeps untrusted titles from opening HTML, links or mentions in the notes. */
export function escapeInline(text: string): string {
  return text.replace(/[\\`*_<>[\]]/g, '\\$&').replace(/@(?=\w)/g, '@\u200b');
}

function upstreamLines(ctx: NotesContext, changes: ReleaseChanges): string[] {
  const move = ctx.upstreamMove;
  const lines: string[] = [];
  if (move) {
    const name = move.tag ?? move.version;
    const release = move.tag ? `[${name}](${move.repoUrl}/releases/tag/${encodeURIComponent(move.tag)})` : name;
    const from = move.previousTag ?? move.previousVersion;
    const compare =
      move.tag && move.previousTag
        ? ` ([compare](${move.repoUrl}/compare/${encodeURIComponent(move.previousTag)}...${encodeURIComponent(move.tag)}))`
        : '';
    lines.push(`- Upstream ${release}${from ? `, from ${from}` : ''}${compare}`);
  }
  for (const pull of changes.syncPulls) lines.push(`- ${escapeInline(pull.title)} ([#${pull.number}](${pull.url}))`);
  return lines;
}

export function renderReleaseNotes(changes: ReleaseChanges, ctx: NotesContext): string {
  const out: string[] = [`## ${ctx.tag}`, ''];
  const since = ctx.previousTag
    ? `Changes since [${ctx.previousTag}](${ctx.forkUrl}/compare/${encodeURIComponent(ctx.previousTag)}...${encodeURIComponent(ctx.tag)}).`
    : 'First release.';
  out.push(`Upstream base: **${ctx.upstream}**. ${since}`, '');
  const section = (title: string, lines: string[]) => {
    if (lines.length === 0) return;
    const shown = lines.slice(0, MAX_SECTION_ENTRIES);
    if (lines.length > shown.length) shown.push(`- …and ${lines.length - shown.length} more`);
    out.push(`### ${title}`, '', ...shown, '');
  };
  for (const { kind, title } of SECTIONS) {
    section(
      title,
      changes.entries.filter((e) => e.kind === kind).map((e) => entryLine(e, ctx.forkUrl)),
    );
  }
  section('🔄 Upstream sync', upstreamLines(ctx, changes));
  section(
    '📦 Other',
    changes.entries.filter((e) => e.kind === 'other').map((e) => entryLine(e, ctx.forkUrl)),
  );
  if (changes.entries.length === 0 && !ctx.upstreamMove && changes.syncPulls.length === 0)
    out.push('No user-facing changes.', '');
  return `${out.join('\n').trimEnd()}\n`;
}
