import { MAX_MESSAGE_TEXT, validateBlocks } from './block-kit.js';
import { messageJson } from './slack-shapes.js';
import type { Channel, SlackState, StoredMessage } from './slack-state.js';
import {
  ApiFailure,
  bool,
  jsonParam,
  optionalString,
  requiredString,
  type Method,
  type Params,
} from './web-api-params.js';

// chat.* as Slack answers them, including the errors an app must handle.

export function postableChannel(state: SlackState, id: string | undefined): Channel {
  const channel = id === undefined ? undefined : (state.findChannel(id) ?? state.directChannel(id));
  if (!channel) throw new ApiFailure('channel_not_found');
  if (channel.isArchived) throw new ApiFailure('is_archived');
  if (!channel.isMember) throw new ApiFailure('not_in_channel');
  return channel;
}

interface Content {
  text: string | undefined;
  blocks: unknown[] | undefined;
  attachments: unknown[] | undefined;
}

/** Reads and validates text/blocks/attachments like chat.postMessage does. */
export function readContent(state: SlackState, params: Params): Content {
  const text = optionalString(params, 'text');
  const blocks = jsonParam(params, 'blocks', 'invalid_blocks_format');
  const attachments = jsonParam(params, 'attachments', 'invalid_attachments');
  if (blocks !== undefined) {
    const problems = validateBlocks(blocks, 'message');
    if (problems.length > 0) throw new ApiFailure('invalid_blocks', problems);
  }
  if (attachments !== undefined && !Array.isArray(attachments)) throw new ApiFailure('invalid_attachments');
  if (text !== undefined && text.length > MAX_MESSAGE_TEXT) throw new ApiFailure('msg_too_long');
  return {
    text,
    blocks: state.withIds(blocks as unknown[] | undefined),
    attachments: attachments as unknown[] | undefined,
  };
}

function hasContent(c: Content): boolean {
  return (
    c.text !== undefined ||
    (c.blocks !== undefined && c.blocks.length > 0) ||
    (c.attachments !== undefined && c.attachments.length > 0)
  );
}

const KNOWN_POST_ARGS = new Set([
  'token',
  'channel',
  'text',
  'blocks',
  'attachments',
  'thread_ts',
  'reply_broadcast',
  'metadata',
]);

/** Slack caps a message's metadata (8 KB here) and wants `{event_type, event_payload}`, nothing else. */
const MAX_METADATA_BYTES = 8_000;

function readMetadata(params: Params): unknown {
  const metadata = jsonParam(params, 'metadata', 'invalid_metadata_format');
  if (metadata === undefined) return undefined;
  if (!metadata || typeof metadata !== 'object' || Array.isArray(metadata))
    throw new ApiFailure('invalid_metadata_format');
  const { event_type: type, event_payload: payload, ...rest } = metadata as Record<string, unknown>;
  if (typeof type !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(type) || Object.keys(rest).length > 0)
    throw new ApiFailure('invalid_metadata_schema');
  if (!payload || typeof payload !== 'object' || Array.isArray(payload))
    throw new ApiFailure('invalid_metadata_schema');
  if (JSON.stringify(metadata).length > MAX_METADATA_BYTES) throw new ApiFailure('metadata_too_large');
  return metadata;
}

export function postMessage(state: SlackState, params: Params): StoredMessage {
  const channel = postableChannel(state, optionalString(params, 'channel'));
  const content = readContent(state, params);
  if (!hasContent(content)) throw new ApiFailure('no_text');
  let threadTs = optionalString(params, 'thread_ts');
  if (threadTs !== undefined) {
    const parent = state.findMessage(channel.id, threadTs);
    // Stricter than Slack (which may accept it): a reply to nothing is a bug in the app.
    if (!parent) throw new ApiFailure('thread_not_found');
    threadTs = parent.threadTs ?? parent.ts;
  }
  const ts = state.nextTs();
  const message: StoredMessage = {
    channel: channel.id,
    ts,
    threadTs,
    replyBroadcast: threadTs !== undefined && bool(params, 'reply_broadcast'),
    text: content.text ?? '',
    blocks: content.blocks,
    attachments: content.attachments,
    metadata: readMetadata(params),
    history: [],
    editedTs: undefined,
    deleted: false,
    extra: Object.fromEntries(Object.entries(params).filter(([k]) => !KNOWN_POST_ARGS.has(k))),
  };
  state.messages.push(message);
  return message;
}

