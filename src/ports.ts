// The interfaces the core and the jobs depend on. Real implementations live in src/adapters/,
// built only in main.ts; tests use the sandbox stand-ins behind the same real adapters, or small
// in-memory fakes of these interfaces. Repositories are always "owner/name" slugs.
// Each port lives in src/ports/, named after what it describes; this index is what the rest of
// the code imports.

export * from './ports/clock.js';
export * from './ports/actor.js';
export * from './ports/github.js';
export * from './ports/git.js';
export * from './ports/sync-records.js';
export * from './ports/llm.js';
export * from './ports/chat.js';
export * from './ports/sync-cards.js';
export * from './ports/release-cards.js';
export * from './ports/notifier.js';
export * from './ports/store.js';
export * from './ports/http-cache.js';
export * from './ports/resolver.js';
