import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError } from '../../errors.js';
import {
  answerFor,
  errorAnswer,
  requestProblem,
  type ContentBlock,
  type HttpAnswer,
  type MessagesRequest,
  type ReplyStep,
  type ScriptedReply,
} from './anthropic-replies.js';

// A local Anthropic Messages API: POST /v1/messages answered from a script, every request
// recorded, faults (429, 529, 500, hangs) queued like any other reply. A request with nothing
// scripted is a test bug: it is answered 500 and recorded as unexpected.

export interface RecordedRequest {
  auth: 'bearer' | 'x-api-key' | 'none';
  anthropicVersion: string | undefined;
  body: MessagesRequest;
  status: number;
}

export interface AnthropicSandboxOptions {
  apiKey?: string;
}

type Times = { times?: number; delayMs?: number };

export class AnthropicSandbox {
  readonly apiKey: string;
  readonly requests: RecordedRequest[] = [];
  readonly unexpected: { reason: string; path: string }[] = [];
  private readonly queue: ReplyStep[] = [];
  private readonly server: Server;
  private port = 0;

  constructor(options: AnthropicSandboxOptions = {}) {
    this.apiKey = options.apiKey ?? 'sk-ant-sandbox-0000000000000000';
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        this.unexpected.push({ reason: `stand-in failed: ${String(err)}`, path: req.url ?? '' });
        if (!res.headersSent) res.writeHead(500).end();
      });
    });
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** For `new Anthropic({ baseURL })` and ANTHROPIC_BASE_URL. */
  get baseURL(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** What the bot process needs to talk to this stand-in instead of Anthropic. */
  env(): { ANTHROPIC_API_KEY: string; ANTHROPIC_BASE_URL: string } {
    return { ANTHROPIC_API_KEY: this.apiKey, ANTHROPIC_BASE_URL: this.baseURL };
  }

  // --- the script ----------------------------------------------------------------------------

  enqueue(step: ReplyStep, times = 1): this {
    for (let i = 0; i < times; i++) this.queue.push(step);
    return this;
  }

  replyText(text: string, options: Times = {}): this {
    return this.enqueue({ kind: 'text', text, delayMs: options.delayMs }, options.times);
  }

  replyToolUse(input: unknown, options: Times & { name?: string; text?: string } = {}): this {
    return this.enqueue(
      { kind: 'tool_use', input, name: options.name, text: options.text, delayMs: options.delayMs },
      options.times,
    );
  }

  replyMessage(content: ContentBlock[], options: Times & { stopReason?: string } = {}): this {
    return this.enqueue(
      { kind: 'message', content, stopReason: options.stopReason, delayMs: options.delayMs },
      options.times,
    );
  }

  replyRaw(status: number, body: unknown, options: Times & { headers?: Record<string, string> } = {}): this {
    return this.enqueue(
      { kind: 'raw', status, body, headers: options.headers, delayMs: options.delayMs },
      options.times,
    );
  }

  /** A reply computed from the parsed request (e.g. echo the hunk ids it was given). */
  replyWith(fn: (request: MessagesRequest) => ScriptedReply, options: Times = {}): this {
    return this.enqueue({ kind: 'fn', fn, delayMs: options.delayMs }, options.times);
  }

  /** 429 rate_limit_error with `retry-after` (seconds, fractions allowed). */
  rateLimit(options: Times & { retryAfterSeconds?: number } = {}): this {
    const step: ReplyStep = {
      kind: 'error',
      status: 429,
      type: 'rate_limit_error',
      message: 'Number of request tokens has exceeded your per-minute rate limit',
      retryAfterSeconds: options.retryAfterSeconds ?? 1,
    };
    return this.enqueue(step, options.times);
  }

  /** 529 overloaded_error, as the API answers when it is busy. */
  overloaded(options: Times & { retryAfterSeconds?: number } = {}): this {
    return this.enqueue(
      {
        kind: 'error',
        status: 529,
        type: 'overloaded_error',
        message: 'Overloaded',
        retryAfterSeconds: options.retryAfterSeconds,
      },
      options.times,
    );
  }

  serverError(options: Times & { status?: number } = {}): this {
    return this.enqueue(
      { kind: 'error', status: options.status ?? 500, type: 'api_error', message: 'Internal server error' },
      options.times,
    );
  }

  /** Never answers: the client's timeout (or abort) ends the request. */
  hang(options: { times?: number } = {}): this {
    return this.enqueue({ kind: 'hang' }, options.times);
  }

  get pending(): number {
    return this.queue.length;
  }

  assertNoUnexpectedRequests(): void {
    if (this.unexpected.length === 0) return;
    throw new AppError(
      'internal',
      `Anthropic stand-in got ${this.unexpected.length} unexpected request(s): ${this.unexpected.map((u) => `${u.path}: ${u.reason}`).join('; ')}`,
      { details: { unexpected: this.unexpected } },
    );
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // Hanging requests hold their sockets open; cut them so the test process can exit.
      this.server.closeAllConnections();
    });
  }

  // --- HTTP ----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method !== 'POST' || path !== '/v1/messages') {
      this.unexpected.push({ reason: `no route for ${req.method} ${path}`, path });
      return send(res, errorAnswer(404, 'not_found_error', `Not found: ${path}`));
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    const auth = this.authOf(req);
    const record: RecordedRequest = {
      auth: auth.kind,
      anthropicVersion: header(req, 'anthropic-version'),
      body: body as MessagesRequest,
      status: 0,
    };
    this.requests.push(record);
    const answer = (a: HttpAnswer): void => {
      record.status = a.status;
      send(res, a);
    };
    if (!auth.valid) return answer(errorAnswer(401, 'authentication_error', 'invalid x-api-key'));
    const problem = record.anthropicVersion ? requestProblem(body) : 'anthropic-version: header is required';
    if (problem) {
      this.unexpected.push({ reason: problem, path });
      return answer(errorAnswer(400, 'invalid_request_error', problem));
    }
    const step = this.queue.shift();
    if (!step) {
      this.unexpected.push({ reason: 'no scripted reply left', path });
      return answer(errorAnswer(500, 'api_error', 'stand-in: no scripted reply left'));
    }
    if (step.delayMs) await new Promise((resolve) => setTimeout(resolve, step.delayMs));
    const reply = step.kind === 'fn' ? step.fn(record.body) : step;
    if (reply.kind === 'hang') return;
    answer(answerFor(reply, record.body));
  }

  private authOf(req: IncomingMessage): { kind: RecordedRequest['auth']; valid: boolean } {
    const key = header(req, 'x-api-key');
    if (key !== undefined) return { kind: 'x-api-key', valid: key === this.apiKey };
    const authorization = header(req, 'authorization');
    if (authorization?.startsWith('Bearer ')) return { kind: 'bearer', valid: authorization.slice(7) === this.apiKey };
    return { kind: 'none', valid: false };
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, answer: HttpAnswer): void {
  res.writeHead(answer.status, {
    'content-type': 'application/json',
    'request-id': `req_sandbox_${Date.now()}`,
    ...answer.headers,
  });
  res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
}

export async function startAnthropicSandbox(options: AnthropicSandboxOptions = {}): Promise<AnthropicSandbox> {
  return new AnthropicSandbox(options).listen();
}
