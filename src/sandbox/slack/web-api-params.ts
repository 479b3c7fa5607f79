import type { SlackState } from './slack-state.js';

// Web API arguments arrive form-encoded (every value a string, blocks/view as JSON strings) or as
// a JSON body; these helpers read both the way Slack does.

export type Params = Record<string, unknown>;
export type ApiResult = Record<string, unknown> & { ok: boolean };
export type TokenKind = 'bot' | 'app';

export interface MethodContext {
  state: SlackState;
  params: Params;
  token: TokenKind;
  /** Issues a one-time Socket Mode URL (apps.connections.open). */
  openConnection(): string;
  /** Public base for permalinks and response URLs. */
  baseUrl: string;
}

export type Method = (ctx: MethodContext) => ApiResult;

/** Thrown by handlers to answer `{ok:false, error}`; the server turns it into the response. */
export class ApiFailure extends Error {
  constructor(
    readonly error: string,
    readonly problems: string[] = [],
  ) {
    super(error);
  }

  toJson(): ApiResult {
    if (this.problems.length === 0) return { ok: false, error: this.error };
    return {
      ok: false,
      error: this.error,
      errors: this.problems,
      response_metadata: { messages: this.problems.map((m) => `[ERROR] ${m}`) },
    };
  }
}

export function optionalString(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

export function requiredString(params: Params, key: string, error = 'invalid_arguments'): string {
  const v = optionalString(params, key);
  if (v === undefined)
    throw new ApiFailure(error, error === 'invalid_arguments' ? [`missing required field: ${key}`] : []);
  return v;
}

export function bool(params: Params, key: string): boolean {
  const v = params[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

/** A JSON-valued argument (blocks, view, attachments, metadata), parsed when it came as a string. */
export function jsonParam(params: Params, key: string, badFormatError: string): unknown {
  const v = params[key];
  if (typeof v !== 'string') return v;
  if (v === '') return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    throw new ApiFailure(badFormatError);
  }
}

export function intParam(params: Params, key: string, fallback: number): number {
  const v = optionalString(params, key);
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : fallback;
}
