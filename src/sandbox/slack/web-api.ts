import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatMethods } from './chat-methods.js';
import type { SlackFaults } from './slack-faults.js';
import type { SlackState } from './slack-state.js';
import { viewsMethods } from './views-methods.js';
import { ApiFailure, type ApiResult, type Method, type Params, type TokenKind } from './web-api-params.js';
import { APP_TOKEN_METHODS, workspaceMethods } from './workspace-methods.js';

// The Web API over HTTP: POST /api/<method>, form-encoded or JSON, token in the Authorization header
// or the `token` argument. Every call is logged; unknown methods are recorded as unexpected.

export interface ApiCall {
  method: string;
  /** Arguments as parsed, without the token. */
  params: Params;
  status: number;
  response: ApiResult;
  /** The injected fault that answered, if any. */
  fault?: string;
}

export interface Unexpected {
  reason: string;
  path: string;
  method?: string;
}

export interface WebApiDeps {
  state: SlackState;
  faults: SlackFaults;
  tokens: { bot: string; app: string };
  calls: ApiCall[];
  unexpected: Unexpected[];
  openConnection(): string;
  baseUrl(): string;
  /** Told when state changed before the answer went out (an answer held by a fault). */
  changed?: () => void;
}

const METHODS: Record<string, Method> = { ...chatMethods, ...viewsMethods, ...workspaceMethods };

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseParams(req: IncomingMessage, body: string, query: URLSearchParams): Params | undefined {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const params: Params = Object.fromEntries(query);
  if (body === '') return params;
  if (type === 'application/json') {
    try {
      const parsed = JSON.parse(body) as unknown;
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? { ...params, ...(parsed as Params) }
        : undefined;
    } catch {
      return undefined;
    }
  }
  if (type === 'application/x-www-form-urlencoded')
    return { ...params, ...Object.fromEntries(new URLSearchParams(body)) };
  return undefined;
}

function tokenOf(req: IncomingMessage, params: Params): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return typeof params.token === 'string' ? params.token : undefined;
}

function send(res: ServerResponse, status: number, body: ApiResult, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function createWebApiHandler(
  deps: WebApiDeps,
): (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> {
  return async (req, res, url) => {
    const method = decodeURIComponent(url.pathname.slice('/api/'.length));
    const parsed = parseParams(req, await readBody(req), url.searchParams);
    const params: Params = { ...(parsed ?? {}) };
    const token = tokenOf(req, params);
    delete params.token;
    const answer = (
      status: number,
      response: ApiResult,
      extra: { fault?: string; headers?: Record<string, string> } = {},
    ): void => {
      deps.calls.push({ method, params, status, response, ...(extra.fault ? { fault: extra.fault } : {}) });
      send(res, status, response, extra.headers);
    };
    if (!parsed) {
      deps.unexpected.push({
        reason: `unparseable body (${req.headers['content-type'] ?? 'no content-type'})`,
        path: url.pathname,
        method,
      });
      answer(200, { ok: false, error: 'invalid_form_data' });
      return;
    }
    const plan = deps.faults.take(method);
    if (plan.delayMs > 0) await sleep(plan.delayMs);
    if (deps.faults.webApiDown()) return answer(503, { ok: false, error: 'service_unavailable' }, { fault: 'outage' });
    if (plan.fault?.kind === 'ratelimited') {
      return answer(
        429,
        { ok: false, error: 'ratelimited' },
        { fault: 'ratelimited', headers: { 'retry-after': String(plan.fault.retryAfterSeconds) } },
      );
    }
    if (plan.fault?.kind === 'status')
      return answer(plan.fault.status, { ok: false, error: 'internal_error' }, { fault: `http_${plan.fault.status}` });
    if (plan.fault?.kind === 'error')
      return answer(200, { ok: false, error: plan.fault.error }, { fault: plan.fault.error });
    const handler = METHODS[method];
    if (!handler) {
      deps.unexpected.push({ reason: 'unknown method', path: url.pathname, method });
      return answer(200, { ok: false, error: 'unknown_method' });
    }
    const kind: TokenKind | undefined =
      token === deps.tokens.bot ? 'bot' : token === deps.tokens.app ? 'app' : undefined;
    if (token === undefined) return answer(200, { ok: false, error: 'not_authed' });
    if (!kind) return answer(200, { ok: false, error: 'invalid_auth' });
    if ((kind === 'app') !== APP_TOKEN_METHODS.has(method))
      return answer(200, { ok: false, error: 'not_allowed_token_type' });
    try {
      const result = handler({
        state: deps.state,
        params,
        token: kind,
        openConnection: deps.openConnection,
        baseUrl: deps.baseUrl(),
      });
      if (plan.holdAnswerMs > 0) {
        deps.faults.answersHeld.push(method);
        deps.changed?.();
        await sleep(plan.holdAnswerMs);
      }
      answer(200, result);
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      answer(200, err.toJson());
    }
  };
}
