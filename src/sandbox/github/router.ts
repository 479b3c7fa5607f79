// A tiny method + path router for the REST stand-in. Patterns use `:name` for one segment and a
// trailing `*name` for the rest of the path (branch names, refs and file paths contain slashes,
// and clients send them either raw or percent-encoded).

export type Json = Record<string, unknown>;

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Parsed JSON body ({} when there is none). */
  body: Json;
  /** Login of the token that made the request. */
  login: string;
  url: URL;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: RouteContext) => Promise<Reply> | Reply;

interface Route {
  method: string;
  name: string;
  segments: string[];
  handler: Handler;
}

const DOCS = 'https://docs.github.com/rest';

/** Thrown by handlers to answer with a GitHub-shaped error body. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: Json = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  reply(): Reply {
    return {
      status: this.status,
      headers: this.headers,
      body: { message: this.message, documentation_url: DOCS, status: String(this.status), ...this.extra },
    };
  }
}

export const notFound = (): HttpError => new HttpError(404, 'Not Found');

export function validationFailed(errors: Json[], message = 'Validation Failed'): HttpError {
  return new HttpError(422, message, { errors });
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler): this {
    this.routes.push({ method, name: `${method} ${pattern}`, segments: pattern.split('/').filter(Boolean), handler });
    return this;
  }

  match(method: string, pathname: string): { name: string; handler: Handler; params: Record<string, string> } | null {
    const parts = pathname.split('/').filter(Boolean);
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const params = matchSegments(route.segments, parts);
      if (params) return { name: route.name, handler: route.handler, params };
    }
    return null;
  }
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i]!;
    if (seg.startsWith('*')) {
      if (i >= parts.length) return null;
      params[seg.slice(1)] = parts.slice(i).map(decode).join('/');
      return params;
    }
    const part = parts[i];
    if (part === undefined) return null;
    if (seg.startsWith(':')) params[seg.slice(1)] = decode(part);
    else if (seg !== part) return null;
  }
  return parts.length === segments.length ? params : null;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** One page of `items` the way GitHub pages lists: per_page (default 30, max 100), page, Link. */
export function paginate<T>(
  items: T[],
  ctx: RouteContext,
  options: { defaultPerPage?: number; maxPerPage?: number } = {},
): { page: T[]; headers: Record<string, string> } {
  const max = options.maxPerPage ?? 100;
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page')) || (options.defaultPerPage ?? 30), 1), max);
  const page = Math.max(Number(ctx.query.get('page')) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (n: number, rel: string) => {
    const url = new URL(ctx.url);
    url.searchParams.set('per_page', String(perPage));
    url.searchParams.set('page', String(n));
    return `<${url.toString()}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: links.length ? { link: links.join(', ') } : {},
  };
}

export function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
