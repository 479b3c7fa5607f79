import type { SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import type { buttonAction } from '../../src/sandbox/slack/find-button.js';

type Button = ReturnType<typeof buttonAction>;
type Message = Extract<Parameters<SlackSandbox['sendBlockAction']>[0]['source'], { kind: 'message' }>['message'];

/** A click on `button` whose value a person edited: `edit` rewrites the parsed value. */
export function editedClick(
  slack: SlackSandbox,
  input: { user: string; message: Message; button: Button; edit: (value: Record<string, unknown>) => object },
) {
  const value = JSON.parse(String(input.button.value)) as Record<string, unknown>;
  return slack.sendBlockAction({
    user: input.user,
    source: { kind: 'message', message: input.message },
    action: { ...input.button, value: JSON.stringify(input.edit(value)) },
  });
}
