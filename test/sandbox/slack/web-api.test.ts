import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebClient, type WebAPIPlatformError, type WebAPIHTTPError } from '@slack/web-api';
import { loadEnv } from '../../../src/config/env.js';
import { startSlackSandbox, type SlackSandbox } from '../../../src/sandbox/slack/slack-sandbox.js';
import { captureLogger } from './bolt-harness.js';

// The Web API half of the stand-in, driven by the real @slack/web-api client.

let slack: SlackSandbox;
let client: WebClient;
let channel: string;

function webClient(token: string, retries = 0): WebClient {
  return new WebClient(token, {
    slackApiUrl: slack.apiUrl,
    logger: captureLogger(),
    retryConfig: { retries, minTimeout: 10, factor: 1 },
  });
}

async function platformError(p: Promise<unknown>): Promise<WebAPIPlatformError['data']> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as WebAPIPlatformError | undefined;
  if (!err || err.code !== 'slack_webapi_platform_error')
    throw new Error(`expected a platform error, got ${String(err)}`);
  return err.data;
}

beforeEach(async () => {
  slack = await startSlackSandbox();
  client = webClient(slack.botToken);
  channel = slack.addChannel({ name: 'cartodb-ops', members: ['U0ALICE', 'U0BOB'] }).id;
  slack.addUser({ id: 'U0ALICE', name: 'alice', realName: 'Alice Doe' });
});

afterEach(async () => {
  await slack.close();
});

