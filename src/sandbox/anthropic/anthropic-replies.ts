// Scripted answers for the Anthropic stand-in and the Messages API bodies they become.

export interface MessagesRequest {
  model: string;
  max_tokens: number;
  system?: unknown;
  messages: { role: string; content: unknown }[];
  tools?: { name: string; description?: string; input_schema?: unknown }[];
  tool_choice?: { type: string; name?: string };
  [key: string]: unknown;
}

export type ContentBlock =
  { type: 'text'; text: string } | { type: 'tool_use'; id: string; name: string; input: unknown };

interface Timing {
  /** Wait this long before answering. */
  delayMs?: number;
}

export type ScriptedReply = Timing &
  (
    | { kind: 'text'; text: string }
    /** A tool call; `name` defaults to the tool the request forced (or its only tool). */
    | { kind: 'tool_use'; input: unknown; name?: string; text?: string }
    | { kind: 'message'; content: ContentBlock[] | ((id: () => string) => ContentBlock[]); stopReason?: string }
    | { kind: 'raw'; status: number; body: unknown; headers?: Record<string, string> }
    | { kind: 'error'; status: number; type: string; message: string; retryAfterSeconds?: number }
    /** Never answers; the client's timeout fires (the connection is cut at close()). */
    | { kind: 'hang' }
  );

export type ReplyStep = ScriptedReply | (Timing & { kind: 'fn'; fn: (request: MessagesRequest) => ScriptedReply });

export interface HttpAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

let sequence = 0;
const nextId = (prefix: string): string => `${prefix}${(++sequence).toString(36).padStart(24, '0')}`;

export function errorAnswer(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): HttpAnswer {
  return { status, body: { type: 'error', error: { type, message }, request_id: nextId('req_') }, headers };
}

function forcedToolName(request: MessagesRequest): string | undefined {
  if (request.tool_choice?.type === 'tool') return request.tool_choice.name;
  return request.tools?.length === 1 ? request.tools[0]!.name : undefined;
}

const tokens = (value: unknown): number => Math.max(1, Math.ceil(JSON.stringify(value ?? '').length / 4));

function messageAnswer(request: MessagesRequest, content: ContentBlock[], stopReason: string): HttpAnswer {
  return {
    status: 200,
    headers: {},
    body: {
      id: nextId('msg_'),
      type: 'message',
      role: 'assistant',
      model: request.model,
      content,
      stop_reason: stopReason,
      stop_sequence: null,
      usage: {
        input_tokens: tokens([request.system, request.messages, request.tools]),
        output_tokens: tokens(content),
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
        service_tier: 'standard',
      },
    },
  };
}

/** The HTTP answer for one scripted reply (hang is handled by the server). */
export function answerFor(reply: Exclude<ScriptedReply, { kind: 'hang' }>, request: MessagesRequest): HttpAnswer {
  switch (reply.kind) {
    case 'text':
      return messageAnswer(request, [{ type: 'text', text: reply.text }], 'end_turn');
    case 'tool_use': {
      const name = reply.name ?? forcedToolName(request);
      if (!name) return errorAnswer(500, 'api_error', 'stand-in: tool_use reply but the request names no single tool');
      const content: ContentBlock[] = reply.text ? [{ type: 'text', text: reply.text }] : [];
      content.push({ type: 'tool_use', id: nextId('toolu_'), name, input: reply.input });
      return messageAnswer(request, content, 'tool_use');
    }
    case 'message': {
      const content = typeof reply.content === 'function' ? reply.content(() => nextId('toolu_')) : reply.content;
      return messageAnswer(
        request,
        content,
        reply.stopReason ?? (content.some((c) => c.type === 'tool_use') ? 'tool_use' : 'end_turn'),
      );
    }
    case 'raw':
      return { status: reply.status, body: reply.body, headers: reply.headers ?? {} };
    case 'error':
      return errorAnswer(
        reply.status,
        reply.type,
        reply.message,
        reply.retryAfterSeconds === undefined ? {} : { 'retry-after': String(reply.retryAfterSeconds) },
      );
  }
}

/** Why a request would be refused by the real API; undefined when it is well-formed. */
export function requestProblem(body: unknown): string | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'body must be a JSON object';
  const r = body as Partial<MessagesRequest>;
  if (typeof r.model !== 'string' || r.model === '') return 'model: Field required';
  if (!Number.isInteger(r.max_tokens) || (r.max_tokens ?? 0) < 1) return 'max_tokens: must be a positive integer';
  if (!Array.isArray(r.messages) || r.messages.length === 0) return 'messages: at least one message is required';
  if (r.tool_choice?.type === 'tool' && !r.tools?.some((t) => t.name === r.tool_choice?.name)) {
    return `tool_choice: tool ${String(r.tool_choice.name)} is not in tools`;
  }
  return undefined;
}
