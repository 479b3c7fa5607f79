import type { Channel, SlackState, StoredMessage, StoredView, User } from './slack-state.js';

// Objects as the Slack Web API returns them (only the fields an app reads; Slack sends more).

/**
 * `metadata`: whether the message's metadata is included. chat.* answers carry it; the
 * conversations.* readers only with include_all_metadata, as Slack does.
 */
export function messageJson(
  state: SlackState,
  m: StoredMessage,
  options: { metadata: boolean } = { metadata: true },
): Record<string, unknown> {
  const { identity: id } = state;
  const out: Record<string, unknown> = {
    type: 'message',
    user: id.botUserId,
    bot_id: id.botId,
    app_id: id.appId,
    text: m.text,
    team: id.teamId,
    ts: m.ts,
    bot_profile: { id: id.botId, app_id: id.appId, name: id.botName, deleted: false, team_id: id.teamId },
  };
  if (m.blocks !== undefined) out.blocks = m.blocks;
  if (m.attachments !== undefined) out.attachments = m.attachments;
  if (m.metadata !== undefined && options.metadata) out.metadata = m.metadata;
  if (m.editedTs) out.edited = { user: id.botUserId, ts: m.editedTs };
  if (m.threadTs && m.threadTs !== m.ts) {
    out.thread_ts = m.threadTs;
    out.parent_user_id = id.botUserId;
    if (m.replyBroadcast) out.subtype = 'thread_broadcast';
  }
  const replies = state.repliesOf(m.channel, m.ts);
  if (replies.length > 0 && (!m.threadTs || m.threadTs === m.ts)) {
    out.thread_ts = m.ts;
    out.reply_count = replies.length;
    out.reply_users_count = 1;
    out.reply_users = [id.botUserId];
    out.latest_reply = replies[replies.length - 1]!.ts;
  }
  return out;
}

export function channelJson(state: SlackState, c: Channel): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    is_channel: !c.isPrivate,
    is_group: c.isPrivate,
    is_im: false,
    is_mpim: false,
    is_private: c.isPrivate,
    is_archived: c.isArchived,
    is_general: false,
    is_member: c.isMember,
    is_shared: false,
    is_ext_shared: false,
    is_org_shared: false,
    context_team_id: state.identity.teamId,
    name_normalized: c.name,
    created: 1_700_000_000,
    creator: state.identity.botUserId,
    topic: { value: '', creator: '', last_set: 0 },
    purpose: { value: '', creator: '', last_set: 0 },
  };
}

export function userJson(state: SlackState, u: User): Record<string, unknown> {
  return {
    id: u.id,
    team_id: state.identity.teamId,
    name: u.name,
    real_name: u.realName,
    deleted: u.deleted,
    is_bot: u.isBot,
    is_app_user: false,
    is_admin: false,
    is_owner: false,
    tz: 'Europe/Madrid',
    tz_offset: 3600,
    profile: {
      real_name: u.realName,
      display_name: u.name,
      real_name_normalized: u.realName,
      display_name_normalized: u.name,
      team: state.identity.teamId,
    },
  };
}

export function viewJson(state: SlackState, v: StoredView): Record<string, unknown> {
  const { identity: id } = state;
  const view = v.view;
  return {
    id: v.id,
    team_id: id.teamId,
    type: v.type,
    blocks: view.blocks ?? [],
    private_metadata: view.private_metadata ?? '',
    callback_id: view.callback_id ?? '',
    state: { values: {} },
    hash: v.hash,
    title: view.title ?? null,
    close: view.close ?? null,
    submit: view.submit ?? null,
    clear_on_close: view.clear_on_close ?? false,
    notify_on_close: view.notify_on_close ?? false,
    external_id: view.external_id ?? '',
    previous_view_id: v.previousViewId,
    root_view_id: v.rootViewId ?? v.id,
    app_id: id.appId,
    app_installed_team_id: id.teamId,
    bot_id: id.botId,
  };
}

/** Every piece of text a person would see in a message or view: text, blocks, fields, buttons. */
export function visibleText(value: unknown): string {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'text' && typeof child === 'string') parts.push(child);
        else if (k !== 'value' && k !== 'action_id' && k !== 'block_id' && k !== 'private_metadata') walk(child);
      }
    }
  };
  walk(value);
  return parts.join('\n');
}
