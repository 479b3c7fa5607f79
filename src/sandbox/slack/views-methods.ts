import { validateView } from './block-kit.js';
import { viewJson } from './slack-shapes.js';
import type { SlackState, StoredView } from './slack-state.js';
import { ApiFailure, jsonParam, optionalString, requiredString, type Method, type Params } from './web-api-params.js';

// views.* with Slack's trigger rules: a trigger_id opens one view, within 3 s of the interaction;
// a modal stack holds at most 3 views.

const TRIGGER_LIFETIME_MS = 3000;
const MAX_STACK = 3;

function useTrigger(state: SlackState, params: Params): string {
  const id = requiredString(params, 'trigger_id', 'invalid_trigger_id');
  const trigger = state.triggers.get(id);
  if (!trigger) throw new ApiFailure('invalid_trigger_id');
  if (trigger.used) throw new ApiFailure('trigger_exchanged');
  if (Date.now() - trigger.issuedAt > TRIGGER_LIFETIME_MS) throw new ApiFailure('expired_trigger_id');
  trigger.used = true;
  return trigger.user;
}

export function readView(state: SlackState, params: Params, type: 'modal' | 'home'): Record<string, unknown> {
  const view = jsonParam(params, 'view', 'invalid_arguments');
  const problems = validateView(view);
  if (problems.length > 0) throw new ApiFailure('invalid_arguments', problems);
  const v = view as Record<string, unknown>;
  if (v.type !== type) throw new ApiFailure('invalid_arguments', [`must be ${type} [json-pointer:/view/type]`]);
  return { ...v, blocks: state.withIds(v.blocks as unknown[]) };
}

function newHash(state: SlackState): string {
  return `${Math.floor(Date.now() / 1000)}.${state.nextId('h')}`;
}

/** Stores a new view; used by views.* and by response_action push/update. */
export function storeView(
  state: SlackState,
  user: string,
  view: Record<string, unknown>,
  previous: StoredView | undefined,
): StoredView {
  const externalId = typeof view.external_id === 'string' ? view.external_id : undefined;
  if (externalId && [...state.views.values()].some((v) => !v.closed && v.view.external_id === externalId)) {
    throw new ApiFailure('duplicate_external_id');
  }
  const stored: StoredView = {
    id: state.nextId('V'),
    user,
    type: view.type === 'home' ? 'home' : 'modal',
    view,
    hash: newHash(state),
    rootViewId: previous?.rootViewId ?? previous?.id ?? null,
    previousViewId: previous?.id ?? null,
    history: [],
    closed: false,
  };
  state.views.set(stored.id, stored);
  return stored;
}

export function replaceView(state: SlackState, stored: StoredView, view: Record<string, unknown>): void {
  stored.history.push(stored.view);
  stored.view = view;
  stored.hash = newHash(state);
}

const viewsOpen: Method = ({ state, params }) => {
  // Slack checks the view before it spends the trigger.
  const view = readView(state, params, 'modal');
  const user = useTrigger(state, params);
  for (const open of state.openModals(user)) open.closed = true;
  const stored = storeView(state, user, view, undefined);
  state.modalStacks.set(user, [stored.id]);
  return { ok: true, view: viewJson(state, stored) };
};

const viewsPush: Method = ({ state, params }) => {
  const view = readView(state, params, 'modal');
  const user = useTrigger(state, params);
  const stack = state.openModals(user);
  if (stack.length === 0) throw new ApiFailure('not_found');
  if (stack.length >= MAX_STACK) throw new ApiFailure('push_limit_reached');
  const stored = storeView(state, user, view, stack[stack.length - 1]);
  state.modalStacks.set(user, [...stack.map((v) => v.id), stored.id]);
  return { ok: true, view: viewJson(state, stored) };
};

const viewsUpdate: Method = ({ state, params }) => {
  const viewId = optionalString(params, 'view_id');
  const externalId = optionalString(params, 'external_id');
  if (!viewId && !externalId)
    throw new ApiFailure('invalid_arguments', ['missing required field: view_id or external_id']);
  const stored = [...state.views.values()].find(
    (v) => !v.closed && (viewId ? v.id === viewId : v.view.external_id === externalId),
  );
  if (!stored) throw new ApiFailure('not_found');
  const hash = optionalString(params, 'hash');
  if (hash !== undefined && hash !== stored.hash) throw new ApiFailure('hash_conflict');
  replaceView(state, stored, readView(state, params, stored.type));
  return { ok: true, view: viewJson(state, stored) };
};

const viewsPublish: Method = ({ state, params }) => {
  const user = requiredString(params, 'user_id', 'invalid_arguments');
  if (state.users.size > 0 && !state.users.has(user)) throw new ApiFailure('user_not_found');
  const view = readView(state, params, 'home');
  const existing = state.homes.get(user);
  const current = existing ? state.views.get(existing) : undefined;
  const hash = optionalString(params, 'hash');
  if (current && hash !== undefined && hash !== current.hash) throw new ApiFailure('hash_conflict');
  if (current) replaceView(state, current, view);
  const stored = current ?? storeView(state, user, view, undefined);
  state.homes.set(user, stored.id);
  return { ok: true, view: viewJson(state, stored) };
};

export const viewsMethods: Record<string, Method> = {
  'views.open': viewsOpen,
  'views.push': viewsPush,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
};
