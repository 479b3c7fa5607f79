import Anthropic from '@anthropic-ai/sdk';
import type { LlmConfig } from '../../config/schema.js';
import type { Env } from '../../config/env.js';
import { AppError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { LlmPort, LlmToolRequest, LlmToolResult } from '../../ports.js';
import { anthropicError } from './anthropic-errors.js';

// The only way the resolver talks to a model: one Messages call with exactly one tool, forced.
// The model gets no shell, no files and no other tools; its tool input is returned unvalidated
// for the caller to check.

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export interface AnthropicLlmOptions {
  apiKey: string;
  /** Defaults to the SDK's (api.anthropic.com); tests point it at the stand-in. */
  baseURL?: string;
  /** SDK retries on 408/409/429/5xx/connection errors, honouring retry-after. */
  maxRetries: number;
  /** Default per-request timeout; each request's timeoutMs overrides it. */
  timeoutMs: number;
  logger?: Logger;
}

export class AnthropicLlm implements LlmPort {
  private readonly client: Anthropic;

  constructor(private readonly options: AnthropicLlmOptions) {
    // apiKey passed explicitly: the SDK would otherwise read ANTHROPIC_API_KEY / ANTHROPIC_AUTH_TOKEN itself.
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? null,
      maxRetries: options.maxRetries,
      timeout: options.timeoutMs,
    });
  }

  async callTool(request: LlmToolRequest, signal?: AbortSignal): Promise<LlmToolResult> {
    const { tool } = request;
    if (!TOOL_NAME.test(tool.name)) throw new AppError('validation', `invalid tool name: ${JSON.stringify(tool.name)}`);
    // Tool inputs are always JSON objects; anything else is a caller bug, not something to coerce.
    if (tool.inputSchema.type !== undefined && tool.inputSchema.type !== 'object') {
      throw new AppError('validation', `tool ${tool.name}: input schema must be of type object`);
    }
    let message: Anthropic.Message;
    try {
      message = await this.client.messages.create(
        {
          model: request.model,
          max_tokens: request.maxTokens,
          system: request.system,
          messages: [{ role: 'user', content: request.prompt }],
          tools: [
            { name: tool.name, description: tool.description, input_schema: { ...tool.inputSchema, type: 'object' } },
          ],
          tool_choice: { type: 'tool', name: tool.name, disable_parallel_tool_use: true },
        },
        { timeout: request.timeoutMs, signal },
      );
    } catch (err) {
      throw anthropicError(err);
    }
    const usage = { inputTokens: message.usage.input_tokens, outputTokens: message.usage.output_tokens };
    this.options.logger?.debug(
      { model: message.model, stopReason: message.stop_reason, ...usage },
      'llm tool call answered',
    );
    const call = message.content.find(
      (c): c is Anthropic.ToolUseBlock => c.type === 'tool_use' && c.name === tool.name,
    );
    if (!call) {
      throw new AppError('validation', `LLM answered without calling ${tool.name}`, {
        details: {
          stopReason: message.stop_reason,
          content: message.content.map((c) => (c.type === 'tool_use' ? `tool_use:${c.name}` : c.type)),
        },
      });
    }
    return { input: call.input, model: message.model, stopReason: message.stop_reason, usage };
  }
}

/** Request fields that come from the llm settings; the caller adds system, prompt and tool. */
export function llmRequestSettings(llm: LlmConfig): Pick<LlmToolRequest, 'model' | 'maxTokens' | 'timeoutMs'> {
  return { model: llm.model, maxTokens: llm.maxOutputTokens, timeoutMs: llm.timeoutMs };
}

/** The LLM port from config and env; config_invalid when there is no key. */
export function createAnthropicLlm(
  llm: Pick<LlmConfig, 'maxRetries' | 'timeoutMs'>,
  env: Pick<Env, 'ANTHROPIC_API_KEY' | 'ANTHROPIC_BASE_URL'>,
  logger?: Logger,
): AnthropicLlm {
  if (!env.ANTHROPIC_API_KEY)
    throw new AppError('config_invalid', 'ANTHROPIC_API_KEY is not set (needed when llm.enabled is true)');
  return new AnthropicLlm({
    apiKey: env.ANTHROPIC_API_KEY,
    baseURL: env.ANTHROPIC_BASE_URL,
    maxRetries: llm.maxRetries,
    timeoutMs: llm.timeoutMs,
    logger,
  });
}
