import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { isAppError } from '../../../src/errors.js';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { startBolt, type BoltHarness } from './bolt-harness.js';

// A real Bolt App (Socket Mode) against the stand-in: commands, buttons, modals, the ack deadline.

let slack: SlackSandbox;
let bolt: BoltHarness | undefined;
let channel: string;

beforeEach(async () => {
  slack = await startSlackSandbox();
  channel = slack.addChannel({ id: 'C0OPS00001', name: 'cartodb-ops' }).id;
  slack.addUser({ id: 'U0ALICE', name: 'alice' });
});

afterEach(async () => {
  await bolt?.stop();
  bolt = undefined;
  await slack.close();
});

async function withApp(register: (app: App) => void): Promise<BoltHarness> {
  bolt = await startBolt(slack, register);
  return bolt;
}

/** An app that acks every /upstream-sync and remembers the texts. */
async function countingApp(): Promise<string[]> {
  const received: string[] = [];
  await withApp((app) => {
    app.command('/upstream-sync', async ({ ack, command }) => {
      received.push(command.text);
      await ack();
    });
  });
  return received;
}

const approveCard = [
  { type: 'section', text: { type: 'mrkdwn', text: '*v1.80.0* is ready' } },
  {
    type: 'actions',
    elements: [
      {
        type: 'button',
        action_id: 'sync.approve',
        text: { type: 'plain_text', text: 'Approve & merge' },
        value: 'sync-42',
        style: 'primary',
      },
      {
        type: 'button',
        action_id: 'sync.open',
        text: { type: 'plain_text', text: 'Open PR' },
        url: 'https://github.com/CartoDB/litellm/pull/42',
      },
    ],
  },
];

