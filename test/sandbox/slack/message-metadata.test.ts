import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { captureLogger } from './bolt-harness.js';

// Message metadata as Slack keeps it: validated on chat.postMessage, returned by chat.* answers,
// and by conversations.history / conversations.replies only with include_all_metadata.

let slack: SlackSandbox;
let client: WebClient;
let channel: string;
const metadata = { event_type: 'upstream_sync_post', event_payload: { key: 'outbox:7' } };

async function slackError(p: Promise<unknown>): Promise<string | undefined> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  return err?.data?.error;
}

beforeEach(async () => {
  slack = await startSlackSandbox();
  client = new WebClient(slack.botToken, {
    slackApiUrl: slack.apiUrl,
    logger: captureLogger(),
    retryConfig: { retries: 0 },
  });
  channel = slack.addChannel({ name: 'cartodb-ops' }).id;
});

afterEach(async () => {
  await slack.close();
});

describe('message metadata in the Slack stand-in', () => {
  it('keeps metadata and returns it from conversations.* only with include_all_metadata', async () => {
    const card = await client.chat.postMessage({ channel, text: 'card', metadata });
    expect(card.message?.metadata).toEqual(metadata);
    const reply = await client.chat.postMessage({ channel, text: 'reply', thread_ts: card.ts!, metadata });

    const bare = await client.conversations.history({ channel });
    expect(bare.messages?.[0]?.ts).toBe(card.ts);
    expect(bare.messages?.[0]?.metadata).toBeUndefined();
    const full = await client.conversations.history({ channel, include_all_metadata: true });
    expect(full.messages?.[0]?.metadata).toEqual(metadata);
    expect(full.messages?.[0]?.bot_id).toBe(slack.state.identity.botId);

    const thread = await client.conversations.replies({ channel, ts: card.ts!, include_all_metadata: true });
    expect(thread.messages?.map((m) => m.ts)).toEqual([card.ts, reply.ts]);
    expect(thread.messages?.[1]?.metadata).toEqual(metadata);
    const threadBare = await client.conversations.replies({ channel, ts: card.ts! });
    expect(threadBare.messages?.[1]?.metadata).toBeUndefined();
  });

  it('reads history and replies after `oldest`, exclusive unless inclusive', async () => {
    const first = await client.chat.postMessage({ channel, text: 'one' });
    const second = await client.chat.postMessage({ channel, text: 'two' });
    const after = await client.conversations.history({ channel, oldest: first.ts! });
    expect(after.messages?.map((m) => m.ts)).toEqual([second.ts]);
    const inclusive = await client.conversations.history({ channel, oldest: first.ts!, inclusive: true });
    expect(inclusive.messages?.map((m) => m.ts)).toEqual([second.ts, first.ts]);
    const r1 = await client.chat.postMessage({ channel, text: 'r1', thread_ts: first.ts! });
    const r2 = await client.chat.postMessage({ channel, text: 'r2', thread_ts: first.ts! });
    const replies = await client.conversations.replies({ channel, ts: first.ts!, oldest: r1.ts! });
    expect(replies.messages?.map((m) => m.ts)).toEqual([first.ts, r2.ts]);
  });

  it('refuses metadata that is not {event_type, event_payload}', async () => {
    expect(await slackError(client.apiCall('chat.postMessage', { channel, text: 'x', metadata: '{not json' }))).toBe(
      'invalid_metadata_format',
    );
    expect(
      await slackError(client.apiCall('chat.postMessage', { channel, text: 'x', metadata: { event_payload: {} } })),
    ).toBe('invalid_metadata_schema');
    expect(
      await slackError(
        client.apiCall('chat.postMessage', { channel, text: 'x', metadata: { event_type: 'a', event_payload: 'b' } }),
      ),
    ).toBe('invalid_metadata_schema');
    expect(slack.messages(channel)).toHaveLength(0);
  });

  it('holdAnswer: the message exists while its answer is held', async () => {
    slack.faults.holdAnswer('chat.postMessage', 60_000, { skip: 1 });
    await client.chat.postMessage({ channel, text: 'passes' });
    void client.chat.postMessage({ channel, text: 'held' }).catch(() => undefined);
    await slack.waitFor(() => (slack.faults.answersHeld.length > 0 ? true : undefined), { what: 'the held answer' });
    expect(slack.messages(channel).map((m) => m.text)).toEqual(['passes', 'held']);
  });
});
