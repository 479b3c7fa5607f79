import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import { startSlackSandbox, type SlackSandbox } from '../../src/sandbox/slack/slack-sandbox.js';
import { WebChat } from '../../src/slack/web-chat.js';
import { OPS_CHANNEL } from './fixtures.js';

// WebChat.findPost against the Slack stand-in: the bot's own post by the key in its metadata,
// through pages of conversations.history, never before `since`, and in a thread via replies.

let slack: SlackSandbox;
afterEach(async () => {
  await slack.close();
});

async function setup(): Promise<WebChat> {
  slack = await startSlackSandbox();
  slack.addChannel({ id: OPS_CHANNEL, name: 'cartodb-ops' });
  return new WebChat({ token: slack.botToken, apiUrl: slack.apiUrl, log: silentLogger() });
}

describe('WebChat.findPost', () => {
  it('finds a keyed post past the first page of history, and nothing for another key or before since', async () => {
    const chat = await setup();
    const start = new Date(Date.now() - 1000);
    const keyed = await chat.postMessage({ channel: OPS_CHANNEL, text: 'card', postKey: 'card:litellm:v1' });
    for (let i = 0; i < 230; i++) await chat.postMessage({ channel: OPS_CHANNEL, text: `noise ${i}` });
    expect(await chat.findPost({ channel: OPS_CHANNEL, since: start, postKey: 'card:litellm:v1' })).toEqual(keyed);
    expect(slack.callsTo('conversations.history')).toHaveLength(2);
    expect(await chat.findPost({ channel: OPS_CHANNEL, since: start, postKey: 'card:litellm:v2' })).toBeNull();
    const later = new Date(Number(keyed.ts.split('.')[0]) * 1000 + 5000);
    expect(await chat.findPost({ channel: OPS_CHANNEL, since: later, postKey: 'card:litellm:v1' })).toBeNull();
  });

  it('finds a keyed reply in the thread, not a top-level post with that key', async () => {
    const chat = await setup();
    const since = new Date(Date.now() - 1000);
    const card = await chat.postMessage({ channel: OPS_CHANNEL, text: 'card' });
    await chat.postMessage({ channel: OPS_CHANNEL, text: 'elsewhere', postKey: 'outbox:9' });
    expect(await chat.findPost({ channel: OPS_CHANNEL, threadTs: card.ts, since, postKey: 'outbox:9' })).toBeNull();
    const reply = await chat.postMessage({ channel: OPS_CHANNEL, threadTs: card.ts, text: 'r', postKey: 'outbox:9' });
    expect(await chat.findPost({ channel: OPS_CHANNEL, threadTs: card.ts, since, postKey: 'outbox:9' })).toEqual(reply);
  });
});
