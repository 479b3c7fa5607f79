import { scrub } from './redact.js';

// Typed errors: the code decides what happens next (retry, hand to a person, refuse), the
// message is for people. Expected outcomes (conflicts, up to date, queued) are return values.

export const ERROR_CODES = {
  usage: { transient: false },
  config_invalid: { transient: false },
  invalid_ref: { transient: false },
  not_found: { transient: false },
  forbidden: { transient: false },
  unauthorized: { transient: false },
  validation: { transient: false },
  conflict: { transient: false },
  push_rejected: { transient: false },
  git_failed: { transient: false },
  lease_lost: { transient: false },
  cancelled: { transient: false },
  internal: { transient: false },
  /** No space left (git or SQLite): retrying before someone frees space does nothing. */
  disk_full: { transient: false },
  rate_limited: { transient: true },
  unavailable: { transient: true },
  timeout: { transient: true },
  network: { transient: true },
} as const satisfies Record<string, { transient: boolean }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly transient: boolean;
  readonly details: Record<string, unknown> | undefined;
  /** For rate limits: when the caller may try again. */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; details?: Record<string, unknown>; transient?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.transient = options.transient ?? ERROR_CODES[code].transient;
    this.details = options.details;
    this.retryAfterMs = options.retryAfterMs;
  }
}

export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/** Whether retrying the same work later may succeed. Unknown errors are not retried blindly. */
export function isTransient(err: unknown): boolean {
  return err instanceof AppError && err.transient;
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * An error as jobs, runs, CLI output and cards record it: our code (`internal` for anything that
 * is not an AppError) and a message scrubbed of secrets.
 */
export function toJobError(err: unknown): { code: string; message: string } {
  return { code: isAppError(err) ? err.code : 'internal', message: scrub(errorMessage(err)) };
}
