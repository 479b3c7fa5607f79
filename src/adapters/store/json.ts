import { scrubDeep } from '../../redact.js';

// The one way JSON enters the database: scrubbed of secrets first (invariant 9).

export function toJson(value: unknown): string {
  return JSON.stringify(scrubDeep(value) ?? null);
}

export function toJsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : toJson(value);
}

export function fromJson<T>(text: string | null | undefined): T | null {
  return text === null || text === undefined ? null : (JSON.parse(text) as T);
}
