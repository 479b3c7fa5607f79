import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { postMessage, readContent, updateMessage } from './chat-methods.js';
import type { ResponseTarget } from './interaction-payloads.js';
import type { EphemeralMessage, SlackState } from './slack-state.js';
import { ApiFailure, type Params } from './web-api-params.js';
import { readBody, type ApiCall, type Unexpected } from './web-api.js';

// response_url handling (Bolt's respond()): JSON POSTs that post ephemerally, in the channel,
// replace or delete the original message. Slack allows five uses per URL.

const MAX_USES = 5;

/** Applies a response_url or ack payload (text/blocks/response_type/replace_original/delete_original). */
export function applyResponse(
  state: SlackState,
  target: ResponseTarget,
  body: Params,
  via: 'ack' | 'response_url',
  previous?: EphemeralMessage,
): EphemeralMessage | undefined {
  const original =
    target.messageTs && !target.ephemeral ? state.findMessage(target.channel, target.messageTs) : undefined;
  if (body.delete_original === true) {
    if (original) original.deleted = true;
    return;
  }
  if (body.replace_original === true && original) {
    updateMessage(state, original, body);
    return;
  }
  // Slack replaces the ephemeral this response_url posted earlier (a command's answer, updated).
  if (body.replace_original === true && previous) {
    const content = readContent(state, body);
    previous.text = content.text ?? '';
    previous.blocks = content.blocks;
    previous.replaced = (previous.replaced ?? 0) + 1;
    return previous;
  }
  if (body.response_type === 'in_channel') {
    postMessage(state, { channel: target.channel, thread_ts: body.thread_ts ?? target.threadTs, ...body });
    return;
  }
  const content = readContent(state, body);
  const posted: EphemeralMessage = {
    channel: target.channel,
    user: target.user,
    ts: state.nextTs(),
    threadTs: target.threadTs,
    text: content.text ?? '',
    blocks: content.blocks,
    via,
  };
  state.ephemerals.push(posted);
  return posted;
}

export class ResponseUrls {
  private readonly targets = new Map<string, { target: ResponseTarget; uses: number; last?: EphemeralMessage }>();

  constructor(private readonly deps: { state: SlackState; calls: ApiCall[]; unexpected: Unexpected[] }) {}

  create(origin: string, target: ResponseTarget): string {
    const id = randomUUID();
    this.targets.set(id, { target, uses: 0 });
    return `${origin}/response/${id}`;
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const entry = this.targets.get(url.pathname.slice('/response/'.length));
    const text = await readBody(req);
    let body: Params = {};
    try {
      body = JSON.parse(text) as Params;
    } catch {
      this.deps.unexpected.push({ reason: 'response_url body is not JSON', path: url.pathname });
    }
    const answer = (status: number, response: { ok: boolean; error?: string }): void => {
      this.deps.calls.push({ method: 'response_url', params: body, status, response });
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(response));
    };
    if (!entry) {
      this.deps.unexpected.push({ reason: 'unknown response_url', path: url.pathname });
      return answer(404, { ok: false, error: 'expired_url' });
    }
    if (entry.uses >= MAX_USES) return answer(404, { ok: false, error: 'used_url' });
    entry.uses += 1;
    try {
      const posted = applyResponse(this.deps.state, entry.target, body, 'response_url', entry.last);
      if (posted) entry.last = posted;
      answer(200, { ok: true });
    } catch (err) {
      if (!(err instanceof ApiFailure)) throw err;
      answer(400, err.toJson());
    }
  }
}
