import { escapeMrkdwn, safeUrl } from './mrkdwn.js';

// Release notes are GitHub Markdown; Slack shows mrkdwn, where `## Fixes`, `**bold**` and
// `[x](url)` stay raw. This turns the common subset into its Slack form (headings → bold lines,
// bullets → •, links → <url|text>) and escapes everything else, so notes read as they do on GitHub.

const BOLD = '\u0001';

function inlineMarkdown(text: string): string {
  // Code spans are kept as they are: nothing inside them is formatting.
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? escapeMrkdwn(part) : spans(escapeMrkdwn(part))))
    .join('');
}

function spans(s: string): string {
  return (
    s
      // Images and links: only http(s) targets become links; the text stays either way.
      .replace(/!?\[([^\]]*)\]\(((?:[^()\s]|\([^()\s]*\))+)(?:\s+"[^"]*")?\)/g, (_m, label: string, url: string) => {
        const href = safeUrl(url.replace(/&amp;/g, '&'));
        const text = label.replace(/\|/g, '\u2223') || url;
        return href ? `<${href.replace(/&/g, '&amp;')}|${text}>` : text;
      })
      // <https://…> autolinks were escaped to &lt;…&gt; above.
      .replace(/&lt;(https?:\/\/\S+?)&gt;/g, (m, url: string) => {
        const href = safeUrl(url.replace(/&amp;/g, '&'));
        return href ? `<${href.replace(/&/g, '&amp;')}>` : m;
      })
      .replace(/\*\*(\S(?:.*?\S)?)\*\*/g, `${BOLD}$1${BOLD}`)
      .replace(/__(\S(?:.*?\S)?)__/g, `${BOLD}$1${BOLD}`)
      .replace(/(^|[^\w*])\*(\S(?:[^*]*?\S)?)\*(?!\w)/g, '$1_$2_')
      .replace(/~~(\S(?:.*?\S)?)~~/g, '~$1~')
      .replaceAll(BOLD, '*')
  );
}

/** One line of Markdown (a bullet's text, a title) as mrkdwn on one line. */
export function markdownLine(text: string): string {
  return inlineMarkdown(text.replace(/\s+/g, ' ').trim());
}

/** GitHub Markdown → Slack mrkdwn, escaped; line structure kept so callers can split on lines. */
export function markdownToMrkdwn(markdown: string): string {
  const out: string[] = [];
  let fenced = false;
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      out.push('```');
      continue;
    }
    if (fenced) {
      out.push(escapeMrkdwn(raw));
      continue;
    }
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(raw);
    if (heading) {
      const text = inlineMarkdown(heading[1] ?? '').replace(/\*/g, '');
      out.push(text ? `*${text}*` : '');
      continue;
    }
    if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(raw)) {
      out.push('───');
      continue;
    }
    const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(raw);
    if (bullet) {
      const depth = Math.floor((bullet[1] ?? '').replace(/\t/g, '  ').length / 2);
      out.push(`${'    '.repeat(depth)}${depth ? '◦' : '•'} ${inlineMarkdown(bullet[2] ?? '')}`);
      continue;
    }
    const quote = /^\s*>\s?(.*)$/.exec(raw);
    if (quote) {
      out.push(`>${inlineMarkdown(quote[1] ?? '')}`);
      continue;
    }
    out.push(inlineMarkdown(raw));
  }
  return out.join('\n');
}
