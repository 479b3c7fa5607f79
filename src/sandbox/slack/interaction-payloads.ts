import { messageJson, viewJson } from './slack-shapes.js';
import type { EphemeralMessage, SlackState, StoredMessage, StoredView } from './slack-state.js';

// Payloads Slack pushes over Socket Mode, shaped like the real ones (slash_commands is all strings,
// interactive payloads carry user/team/container/channel/message or view).

export interface SlashCommandInput {
  command: string;
  text?: string;
  user_id: string;
  channel_id: string;
  user_name?: string;
  channel_name?: string;
}

export type ViewStateValues = Record<string, Record<string, Record<string, unknown>>>;

/** Where an interaction happened: a posted message, an ephemeral message, or a view. */
export type ActionSource =
  | { kind: 'message'; message: StoredMessage }
  | { kind: 'ephemeral'; message: EphemeralMessage }
  | { kind: 'view'; view: StoredView };

export interface ResponseTarget {
  channel: string;
  user: string;
  threadTs?: string;
  messageTs?: string;
  ephemeral?: boolean;
}

function userRef(state: SlackState, id: string): Record<string, string> {
  const name = state.users.get(id)?.name ?? id.toLowerCase();
  return { id, username: name, name, team_id: state.identity.teamId };
}

function team(state: SlackState): Record<string, string> {
  return { id: state.identity.teamId, domain: state.identity.teamDomain };
}

const VERIFICATION_TOKEN = 'sandbox-verification-token';

export function slashCommandPayload(
  state: SlackState,
  input: SlashCommandInput,
  responseUrl: string,
  triggerId: string,
): Record<string, string> {
  const channel = state.findChannel(input.channel_id);
  return {
    token: VERIFICATION_TOKEN,
    team_id: state.identity.teamId,
    team_domain: state.identity.teamDomain,
    channel_id: input.channel_id,
    channel_name: input.channel_name ?? channel?.name ?? 'unknown',
    user_id: input.user_id,
    user_name: input.user_name ?? state.users.get(input.user_id)?.name ?? input.user_id.toLowerCase(),
    command: input.command,
    text: input.text ?? '',
    api_app_id: state.identity.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  };
}

/** State values as they appear in a view: the view's initial values overlaid with `values`. */
function viewWithState(state: SlackState, view: StoredView, values: ViewStateValues): Record<string, unknown> {
  return { ...viewJson(state, view), state: { values } };
}

export function blockActionsPayload(
  state: SlackState,
  input: {
    user: string;
    source: ActionSource;
    action: Record<string, unknown>;
    responseUrl: string | undefined;
    triggerId: string;
    values?: ViewStateValues;
  },
): Record<string, unknown> {
  const { source } = input;
  const payload: Record<string, unknown> = {
    type: 'block_actions',
    user: userRef(state, input.user),
    api_app_id: state.identity.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: input.triggerId,
    team: team(state),
    enterprise: null,
    is_enterprise_install: false,
    actions: [{ ...input.action, action_ts: state.nextTs() }],
  };
  if (source.kind === 'view') {
    payload.container = { type: 'view', view_id: source.view.id };
    payload.view = viewWithState(state, source.view, input.values ?? {});
    payload.state = { values: input.values ?? {} };
    return payload;
  }
  const m = source.message;
  const channel = state.findChannel(m.channel);
  payload.container = {
    type: 'message',
    message_ts: m.ts,
    channel_id: m.channel,
    is_ephemeral: source.kind === 'ephemeral',
    ...(m.threadTs && m.threadTs !== m.ts ? { thread_ts: m.threadTs } : {}),
  };
  payload.channel = { id: m.channel, name: channel?.name ?? 'unknown' };
  if (source.kind === 'message') payload.message = messageJson(state, source.message);
  payload.state = { values: input.values ?? {} };
  payload.response_url = input.responseUrl;
  return payload;
}

export function viewSubmissionPayload(
  state: SlackState,
  user: string,
  view: StoredView,
  values: ViewStateValues,
  triggerId: string,
): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: team(state),
    user: userRef(state, user),
    api_app_id: state.identity.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId,
    view: viewWithState(state, view, values),
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosedPayload(
  state: SlackState,
  user: string,
  view: StoredView,
  isCleared: boolean,
): Record<string, unknown> {
  return {
    type: 'view_closed',
    team: team(state),
    user: userRef(state, user),
    api_app_id: state.identity.appId,
    token: VERIFICATION_TOKEN,
    view: viewWithState(state, view, {}),
    is_cleared: isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function eventPayload(state: SlackState, event: Record<string, unknown>): Record<string, unknown> {
  const { identity: id } = state;
  return {
    token: VERIFICATION_TOKEN,
    team_id: id.teamId,
    context_team_id: id.teamId,
    api_app_id: id.appId,
    event: { event_ts: state.nextTs(), ...event },
    type: 'event_callback',
    event_id: state.nextId('Ev'),
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: null, team_id: id.teamId, user_id: id.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
  };
}
