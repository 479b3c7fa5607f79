import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { isAppError } from '../../../src/errors.js';
import {
  startSlackSandbox,
  type SlackSandbox,
  type SlackSandboxOptions,
} from '../../../src/sandbox/slack/slack-sandbox.js';
import { startBolt, type BoltHarness } from './bolt-harness.js';

// Views (modals, home tab), response_url (Bolt's respond()), events and late acks, with real Bolt.

let slack: SlackSandbox | undefined;
let bolt: BoltHarness | undefined;
const channel = 'C0OPS00001';

afterEach(async () => {
  await bolt?.stop();
  await slack?.close();
  bolt = undefined;
  slack = undefined;
});

async function setup(
  register: (app: App) => void,
  options: SlackSandboxOptions = {},
): Promise<{ slack: SlackSandbox; app: App }> {
  slack = await startSlackSandbox(options);
  slack.addChannel({ id: channel, name: 'cartodb-ops' });
  slack.addUser({ id: 'U0ALICE', name: 'alice' });
  bolt = await startBolt(slack, register);
  return { slack, app: bolt.app };
}

const plain = (text: string): { type: 'plain_text'; text: string } => ({ type: 'plain_text', text });
const modal = (title: string, over: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  title: plain(title),
  blocks: [{ type: 'section', text: plain(title) }],
  ...over,
});
const releaseCard = [
  { type: 'actions', elements: [{ type: 'button', action_id: 'release', text: plain('Release'), value: 'v1.80.0' }] },
];

describe('views', () => {
  it('opens one modal per trigger and rejects invalid views with invalid_arguments', async () => {
    const errors: string[] = [];
    const { slack: s } = await setup((app) => {
      app.command('/upstream-sync', async ({ ack, client, command }) => {
        await ack();
        const attempt = async (view: Record<string, unknown>, trigger = command.trigger_id): Promise<void> => {
          await client.views
            .open({ trigger_id: trigger, view: view as never })
            .catch((e: { data: { error: string; response_metadata?: { messages?: string[] } } }) => {
              errors.push([e.data.error, ...(e.data.response_metadata?.messages ?? [])].join(' '));
            });
        };
        await attempt(modal('A title that is far too long for Slack'));
        await attempt(modal('Release'));
        await attempt(modal('Again'));
        await attempt(modal('Forged'), '123.456.abc');
      });
    });
    await s.sendSlashCommand({ command: '/upstream-sync', user_id: 'U0ALICE', channel_id: channel });
    await expect.poll(() => errors.length).toBe(3);
    expect(errors).toEqual([
      'invalid_arguments [ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      'trigger_exchanged',
      'invalid_trigger_id',
    ]);
    expect(s.openModals('U0ALICE').map((v) => v.view.title)).toEqual([plain('Release')]);
  });

  it('applies response_action update, push and clear, and sends view_closed only with notify_on_close', async () => {
    const { slack: s } = await setup((app) => {
      app.command('/upstream-sync', async ({ ack, client, command }) => {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: modal('Step 1', { callback_id: 'wizard', submit: plain('Next'), notify_on_close: true }),
        });
      });
      app.view('wizard', async ({ ack, view }) => {
        if (view.title.text === 'Step 1')
          await ack({
            response_action: 'update',
            view: modal('Step 2', { callback_id: 'wizard', submit: plain('Next') }),
          });
        else if (view.title.text === 'Step 2')
          await ack({
            response_action: 'push',
            view: modal('Step 3', { callback_id: 'wizard', submit: plain('Done'), notify_on_close: true }),
          });
        else await ack({ response_action: 'clear' });
      });
      app.view({ callback_id: 'wizard', type: 'view_closed' }, async ({ ack }) => ack());
    });
    await s.sendSlashCommand({ command: '/upstream-sync', user_id: 'U0ALICE', channel_id: channel });
    await expect.poll(() => s.openModals('U0ALICE').length).toBe(1);

    expect((await s.sendViewSubmission({ user: 'U0ALICE' })).outcome).toBe('updated');
    expect(s.openModals('U0ALICE')[0]!.history).toHaveLength(1);
    expect((await s.sendViewSubmission({ user: 'U0ALICE' })).outcome).toBe('pushed');
    expect(s.openModals('U0ALICE').map((v) => (v.view.title as { text: string }).text)).toEqual(['Step 2', 'Step 3']);

    await expect(s.sendViewClosed({ user: 'U0ALICE', viewId: s.openModals('U0ALICE')[0]!.id })).rejects.toThrow(
      /notify_on_close/,
    );
    await expect(s.sendViewClosed({ user: 'U0ALICE' })).resolves.toEqual({});
    expect(s.openModals('U0ALICE')).toHaveLength(1);
    expect((await s.sendViewSubmission({ user: 'U0ALICE' })).outcome).toBe('pushed');
    expect((await s.sendViewSubmission({ user: 'U0ALICE' })).outcome).toBe('cleared');
    expect(s.openModals('U0ALICE')).toHaveLength(0);
    await s.sendSlashCommand({ command: '/upstream-sync', user_id: 'U0ALICE', channel_id: channel });
    await expect
      .poll(() => s.openModals('U0ALICE').map((v) => (v.view.title as { text: string }).text))
      .toEqual(['Step 1']);
  });

  it('publishes the home tab on app_home_opened, clicks its buttons, and refuses a stale hash', async () => {
    const clicked: unknown[] = [];
    let staleError = '';
    const { slack: s } = await setup((app) => {
      app.event('app_home_opened', async ({ event, client }) => {
        const first = await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: releaseCard } });
        await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: releaseCard } });
        await client.views
          .publish({ user_id: event.user, hash: first.view!.hash!, view: { type: 'home', blocks: [] } })
          .catch((e: { data: { error: string } }) => {
            staleError = e.data.error;
          });
      });
      app.action('release', async ({ ack, body }) => {
        await ack();
        clicked.push(body);
      });
    });
    await s.sendEvent({ type: 'app_home_opened', user: 'U0ALICE', channel: 'D0ALICE', tab: 'home' });
    await expect.poll(() => staleError).toBe('hash_conflict');
    expect(s.homeView('U0ALICE')!.history).toHaveLength(1);

    await s.clickButton({ home: true, user: 'U0ALICE', label: 'Release' });
    expect(clicked[0]).toMatchObject({
      type: 'block_actions',
      container: { type: 'view', view_id: s.homeView('U0ALICE')!.id },
      view: { type: 'home' },
      actions: [{ action_id: 'release', value: 'v1.80.0' }],
    });
  });
});

