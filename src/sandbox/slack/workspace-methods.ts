import { channelJson, messageJson, userJson } from './slack-shapes.js';
import type { Channel, StoredMessage } from './slack-state.js';
import {
  ApiFailure,
  bool,
  intParam,
  optionalString,
  requiredString,
  type Method,
  type MethodContext,
} from './web-api-params.js';

// auth, apps.connections, conversations.*, users.info and usergroups.users.list.

function channelOf({ state, params }: MethodContext): Channel {
  const channel = state.findChannel(requiredString(params, 'channel', 'channel_not_found'));
  if (!channel) throw new ApiFailure('channel_not_found');
  return channel;
}

function readable(ctx: MethodContext): Channel {
  const channel = channelOf(ctx);
  if (!channel.isMember) throw new ApiFailure('not_in_channel');
  return channel;
}

const page = (all: StoredMessage[], ctx: MethodContext): { items: StoredMessage[]; next: string } => {
  const limit = Math.max(1, Math.min(intParam(ctx.params, 'limit', 100), 1000));
  const cursor = optionalString(ctx.params, 'cursor');
  const start = cursor
    ? Number(
        Buffer.from(cursor, 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      ) || 0
    : 0;
  const items = all.slice(start, start + limit);
  const next = start + limit < all.length ? Buffer.from(`offset:${start + limit}`).toString('base64') : '';
  return { items, next };
};

/** oldest/latest/inclusive as conversations.history and conversations.replies read them. */
function timeRange(ctx: MethodContext): (ts: string) => boolean {
  const oldest = Number(optionalString(ctx.params, 'oldest') ?? '0');
  const latest = Number(optionalString(ctx.params, 'latest') ?? 'Infinity');
  const inclusive = bool(ctx.params, 'inclusive');
  return (raw) => {
    const ts = Number(raw);
    return inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest;
  };
}

/** Slack leaves message metadata out of conversations.* unless include_all_metadata is set. */
const withMetadata = (ctx: MethodContext): { metadata: boolean } => ({
  metadata: bool(ctx.params, 'include_all_metadata'),
});

const conversationsHistory: Method = (ctx) => {
  const channel = readable(ctx);
  const inRange = timeRange(ctx);
  const all = ctx.state.messages
    .filter((m) => m.channel === channel.id && !m.deleted && (!m.threadTs || m.threadTs === m.ts || m.replyBroadcast))
    .filter((m) => inRange(m.ts))
    .reverse();
  const { items, next } = page(all, ctx);
  return {
    ok: true,
    messages: items.map((m) => messageJson(ctx.state, m, withMetadata(ctx))),
    has_more: next !== '',
    pin_count: 0,
    response_metadata: { next_cursor: next },
  };
};

const conversationsReplies: Method = (ctx) => {
  const channel = readable(ctx);
  const ts = requiredString(ctx.params, 'ts', 'thread_not_found');
  const message = ctx.state.findMessage(channel.id, ts);
  if (!message) throw new ApiFailure('thread_not_found');
  const root =
    message.threadTs && message.threadTs !== message.ts ? ctx.state.findMessage(channel.id, message.threadTs) : message;
  // The parent comes first whatever the range; the range picks among the replies, oldest first.
  const inRange = timeRange(ctx);
  const all = root ? [root, ...ctx.state.repliesOf(channel.id, root.ts).filter((m) => inRange(m.ts))] : [message];
  const { items, next } = page(all, ctx);
  return {
    ok: true,
    messages: items.map((m) => messageJson(ctx.state, m, withMetadata(ctx))),
    has_more: next !== '',
    response_metadata: { next_cursor: next },
  };
};

const conversationsInfo: Method = (ctx) => ({ ok: true, channel: channelJson(ctx.state, channelOf(ctx)) });

const conversationsMembers: Method = (ctx) => ({
  ok: true,
  members: [...channelOf(ctx).members],
  response_metadata: { next_cursor: '' },
});

const conversationsJoin: Method = (ctx) => {
  const channel = channelOf(ctx);
  if (channel.isPrivate) throw new ApiFailure('method_not_supported_for_channel_type');
  if (channel.isArchived) throw new ApiFailure('is_archived');
  const already = channel.isMember;
  channel.isMember = true;
  const bot = ctx.state.identity.botUserId;
  if (!channel.members.includes(bot)) channel.members.push(bot);
  const result = { ok: true, channel: channelJson(ctx.state, channel) };
  return already
    ? { ...result, warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } }
    : result;
};

const usersInfo: Method = ({ state, params }) => {
  const user = state.users.get(requiredString(params, 'user', 'user_not_found'));
  if (!user) throw new ApiFailure('user_not_found');
  return { ok: true, user: userJson(state, user) };
};

const usergroupsUsersList: Method = ({ state, params }) => {
  const users = state.usergroups.get(requiredString(params, 'usergroup', 'no_such_subteam'));
  if (!users) throw new ApiFailure('no_such_subteam');
  return { ok: true, users: [...users] };
};

const authTest: Method = ({ state }) => {
  const id = state.identity;
  return {
    ok: true,
    url: `https://${id.teamDomain}.slack.com/`,
    team: id.teamDomain,
    user: id.botName,
    team_id: id.teamId,
    user_id: id.botUserId,
    bot_id: id.botId,
    is_enterprise_install: false,
  };
};

const appsConnectionsOpen: Method = (ctx) => ({ ok: true, url: ctx.openConnection() });

export const workspaceMethods: Record<string, Method> = {
  'auth.test': authTest,
  'apps.connections.open': appsConnectionsOpen,
  'conversations.info': conversationsInfo,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'conversations.members': conversationsMembers,
  'conversations.join': conversationsJoin,
  'users.info': usersInfo,
  'usergroups.users.list': usergroupsUsersList,
};

/** Methods that take the app-level (xapp) token; every other method takes the bot token. */
export const APP_TOKEN_METHODS = new Set(['apps.connections.open']);
