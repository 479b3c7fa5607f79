import type { Migration } from '../migrate.js';

// ETags and bodies of the GitHub GETs the bot repeats on every check (releases, refs, pulls,
// contents), so an idle check asks "changed since?" and GitHub's 304 costs nothing. runtime_facts:
// what `start` observed and other processes show (the GitHub budget left, the last scheduled round).
export const migration023: Migration = {
  version: 23,
  name: 'http-cache',
  sql: `
CREATE TABLE http_cache (
  key TEXT PRIMARY KEY,
  etag TEXT NOT NULL,
  body TEXT NOT NULL,
  headers TEXT NOT NULL,
  used_at TEXT NOT NULL
);
CREATE INDEX http_cache_used_at ON http_cache (used_at);
CREATE TABLE runtime_facts (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
`,
};