const chatPostMessage: Method = ({ state, params }) => {
  const m = postMessage(state, params);
  return { ok: true, channel: m.channel, ts: m.ts, message: messageJson(state, m) };
};

function ownMessage(state: SlackState, params: Params): StoredMessage {
  const channel = state.findChannel(requiredString(params, 'channel', 'channel_not_found'));
  if (!channel) throw new ApiFailure('channel_not_found');
  const message = state.findMessage(channel.id, requiredString(params, 'ts', 'message_not_found'));
  if (!message) throw new ApiFailure('message_not_found');
  return message;
}

export function updateMessage(state: SlackState, message: StoredMessage, params: Params): void {
  const content = readContent(state, params);
  if (!hasContent(content) && content.blocks === undefined) throw new ApiFailure('no_text');
  message.history.push({
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    at: message.editedTs ?? message.ts,
  });
  // Slack keeps fields that the update leaves out; an empty blocks array removes the blocks.
  if (content.text !== undefined) message.text = content.text;
  if (content.blocks !== undefined) message.blocks = content.blocks.length > 0 ? content.blocks : undefined;
  if (content.attachments !== undefined) message.attachments = content.attachments;
  message.editedTs = state.nextTs();
}

const chatUpdate: Method = ({ state, params }) => {
  const message = ownMessage(state, params);
  updateMessage(state, message, params);
  return {
    ok: true,
    channel: message.channel,
    ts: message.ts,
    text: message.text,
    message: messageJson(state, message),
  };
};

const chatDelete: Method = ({ state, params }) => {
  const message = ownMessage(state, params);
  message.deleted = true;
  return { ok: true, channel: message.channel, ts: message.ts };
};

const chatPostEphemeral: Method = ({ state, params }) => {
  const channel = postableChannel(state, optionalString(params, 'channel'));
  const user = requiredString(params, 'user', 'user_not_found');
  if (channel.members.length > 0 && !channel.members.includes(user)) throw new ApiFailure('user_not_in_channel');
  const content = readContent(state, params);
  if (!hasContent(content)) throw new ApiFailure('no_text');
  const ts = state.nextTs();
  state.ephemerals.push({
    channel: channel.id,
    user,
    ts,
    threadTs: optionalString(params, 'thread_ts'),
    text: content.text ?? '',
    blocks: content.blocks,
    via: 'chat.postEphemeral',
  });
  return { ok: true, message_ts: ts };
};

const chatGetPermalink: Method = ({ state, params }) => {
  const channel = state.findChannel(requiredString(params, 'channel', 'channel_not_found'));
  if (!channel) throw new ApiFailure('channel_not_found');
  const message = state.findMessage(channel.id, requiredString(params, 'message_ts', 'message_not_found'));
  if (!message) throw new ApiFailure('message_not_found');
  const base = `https://${state.identity.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
  const permalink =
    message.threadTs && message.threadTs !== message.ts
      ? `${base}?thread_ts=${message.threadTs}&cid=${channel.id}`
      : base;
  return { ok: true, channel: channel.id, permalink };
};

export const chatMethods: Record<string, Method> = {
  'chat.postMessage': chatPostMessage,
  'chat.update': chatUpdate,
  'chat.delete': chatDelete,
  'chat.postEphemeral': chatPostEphemeral,
  'chat.getPermalink': chatGetPermalink,
};
