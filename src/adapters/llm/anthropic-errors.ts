import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AnthropicError,
} from '@anthropic-ai/sdk';
import { AppError } from '../../errors.js';

// Anthropic SDK errors → AppError. The SDK has already spent its own retries when one reaches us,
// so the code tells the job runner whether trying again later makes sense. Messages never carry
// the key: the SDK's own messages quote the response body, which holds none.

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number.parseFloat(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function anthropicError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof APIUserAbortError) return new AppError('cancelled', 'LLM request aborted', { cause: err });
  if (err instanceof APIConnectionTimeoutError) return new AppError('timeout', 'LLM request timed out', { cause: err });
  if (err instanceof APIConnectionError)
    return new AppError('unavailable', `LLM API unreachable: ${err.message}`, { cause: err });
  if (err instanceof APIError) {
    const status = err.status ?? 0;
    const details = { status, type: err.type, requestId: err.requestID ?? undefined };
    const message = `LLM API answered ${status}${err.type ? ` ${err.type}` : ''}`;
    if (status === 429)
      return new AppError('rate_limited', message, { cause: err, details, retryAfterMs: retryAfterMs(err.headers) });
    if (status === 401 || status === 403) return new AppError('unauthorized', message, { cause: err, details });
    if (status === 408) return new AppError('timeout', message, { cause: err, details });
    if (status === 409 || status >= 500) return new AppError('unavailable', message, { cause: err, details });
    if (status === 404) return new AppError('not_found', `${message} (unknown model?)`, { cause: err, details });
    return new AppError('validation', message, { cause: err, details });
  }
  if (err instanceof AnthropicError)
    return new AppError('internal', `LLM client error: ${err.message}`, { cause: err });
  return new AppError('internal', `LLM call failed: ${String(err)}`, { cause: err });
}
