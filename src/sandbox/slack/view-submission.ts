import { validateView } from './block-kit.js';
import type { SlackState, StoredView } from './slack-state.js';
import { replaceView, storeView } from './views-methods.js';

// What Slack does with the ack of a view_submission: close the view, show field errors, update it,
// push a new one or clear the stack.

export type SubmissionOutcome = 'closed' | 'errors' | 'updated' | 'pushed' | 'cleared' | 'rejected';

/** Values shorthand: a string is a plain_text_input value; an object is passed through. */
export type SubmissionValues = Record<string, Record<string, string | Record<string, unknown>>>;

export function expandValues(values: SubmissionValues): Record<string, Record<string, Record<string, unknown>>> {
  return Object.fromEntries(
    Object.entries(values).map(([blockId, actions]) => [
      blockId,
      Object.fromEntries(
        Object.entries(actions).map(([actionId, v]) => [
          actionId,
          typeof v === 'string' ? { type: 'plain_text_input', value: v } : v,
        ]),
      ),
    ]),
  );
}

function closeView(state: SlackState, view: StoredView): void {
  view.closed = true;
  const stack = state.modalStacks.get(view.user) ?? [];
  state.modalStacks.set(
    view.user,
    stack.filter((id) => id !== view.id),
  );
}

/** Applies the ack; returns what happened and, for rejected views, Slack's complaints. */
export function applySubmissionAck(
  state: SlackState,
  view: StoredView,
  ack: Record<string, unknown>,
): { outcome: SubmissionOutcome; problems: string[] } {
  const action = ack.response_action;
  if (action === undefined) {
    closeView(state, view);
    return { outcome: 'closed', problems: [] };
  }
  if (action === 'errors') return { outcome: 'errors', problems: [] };
  if (action === 'clear') {
    for (const open of state.openModals(view.user)) closeView(state, open);
    return { outcome: 'cleared', problems: [] };
  }
  if (action !== 'update' && action !== 'push')
    return { outcome: 'rejected', problems: [`unsupported response_action: ${String(action)}`] };
  const problems = validateView(ack.view);
  if (problems.length > 0) return { outcome: 'rejected', problems };
  const next = { ...(ack.view as Record<string, unknown>) };
  next.blocks = state.withIds(next.blocks as unknown[]);
  if (action === 'update') {
    replaceView(state, view, next);
    return { outcome: 'updated', problems: [] };
  }
  const stack = state.openModals(view.user);
  if (stack.length >= 3) return { outcome: 'rejected', problems: ['push_limit_reached'] };
  const pushed = storeView(state, view.user, next, view);
  state.modalStacks.set(view.user, [...stack.map((v) => v.id), pushed.id]);
  return { outcome: 'pushed', problems: [] };
}

export function markClosed(state: SlackState, view: StoredView): void {
  closeView(state, view);
}
