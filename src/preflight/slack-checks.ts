import type { Config } from '../config/schema.js';
import { ACTIONS } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import { SLACK_TOKEN_FIX } from '../slack/app/slack-start-error.js';
import { fail, ok, skip, type CheckResult } from './check.js';

// Checks of Slack: both tokens, the bot's membership of every pipeline channel, and the user
// groups named in access lists. A refused token is fatal; a channel the bot is not in is not
// (the bot runs, /readyz and the logs say what to do, cards wait in the outbox).

/** A Web API call that answers Slack's JSON (ok or not) and throws only when Slack cannot be reached. */
export interface SlackProbe {
  call(token: 'bot' | 'app', method: string, params?: Record<string, string>): Promise<Record<string, unknown>>;
}

const unreachable = (err: unknown): Record<string, unknown> => ({
  ok: false,
  error: `unreachable: ${errorMessage(err)}`,
});

const REFUSED = new Set(['invalid_auth', 'not_authed', 'token_revoked', 'token_expired', 'account_inactive']);

export async function checkSlack(
  config: Config,
  probe: SlackProbe | null,
  present: { bot: boolean; app: boolean },
): Promise<CheckResult[]> {
  if (!probe || !present.bot)
    return [
      fail(
        'slack.bot-token',
        'Slack bot token',
        'SLACK_BOT_TOKEN is not set',
        'set the Bot User OAuth Token (xoxb-…); see manifest.yml',
        true,
      ),
    ];
  const out: CheckResult[] = [];
  let auth: Record<string, unknown>;
  try {
    auth = await probe.call('bot', 'auth.test');
  } catch (err) {
    return [
      fail(
        'slack.bot-token',
        'Slack bot token',
        `Slack is unreachable (${errorMessage(err)})`,
        'check SLACK_API_URL, DNS and the proxy',
      ),
    ];
  }
  if (auth.ok !== true) {
    const error = String(auth.error);
    return [
      fail(
        'slack.bot-token',
        'Slack bot token',
        `SLACK_BOT_TOKEN was refused by Slack (${error})`,
        SLACK_TOKEN_FIX.SLACK_BOT_TOKEN,
        REFUSED.has(error) || error === 'not_allowed_token_type',
      ),
    ];
  }
  const botName = String(auth.user ?? 'upstream-sync');
  const botUser = String(auth.user_id ?? '');
  out.push(ok('slack.bot-token', 'Slack bot token', `valid: @${botName} in ${String(auth.team ?? 'the workspace')}`));

  if (!present.app)
    out.push(
      fail('slack.app-token', 'Slack app token', 'SLACK_APP_TOKEN is not set', SLACK_TOKEN_FIX.SLACK_APP_TOKEN, true),
    );
  else {
    const open = await probe.call('app', 'apps.connections.open').catch(unreachable);
    out.push(
      open.ok === true
        ? ok('slack.app-token', 'Slack app token', 'valid: Socket Mode connections can be opened')
        : fail(
            'slack.app-token',
            'Slack app token',
            `SLACK_APP_TOKEN was refused by Slack (${String(open.error)})`,
            SLACK_TOKEN_FIX.SLACK_APP_TOKEN,
            REFUSED.has(String(open.error)) || open.error === 'not_allowed_token_type',
          ),
    );
  }

  for (const p of config.pipelines) {
    if (!p.slack) continue;
    const member = await checkChannel(probe, p.id, p.slack.channel, botName, botUser);
    out.push(member);
    if (member.status === 'ok') out.push(await checkHistory(probe, p.id, p.slack.channel));
  }
  out.push(...(await checkUsergroups(config, probe)));
  return out;
}

async function checkChannel(
  probe: SlackProbe,
  pipeline: string,
  channel: string,
  botName: string,
  botUser: string,
): Promise<CheckResult> {
  const id = `slack.channel.${pipeline}`;
  const title = `${pipeline}: Slack channel`;
  const info = await probe.call('bot', 'conversations.info', { channel }).catch(unreachable);
  if (info.ok !== true) {
    const error = String(info.error);
    if (error === 'missing_scope')
      return skip(
        id,
        title,
        `cannot check that the bot is in ${channel} without the channels:read/groups:read scopes (see manifest.yml)`,
      );
    return fail(
      id,
      title,
      `${channel} cannot be read (${error})`,
      `check slack.channel of ${pipeline}; for a private channel, invite the bot first: /invite @${botName}`,
    );
  }
  const ch = info.channel as { name?: string; is_member?: boolean; is_archived?: boolean };
  const name = ch.name ? `#${ch.name}` : channel;
  if (ch.is_archived)
    return fail(id, title, `${name} is archived`, `unarchive it or set another slack.channel for ${pipeline}`);
  if (ch.is_member === false)
    return fail(id, title, `the bot is not a member of ${name}`, `invite the bot: /invite @${botName} in ${name}`);
  return ok(id, title, `the bot${botUser ? ` (${botUser})` : ''} is in ${name}`);
}

/**
 * conversations.history is how the outbox finds a post it made just before a crash (message
 * metadata); without the scope a crash in that window can post a card or reply twice.
 */
async function checkHistory(probe: SlackProbe, pipeline: string, channel: string): Promise<CheckResult> {
  const id = `slack.history.${pipeline}`;
  const title = `${pipeline}: Slack history`;
  const read = await probe.call('bot', 'conversations.history', { channel, limit: '1' }).catch(unreachable);
  if (read.ok === true) return ok(id, title, `the bot can read ${channel} back (no double post after a crash)`);
  const error = String(read.error);
  return fail(
    id,
    title,
    `${channel} cannot be read back (${error}): after a crash a card or thread reply may be posted twice`,
    error === 'missing_scope'
      ? 'add the channels:history and groups:history scopes (manifest.yml) and reinstall the app'
      : `check slack.channel of ${pipeline}`,
  );
}

async function checkUsergroups(config: Config, probe: SlackProbe): Promise<CheckResult[]> {
  const lists = [config.access, ...config.pipelines.map((p) => p.access ?? {})];
  const groups = new Set<string>();
  for (const list of lists)
    for (const action of ACTIONS)
      for (const who of list[action] ?? []) if (/^S[A-Z0-9]{2,}$/.test(who)) groups.add(who);
  if (groups.size === 0) return [skip('slack.usergroups', 'Slack user groups', 'no access list names a user group')];
  const out: CheckResult[] = [];
  for (const group of [...groups].sort()) {
    const r = await probe.call('bot', 'usergroups.users.list', { usergroup: group }).catch(unreachable);
    const id = `slack.usergroup.${group}`;
    if (r.ok === true)
      out.push(ok(id, `Slack user group ${group}`, `readable (${(r.users as unknown[]).length} members)`));
    else
      out.push(
        fail(
          id,
          `Slack user group ${group}`,
          `cannot be read (${String(r.error)})`,
          r.error === 'missing_scope'
            ? 'add the usergroups:read scope (manifest.yml) and reinstall the app'
            : 'check the group id in access',
        ),
      );
  }
  return out;
}