describe('Slack Web API stand-in', () => {
  it('answers auth.test with the bot identity and checks tokens', async () => {
    await expect(client.auth.test()).resolves.toMatchObject({
      ok: true,
      user_id: slack.identity.botUserId,
      bot_id: slack.identity.botId,
      team_id: slack.identity.teamId,
    });
    expect((await platformError(webClient('xoxb-wrong-token-value').auth.test())).error).toBe('invalid_auth');
    expect((await platformError(webClient(slack.appToken).auth.test())).error).toBe('not_allowed_token_type');
    expect((await platformError(client.apps.connections.open())).error).toBe('not_allowed_token_type');
    const open = await webClient(slack.appToken).apps.connections.open();
    expect(open.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);
  });

  it('hands out env the config loader accepts', () => {
    expect(loadEnv(slack.env())).toMatchObject({
      SLACK_API_URL: slack.apiUrl,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_APP_TOKEN: slack.appToken,
    });
  });

  it('posts, threads, updates in place keeping history, and reads back through conversations.*', async () => {
    const card = await client.chat.postMessage({
      channel,
      text: 'Sync *v1.80.0* <https://x|PR> & `a<b>`',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'queued' } }],
    });
    expect(card.message).toMatchObject({
      type: 'message',
      ts: card.ts,
      bot_id: slack.identity.botId,
      text: 'Sync *v1.80.0* <https://x|PR> & `a<b>`',
    });
    const reply = await client.chat.postMessage({
      channel,
      thread_ts: card.ts!,
      text: 'step 1',
      reply_broadcast: true,
    });
    await client.chat.postMessage({ channel, thread_ts: reply.ts!, text: 'step 2' });
    const updated = await client.chat.update({
      channel,
      ts: card.ts!,
      text: 'Sync v1.80.0',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'ready' } }],
    });
    expect(updated).toMatchObject({ ok: true, ts: card.ts, text: 'Sync v1.80.0' });

    const stored = slack.messages(channel)[0]!;
    expect(stored.history.map((h) => h.text)).toEqual(['Sync *v1.80.0* <https://x|PR> & `a<b>`']);
    expect(slack.threadOf(channel, card.ts!).map((m) => [m.text, m.replyBroadcast])).toEqual([
      ['step 1', true],
      ['step 2', false],
    ]);
    expect(slack.findMessage(channel, (_m, text) => text.includes('ready'))?.ts).toBe(card.ts);

    const history = await client.conversations.history({ channel });
    expect(history.messages!.map((m) => m.text)).toEqual(['step 1', 'Sync v1.80.0']);
    expect(history.messages![1]).toMatchObject({
      reply_count: 2,
      thread_ts: card.ts,
      edited: { user: slack.identity.botUserId },
    });
    const replies = await client.conversations.replies({ channel, ts: card.ts! });
    expect(replies.messages!.map((m) => m.text)).toEqual(['Sync v1.80.0', 'step 1', 'step 2']);
    const link = await client.chat.getPermalink({ channel, message_ts: reply.ts! });
    expect(link.permalink).toBe(
      `https://sandbox.slack.com/archives/${channel}/p${reply.ts!.replace('.', '')}?thread_ts=${card.ts}&cid=${channel}`,
    );
  });

  it('rejects 51 blocks with invalid_blocks naming the path, like Slack', async () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    const data = await platformError(client.chat.postMessage({ channel, text: 'x', blocks }));
    expect(data.error).toBe('invalid_blocks');
    expect(data.response_metadata?.messages).toEqual(['[ERROR] no more than 50 items allowed [json-pointer:/blocks]']);
    expect(slack.messages(channel)).toHaveLength(0);
    expect(() => slack.assertNoFailedCalls()).toThrow(/chat.postMessage: invalid_blocks/);
    slack.assertNoFailedCalls(['invalid_blocks']);
  });

  it('answers channel_not_found, not_in_channel until joined, message_not_found, no_text, thread_not_found, invalid_blocks on update', async () => {
    expect((await platformError(client.chat.postMessage({ channel: 'C0NOPE0001', text: 'x' }))).error).toBe(
      'channel_not_found',
    );
    const outside = slack.addChannel({ name: 'general', isMember: false }).id;
    expect((await platformError(client.chat.postMessage({ channel: outside, text: 'x' }))).error).toBe(
      'not_in_channel',
    );
    await client.conversations.join({ channel: outside });
    await expect(client.chat.postMessage({ channel: outside, text: 'x' })).resolves.toMatchObject({ ok: true });
    expect((await platformError(client.chat.update({ channel, ts: '1.000001', text: 'x' }))).error).toBe(
      'message_not_found',
    );
    expect((await platformError(client.chat.postMessage({ channel } as never))).error).toBe('no_text');
    expect((await platformError(client.chat.postMessage({ channel, text: 'y'.repeat(40_001) }))).error).toBe(
      'msg_too_long',
    );
    expect((await platformError(client.chat.postMessage({ channel, text: 'x', thread_ts: '1.000002' }))).error).toBe(
      'thread_not_found',
    );
    const { ts } = await client.chat.postMessage({ channel, text: 'card' });
    const bad = await platformError(
      client.chat.update({
        channel,
        ts: ts!,
        text: 'card',
        blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } } as never],
      }),
    );
    expect(bad).toMatchObject({
      error: 'invalid_blocks',
      response_metadata: { messages: ['[ERROR] must be one of plain_text [json-pointer:/blocks/0/text/type]'] },
    });
    expect(slack.messages(channel).find((m) => m.ts === ts)!.history).toHaveLength(0);
  });

  it('opens a DM when posting to a user id', async () => {
    const dm = await client.chat.postMessage({ channel: 'U0ALICE', text: 'psst' });
    expect(dm.channel).toMatch(/^D/);
    expect(slack.messages(dm.channel!).map((m) => m.text)).toEqual(['psst']);
    await expect(client.chat.postMessage({ channel: 'U0ALICE', text: 'again' })).resolves.toMatchObject({
      channel: dm.channel,
    });
  });

  it('delays answers on request, so client timeouts can be exercised', async () => {
    slack.faults.delay('conversations.info', 300, { times: 1 });
    const impatient = new WebClient(slack.botToken, {
      slackApiUrl: slack.apiUrl,
      logger: captureLogger(),
      retryConfig: { retries: 0 },
      timeout: 50,
    });
    await expect(impatient.conversations.info({ channel })).rejects.toMatchObject({
      code: 'slack_webapi_request_error',
    });
    await expect(impatient.conversations.info({ channel })).resolves.toMatchObject({ ok: true });
  });

  it('keeps ephemeral messages per user and refuses users outside the channel', async () => {
    await client.chat.postEphemeral({ channel, user: 'U0ALICE', text: 'only you can see this' });
    expect(slack.ephemeralsFor('U0ALICE').map((e) => e.text)).toEqual(['only you can see this']);
    expect((await platformError(client.chat.postEphemeral({ channel, user: 'U0MALLORY', text: 'x' }))).error).toBe(
      'user_not_in_channel',
    );
  });

  it('answers users.info, usergroups.users.list and conversations.members/info', async () => {
    slack.addUsergroup('S0RELEASERS', ['U0ALICE']);
    await expect(client.users.info({ user: 'U0ALICE' })).resolves.toMatchObject({
      user: { id: 'U0ALICE', name: 'alice', real_name: 'Alice Doe', is_bot: false },
    });
    expect((await platformError(client.users.info({ user: 'U0NOBODY' }))).error).toBe('user_not_found');
    await expect(client.usergroups.users.list({ usergroup: 'S0RELEASERS' })).resolves.toMatchObject({
      users: ['U0ALICE'],
    });
    expect((await platformError(client.usergroups.users.list({ usergroup: 'S0NOPE' }))).error).toBe('no_such_subteam');
    await expect(client.conversations.members({ channel })).resolves.toMatchObject({ members: ['U0ALICE', 'U0BOB'] });
    await expect(client.conversations.info({ channel })).resolves.toMatchObject({
      channel: { id: channel, name: 'cartodb-ops', is_member: true, is_private: false },
    });
  });

  it('accepts JSON bodies as well as form-encoded ones', async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel, text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, message: { text: 'json', blocks: [{ type: 'divider' }] } });
  });

  it('records unknown methods as unexpected', async () => {
    expect((await platformError(client.apiCall('files.upload', { channels: channel }))).error).toBe('unknown_method');
    expect(() => slack.assertNoUnexpectedRequests()).toThrow(/files.upload: unknown method/);
  });

  it('rate-limits with Retry-After; WebClient waits and retries, and succeeds', async () => {
    slack.faults.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    const res = await webClient(slack.botToken, 1).chat.postMessage({ channel, text: 'after the limit' });
    expect(res.ok).toBe(true);
    expect(slack.callsTo('chat.postMessage').map((c) => [c.status, c.fault])).toEqual([
      [429, 'ratelimited'],
      [200, undefined],
    ]);
    expect(slack.messages(channel).map((m) => m.text)).toEqual(['after the limit']);
  });

  it('injects HTTP 500s and ok:false errors per method', async () => {
    slack.faults.serverError('chat.update', { times: 1 }).failWith('chat.postMessage', 'channel_not_found');
    expect((await platformError(client.chat.postMessage({ channel, text: 'x' }))).error).toBe('channel_not_found');
    const ts = (await client.chat.postMessage({ channel, text: 'x' })).ts!;
    const err = (await client.chat.update({ channel, ts, text: 'y' }).catch((e: unknown) => e)) as WebAPIHTTPError;
    expect(err.code).toBe('slack_webapi_http_error');
    expect(err.statusCode).toBe(500);
    await expect(client.chat.update({ channel, ts, text: 'y' })).resolves.toMatchObject({ ok: true });
    slack.assertNoFailedCalls();
  });
});
