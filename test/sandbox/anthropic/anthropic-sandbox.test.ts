import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { startAnthropicSandbox, type AnthropicSandbox } from '../../../src/sandbox/anthropic/anthropic-sandbox.js';

// The Anthropic stand-in driven by the real SDK (and by fetch where the SDK cannot go).

let llm: AnthropicSandbox;

beforeEach(async () => {
  llm = await startAnthropicSandbox();
});

afterEach(async () => {
  await llm.close();
});

const params = { model: 'claude-sonnet-4-6', max_tokens: 256, messages: [{ role: 'user' as const, content: 'hello' }] };

function sdk(options: { apiKey?: string | null; headers?: Record<string, string> } = {}): Anthropic {
  return new Anthropic({
    apiKey: options.apiKey === undefined ? llm.apiKey : options.apiKey,
    baseURL: llm.baseURL,
    maxRetries: 0,
    defaultHeaders: options.headers,
  });
}

describe('Anthropic stand-in', () => {
  it('answers with real Messages API shapes and records the parsed request', async () => {
    llm.replyText('hi there');
    const message = await sdk().messages.create(params);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [{ type: 'text', text: 'hi there' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
    });
    expect(message.id).toMatch(/^msg_/);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(llm.requests[0]).toMatchObject({ auth: 'bearer', status: 200, body: params });
    expect(llm.requests[0]!.anthropicVersion).toBeTruthy();
  });

  it('accepts the x-api-key header as well as Bearer, and refuses a wrong key with 401', async () => {
    llm.replyText('one').replyText('two');
    await expect(
      sdk({ apiKey: null, headers: { 'x-api-key': llm.apiKey } }).messages.create(params),
    ).resolves.toMatchObject({ content: [{ text: 'one' }] });
    expect(llm.requests[0]!.auth).toBe('x-api-key');
    const err = await sdk({ apiKey: 'sk-ant-not-the-key' })
      .messages.create(params)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect(llm.pending).toBe(1);
  });

  it('computes replies from the request and returns tool_use blocks with fresh ids', async () => {
    llm.replyWith((req) => ({ kind: 'tool_use', input: { echoed: req.messages[0]!.content } }));
    const tool = { name: 'answer', description: 'd', input_schema: { type: 'object' as const, properties: {} } };
    const message = await sdk().messages.create({
      ...params,
      tools: [tool],
      tool_choice: { type: 'tool', name: 'answer' },
    });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'tool_use', id: expect.stringMatching(/^toolu_/), name: 'answer', input: { echoed: 'hello' } },
    ]);
  });

  it('injects 429 with retry-after, 529 overloaded_error and raw answers, which the SDK retries', async () => {
    llm
      .rateLimit({ retryAfterSeconds: 0.01 })
      .overloaded({ retryAfterSeconds: 0.01 })
      .replyRaw(200, {
        id: 'msg_raw',
        type: 'message',
        role: 'assistant',
        model: 'm',
        content: [],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 1, output_tokens: 1 },
      });
    const client = new Anthropic({ apiKey: llm.apiKey, baseURL: llm.baseURL, maxRetries: 2 });
    await expect(client.messages.create(params)).resolves.toMatchObject({ id: 'msg_raw' });
    expect(llm.requests.map((r) => r.status)).toEqual([429, 529, 200]);

    llm.overloaded();
    const err = await sdk()
      .messages.create(params)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 529, type: 'overloaded_error' });
  });

  it('records requests with nothing scripted, malformed bodies and unknown routes as unexpected', async () => {
    const err = await sdk()
      .messages.create(params)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 500 });
    const bad = await fetch(`${llm.baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': llm.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify(params),
    });
    expect(bad.status).toBe(400);
    const other = await fetch(`${llm.baseURL}/v1/complete`, { method: 'POST', body: '{}' });
    expect(other.status).toBe(404);
    expect(llm.unexpected.map((u) => u.reason)).toEqual([
      'no scripted reply left',
      'anthropic-version: header is required',
      'no route for POST /v1/complete',
    ]);
    expect(() => llm.assertNoUnexpectedRequests()).toThrow(/3 unexpected request/);
  });

  it('delays answers when asked', async () => {
    llm.replyText('late', { delayMs: 50 });
    const client = new Anthropic({ apiKey: llm.apiKey, baseURL: llm.baseURL, maxRetries: 0, timeout: 10 });
    await expect(client.messages.create(params)).rejects.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });
});
