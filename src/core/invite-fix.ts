// What to do when Slack refuses a post with not_in_channel: the same words in the logs, /readyz,
// `status` (CLI and Slack), App Home and doctor, so whoever reads one can act on it.

/** `invite the bot: /invite @upstream-sync in <#C…>` (Slack shows `<#C…>` as the channel's name). */
export function inviteFix(channel: string): string {
  return `invite the bot: /invite @upstream-sync in <#${channel}>`;
}
