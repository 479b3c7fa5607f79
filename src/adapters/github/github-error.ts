import { AppError, type ErrorCode } from '../../errors.js';

// Octokit throws RequestError (name "HttpError") with the status and, when GitHub answered, the
// response. The code decides what the job runner does next; the message names the operation
// and the repository so a person reading a Slack card knows which call failed.

interface OctokitErrorLike {
  name: string;
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
  cause?: unknown;
}

function isOctokitError(err: unknown): err is OctokitErrorLike {
  return err instanceof Error && typeof (err as { status?: unknown }).status === 'number';
}

const SECONDARY = /secondary rate limit/i;

function header(err: OctokitErrorLike, name: string): string | undefined {
  const value = err.response?.headers[name];
  return value === undefined ? undefined : String(value);
}

/** How long GitHub asked us to wait, from retry-after or x-ratelimit-reset. */
function retryAfterMs(err: OctokitErrorLike, now: number): number | undefined {
  const after = Number(header(err, 'retry-after'));
  if (Number.isFinite(after) && after >= 0 && header(err, 'retry-after') !== undefined) return after * 1000;
  const reset = Number(header(err, 'x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0 && header(err, 'x-ratelimit-remaining') === '0')
    return Math.max(reset * 1000 - now, 0);
  return undefined;
}

function detailMessages(data: unknown): string {
  const errors = (data as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return '';
  const parts = errors.map((e) =>
    typeof e === 'string'
      ? e
      : ((e as { message?: string; field?: string; code?: string }).message ??
        [(e as { field?: string }).field, (e as { code?: string }).code].filter(Boolean).join(' ')),
  );
  return parts.length ? ` (${parts.join('; ')})` : '';
}

export function toAppError(err: unknown, operation: string, repo: string, now = Date.now()): AppError {
  if (err instanceof AppError) return err;
  const where = repo ? `${operation} on ${repo}` : operation;
  if (!isOctokitError(err)) {
    const message = err instanceof Error ? err.message : String(err);
    const code: ErrorCode = err instanceof Error && err.name === 'AbortError' ? 'cancelled' : 'internal';
    return new AppError(code, `GitHub ${where} failed: ${message}`, { cause: err, details: { operation, repo } });
  }
  const status = err.status;
  if (err.name === 'AbortError')
    return new AppError('cancelled', `GitHub ${where} was cancelled`, { cause: err, details: { operation, repo } });
  // fetch failures reach us as status 500 without any response.
  if (!err.response && (err.cause as { name?: string } | undefined)?.name === 'TimeoutError') {
    return new AppError('timeout', `GitHub ${where} timed out`, { cause: err, details: { operation, repo } });
  }
  if (!err.response) {
    return new AppError('network', `GitHub ${where} failed: cannot reach GitHub (${err.message})`, {
      cause: err,
      details: { operation, repo },
    });
  }
  const details = { operation, repo, status, requestId: header(err, 'x-github-request-id') };
  const text = `${err.message}${detailMessages(err.response.data)}`;
  const rateLimited =
    status === 429 || (status === 403 && (SECONDARY.test(err.message) || header(err, 'x-ratelimit-remaining') === '0'));
  if (rateLimited) {
    return new AppError('rate_limited', `GitHub ${where} was rate limited: ${err.message}`, {
      cause: err,
      details,
      retryAfterMs: retryAfterMs(err, now),
    });
  }
  const code: ErrorCode =
    status === 401
      ? 'unauthorized'
      : status === 403
        ? 'forbidden'
        : status === 404 || status === 410
          ? 'not_found'
          : status === 405 || status === 409
            ? 'conflict'
            : status === 400 || status === 422
              ? 'validation'
              : status >= 500
                ? 'unavailable'
                : 'internal';
  return new AppError(code, `GitHub ${where} failed: ${status} ${text}`, { cause: err, details });
}

/** Status of an Octokit error, or null for anything else. */
export function httpStatus(err: unknown): number | null {
  return isOctokitError(err) && err.response ? err.status : null;
}