describe('Slack stand-in with a real Bolt App', () => {
  it('connects, delivers a slash command and returns the ack', async () => {
    const seen: string[] = [];
    await withApp((app) => {
      app.command('/upstream-sync', async ({ command, ack, client }) => {
        await ack({ text: `working on \`${command.text}\`` });
        seen.push(`${command.user_id}:${command.channel_id}:${command.text}`);
        await client.chat.postMessage({ channel: command.channel_id, text: 'status <&> ok' });
      });
    });
    expect(slack.connectionCount).toBe(1);
    expect(slack.callsTo('auth.test')).toHaveLength(1);

    const ack = await slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'status',
      user_id: 'U0ALICE',
      channel_id: channel,
    });

    expect(ack).toEqual({ text: 'working on `status`' });
    expect(seen).toEqual([`U0ALICE:${channel}:status`]);
    expect(slack.ephemeralsFor('U0ALICE', channel).map((e) => [e.text, e.via])).toEqual([
      ['working on `status`', 'ack'],
    ]);
    const posted = await slack.waitForMessage(channel, (_m, text) => text.includes('status'));
    expect(posted.text).toBe('status <&> ok');
    slack.assertNoUnexpectedRequests();
    slack.assertNoFailedCalls();
  });

  it('clicks a button by its label and delivers a block_actions payload like Slack', async () => {
    const bodies: Record<string, unknown>[] = [];
    const h = await withApp((app) => {
      app.action('sync.approve', async ({ ack, body }) => {
        await ack();
        bodies.push(body as unknown as Record<string, unknown>);
      });
      app.action('sync.open', async ({ ack }) => ack());
    });
    const { ts } = await h.app.client.chat.postMessage({ channel, text: 'v1.80.0 is ready', blocks: approveCard });

    await expect(slack.clickButton({ channel, label: 'Approve & merge', user: 'U0ALICE' })).resolves.toEqual({});
    await expect(slack.clickButton({ channel, ts: ts!, label: 'Open PR', user: 'U0ALICE' })).resolves.toEqual({});

    const body = bodies[0]!;
    expect(body).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice' },
      container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: 'cartodb-ops' },
      message: { ts, text: 'v1.80.0 is ready' },
      actions: [{ action_id: 'sync.approve', value: 'sync-42', type: 'button', text: { text: 'Approve & merge' } }],
    });
    expect(typeof body.trigger_id).toBe('string');
    expect(slack.envelopes.at(-1)!.payload).toMatchObject({
      actions: [{ action_id: 'sync.open', url: 'https://github.com/CartoDB/litellm/pull/42' }],
    });
    await expect(slack.clickButton({ channel, label: 'Reject', user: 'U0ALICE' })).rejects.toThrow(
      /no message .* "Reject" button/,
    );
  });

  it('opens a modal from a command and answers a submission with field errors, then closes it', async () => {
    await withApp((app) => {
      app.command('/upstream-sync', async ({ ack, client, command }) => {
        await ack();
        await client.views.open({
          trigger_id: command.trigger_id,
          view: {
            type: 'modal',
            callback_id: 'skip-tag',
            title: { type: 'plain_text', text: 'Skip a release' },
            submit: { type: 'plain_text', text: 'Skip' },
            blocks: [
              {
                type: 'input',
                block_id: 'tag',
                label: { type: 'plain_text', text: 'Tag' },
                element: { type: 'plain_text_input', action_id: 'value' },
              },
            ],
          },
        });
      });
      app.view('skip-tag', async ({ ack, view }) => {
        const tag = view.state.values.tag!.value!.value ?? '';
        if (!/^v\d/.test(tag)) await ack({ response_action: 'errors', errors: { tag: 'Not a release tag' } });
        else await ack();
      });
    });
    await slack.sendSlashCommand({ command: '/upstream-sync', text: 'skip', user_id: 'U0ALICE', channel_id: channel });
    await slack.waitFor(() => slack.openModals('U0ALICE')[0], { what: 'an open modal' });

    const bad = await slack.sendViewSubmission({
      user: 'U0ALICE',
      callbackId: 'skip-tag',
      values: { tag: { value: 'main; rm -rf /' } },
    });
    expect(bad.ack).toEqual({ response_action: 'errors', errors: { tag: 'Not a release tag' } });
    expect(bad.outcome).toBe('errors');
    expect(slack.openModals('U0ALICE')).toHaveLength(1);

    const good = await slack.sendViewSubmission({ user: 'U0ALICE', values: { tag: { value: 'v1.80.0' } } });
    expect(good.outcome).toBe('closed');
    expect(slack.openModals('U0ALICE')).toHaveLength(0);
  });

  it('rejects after 3 s when a listener never acks, as Slack would', async () => {
    await withApp((app) => {
      app.command('/upstream-sync', async () => {
        // never acks
      });
    });
    const err = await slack
      .sendSlashCommand({ command: '/upstream-sync', text: 'status', user_id: 'U0ALICE', channel_id: channel })
      .catch((e: unknown) => e);
    expect(isAppError(err, 'timeout')).toBe(true);
    expect(String(err)).toMatch(/no ack for slash_commands envelope within 3000 ms/);
    expect(slack.envelopes.at(-1)!.ack).toBeUndefined();
  });

  it('reconnects after a disconnect envelope and after the connection drops, and still receives commands', async () => {
    const received = await countingApp();
    slack.disconnect({ reason: 'refresh_requested' });
    await slack.waitForConnection(2);
    await slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'status',
      user_id: 'U0ALICE',
      channel_id: channel,
    });

    slack.disconnect({ abrupt: true });
    await slack.waitForConnection(3);
    await slack.sendSlashCommand({
      command: '/upstream-sync',
      text: 'status',
      user_id: 'U0ALICE',
      channel_id: channel,
    });
    expect(received).toHaveLength(2);
    expect(slack.callsTo('apps.connections.open')).toHaveLength(3);
  });

  it('refuses connections during an outage; Bolt keeps retrying and gets back in afterwards', async () => {
    const received = await countingApp();
    slack.faults.outage();
    slack.disconnect({ abrupt: true });
    await expect
      .poll(() => slack.callsTo('apps.connections.open').length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(3);
    expect(slack.openConnections).toBe(0);
    await expect(
      slack.sendSlashCommand({ command: '/upstream-sync', user_id: 'U0ALICE', channel_id: channel }),
    ).rejects.toThrow(/no Socket Mode connection/);

    slack.faults.endOutage();
    await slack.waitForConnection(2);
    await slack.sendSlashCommand({ command: '/upstream-sync', user_id: 'U0ALICE', channel_id: channel });
    expect(received).toHaveLength(1);
  });

  it('survives a Web API outage while reconnecting: apps.connections.open is retried until it answers', async () => {
    const received = await countingApp();
    slack.faults.outage({ webApi: true });
    slack.disconnect({ abrupt: true });
    await expect
      .poll(() => slack.callsTo('apps.connections.open').filter((c) => c.status === 503).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(2);
    slack.faults.endOutage();
    await slack.waitForConnection(2);
    await slack.sendSlashCommand({ command: '/upstream-sync', text: 'back', user_id: 'U0ALICE', channel_id: channel });
    expect(received).toEqual(['back']);
  });
});
