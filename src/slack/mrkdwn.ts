// Everything we show in Slack that came from outside (PR titles, tag names, file paths, error
// messages, command arguments) goes through these helpers. Slack's mrkdwn gives `<…>` meaning
// (links, @mentions, @channel) and decodes `&…;`, so an unescaped title can ping a whole channel
// or hide a phishing link behind friendly text; CARTO's cards broke on exactly this kind of input.

// eslint-disable-next-line no-control-regex -- control characters are exactly what we strip
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;
// Bare @here/@channel/@everyone are not mentions in API-posted blocks today, but a word joiner
// keeps them inert even if a message is ever sent with link_names or parse=full.
const BROADCAST_WORDS = /@(here|channel|everyone)\b/gi;

/** Escapes text for a mrkdwn field: &, <, > become entities; control characters go away. */
export function escapeMrkdwn(text: string): string {
  return text
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST_WORDS, '@\u2060$1');
}

/** Escaped and on one line: for titles and names that must not fake extra lines on a card. */
export function inline(text: string): string {
  return escapeMrkdwn(text.replace(/\s+/g, ' ').trim());
}

/**
 * Inline code. Backticks inside would end the span early, so they become a look-alike; file
 * paths with underscores stay literal instead of turning into italics.
 */
export function code(text: string): string {
  const body = inline(text).replace(/`/g, '\u02cb');
  return body === '' ? '` `' : `\`${body}\``;
}

/** A code block of at most `max` characters; the text keeps its lines; fences inside are broken up. */
export function codeBlock(text: string, max = 3000): string {
  let body = escapeMrkdwn(text).replace(/```/g, '`\u200b``');
  if (body.endsWith('\n')) body = body.slice(0, -1);
  return `\`\`\`${clip(body, Math.max(1, max - 6)).replace(/`+$/, '')}\`\`\``;
}

/** Only http(s) URLs are ever linked; `<`, `>` and `|` would end the link syntax early. */
export function safeUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  return parsed.href.replace(/[<>| ]/g, (c) => encodeURIComponent(c));
}

/** `<url|label>` with the label escaped; just the label when the URL is not usable. */
export function link(url: string | null | undefined, label: string): string {
  const href = safeUrl(url);
  const text = inline(label).replace(/\|/g, '\u2223');
  return href ? `<${href}|${text}>` : text;
}

export function mentionUser(userId: string): string {
  return /^[UW][A-Z0-9]+$/.test(userId) ? `<@${userId}>` : code(userId);
}

export function mentionChannel(channelId: string): string {
  return /^[CG][A-Z0-9]+$/.test(channelId) ? `<#${channelId}>` : code(channelId);
}

/** User ids (U…/W…) and user groups (S…) from an access list, as Slack renders them. */
export function mentionPrincipal(id: string): string {
  if (/^S[A-Z0-9]+$/.test(id)) return `<!subteam^${id}>`;
  return mentionUser(id);
}

/**
 * Shortens already-formatted mrkdwn to at most `max` characters without cutting through an
 * entity (`&amp;`), a `<link|label>` or an inline code span, so the result still renders.
 */
export function clip(mrkdwn: string, max: number, ellipsis = '…'): string {
  if (mrkdwn.length <= max) return mrkdwn;
  let cut = Math.max(0, max - ellipsis.length);
  const openLink = mrkdwn.lastIndexOf('<', cut);
  if (openLink !== -1 && mrkdwn.indexOf('>', openLink) >= cut) cut = openLink;
  const amp = mrkdwn.lastIndexOf('&', cut);
  if (amp !== -1 && amp > cut - 6 && !mrkdwn.slice(amp, cut).includes(';')) {
    const semi = mrkdwn.indexOf(';', amp);
    if (semi === -1 || semi >= cut) cut = amp;
  }
  let head = mrkdwn.slice(0, cut);
  // An odd number of single backticks leaves a code span open: close it inside the budget.
  const ticks = (head.replace(/```/g, '').match(/`/g) ?? []).length;
  if (ticks % 2 === 1) head = head.slice(0, Math.max(0, cut - 1)) + '`';
  return head + ellipsis;
}

/** Plain text (plain_text objects, fallback text) shortened to `max` characters. */
export function clipPlain(text: string, max: number): string {
  const clean = text.replace(CONTROL, '');
  return clean.length <= max ? clean : `${clean.slice(0, Math.max(0, max - 1))}…`;
}