describe('response_url and acks', () => {
  it('replaces, deletes and answers through respond() like Slack', async () => {
    const { slack: s, app } = await setup((a) => {
      a.action('release', async ({ ack, respond, body }) => {
        await ack();
        const kind = (body as { user: { id: string } }).user.id;
        if (kind === 'U0ALICE') {
          await respond({ text: 'Only you can see this' });
          await respond({ response_type: 'in_channel', text: 'Release started' });
          await respond({ replace_original: true, text: 'Released v1.80.0', blocks: [] });
        } else await respond({ delete_original: true });
      });
    });
    const { ts } = await app.client.chat.postMessage({ channel, text: 'Release v1.80.0?', blocks: releaseCard });
    await s.clickButton({ channel, ts: ts!, label: 'Release', user: 'U0ALICE' });
    await expect.poll(() => s.messages(channel)[0]!.text).toBe('Released v1.80.0');
    expect(s.messages(channel)[0]!.history.map((h) => h.text)).toEqual(['Release v1.80.0?']);
    expect(s.messages(channel)[0]!.blocks).toBeUndefined();
    expect(s.messages(channel).map((m) => m.text)).toEqual(['Released v1.80.0', 'Release started']);
    expect(s.ephemeralsFor('U0ALICE').map((e) => [e.text, e.via])).toEqual([['Only you can see this', 'response_url']]);

    s.addUser({ id: 'U0BOB', name: 'bob' });
    const second = await app.client.chat.postMessage({ channel, text: 'again', blocks: releaseCard });
    await s.clickButton({ channel, ts: second.ts!, label: 'release', user: 'U0BOB' });
    await expect.poll(() => s.messages(channel).some((m) => m.ts === second.ts)).toBe(false);
    s.assertNoUnexpectedRequests();
  });

  it('records an ack that arrives after the deadline as late', async () => {
    const { slack: s } = await setup(
      (app) => {
        app.command('/upstream-sync', async ({ ack }) => {
          await new Promise((resolve) => setTimeout(resolve, 300));
          await ack();
        });
      },
      { ackTimeoutMs: 100 },
    );
    const err = await s
      .sendSlashCommand({ command: '/upstream-sync', user_id: 'U0ALICE', channel_id: channel })
      .catch((e: unknown) => e);
    expect(isAppError(err, 'timeout')).toBe(true);
    await expect.poll(() => s.envelopes[0]!.late).toBe(true);
    expect(s.envelopes[0]!.ack).toEqual({});
  });
});
